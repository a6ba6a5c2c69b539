"""The new-session screen never waits on the store: the people it offers are read on the store
worker, and Create stores the session there, the button held while it does
(docs/architecture.md, "One event loop")."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services import Services
from tests.ui.gui_sql import gui_thread_statements
from tests.ui.test_shell import FOUR, PLAN, setup_screen, shoot, type_names
from tests.ui.window_console import console_shown
from ui.main_window import MainWindow

# Opening the console is the main window's work, not the set-up screen's.
CONSOLE = ("ui/main_window.py",)


def settle(services: Services) -> None:
    services.worker.flush()
    QApplication.processEvents()


def test_opening_the_setup_screen_runs_no_sql_on_the_gui_thread(
    qtbot: QtBot, main_window: MainWindow, services: Services, screens: Path
) -> None:
    services.people.add_person("Priya Nair")
    held = threading.Event()
    services.worker.submit(held.wait, 10)  # the store is slow: the read waits behind this
    with gui_thread_statements(services) as statements:
        setup = setup_screen(qtbot, main_window)
        known = setup.roster.known
        # Until the read lands the list says so; typing names works meanwhile.
        assert known.currentText() == "Loading the people remembered…"
        assert not known.isEnabled() and not setup.roster.add_known_button.isEnabled()
        type_names(qtbot, setup, ", ".join(FOUR))
        assert setup.roster.names() == FOUR and setup.table.rowCount() > 0
        shoot(main_window, screens, "setup-people-loading")
        held.set()
        qtbot.waitUntil(lambda: known.findText("Priya Nair") > 0)
        assert known.isEnabled()
        completions = setup.roster.completer.model()
        assert completions.data(completions.index(0, 0)) == "Priya Nair"
    assert [s.sql for s in statements] == []


def test_creating_a_session_by_clicks_runs_no_sql_on_the_gui_thread(
    qtbot: QtBot, main_window: MainWindow, services: Services, screens: Path
) -> None:
    setup = setup_screen(qtbot, main_window)
    settle(services)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    type_names(qtbot, setup, ", ".join(FOUR))
    setup.plan_panel.title_edit.setFocus()
    qtbot.keyClicks(setup.plan_panel.title_edit, "Friday cohort")
    held = threading.Event()
    services.worker.submit(held.wait, 10)
    buttons = (setup.create_button.geometry(), setup.cancel_button.geometry())
    with gui_thread_statements(services) as statements:
        qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
        assert setup.create_button.text() == "Creating…"
        QApplication.processEvents()
        assert (setup.create_button.geometry(), setup.cancel_button.geometry()) == buttons
        assert not setup.create_button.isEnabled() and not setup.cancel_button.isEnabled()
        setup.create_session()  # a second press while it is stored makes no second session
        shoot(main_window, screens, "setup-creating")
        held.set()
        qtbot.waitUntil(lambda: main_window.console is not None)
    assert [s.sql for s in statements if not s.from_any(CONSOLE)] == []
    assert [s.title for s in services.sessions.list_sessions()] == ["Friday cohort"]
    assert main_window.stack.currentWidget() is main_window.console


def test_a_refused_session_is_said_and_create_can_be_pressed_again(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    screens: Path,
) -> None:
    setup = setup_screen(qtbot, main_window)
    settle(services)
    type_names(qtbot, setup, ", ".join(FOUR))
    create = services.sessions.create_session
    refusal = "The store refused the session: try again."

    def refused(*args: object, **kwargs: object) -> object:
        assert threading.current_thread() is not threading.main_thread()
        raise UserError(refusal)

    monkeypatch.setattr(services.sessions, "create_session", refused)
    with gui_thread_statements(services) as statements:
        qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: setup.message.isVisible())
    assert [s.sql for s in statements] == []
    assert setup.message.text() == refusal
    assert setup.create_button.isEnabled() and setup.create_button.text() == "Create session"
    assert setup.cancel_button.isEnabled()
    assert main_window.stack.currentWidget() is setup and main_window.console is None
    shoot(main_window, screens, "setup-refused")
    assert services.sessions.list_sessions() == []

    monkeypatch.setattr(services.sessions, "create_session", create)
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.console is not None)
    assert len(services.sessions.list_sessions()) == 1


def test_new_session_while_create_is_stored_waits_and_the_console_opens(
    qtbot: QtBot, main_window: MainWindow, services: Services, screens: Path
) -> None:
    """Ctrl+N (or Ctrl+H) pressed while "Creating…" is ignored, as Cancel is: the session
    being stored opens in its console when the store answers."""
    setup = setup_screen(qtbot, main_window)
    settle(services)
    type_names(qtbot, setup, ", ".join(FOUR))
    setup.plan_panel.title_edit.setFocus()
    qtbot.keyClicks(setup.plan_panel.title_edit, "Friday cohort")
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    held = threading.Event()
    services.worker.submit(held.wait, 10)  # a slow store: Create waits behind this
    try:
        qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
        assert setup.create_button.text() == "Creating…"
        focus = QApplication.focusWidget()
        assert focus is not None
        ctrl = Qt.KeyboardModifier.ControlModifier
        qtbot.keyClick(focus, Qt.Key.Key_N, ctrl)  # New session
        qtbot.keyClick(focus, Qt.Key.Key_H, ctrl)  # Start screen
        assert main_window.setup is setup and main_window.stack.currentWidget() is setup
        assert setup.create_button.text() == "Creating…"
        shoot(main_window, screens, "setup-creating-new-ignored")
    finally:
        held.set()
    qtbot.waitUntil(lambda: main_window.console is not None)
    (created,) = services.sessions.list_sessions()
    console_shown(qtbot, main_window, created.id)
    assert created.title == "Friday cohort"
    # The console is open: New session works again.
    qtbot.keyClick(main_window.console, Qt.Key.Key_N, ctrl)
    assert main_window.setup is not None and main_window.setup is not setup
    assert main_window.stack.currentWidget() is main_window.setup


def test_new_session_while_a_console_opens_waits_for_it(
    qtbot: QtBot, main_window: MainWindow, services: Services
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR, title="Team North").id
    start = main_window.start
    start.refresh()
    qtbot.waitUntil(lambda: start.in_progress.session_ids() == [sid])
    held = threading.Event()
    services.worker.submit(held.wait, 10)
    try:
        qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)  # Resume
        qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)  # New session: waits
        assert main_window.setup is None and main_window.stack.currentWidget() is start
    finally:
        held.set()
    console_shown(qtbot, main_window, sid)
