"""Leaving the console on purpose while a phase runs asks whether to pause it (Pause / Keep
running / Cancel); paused time counts nowhere, across a restart too. The projector reopens as
the trainer left it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hotdash_roleplay.clock import Status
from hotdash_roleplay.services import Services
from tests.conftest import FakeClock
from tests.ui.window_console import console_opened, resumed
from ui.console.console_screen import ConsoleScreen
from ui.main_window import MainWindow

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]


def console_of(window: MainWindow) -> ConsoleScreen:
    assert window.console is not None
    return window.console


def role_play_running(
    qtbot: QtBot, services: Services, window: MainWindow, clock: FakeClock
) -> int:
    """A session on fake clocks, its Role-play started from the console with clicks."""
    services.now, services.wall = clock.now, clock.wall
    sid = int(services.sessions.create_session("module4-practice", PEOPLE).id)
    console = console_opened(qtbot, window, sid)
    qtbot.mouseClick(console.toggle_button, Qt.MouseButton.LeftButton)  # Start
    qtbot.mouseClick(console.skip_button, Qt.MouseButton.LeftButton)  # to the Role-play
    assert services.live(sid).view().phase_key == "roleplay"
    return sid


def answer(window: MainWindow, qtbot: QtBot, text: str) -> None:
    question = window.leave_question
    assert question is not None and question.isVisible()
    button = next(b for b in question.buttons() if b.text().replace("&", "") == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_back_to_the_sessions_asks_and_paused_time_counts_nowhere(
    qtbot: QtBot, services: Services, main_window: MainWindow, fake_clock: FakeClock
) -> None:
    sid = role_play_running(qtbot, services, main_window, fake_clock)
    fake_clock.advance(30)

    qtbot.mouseClick(console_of(main_window).exit_button, Qt.MouseButton.LeftButton)
    question = main_window.leave_question
    assert question is not None
    assert "Role-play is running" in question.text()
    assert "go back to the sessions" in question.text()
    answer(main_window, qtbot, "Cancel")  # the trainer stays
    assert main_window.stack.currentWidget() is main_window.console
    assert services.live(sid).view().status is Status.RUNNING

    fake_clock.advance(30)
    qtbot.mouseClick(console_of(main_window).exit_button, Qt.MouseButton.LeftButton)
    answer(main_window, qtbot, "Keep running")  # the room goes on without the laptop
    assert main_window.stack.currentWidget() is main_window.start
    assert main_window.console is None
    fake_clock.advance(30)
    assert services.live(sid).view().status is Status.RUNNING
    assert services.live(sid).view().elapsed_seconds == 90

    console_opened(qtbot, main_window, sid)
    qtbot.mouseClick(console_of(main_window).exit_button, Qt.MouseButton.LeftButton)
    answer(main_window, qtbot, "Pause")
    assert main_window.stack.currentWidget() is main_window.start
    fake_clock.advance(600)  # a long break, the app closed and started again

    live = services.live(sid)
    assert live.view().status is Status.PAUSED
    assert live.view().elapsed_seconds == 90
    assert live.decision_seconds() == 90  # the operator's time to decide leaves the pause out
    report = services.reports.session_report(sid)
    roleplay = next(p for p in report.rounds[0].phases if p.title == "Role-play")
    assert roleplay.actual_seconds == 90


@pytest.mark.parametrize(
    ("choice", "closes", "status"),
    [
        ("Pause", True, Status.PAUSED),
        ("Keep running", True, Status.RUNNING),
        ("Cancel", False, Status.RUNNING),
    ],
)
def test_quit_while_a_phase_runs_asks_first(
    qtbot: QtBot,
    services: Services,
    main_window: MainWindow,
    fake_clock: FakeClock,
    choice: str,
    closes: bool,
    status: Status,
) -> None:
    sid = role_play_running(qtbot, services, main_window, fake_clock)
    console_of(main_window).toggle_projector()
    closed: list[bool] = []
    main_window.closed.connect(lambda: closed.append(True))

    main_window.quit_action.trigger()  # Session → Quit (Ctrl+Q)
    question = main_window.leave_question
    assert question is not None and "quit the app" in question.text()
    assert main_window.isVisible()  # nothing closes before the answer
    answer(main_window, qtbot, choice)

    assert bool(closed) is closes
    assert main_window.isVisible() is not closes
    assert (main_window.console is None) is closes  # with its projector and observer server
    fake_clock.advance(120)
    assert services.live(sid).view().status is status


def test_quit_with_the_clock_paused_asks_nothing(
    qtbot: QtBot, services: Services, main_window: MainWindow, fake_clock: FakeClock
) -> None:
    role_play_running(qtbot, services, main_window, fake_clock)
    qtbot.mouseClick(console_of(main_window).toggle_button, Qt.MouseButton.LeftButton)  # Pause
    with qtbot.waitSignal(main_window.closed, timeout=1000):
        main_window.quit_action.trigger()
    assert main_window.leave_question is None and not main_window.isVisible()


def test_the_projector_reopens_as_the_trainer_left_it(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = int(services.sessions.create_session("module4-practice", PEOPLE).id)
    services.live(sid).toggle()  # under way, so a restart reopens it
    console = console_opened(qtbot, main_window, sid)
    qtbot.mouseClick(console.projector_button, Qt.MouseButton.LeftButton)  # F11: full-screen
    projector = console.projector
    assert projector is not None and projector.isFullScreen()
    services.worker.flush()  # the placement is stored on the worker
    stored = services.room.projector(sid)
    assert stored is not None and stored.full_screen
    assert stored.screen == console.chosen_screen().name()
    projector.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is projector)
    qtbot.keyClick(projector, Qt.Key.Key_Escape)  # windowed, on the projector's own keys
    services.worker.flush()
    assert services.room.projector(sid) == stored.model_copy(update={"full_screen": False})

    main_window.close()  # quit: the projector closes with the app, the choice is kept
    assert projector.isHidden() and services.room.projector(sid) is not None
    again = MainWindow(services)
    qtbot.addWidget(again)
    assert resumed(qtbot, again) is not None
    qtbot.waitUntil(lambda: console_of(again).projector is not None)  # read on the worker
    reopened = console_of(again).projector
    assert reopened is not None and reopened.isVisible() and not reopened.isFullScreen()

    # The one projector button reads "Hide projector" while it is shown.
    qtbot.mouseClick(console_of(again).projector_button, Qt.MouseButton.LeftButton)
    services.worker.flush()
    assert services.room.projector(sid) is None  # closed by the trainer: stays closed
    again.close()
    third = MainWindow(services)
    qtbot.addWidget(third)
    assert resumed(qtbot, third) is not None
    services.worker.flush()  # where it was left is read: nowhere
    QApplication.processEvents()
    assert console_of(third).projector is None


def test_ctrl_q_in_the_full_screen_projector_asks_over_it_and_quits(
    qtbot: QtBot, services: Services, main_window: MainWindow, fake_clock: FakeClock
) -> None:
    role_play_running(qtbot, services, main_window, fake_clock)
    console = console_of(main_window)
    qtbot.mouseClick(console.projector_button, Qt.MouseButton.LeftButton)  # F11: full-screen
    projector = console.projector
    assert projector is not None and projector.isFullScreen()
    projector.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is projector)
    closed: list[bool] = []
    main_window.closed.connect(lambda: closed.append(True))

    qtbot.keyClick(projector, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    question = main_window.leave_question
    assert question is not None and question.isVisible()
    assert question.parentWidget() is projector  # over the projector, not hidden behind it
    answer(main_window, qtbot, "Pause")
    assert closed and main_window.console is None and not projector.isVisible()
