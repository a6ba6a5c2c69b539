"""The console's "Participants' devices" box and the room's web server never wait on the store:
what they read and write (who joined, the session's address and port, the network chosen, a
released name) goes to the store worker, and the box shows it once it lands
(docs/architecture.md, "One event loop"). Each scenario runs on the app's qasync loop, as the
app does; signals are awaited through futures (tests/ui/qasync_support.py)."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hotdash_roleplay.observer import network
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.room import ObserverEndpoint
from tests.ui.gui_sql import Statement, gui_thread_statements
from tests.ui.qasync_support import PEOPLE, http, run, until
from ui import settings
from ui.console.console_screen import ConsoleScreen


def shown(statements: list[Statement]) -> list[str]:
    """Each statement with the files that issued it, for a readable failure."""
    ours = ("/ui/", "/hotdash_roleplay/")
    return [
        f"{s.sql.split()[0]} from {[f for f in s.files if any(o in f for o in ours)]}"
        for s in statements
    ]


def two_networks(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A machine with a "LAN" and loopback, both on this computer (127.0.0.2 is loopback too,
    so the test serves on it without a network)."""
    lan, loopback = "127.0.0.2", network.LOOPBACK
    interfaces = [
        network.Interface(lan, f"eth0 — {lan}"),
        network.Interface(loopback, f"This computer only — {loopback}"),
    ]
    monkeypatch.setattr(network, "candidate_interfaces", lambda: list(interfaces))
    return lan, loopback


def settle(services: Services) -> None:
    """Let the worker finish what it was asked, and its answers reach the GUI thread."""
    services.worker.flush()
    QApplication.processEvents()


def console_on_the_loop(qtbot: QtBot, services: Services, live: LiveSession) -> ConsoleScreen:
    """The console as the app opens it: on the running loop, shown at once."""
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 900)
    console.show()
    return console


async def close(console: ConsoleScreen) -> None:
    QApplication.setQuitOnLastWindowClosed(False)  # this loop is the test's, not the app's
    try:
        console.close()
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    await console.aclose()


def test_building_a_console_and_serving_its_page_runs_no_sql_on_the_gui_thread(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan, loopback = two_networks(monkeypatch)
    settings.set_observer_interface(lan)  # the trainer's choice for new sessions
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    # This session was served on loopback before (a restarted app): it keeps its address.
    services.room.set_observer_endpoint(detail.id, ObserverEndpoint(address=loopback, port=None))
    live = services.live(detail.id)
    observers = live.round.observers

    async def scenario() -> None:
        with gui_thread_statements(services) as statements:
            console = console_on_the_loop(qtbot, services, live)
            host, status = console.observers, console.observer_status
            await until(host.serving_changed, lambda: host.serving)
            settle(services)
        assert shown(statements) == []
        url = host.url
        assert url is not None and url.startswith(f"http://{loopback}:")
        assert url in status.serving_label.text()
        assert status.row_texts() == [(name, "not joined") for name in observers]
        assert status.count_label.text() == "0 of 3 observers joined · 0 of 3 submitted"
        assert status.interface_box.isEnabled()
        assert status.interface_box.currentData() == loopback  # the session's, not the setting
        stored = services.room.observer_endpoint(detail.id)
        assert stored is not None and url.endswith(f":{stored.port}/")  # kept for a restart
        await close(console)

    run(scenario)


def test_the_box_says_it_is_looking_until_the_first_reads_land(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan, loopback = two_networks(monkeypatch)
    settings.set_observer_interface(lan)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    services.room.set_observer_endpoint(detail.id, ObserverEndpoint(address=loopback, port=None))
    live = services.live(detail.id)
    observers = live.round.observers

    async def scenario() -> None:
        console = console_on_the_loop(qtbot, services, live)
        host, status = console.observers, console.observer_status
        listed = until(host.statuses_changed, lambda: host.rows_known)
        known = until(host.interface_changed, lambda: host.endpoint_known)
        # Nothing read yet: a brief state, not a wrong one (no "0 of 0", no network guessed
        # from the setting offered as the session's).
        assert status.serving_label.text() == "Starting the observer page…"
        assert status.count_label.text() == "Looking up who has joined…"
        assert status.row_texts() == []
        assert not status.interface_box.isEnabled()
        await listed
        assert status.row_texts() == [(name, "not joined") for name in observers]
        assert status.count_label.text() == "0 of 3 observers joined · 0 of 3 submitted"
        await known
        assert status.interface_box.isEnabled()
        assert status.interface_box.currentData() == loopback
        await close(console)

    run(scenario)


def test_choosing_another_network_moves_the_page_with_no_sql_on_the_gui_thread(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan, loopback = two_networks(monkeypatch)
    settings.set_observer_interface(lan)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)

    async def scenario() -> None:
        console = console_on_the_loop(qtbot, services, live)
        host, status = console.observers, console.observer_status
        await until(host.serving_changed, lambda: host.serving)
        settle(services)
        before = host.url
        assert before is not None and before.startswith(f"http://{lan}:")
        port = int(before.rstrip("/").rsplit(":", 1)[1])
        box = status.interface_box
        assert box.isEnabled() and box.currentData() == lan
        with gui_thread_statements(services) as statements:
            moved = until(
                host.serving_changed, lambda: (host.url or "").startswith(f"http://{loopback}:")
            )
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Down)  # the trainer picks "This computer only"
            assert box.currentData() == loopback
            await moved
            settle(services)
        assert shown(statements) == []
        assert host.url == f"http://{loopback}:{port}/"  # the port stays the session's
        assert host.url in status.serving_label.text()
        assert services.room.observer_endpoint(detail.id) == ObserverEndpoint(
            address=loopback, port=port
        )
        assert settings.observer_interface() == loopback  # offered first for the next session
        await close(console)

    run(scenario)


def test_releasing_a_name_runs_no_sql_on_the_gui_thread_and_the_old_device_is_refused(
    qtbot: QtBot, services: Services
) -> None:
    settings.set_observer_interface(network.LOOPBACK)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    name = live.round.observers[0]
    claim = {"code": detail.join_code, "name": name}

    async def scenario() -> None:
        console = console_on_the_loop(qtbot, services, live)
        host, status = console.observers, console.observer_status
        async with http() as laptop, http() as phone:
            await until(host.serving_changed, lambda: host.serving)
            url = host.url
            assert url is not None
            taken = until(host.statuses_changed, lambda: host.rows()[0].joined)
            async with laptop.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            await taken
            with gui_thread_statements(services) as statements:
                qtbot.mouseClick(status.release_buttons[name], Qt.MouseButton.LeftButton)
                assert status.taken() == [] and status.row_texts()[0] == (name, "not joined")
                async with laptop.get(url + "api/me") as response:
                    assert response.status == 401  # behind the release, on the same worker
                async with phone.post(url + "api/claim", json=claim) as response:
                    assert response.status == 200
                settle(services)
            assert shown(statements) == []
            assert services.observer_access.joined(detail.id) == {name}  # the phone's now
            await console.aclose()

    run(scenario)


def test_a_network_chosen_while_the_page_starts_wins(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan, loopback = two_networks(monkeypatch)
    settings.set_observer_interface(lan)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)

    async def scenario() -> None:
        console = console_on_the_loop(qtbot, services, live)
        host, status = console.observers, console.observer_status
        await asyncio.sleep(0)  # the start has asked the worker for the session's address
        # The choice lands while that read, the start on the old network and the first
        # reads are all still out: the page ends up where the trainer chose, and stays.
        host.set_interface(loopback)
        assert host.interface == loopback and status.interface_box.currentData() == loopback
        await until(
            host.serving_changed, lambda: (host.url or "").startswith(f"http://{loopback}:")
        )
        settle(services)
        assert host.interface == loopback and status.interface_box.currentData() == loopback
        assert host.url is not None
        port = int(host.url.rstrip("/").rsplit(":", 1)[1])
        assert services.room.observer_endpoint(detail.id) == ObserverEndpoint(
            address=loopback, port=port
        )
        await close(console)

    run(scenario)


def test_closing_the_console_while_its_first_reads_are_out_is_clean(
    qtbot: QtBot,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _kind, exc, _tb: reported.append(exc))
    settings.set_observer_interface(network.LOOPBACK)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)

    async def scenario() -> None:
        with caplog.at_level(logging.WARNING):
            console = console_on_the_loop(qtbot, services, live)
            host = console.observers
            await close(console)  # at once: the reads and the start are still on their way
            settle(services)  # their answers come to a closed console
            assert not host.serving and host.url is None
            console.deleteLater()
            settle(services)
        assert reported == []
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

    run(scenario)


