"""Opening a session's console in the main window as the trainer does, and waiting until it
shows: the lease and the first read run on the store worker first."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.console.console_screen import ConsoleScreen
from ui.main_window import MainWindow


def console_opened(qtbot: QtBot, window: MainWindow, session_id: int) -> ConsoleScreen:
    window.open_console(session_id)
    return console_shown(qtbot, window, session_id)


def console_shown(qtbot: QtBot, window: MainWindow, session_id: int) -> ConsoleScreen:
    """The session's console once its opening has ended (fails with the window's message if
    it was refused)."""
    qtbot.waitUntil(lambda: window.pending_open is None, timeout=10_000)
    console = window.console
    box = window.last_message
    refused = box.text() if box is not None and box.isVisible() else "no console"
    assert console is not None and window.session_id == session_id, refused
    assert window.stack.currentWidget() is console
    return console


def resumed(qtbot: QtBot, window: MainWindow) -> ConsoleScreen | None:
    """What the window reopens by itself at start (the last session, if still under way)."""
    window.resume_last()
    qtbot.waitUntil(lambda: window.pending_open is None, timeout=10_000)
    return window.console
