"""The trainer's console driven as a trainer would: keys, clicks, a fake clock moved by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.clock import Status, Tone
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import Urgency
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.console_screen import ConsoleScreen
from ui.console.decision_panel import DecisionPanel, NoteForm

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]


def module4_plan(services: Services) -> str:
    return next(p.id for p in services.sessions.plans if p.id.startswith("module4"))


def start_session(services: Services, fake_clock: FakeClock, people: list[str] = PEOPLE) -> Any:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session(module4_plan(services), people)
    return services.live(detail.id)


def open_console(qtbot: QtBot, services: Services, live: LiveSession) -> ConsoleScreen:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    qtbot.waitExposed(console)
    settle_store(qtbot, console)
    # Shortcuts only reach the active window, as on a real desktop.
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    return console


def press(qtbot: QtBot, console: ConsoleScreen, key: Qt.Key) -> None:
    """A key as the trainer presses it: to whatever has focus inside the console."""
    target = QApplication.focusWidget()
    assert target is not None and console.isAncestorOf(target), "focus left the console"
    qtbot.keyClick(target, key)


def shot(widget: QWidget, screens: Path, name: str) -> None:
    settle()
    assert widget.grab().save(str(screens / f"{name}.png"))


def repaint(console: ConsoleScreen) -> None:
    console._tick()  # what the 200 ms QTimer does; tests move the clock instead of waiting


def fill(form: NoteForm, **values: str) -> None:
    for name, text in values.items():
        widget = form.fields[name]
        if isinstance(widget, QLineEdit):
            widget.clear()
            widget.setFocus()
            QtBot.keyClicks(widget, text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(text))


def record(qtbot: QtBot, panel: DecisionPanel, decision: Decision) -> None:
    qtbot.mouseClick(panel.choices[decision], Qt.MouseButton.LeftButton)
    assert panel.selected() is decision
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)


def decide(qtbot: QtBot, services: Services, console: ConsoleScreen, number: int) -> None:
    """One decision per round, covering all four, with both note templates."""
    panel = console.decision
    rnd = console._live.round
    assert rnd is not None
    if number == 1:
        record(qtbot, panel, Decision.APPROVE)
    elif number == 2:
        # A rejection without its note's required fields is refused, in the window.
        record(qtbot, panel, Decision.REJECT)
        fill(panel.rejection_form, customer_question="", ai_response="")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
        assert panel.message.isVisible()
        assert "still needs" in panel.message.text()
        assert services.decisions.get(rnd.id) is None
        fill(
            panel.rejection_form,
            failure="Misses the fraud signals",
            customer_question="Ship to a new address, today",
            ai_response="Sure, shipping today",
            problem="Ignores the fraud indicators on the account",
            root_cause="The draft only read the request",
            recommendation="Hold and verify identity",
            handling="Escalate to fraud review",
        )
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
    elif number == 3:
        qtbot.mouseClick(panel.choices[Decision.EDIT_APPROVE], Qt.MouseButton.LeftButton)
        panel.reply_edit.setPlainText("We can offer a partial refund as a goodwill gesture.")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
    else:
        qtbot.mouseClick(panel.choices[Decision.ESCALATE], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
        assert "Escalation type" in panel.message.text()
        fill(
            panel.escalation_form,
            type="Policy exception",
            urgency=Urgency.HIGH.value,
            reason_for_urgency="Customer leaves on a trip tomorrow",
            situation_summary="Two requests that contradict each other",
            customer_request="Cancel and also expedite the same order",
            recommendation="Confirm which request stands before acting",
            rationale="Acting on either risks the wrong outcome",
        )
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
    stored = services.decisions.get(rnd.id)
    assert stored is not None, panel.message.text()
    assert panel.message.text().startswith("Recorded:")
    assert stored.seconds_to_decide is not None and stored.seconds_to_decide > 0
    if number == 4:
        assert stored.escalation_note["urgency"] == "high"
        assert stored.escalation_note["type"] == "Policy exception"
    if number == 2:
        assert stored.rejection_note["problem"].startswith("Ignores")
    assert panel.expert_label.isVisible()
    assert panel.expert_label.text().startswith("Trainer only")


def test_full_session_with_keys_and_clicks(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    timer = console.timer
    for number in range(1, 5):
        rnd = live.round
        assert rnd is not None
        assert console.heading.text().startswith(f"Round {number} of 4")
        assert console.roles.labels["Operator"].text() == rnd.operator
        assert timer.state_label.text() == "Ready"

        # Brief: Space starts it; near the end it warns, in colour and in words.
        press(qtbot, console, Qt.Key.Key_Space)
        assert live.view().status is Status.RUNNING
        fake_clock.advance(95)
        repaint(console)
        assert timer.text_label.text() == "00:25"
        assert timer.property("tone") == Tone.WARNING.value
        assert "Warning" in timer.state_label.text()
        if number == 1:
            shot(console, screens, "console-1-brief")

        # Role-play: N; + and − change the phase length; it runs into overtime.
        press(qtbot, console, Qt.Key.Key_N)
        assert live.view().phase_key == "roleplay"
        press(qtbot, console, Qt.Key.Key_Plus)
        assert live.view().planned_seconds == 9 * 60
        assert console.timeline.planned_labels[1].text() == "9:00 (8:00 +1:00)"
        press(qtbot, console, Qt.Key.Key_Minus)
        assert live.view().planned_seconds == 8 * 60
        fake_clock.advance(8 * 60 + 12)
        repaint(console)
        assert timer.text_label.text() == "+00:12"
        assert timer.state_label.text().endswith("Overtime +0:12")
        assert timer.property("tone") == Tone.OVERTIME.value
        if number == 1:
            shot(console, screens, "console-2-roleplay")

        # Decision: the Skip button; the Decision tab comes forward; record the decision.
        qtbot.mouseClick(console.skip_button, Qt.MouseButton.LeftButton)
        assert live.view().phase_key == "decision"
        assert console.current_tab() == "decision"
        fake_clock.advance(40)
        repaint(console)
        decide(qtbot, services, console, number)
        if number == 1:
            shot(console, screens, "console-3-decision")
        if number == 4:
            shot(console.decision, screens, "decision-panel-escalation")

        # Observer feedback, then the debrief; Space pauses and resumes on the way.
        press(qtbot, console, Qt.Key.Key_N)
        assert live.view().phase_key == "feedback"
        assert console.current_tab() == "checklists"
        assert live.round.feedback_open
        fake_clock.advance(120)
        press(qtbot, console, Qt.Key.Key_Space)
        repaint(console)
        assert timer.state_label.text() == "Paused"
        fake_clock.advance(300)  # paused: no time passes for the phase
        press(qtbot, console, Qt.Key.Key_Space)
        if number == 1:
            shot(console, screens, "console-4-feedback")
        press(qtbot, console, Qt.Key.Key_N)
        assert live.view().phase_key == "debrief"
        assert console.current_tab() == "debrief"
        fake_clock.advance(200)
        repaint(console)
        if number == 1:
            shot(console, screens, "console-5-debrief")

        # Planned vs actual, as the timeline shows it.
        actual = [label.text() for label in console.timeline.actual_labels]
        assert actual[0] == "1:35"
        assert actual[1] == "8:12 (over by 0:12)"
        assert actual[3] == "2:00"
        summary = live.summary()
        assert [round(p.actual_seconds) for p in summary] == [95, 492, 40, 120, 200]

        # N on the last phase finishes the round; Next round moves on.
        press(qtbot, console, Qt.Key.Key_N)
        assert live.view().status is Status.FINISHED
        # A finished round's clock cannot start, change or skip: Back and Next round remain.
        for button in (console.toggle_button, console.skip_button, console.plus_button):
            assert not button.isEnabled()
        assert console.back_button.isEnabled() and console.next_round_button.isEnabled()
        qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, console)
    assert live.finished
    assert "complete" in console.heading.text()
    assert console.timer.phase_label.text() == "Session complete"
    shot(console, screens, "console-6-session-complete")
    assert not console.toggle_button.isEnabled()
    decisions = [services.decisions.get(r.id).decision for r in live.detail.rounds]
    assert decisions == ["approve", "reject", "edit_approve", "escalate"]
    # Round 4 (Conflicting Request) has an expert decision to compare with.
    assert services.decisions.get(live.detail.rounds[3].id).matched_expert is not None
    # Everyone played every role once (Latin square for four people).
    operators = {r.operator for r in live.detail.rounds}
    assert operators == set(PEOPLE)


def test_next_round_mid_phase_needs_a_second_click(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert live.round.number == 1
    assert "Press Next round again" in console.message.text()
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert live.round.number == 2
    assert console.heading.text().startswith("Round 2 of 4")


def test_refusals_are_shown_in_the_window(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    qtbot.mouseClick(console.back_button, Qt.MouseButton.LeftButton)
    assert console.message.isVisible()
    assert console.message.text() == "This is the first phase: there is no phase to go back to."
    assert console.message.property("role") == "error"
    press(qtbot, console, Qt.Key.Key_Space)
    assert not console.message.isVisible()
    # Decision panel: recording without a choice says what to do.
    qtbot.mouseClick(console.decision.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert console.decision.message.text() == "Choose one of the four decisions first."


def test_restart_resumes_phase_and_time(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)
    fake_clock.advance(30)
    press(qtbot, console, Qt.Key.Key_N)
    fake_clock.advance(75)
    repaint(console)
    assert console.timer.text_label.text() == "06:45"
    console.close()

    # The app is gone for 20 seconds; a new console on the same store picks up the running clock.
    fake_clock.advance(20)
    again = open_console(qtbot, services, services.live(live.session_id))
    assert again._live.view().phase_key == "roleplay"
    assert again.timer.text_label.text() == "06:25"
    assert again.timer.phase_label.text() == "Phase 2 of 5: Role-play"
    assert again.toggle_button.text() == "Pause (Space)"
    assert again.timeline.actual_labels[0].text() == "0:30"


def test_recorded_decision_comes_back_after_restart(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    press(qtbot, console, Qt.Key.Key_Space)
    press(qtbot, console, Qt.Key.Key_N)
    fake_clock.advance(61)
    qtbot.mouseClick(console.decision.choices[Decision.ESCALATE], Qt.MouseButton.LeftButton)
    fill(
        console.decision.escalation_form,
        type="Fraud",
        urgency=Urgency.URGENT.value,
        situation_summary="s",
        customer_request="r",
        recommendation="hold",
    )
    qtbot.mouseClick(console.decision.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    console.close()
    again = open_console(qtbot, services, services.live(live.session_id))
    panel = again.decision
    assert panel.selected() is Decision.ESCALATE
    assert panel.escalation_form.data()["urgency"] == "urgent"
    assert panel.time_label.text() == "Time to decision: 1:01 (recorded)"


def test_someone_leaves_and_arrives(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    people = console.people
    console.tabs.setCurrentIndex(console._tab_index["people"])
    people.name_box.setEditText("Dev")
    qtbot.mouseClick(people.leave_button, Qt.MouseButton.LeftButton)
    # Re-planned on the store worker; the console follows once the session is read back.
    qtbot.waitUntil(lambda: live.detail.participants == ("Ann", "Ben", "Cat"))
    assert "Dev left" in people.message.text()
    # With three people the trainer facilitates.
    assert console.roles.labels["Facilitator"].text() == "Trainer"
    assert people.table.rowCount() == len(live.detail.rounds)
    people.name_box.setEditText("Eve")
    qtbot.mouseClick(people.arrive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Eve" in live.detail.participants)
    assert "Eve joined" in people.message.text()
    people.name_box.setEditText("Zed")
    qtbot.mouseClick(people.leave_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people.message.property("role") == "error")
    assert "Zed" in people.message.text()


def test_drill_shows_stages_and_benchmark(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    drill = next(p.id for p in services.sessions.plans if p.drill)
    live = services.live(services.sessions.create_session(drill, PEOPLE).id)
    console = open_console(qtbot, services, live)
    assert console.drill_label.isVisible()
    press(qtbot, console, Qt.Key.Key_Space)
    press(qtbot, console, Qt.Key.Key_N)
    fake_clock.advance(15)
    repaint(console)
    assert console.drill_label.text().startswith("Drill stage 2 of 4: Deep review")
    fake_clock.advance(57)
    record(qtbot, console.decision, Decision.APPROVE)
    assert console.decision.benchmark_label.text() == (
        "Decided in 1:12 — 18 s under the 90-second benchmark"
    )


def test_scenario_card_marks_the_expert_as_hidden(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session(
        module4_plan(services), PEOPLE, scenario_ids=["conflicting-request"]
    )
    console = open_console(qtbot, services, services.live(detail.id))
    card = console.card
    scenario = services.library.get("conflicting-request")
    assert card.expert_frame is not None
    texts = " ".join(label.text() for label in card.findChildren(type(console.heading)))
    assert "Hidden from the room" in texts
    assert scenario.expert.rationale in card.expert_label.text()
    assert "AI confidence: 72%" in texts
