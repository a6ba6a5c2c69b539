"""Controls stay where the pointer found them: notices never push a button, the clock buttons
follow what the clock can do, the wheel never changes a field it merely passes over."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.clock import Status
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from tests.ui.test_console import fill, open_console, press, shot, start_session
from tests.ui.test_shell import PLAN, setup_screen, type_names
from ui.console.console_screen import ConsoleScreen
from ui.main_window import MainWindow


def place(widget: QWidget, window: QWidget) -> QRect:
    """Where a widget is in its window, after any pending layout."""
    settle()
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def click_at(qtbot: QtBot, window: QWidget, point: QPoint) -> QWidget:
    """A click where the pointer is: on whatever widget is now under that point."""
    settle()
    target = window.childAt(point)
    assert target is not None
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, point))
    return target


def controls(console: ConsoleScreen) -> list[QPushButton]:
    return [
        console.toggle_button,
        console.minus_button,
        console.plus_button,
        console.back_button,
        console.skip_button,
        console.next_round_button,
        console.projector_button,
        console.exit_button,
    ]


def wheel(widget: QWidget, steps: int = -1) -> bool:
    """One notch of the mouse wheel over the middle of a widget (negative: towards the user);
    True when the widget took it, False when it is left for the page (Qt passes an ignored
    wheel event on to the parent: the scroll area)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


# -- the console ------------------------------------------------------------------------------


def test_next_round_twice_at_the_same_place_closes_the_round(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)  # running: Next round asks for a second click
    before = [place(b, console) for b in controls(console)]
    point = place(console.next_round_button, console).center()

    assert click_at(qtbot, console, point) is console.next_round_button
    assert console.message.isVisible()
    assert "Press Next round again" in console.message.text()
    shot(console, screens, "controls-next-round-notice")
    assert [place(b, console) for b in controls(console)] == before  # nothing moved

    assert click_at(qtbot, console, point) is console.next_round_button
    assert live.round.number == 2
    assert [place(b, console) for b in controls(console)] == before


