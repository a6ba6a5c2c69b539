"""A name claimed on one device stays there until the trainer clicks Release in the console:
the real observer server on the app's qasync loop, two "devices" (aiohttp clients) and clicks
in the status widget. Signals are awaited through futures, never qtbot.waitSignal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from tests.ui.layout import settle
from tests.ui.qasync_support import PEOPLE, http, run, until
from tests.ui.test_observer_host import loopback_host
from ui.observer_status import ObserverStatusWidget


def test_the_console_shows_a_taken_name_and_release_frees_it_for_another_device(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    name = live.round.observers[0]
    host = loopback_host(services, live)
    status = ObserverStatusWidget(host)
    qtbot.addWidget(status)
    status.resize(640, 360)
    status.show()
    claim = {"code": detail.join_code, "name": name}

    async def scenario() -> None:
        served = until(host.serving_changed, lambda: host.serving)
        live.set_feedback_open(True)
        await served
        url = host.url
        assert url
        async with http() as laptop, http() as phone:
            taken = until(host.statuses_changed, lambda: host.rows()[0].joined)
            async with laptop.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            await taken
            assert status.taken() == [name]
            async with phone.post(url + "api/claim", json=claim) as response:
                assert response.status == 409
                assert (await response.json())["error"] == (
                    f"{name} has already joined on another device. "
                    "Ask the trainer to release the name."
                )
            settle()
            assert status.grab().save(str(screens / "console-observer-taken-release.png"))

            button = status.release_buttons[name]
            assert button.isVisible() and name in button.accessibleName()
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert status.taken() == [] and status.row_texts()[0] == (name, "not joined")
            async with laptop.get(url + "api/me") as response:
                assert response.status == 401  # at once: no wait for any cache
            async with phone.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            async with phone.get(url + "api/me") as response:
                assert response.status == 200 and (await response.json())["name"] == name
        await host.aclose()

    run(scenario)


def test_the_console_lists_everyone_on_a_device_not_only_observers(
    qtbot: QtBot, services: Services
) -> None:
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    operator = live.round.operator
    assert operator is not None
    host = loopback_host(services, live)
    status = ObserverStatusWidget(host)
    qtbot.addWidget(status)
    status.show()

    async def scenario() -> None:
        served = until(host.serving_changed, lambda: host.serving)
        live.reload()  # the host serves on the running loop
        await served
        url = host.url
        assert url
        assert "On their own devices" not in status.count_label.text()
        async with http() as phone:
            joined = until(host.statuses_changed, lambda: operator in host.on_devices())
            claim = {"code": detail.join_code, "name": operator}
            async with phone.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            await joined
        assert f"On their own devices: {operator}" in status.count_label.text()
        await host.aclose()

    run(scenario)
