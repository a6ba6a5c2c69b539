"""The console, its projector and the observer server together, on the app's qasync loop.

A trainer runs the session; observers join from "their laptops" (an aiohttp client on the same
loop); the projector shows how to join, the console shows who joined, drafted and submitted,
and an in-app form for the same observer never saves stale answers over theirs. Signals are
awaited through futures (never qtbot.waitSignal inside the loop), as in test_observer_host."""

from __future__ import annotations

import gc
import logging
import socket
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.services import Services
from tests.ui.app_run import driving
from tests.ui.layout import settle, shown_window
from tests.ui.qasync_support import COMPLETE, PEOPLE, http, run, until
from tests.ui.stored import settle_store_async
from ui import settings
from ui.console.console_screen import ConsoleScreen
from ui.join_panel import spaced_code


def serve_on_loopback() -> None:
    settings.set_observer_interface("127.0.0.1")


def refused(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError:
        return True
    return False


def test_observers_join_from_their_laptops_and_the_console_and_projector_follow(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    serve_on_loopback()
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 900)
    console.show()
    host = console.observers
    status = console.observer_status
    panel = console.checklists
    first, second, third = live.round.observers

    async def scenario() -> None:
        served = until(host.serving_changed, lambda: host.serving)
        live.toggle()
        for _ in range(3):  # brief → role-play → decision → Observer feedback: feedback opens
            live.next_phase()
        assert live.view().phase_key == "feedback" and live.round.feedback_open
        await served
        url = host.url
        assert url and url.startswith("http://127.0.0.1:")
        assert console.current_tab() == "checklists"
        assert url in status.serving_label.text()

        # The projector: address, join code and a QR code, large; nothing else to read.
        projector = console.ensure_projector()
        projector.show_on(None, full_screen=False)
        projector.resize(1280, 720)
        join = projector.join_panel
        assert join.isVisible() and join.joinable
        assert join.address_label.text() == url.removeprefix("http://").rstrip("/")
        assert join.code_label.text() == spaced_code(detail.join_code)
        pixmap = join.qr_label.pixmap()
        assert join.qr_label.isVisible() and not pixmap.isNull() and pixmap.width() > 200
        assert join.count_label.text() == "Checklists in: 0 of 3"

        async with http() as browser_a, http() as browser_b:
            # Ann joins and submits from her browser: the console and projector follow live.
            joined = until(host.statuses_changed, lambda: host.rows()[0].joined)
            claim = {"code": detail.join_code, "name": first}
            async with browser_a.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            await joined
            assert status.row_texts()[0] == (first, "joined")
            submitted = until(host.statuses_changed, lambda: host.counts()[0] == 1)
            async with browser_a.post(url + "api/submit", json={"answers": COMPLETE}) as response:
                assert response.status == 200
            await submitted
            await settle_store_async(console)
            assert status.row_texts()[0] == (first, "submitted")
            assert join.count_label.text() == "Checklists in: 1 of 3"
            assert f"{first}: ✔ submitted" in panel.statuses.text()
            assert panel.forms[first].radios["tone"][Mark.MET].isChecked()  # reloaded

            # The second observer's form is open in the app (the trainer types for them) while
            # they type in their browser. The app must not save stale answers over theirs.
            form = panel.forms[second]
            panel.tabs.setCurrentIndex(list(panel.forms).index(second))
            note: QLineEdit = form.notes["tone"]
            note.setFocus()
            QtBot.keyClicks(note, "Trainer")
            await settle_store_async(console)
            assert services.feedback.get(live.round.id, second).answers.notes == {"tone": "Trainer"}
            # Their browser saves; a keystroke in the app lands before the app heard of it
            # (the server's news is debounced): the store refuses the app's stale save, the
            # trainer's typing stays on screen and the form asks: reload or keep mine.
            # (Written straight to the store, as the server's handler does, so the keystroke
            # surely comes first.)
            mine = ChecklistAnswers(marks={"accuracy": Mark.NOT_MET}, notes={"tone": "Mine"})
            services.feedback.save_draft(live.round.id, second, mine, source="browser")
            QtBot.keyClicks(note, "!")
            await settle_store_async(console)
            stored = services.feedback.get(live.round.id, second).answers
            assert stored.notes == {"tone": "Mine"} and stored.marks["accuracy"] is Mark.NOT_MET
            assert note.text() == "Trainer!" and form.conflict_bar.isVisible()
            assert "(in their browser)" in form.conflict_message.text()
            QtBot.mouseClick(form.reload_button, Qt.MouseButton.LeftButton)
            await settle_store_async(console)
            assert note.text() == "Mine" and not form.conflict_bar.isVisible()
            note.setFocus()

            # They save again: the open form (focus still in it) reloads without a keystroke.
            claim = {"code": detail.join_code, "name": second}
            async with browser_b.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            reloaded = until(host.submissions_changed)
            again = {"answers": {"marks": {"accuracy": "met"}, "notes": {"tone": "Mine, later"}}}
            async with browser_b.put(url + "api/draft", json=again) as response:
                assert response.status == 200
            await reloaded
            await settle_store_async(console)
            assert console.focusWidget() is note and note.text() == "Mine, later"
            assert form.radios["accuracy"][Mark.MET].isChecked()
            assert note.cursorPosition() == len("Mine")  # the cursor stays where it was
            note.end(False)
            QtBot.keyClicks(note, ".")  # the trainer's edit now builds on their answers
            await settle_store_async(console)
            stored = services.feedback.get(live.round.id, second).answers
            assert stored.notes == {"tone": "Mine, later."} and stored.marks["accuracy"] is Mark.MET
            assert status.row_texts()[1] == (second, "draft")
            assert status.row_texts()[2] == (third, "not joined")

            # A checklist submitted in the app counts on the projector too.
            counted = until(host.statuses_changed, lambda: host.counts()[0] == 2)
            services.feedback.save_draft(
                live.round.id, third, ChecklistAnswers.model_validate(COMPLETE)
            )
            panel.forms[third].reload()
            await settle_store_async(console)
            panel.forms[third].submit()
            await counted
            assert join.count_label.text() == "Checklists in: 2 of 3"
            assert status.row_texts()[2] == (third, "submitted")
            text = "\n".join(projector.visible_texts())
            assert "Mine" not in text and "Checked the order date" not in text  # counts only

            settle()
            assert projector.grab().save(str(screens / "projector-4-feedback-join.png"))
            console.tabs.setCurrentIndex(1)
            panel.tabs.setCurrentIndex(0)
            settle()
            assert console.grab().save(str(screens / "console-checklists-with-observers.png"))

            # The trainer leaves the console: the server stops, the projector closes. (In the
            # app the console sits in the main window; here it is the last window, whose
            # closing would otherwise quit the application and with it this loop.)
            QApplication.setQuitOnLastWindowClosed(False)
            try:
                console.close()
            finally:
                QApplication.setQuitOnLastWindowClosed(True)
            await console.aclose()
            assert not host.serving and host.url is None
            assert console.projector is None
            with pytest.raises(aiohttp.ClientConnectionError):
                async with browser_a.get(url + "api/me"):
                    pass
        assert refused(url)

    run(scenario)


def test_projector_join_screen_says_so_when_feedback_is_closed_by_hand(
    qtbot: QtBot, services: Services
) -> None:
    serve_on_loopback()
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    host = console.observers

    async def scenario() -> None:
        served = until(host.serving_changed, lambda: host.serving)
        live.toggle()
        for _ in range(3):
            live.next_phase()
        await served
        projector = console.ensure_projector()
        projector.show_on(None, full_screen=False)
        join = projector.join_panel
        assert join.joinable
        # Closed early by the trainer: the server still answers "closed" for a grace period,
        # but the room is no longer invited to join.
        live.set_feedback_open(False)
        assert host.serving and not join.joinable
        assert "Feedback is closed" in join.notice_label.text()
        assert not join.qr_label.isVisible() and not join.address_label.isVisible()
        await console.aclose()
        assert not host.serving

    run(scenario)


def open_page_and_wait_for_close(url: str, seen: dict[str, Any]) -> None:
    """A browser that loaded the page and keeps its connection open (keep-alive), in a thread
    because the app's loop is busy serving: it notes the server closing that connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        received = b""
        try:
            while b"</html>" not in received.lower():
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            seen["page"] = received.split(b"\r\n", 1)[0].decode()
            seen["closed"] = sock.recv(1) == b""  # EOF: the server closed it on quit
        except OSError as exc:
            seen["closed"] = f"not closed: {exc}"


def test_quitting_the_app_while_serving_stops_the_server_cleanly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    serve_on_loopback()
    seen: dict[str, Any] = {}
    browser: list[threading.Thread] = []

    def open_feedback() -> None:
        window = shown_window()
        console = window.console
        if console is None:  # it opens in the loop's first turn
            drive.after(50, open_feedback)
            return
        assert isinstance(console, ConsoleScreen)
        host = console.observers

        seen["host"] = host

        def serving(on: bool) -> None:
            if on and "url" not in seen:
                seen["url"] = host.url
                console.toggle_projector()  # projector up too, as in a real room
                browser.append(
                    threading.Thread(target=open_page_and_wait_for_close, args=(host.url, seen))
                )
                browser[0].start()
                drive.after(500, QApplication.quit)

        host.serving_changed.connect(serving)
        host.error.connect(lambda message: seen.setdefault("error", message))
        console.checklists.toggle_button.click()  # "Open feedback" by hand

    # If the server never starts the run would hang: give up after a while.
    with driving(60_000) as drive, caplog.at_level(logging.WARNING):
        drive.after(300, open_feedback)
        assert app_module.run_app(demo=True) == 0
        gc.collect()  # a task left pending would be reported as destroyed here
    assert "error" not in seen, seen.get("error")
    assert seen.get("url"), "the observer page was never served"
    browser[0].join(15)
    assert seen.get("page") == "HTTP/1.1 200 OK"
    assert seen.get("closed") is True, seen.get("closed")  # its open connection was ended too
    assert not seen["host"].serving
    assert refused(seen["url"])
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not problems, [r.getMessage() for r in problems]
