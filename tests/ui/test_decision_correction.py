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
from tests.ui.qasync_support import PEOPLE, http, run, until
from tests.ui.test_console import fill, open_console, shot, start_session
from tests.ui.test_observer_wiring import serve_on_loopback
from ui.console.console_screen import ConsoleScreen

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
    assert panel.message.text() == (
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
    assert panel.message.text().startswith(f"Recorded by {rnd.operator} on their own device")
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
    assert box.isVisible() and "on their own device" in console.decision.message.text()
    assert console.decision.selected() is Decision.APPROVE


def test_the_operators_click_on_their_phone_reaches_the_open_console_and_the_correction_their_card(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    """Over HTTP, as in the room: the operator claims their name on their phone and submits
    their decision; the console's Decision tab shows it; the trainer's correction reaches the
    operator's card."""
    serve_on_loopback()
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None and rnd.operator

    async def scenario() -> None:
        console = ConsoleScreen(services, live)  # on the loop: its room server starts at once
        qtbot.addWidget(console)
        console.resize(1280, 860)
        console.show()
        panel, box, host = console.decision, console.decision.correction, console.observers
        if not host.serving:
            await until(host.serving_changed, lambda: host.serving)
        url = host.url
        async with http() as phone:
            claim = {"code": detail.join_code, "name": rnd.operator}
            async with phone.post(url + "api/claim", json=claim) as response:
                assert response.status == 200
            live.next_phase()  # Role-play
            live.toggle()
            fake_clock.advance(83.4)
            shown = until(box.arrived)
            async with phone.post(url + "api/decision", json={"decision": "approve"}) as response:
                assert response.status == 200
            await shown
            assert box.isVisible() and panel.selected() is Decision.APPROVE
            assert panel.message.text().startswith(
                f"Recorded by {rnd.operator} on their own device at "
            )
            assert panel.message.text().endswith(" — time to decide 1:23")

            qtbot.mouseClick(panel.choices[Decision.REJECT], Qt.MouseButton.LeftButton)
            fill(panel.rejection_form, problem="Approves a refund the policy does not allow")
            box.reason_edit.setText(REASON)
            corrected = until(box.corrected)
            qtbot.mouseClick(box.correct_button, Qt.MouseButton.LeftButton)
            await corrected
            async with phone.get(url + "api/card") as response:
                card = await response.json()
            mine = card["card"]["decision"]
            assert mine["decision"] == "reject" and mine["source"] == "device"
            assert mine["correction"]["reason"] == REASON
        await host.aclose()

    run(scenario)
