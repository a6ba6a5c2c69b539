"""The operator's own decision in the console: recorded from their device, it shows in the
Decision tab at once with where and when and their time to decide; the trainer corrects it only
with a reason, which is kept with the decision it replaced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.decisions import Decision, DecisionDraft
from hotdash_roleplay.room_records import time_of_day
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.status import DecisionSource
from tests.conftest import FakeClock
from tests.ui.test_console import fill, open_console, shot, start_session

REASON = "Dev said Approve aloud but clicked it by mistake; the room heard Reject."


def decide_on_device(services: Services, live: LiveSession, decision: Decision) -> None:
    """What the room server does when the operator's decision arrives from their device: record
    it with the round's live clock as their time to decide, then tell the live session."""
    rnd = live.round
    assert rnd is not None and rnd.operator
    services.decisions.record_from_device(
        rnd.id, rnd.operator, DecisionDraft(decision=decision), live.decision_seconds()
    )
    live.reload(Change.DECISION)


def test_a_decision_from_the_device_shows_at_once_and_is_corrected_only_with_a_reason(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel, box = console.decision, console.decision.correction
    live.next_phase()  # Role-play
    live.toggle()
    fake_clock.advance(72)
    assert not box.isVisible() and panel.record_button.isVisible()
    rnd = live.round
    assert rnd is not None and rnd.operator

    decide_on_device(services, live, Decision.APPROVE)
    qtbot.waitUntil(box.isVisible)
    stored = services.decisions.get(rnd.id)
    assert stored is not None
    assert box.origin_label.text() == (
        f"Recorded by {rnd.operator} on their own device at {time_of_day(stored.recorded_at)}"
        " — time to decide 1:12"
    )
    assert panel.selected() is Decision.APPROVE  # the form shows the operator's decision
    assert panel.time_label.text() == "Time to decision: 1:12 (recorded)"
    assert not panel.record_button.isVisible()  # corrected with a reason, never replaced
    assert not box.correction_label.isVisible()
    shot(panel, screens, "decision-from-device")

    # The trainer changes it to Reject and presses Correct with no reason: refused, kept as was.
    qtbot.mouseClick(panel.choices[Decision.REJECT], Qt.MouseButton.LeftButton)
    fill(panel.rejection_form, problem="The warranty does not cover accidental damage")
    qtbot.mouseClick(box.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.message.isVisible)
    assert box.message.text() == "Give the reason for the correction: it is kept in the record."
    qtbot.waitUntil(box.correct_button.isEnabled)
    kept = services.decisions.get(rnd.id)
    assert kept is not None and kept.decision is Decision.APPROVE and not kept.corrections
    assert panel.selected() is Decision.REJECT  # what the trainer chose stays in the form

    qtbot.keyClicks(box.reason_edit, REASON)
    qtbot.mouseClick(box.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.correction_label.isVisible)
    assert box.correction_label.text() == f"Corrected by the trainer: {REASON}"
    assert box.previous_label.text().startswith("Before: Approve · corrected at")
    assert box.reason_edit.text() == ""
    corrected = services.decisions.get(rnd.id)
    assert corrected is not None and corrected.decision is Decision.REJECT
    assert corrected.source is DecisionSource.DEVICE and corrected.seconds_to_decide == 72
    assert corrected.correction is not None and corrected.correction.reason == REASON
    assert corrected.correction.previous_decision is Decision.APPROVE
    assert panel.message.text() == "Recorded: Reject after 1:12."
    shot(panel, screens, "decision-corrected")


def test_a_device_decision_reaches_a_console_opened_after_it(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start_session(services, fake_clock)
    live.next_phase()
    live.toggle()
    fake_clock.advance(5)
    decide_on_device(services, live, Decision.APPROVE)
    console = open_console(qtbot, services, live)
    box = console.decision.correction
    assert box.isVisible() and "on their own device" in box.origin_label.text()
    assert console.decision.selected() is Decision.APPROVE
