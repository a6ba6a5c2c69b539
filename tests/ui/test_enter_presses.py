"""Enter (or the keypad's Enter) presses the focused button anywhere in the main window, as
Space does; Qt does that only inside dialogs. A multi-line text field keeps Enter for its new
lines, and a held Enter presses once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from tests.ui.stored import idle, settle_store
from tests.ui.test_shell import FOUR, PLAN, type_names
from tests.ui.window_console import console_opened, console_shown
from ui.certification.forms import RecordForm
from ui.main_window import MainWindow

KEYPAD = Qt.KeyboardModifier.KeypadModifier


def active(qtbot: QtBot, window: MainWindow) -> None:
    """The window in front, as the trainer has it: focus and shortcuts reach it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_enter_on_the_focused_resume_opens_the_console(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR, title="Team North").id
    start = main_window.start
    assert start is not None
    active(qtbot, main_window)
    main_window.show_start()  # the lists read again; the focus goes to Resume once it is in
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start.in_progress.button)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    console_shown(qtbot, main_window, sid)


def test_keypad_enter_on_the_focused_new_session_opens_the_setup_screen(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    start = main_window.start
    assert start is not None
    active(qtbot, main_window)
    start.focus_first()  # no session yet: the focus is on New session
    assert focused() is start.new_button
    qtbot.keyClick(focused(), Qt.Key.Key_Enter, KEYPAD)
    assert main_window.setup is not None
    assert main_window.stack.currentWidget() is main_window.setup


def test_enter_on_the_setup_screen_buttons_cancels_and_creates(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    active(qtbot, main_window)
    main_window.show_setup()
    setup = main_window.setup
    assert setup is not None
    setup.cancel_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert main_window.stack.currentWidget() is main_window.start

    main_window.show_setup()
    setup = main_window.setup
    assert setup is not None
    settle_store(qtbot, setup)
    type_names(qtbot, setup, ", ".join(FOUR))  # Enter in the name field adds the names
    assert setup.roster.names() == FOUR
    assert main_window.stack.currentWidget() is setup  # and presses no button
    setup.create_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main_window.console is not None)
    assert len(services.sessions.list_sessions()) == 1


def test_enter_in_the_console_presses_its_buttons_and_not_from_a_text_field(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    active(qtbot, main_window)
    console = console_opened(qtbot, main_window, sid)
    live = console._live
    assert focused() is console.toggle_button  # "Start (Space)"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert console.running_phase is not None
    planned = live.view().planned_seconds
    console.plus_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Enter, KEYPAD)
    assert live.view().planned_seconds == planned + 60

    bar = console.tabs.tabBar()
    debrief_tab = bar.tabRect(console._tab_index["debrief"]).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=debrief_tab)
    debrief = console.debrief
    qtbot.waitUntil(debrief.next_button.isEnabled)  # the debrief is read on the store worker
    debrief.next_button.setFocus()
    assert focused() is debrief.next_button
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # "Next question ▶"
    qtbot.waitUntil(lambda: idle(main_window))
    assert live.round is not None and live.round.debrief_question == 1
    debrief.note.setFocus()
    qtbot.keyClicks(focused(), "Calm tone")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClicks(focused(), "Clear steps")
    assert debrief.note.toPlainText() == "Calm tone\nClear steps"  # a new line, nothing pressed
    qtbot.waitUntil(lambda: idle(main_window))
    assert live.round.debrief_question == 1
    assert main_window.stack.currentWidget() is console


def test_a_held_enter_presses_once(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    active(qtbot, main_window)
    console = console_opened(qtbot, main_window, sid)
    live = console._live
    planned = live.view().planned_seconds
    console.plus_button.setFocus()
    button = focused()
    press = QEvent.Type.KeyPress
    nothing = Qt.KeyboardModifier.NoModifier
    for repeat in (False, True, True):  # the key goes down, then the keyboard repeats it
        QApplication.sendEvent(button, QKeyEvent(press, Qt.Key.Key_Return, nothing, "\r", repeat))
    qtbot.keyRelease(button, Qt.Key.Key_Return)
    assert live.view().planned_seconds == planned + 60


def test_back_through_the_pause_question_enter_resumes_the_session(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    """The question over the window still had the keyboard when the list came in: the focus
    stayed on New session, and Enter planned a new session instead of resuming."""
    sid = services.sessions.create_session(PLAN, FOUR, title="Team North").id
    active(qtbot, main_window)
    console = console_opened(qtbot, main_window, sid)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Start
    assert console.running_phase is not None
    qtbot.keyClick(focused(), Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # Start screen
    question = main_window.leave_question
    assert question is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is question)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # its default: Pause
    start = main_window.start
    assert start is not None and main_window.stack.currentWidget() is start
    qtbot.waitUntil(lambda: start.in_progress.session_ids() == [sid] and idle(main_window))
    active(qtbot, main_window)  # as the window manager does once the question is gone
    assert focused() is start.in_progress.button
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    console = console_shown(qtbot, main_window, sid)
    assert console.running_phase is None  # paused on the way out


def test_enter_on_a_certification_windows_focused_button_presses_it(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    services.people.add_person("Ann")
    start = main_window.start
    assert start is not None
    qtbot.mouseClick(start.team_button, Qt.MouseButton.LeftButton)
    overview = start.certification.overview
    assert overview is not None
    qtbot.waitExposed(overview)
    settle_store(qtbot, overview)
    overview.table.selectRow(0)
    overview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is overview)
    overview.open_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # "Open certification…"
    pages = start.certification.pages
    qtbot.waitUntil(lambda: [p.asked for p in pages.values()] == ["Ann"])
    (page,) = pages.values()
    qtbot.waitExposed(page)
    settle_store(qtbot, page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.tabs.setCurrentIndex(1)  # the weekly metrics
    page.add_week_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Enter, KEYPAD)  # "Type a week…"
    qtbot.waitUntil(lambda: isinstance(page.dialog, RecordForm) and page.dialog.isVisible())
    page.dialog.close()
