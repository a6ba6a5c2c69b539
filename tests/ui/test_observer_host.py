"""The observer server on the app's qasync loop while the Qt widgets update live.

Each test runs its scenario with asyncio.Runner(loop_factory=qasync.QEventLoop), as the app
does; signals are awaited through futures (never qtbot.waitSignal inside the loop)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.room import ObserverEndpoint
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.qasync_support import COMPLETE, PEOPLE, http, run, until
from ui import settings
from ui.console.projector import ProjectorWindow
from ui.join_panel import FOR_EVERYONE, MOVED, JoinPanel
from ui.observer_host import ObserverHost
from ui.observer_status import ObserverStatusWidget


def loopback_host(services: Services, live: LiveSession, **kwargs: Any) -> ObserverHost:
    settings.set_observer_interface("127.0.0.1")
    return ObserverHost(services, live, **kwargs)


def test_the_page_is_served_while_the_console_is_open_and_the_console_follows_live(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    observers = live.round.observers

    async def scenario() -> None:
        host = loopback_host(services, live, grace_seconds=0.3)
        listed = until(host.statuses_changed, lambda: host.rows_known)  # read on the worker
        status = ObserverStatusWidget(host)
        panel = JoinPanel(host)
        for widget in (status, panel):
            qtbot.addWidget(widget)
        status.resize(520, 420)
        panel.resize(1280, 720)
        status.show()
        panel.show()
        await listed
        assert status.row_texts() == [(name, "not joined") for name in observers]
        # The console opened: the page is served from the Brief on, feedback still closed.
        await until(host.serving_changed, lambda: host.serving)
        url = host.url
        assert url and url.startswith("http://127.0.0.1:")
        assert url in status.serving_label.text()
        assert not panel.joinable  # the observers' join screen waits for feedback
        live.set_feedback_open(True)  # the Observer feedback phase, or by hand
        assert panel.address_label.text() == url.removeprefix("http://").rstrip("/")
        assert panel.code_label.text().replace(" ", "") == detail.join_code
        assert not host.qr_image().isNull() and panel.qr_label.pixmap() is not None

        async with http() as a, http() as b:
            joined = until(host.statuses_changed, lambda: host.rows()[0].joined)
            claim = {"code": detail.join_code, "name": observers[0]}
            async with a.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            await joined
            assert status.row_texts()[0] == (observers[0], "joined")

            drafted = until(host.statuses_changed, lambda: host.rows()[1].status == "draft")
            claim = {"code": detail.join_code, "name": observers[1]}
            async with b.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            draft = {"answers": {"marks": {"tone": "met"}}}
            async with b.put(url + "api/draft", json=draft) as response:
                assert response.status == 200
            await drafted
            assert status.row_texts()[1] == (observers[1], "draft")

            submitted = until(host.statuses_changed, lambda: host.counts()[0] == 1)
            async with a.post(url + "api/submit", json={"answers": COMPLETE}) as response:
                assert response.status == 200
            await submitted
            assert status.row_texts()[0] == (observers[0], "submitted")
            assert panel.count_label.text() == f"Checklists in: 1 of {len(observers)}"
            assert "1 of 3 submitted" in status.count_label.text()
            settle()
            assert panel.grab().save(str(screens / "projector-observer-join.png"))
            assert status.grab().save(str(screens / "console-observer-status.png"))

            # Feedback closes: the checklist says so, the page stays served for the session.
            live.set_feedback_open(False)
            async with a.get(url + "api/me") as response:
                assert response.status == 409
            async with a.get(url + "api/state") as response:
                assert (await response.json())["feedback_open"] is False
            assert host.serving
            # The session finishes: open pages hear it for the grace period, then it stops.
            stopped = until(host.serving_changed, lambda: not host.serving)
            while live.round is not None:
                live.next_round()
            async with a.get(url + "api/state") as response:
                assert (await response.json())["finished"] is True
            await stopped
            assert host.url is None and "Not serving" in status.serving_label.text()
            with pytest.raises(aiohttp.ClientConnectionError):
                async with a.get(url):
                    pass
        await host.aclose()

    run(scenario)


def test_a_restarted_app_serves_again_and_the_observer_resumes_with_their_token(
    qtbot: QtBot, services: Services
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    live.set_feedback_open(True)
    name = live.round.observers[0]

    async def scenario() -> None:
        first = loopback_host(services, live)
        await until(first.serving_changed, lambda: first.serving)
        first_url = first.url
        assert first_url is not None

        async with http() as browser:
            claim = {"code": detail.join_code, "name": name}
            async with browser.post(first.url + "api/claim", json=claim) as response:
                assert response.status == 200
            draft = {"answers": {"notes": {"tone": "Kept."}}}
            async with browser.put(first.url + "api/draft", json=draft) as response:
                assert response.status == 200
            await first.aclose()  # the app quits

            again = services.live(detail.id)  # the app starts again, feedback still open
            second = loopback_host(services, again)
            await until(second.serving_changed, lambda: second.serving)
            assert second.url == first_url  # the session's port: the QR code stays right
            assert second.moved_from is None
            assert second.rows()[0].joined  # tokens are kept in the store
            # The same browser, its cookie kept.
            async with browser.get(second.url + "api/me") as response:
                assert response.status == 200
                body = await response.json()
            assert body["name"] == name
            assert body["submission"]["answers"]["notes"] == {"tone": "Kept."}
            await second.aclose()

    run(scenario)


def test_without_the_apps_event_loop_nothing_is_served_and_the_trainer_is_told(
    qtbot: QtBot, services: Services
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    host = loopback_host(services, live)
    messages: list[str] = []
    host.error.connect(messages.append)
    status = ObserverStatusWidget(host)
    qtbot.addWidget(status)
    live.set_feedback_open(True)
    assert not host.serving
    assert messages and "event loop" in messages[0]
    assert status.error_label.text() == messages[0]


def test_the_network_setting_is_kept_and_a_vanished_address_falls_back(
    qtbot: QtBot, services: Services
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    host = ObserverHost(services, services.live(detail.id))
    addresses = [i.address for i in host.interfaces()]
    assert addresses[-1] == "127.0.0.1"
    host.set_interface("127.0.0.1")
    assert ObserverHost(services, services.live(detail.id)).interface == "127.0.0.1"
    host.set_interface("203.0.113.99")  # e.g. the Wi-Fi the laptop used yesterday
    assert host.interface in addresses and host.interface != "203.0.113.99"
    status = ObserverStatusWidget(host)
    qtbot.addWidget(status)
    assert status.interface_box.count() == len(addresses)
    assert status.interface_box.currentData() == host.interface


def test_a_taken_port_moves_the_page_and_the_console_and_projector_say_so(
    qtbot: QtBot, services: Services
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    live.set_feedback_open(True)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        taken = other_program.getsockname()[1]
        services.room.set_observer_endpoint(
            detail.id, ObserverEndpoint(address="127.0.0.1", port=taken)
        )

        async def scenario() -> None:
            host = ObserverHost(services, live)  # on the app's loop, which serves the page
            status = ObserverStatusWidget(host)
            panel = JoinPanel(host)
            for widget in (status, panel):
                qtbot.addWidget(widget)
                widget.show()
            await until(host.serving_changed, lambda: host.serving)
            assert host.url is not None and f":{taken}/" not in host.url
            assert host.moved_from == taken
            stored = services.room.observer_endpoint(detail.id)
            assert stored is not None and host.url.endswith(f":{stored.port}/")  # kept from now
            assert status.error_label.isVisible()
            notice = status.error_label.text()
            assert f"Port {taken}" in notice and host.url in notice
            assert MOVED in panel.visible_texts()
            await host.aclose()

        run(scenario)


def test_the_first_brief_invites_everyone_and_an_operators_decision_reaches_the_console(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    changes: list[Change] = []
    live.subscribe(changes.append)
    operator = live.round.operator

    async def scenario() -> None:
        host = loopback_host(services, live)
        arrivals: list[str] = []
        host.decision_arrived.connect(arrivals.append)
        projector = ProjectorWindow(services.worker, services.sessions, live, host)
        qtbot.addWidget(projector)
        projector.resize(1280, 720)
        projector.show()
        await until(host.serving_changed, lambda: host.serving)
        # The first round's Brief: everyone is invited to join, with no checklist count.
        join = projector.join_panel
        assert join.isVisible() and join.joinable
        assert join.heading_label.text() == FOR_EVERYONE
        assert join.code_label.text().replace(" ", "") == detail.join_code
        assert join.count_label.text() == ""
        assert projector.title_label.text() == live.round.scenario_title
        settle()
        assert projector.grab().save(str(screens / "projector-brief-join.png"))

        async with http() as phone:
            claim = {"code": detail.join_code, "name": operator}
            async with phone.post(host.url + "api/claim", json=claim) as response:
                assert response.status == 200
            live.next_phase()  # Role-play: the join screen gives way to the scenario
            assert not join.isVisible()
            live.toggle()
            fake_clock.advance(61.0)
            arrived = until(host.decision_arrived)
            changes.clear()
            async with phone.post(host.url + "api/decision", json={"decision": "approve"}) as r:
                assert r.status == 200
            await arrived
        assert arrivals == [operator]
        assert changes == [Change.DECISION]  # every panel showing the decision refreshes
        stored = services.decisions.get(live.round.id)
        assert stored is not None and stored.seconds_to_decide == pytest.approx(61.0)
        live.next_round()  # the second round's Brief: no join screen
        assert not join.isVisible()
        await host.aclose()

    run(scenario)