def test_a_network_the_page_cannot_use_is_said_once_and_another_choice_serves_it(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = "198.51.100.7"  # listed, but not an address of this machine any more
    interfaces = [
        network.Interface(gone, f"wlan0 — {gone}"),
        network.Interface(network.LOOPBACK, f"This computer only — {network.LOOPBACK}"),
    ]
    monkeypatch.setattr(network, "candidate_interfaces", lambda: list(interfaces))
    settings.set_observer_interface(gone)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)

    async def scenario() -> None:
        console = console_on_the_loop(qtbot, services, live)
        host, status = console.observers, console.observer_status
        errors: list[str] = []
        host.error.connect(errors.append)
        await until(host.error)
        assert not host.serving
        assert f"cannot be served on {gone}" in status.error_label.text()
        assert status.serving_label.text() == "Not serving, although the session runs:"
        # Not tried again and again on its own (each try would fail at once and say so
        # again). No signal can say that nothing comes: a short window where the retries
        # would have piled up.
        await asyncio.sleep(0.3)
        assert len(errors) == 1
        # The trainer picks another network: it is served there.
        box = status.interface_box
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        await until(host.serving_changed, lambda: host.serving)
        assert len(errors) == 1
        assert host.url is not None and host.url in status.serving_label.text()
        assert not status.error_label.isVisible()
        await close(console)

    run(scenario)


def test_opening_feedback_serving_and_a_device_joining_run_no_sql_on_the_gui_thread(
    qtbot: QtBot, services: Services
) -> None:
    settings.set_observer_interface(network.LOOPBACK)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    first = live.round.observers[0]
    # Built before the loop runs (the page cannot be served yet), as a resumed console is.
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.show()
    host, status = console.observers, console.observer_status

    async def scenario() -> None:
        async with http() as laptop:  # closed after the server, as a browser left open
            with gui_thread_statements(services) as statements:
                opened = until(host.feedback_changed, lambda: host.feedback_open)
                served = until(host.serving_changed, lambda: host.serving)
                console.tabs.setCurrentIndex(1)
                qtbot.mouseClick(console.checklists.toggle_button, Qt.MouseButton.LeftButton)
                await opened
                await served
                url = host.url
                assert url is not None
                joined = until(host.statuses_changed, lambda: host.rows()[0].joined)
                claim = {"code": detail.join_code, "name": first}
                async with laptop.post(url + "api/claim", json=claim) as response:
                    assert response.status == 200
                await joined
                QApplication.processEvents()
            assert shown(statements) == []
            assert status.row_texts()[0] == (first, "joined")
            assert f"On their own devices: {first}" in status.count_label.text()
            await console.aclose()

    run(scenario)