def test_rewording_and_refusals_move_no_button(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    before = [place(b, console) for b in controls(console)]
    press(qtbot, console, Qt.Key.Key_Space)  # Start → Pause
    assert console.toggle_button.text() == "Pause (Space)"
    qtbot.mouseClick(console.back_button, Qt.MouseButton.LeftButton)  # refused: a notice
    assert console.message.text() == "This is the first phase: there is no phase to go back to."
    for _ in range(4):
        press(qtbot, console, Qt.Key.Key_N)  # to the last phase: Skip becomes Finish round
    assert console.skip_button.text() == "Finish round (N)"
    assert [place(b, console) for b in controls(console)] == before
    # A refusal too long for the notice's lines is cut, in full in its tooltip, and still
    # moves nothing.
    console.show_message("A very long refusal. " * 60, "error")
    assert console.message.text().endswith("…")
    assert console.message.toolTip() == console.message.full_text()
    assert [place(b, console) for b in controls(console)] == before


def test_skip_works_before_the_clock_starts(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    assert live.view().status is Status.READY
    press(qtbot, console, Qt.Key.Key_N)
    assert live.view().phase_key == "roleplay"
    assert not console.message.isVisible()
    qtbot.mouseClick(console.skip_button, Qt.MouseButton.LeftButton)
    assert live.view().phase_key == "decision"
    assert live.view().status is Status.READY  # skipped, not started
    assert console.timer.state_label.text() == "Ready"
    qtbot.mouseClick(console.back_button, Qt.MouseButton.LeftButton)
    assert live.view().phase_key == "roleplay"
    press(qtbot, console, Qt.Key.Key_Space)
    assert live.view().status is Status.RUNNING and live.view().phase_key == "roleplay"


def test_start_is_disabled_on_a_finished_round(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)
    for _ in range(5):
        press(qtbot, console, Qt.Key.Key_N)  # N on the last phase finishes the round
    assert live.view().status is Status.FINISHED
    for button in (console.toggle_button, console.minus_button, console.plus_button):
        assert not button.isEnabled()
    assert not console.skip_button.isEnabled()
    qtbot.mouseClick(console.toggle_button, Qt.MouseButton.LeftButton)
    assert not console.message.isVisible()  # a disabled button refuses nothing
    # The keys still work: focus went to what comes next, not out of the console.
    assert QApplication.focusWidget() is console.next_round_button
    qtbot.mouseClick(console.back_button, Qt.MouseButton.LeftButton)  # reopens the round
    assert live.view().status is Status.PAUSED
    assert console.toggle_button.isEnabled() and console.toggle_button.text() == "Resume (Space)"


def test_a_new_round_opens_on_the_decision_tab(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)
    for _ in range(4):
        press(qtbot, console, Qt.Key.Key_N)
    assert console.current_tab() == "debrief"
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert live.round.number == 2
    assert console.current_tab() == "decision"


def test_projector_button_offers_show_or_hide_in_one_place(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    texts = [b.text() for b in console.findChildren(QPushButton) if b.isVisible()]
    assert "Show projector (F11)" in texts
    assert "Hide projector" not in texts  # nothing to hide yet
    point = place(console.projector_button, console).center()
    before = place(console.projector_button, console)

    assert click_at(qtbot, console, point) is console.projector_button
    projector = console.projector
    assert projector is not None and projector.isVisible()
    assert console.projector_button.text() == "Hide projector"
    assert place(console.projector_button, console) == before

    assert click_at(qtbot, console, point) is console.projector_button
    assert not projector.isVisible()
    assert console.projector_button.text() == "Show projector (F11)"

    console.toggle_projector()  # F11 shows it; closing its own window is seen too
    assert console.projector_button.text() == "Hide projector"
    projector.close()
    assert console.projector_button.text() == "Show projector (F11)"


def test_decision_still_needs_follows_the_form_and_record_stays_put(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel = console.decision
    qtbot.mouseClick(panel.choices[Decision.ESCALATE], Qt.MouseButton.LeftButton)
    record = place(panel.record_button, console)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert panel.message.text() == (
        "The escalation note still needs: Escalation type, Situation summary, "
        "Customer request, Recommendation."
    )
    assert place(panel.record_button, console) == record
    # Visible without scrolling, just above the button it is about.
    message = place(panel.message, console)
    assert console.rect().contains(message) and message.bottom() < record.top()

    fill(panel.escalation_form, type="Policy exception")
    assert panel.message.text() == (
        "The escalation note still needs: Situation summary, Customer request, Recommendation."
    )
    fill(
        panel.escalation_form,
        situation_summary="Two requests that contradict each other",
        customer_request="Cancel and also expedite",
    )
    assert panel.message.text() == "The escalation note still needs: Recommendation."
    shot(console, screens, "controls-decision-still-needs")
    fill(panel.escalation_form, recommendation="Confirm which request stands")
    assert not panel.message.isVisible()  # nothing is missing any more
    assert services.decisions.get(live.round.id) is None  # and nothing recorded unasked
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert panel.message.text().startswith("Recorded:")
    assert panel.expert_label.isVisible()
    assert place(panel.record_button, console) == record


def test_choosing_a_decision_clears_the_choose_first_refusal(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel = console.decision
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert panel.message.text() == "Choose one of the four decisions first."
    qtbot.mouseClick(panel.choices[Decision.APPROVE], Qt.MouseButton.LeftButton)
    assert not panel.message.isVisible()
    assert live.round is not None


# -- the set-up screen ------------------------------------------------------------------------


def test_roster_message_sits_by_the_list_and_goes_at_the_third_person(
    qtbot: QtBot, main_window: MainWindow, services: Services, screens: Path
) -> None:
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    roster = setup.roster
    create = place(setup.create_button, setup)
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    assert roster.message.isVisible()
    assert roster.message.text() == "Add at least 3 participants (0 so far)."
    assert not setup.message.isVisible()
    # Next to the list, in the part of the page on screen.
    viewport = setup.scroll_area.viewport()
    assert viewport.rect().contains(place(roster.message, viewport))
    assert place(setup.create_button, setup) == create
    below = place(roster.list, setup)

    type_names(qtbot, setup, "Ann")
    assert roster.message.text() == "Add at least 3 participants (1 so far)."
    type_names(qtbot, setup, "Ben")
    assert roster.message.text() == "Add at least 3 participants (2 so far)."
    shot(setup, screens, "controls-setup-roster-message")
    type_names(qtbot, setup, "Cat")
    assert not roster.message.isVisible()
    assert place(roster.list, setup) == below  # the message's place stays
    assert services.sessions.list_sessions() == []


def test_swap_offers_only_two_different_people(qtbot: QtBot, main_window: MainWindow) -> None:
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    type_names(qtbot, setup, "Ann, Ben, Cat, Dev")
    assert setup.swap_button.isEnabled()
    setup.swap_b.setCurrentIndex(setup.swap_a.currentIndex())
    assert not setup.swap_button.isEnabled()
    assert setup.swap_button.toolTip() == "Pick two different people to swap."


def test_wheel_over_the_setup_page_changes_no_field(qtbot: QtBot, main_window: MainWindow) -> None:
    from ui.app import make_app
    from ui.widgets.wheel_guard import install_wheel_guard

    install_wheel_guard(make_app())  # the application as it runs once its first screen shows
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    type_names(qtbot, setup, "Ann, Ben, Cat, Dev")
    fields = setup.findChildren(QDoubleSpinBox) + setup.findChildren(QComboBox)
    assert len(fields) >= 10

    def strong_focus() -> None:  # set as each field is polished: a wheel turn takes no focus
        for field in fields:
            assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus

    qtbot.waitUntil(strong_focus)
    spin = setup.phases.boxes["roleplay"]
    partner, plan = setup.swap_b, setup.plan_panel.combo
    values = (spin.value(), partner.currentIndex(), plan.currentIndex())
    for field in (spin, partner, plan):
        assert not wheel(field)  # left for the page to scroll
    assert (spin.value(), partner.currentIndex(), plan.currentIndex()) == values
    # Clicked into, a field takes the wheel as usual.
    spin.setFocus()
    assert wheel(spin, steps=1)
    assert spin.value() == values[0] + spin.singleStep()
