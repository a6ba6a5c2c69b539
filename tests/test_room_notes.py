"""The room's records in the services: observers' time-stamped notes and the checklist they
pre-fill, the operator's decision from their device, and the trainer's correction of it."""

from __future__ import annotations

import pytest

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.clock import clock_stamp
from hotdash_roleplay.decisions import Decision, DecisionDraft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.decisions import AlreadyDecided
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.room_notes import GENERAL, MAX_NOTES_PER_ROUND, NotesFull
from hotdash_roleplay.services.views import RoundView
from hotdash_roleplay.status import DecisionSource, FilledIn
from tests.conftest import FakeClock

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve"]


def playing(services: Services, clock: FakeClock) -> tuple[LiveSession, RoundView]:
    services.now, services.wall = clock.now, clock.wall
    live = services.live(services.sessions.create_session("module4-practice", PEOPLE).id)
    live.next_phase()  # Brief -> Role-play
    live.toggle()
    rnd = live.round
    assert rnd is not None and len(rnd.observers) == 2
    return live, rnd


def test_notes_are_kept_per_observer_in_clock_order_and_bad_ones_are_refused(
    services: Services, fake_clock: FakeClock
) -> None:
    live, rnd = playing(services, fake_clock)
    ann, ben = rnd.observers
    fake_clock.advance(133.7)
    tone = services.notes.add(rnd.id, ann, "tone", "  interrupted the customer ", 133.7)
    assert (tone.criterion_name, tone.text) == ("Tone", "interrupted the customer")
    assert tone.stamp == "02:13"
    services.notes.add(rnd.id, ann, GENERAL, "asked about the receipt", 20.0)
    services.notes.add(rnd.id, ben, "accuracy", "checked the date", 40.0)
    mine = services.notes.notes(rnd.id, ann)
    assert [(n.stamp, n.criterion_name) for n in mine] == [("00:20", "General"), ("02:13", "Tone")]
    assert len(services.notes.notes(rnd.id)) == 3
    for criterion, text, observer, message in [
        ("charm", "x", ann, "Unknown criterion"),
        ("tone", "   ", ann, "empty"),
        ("tone", "x" * 501, ann, "at most 500"),
        ("tone", "x", rnd.operator or "", "not an observer"),
    ]:
        with pytest.raises(UserError, match=message):
            services.notes.add(rnd.id, observer, criterion, text, 1.0)
    assert len(services.notes.notes(rnd.id)) == 3  # nothing refused was kept
    assert clock_stamp(4502.9) == "1:15:02"
    del live


def test_a_round_keeps_a_bounded_number_of_notes_per_observer(
    services: Services, fake_clock: FakeClock
) -> None:
    _, rnd = playing(services, fake_clock)
    ann = rnd.observers[0]
    for i in range(MAX_NOTES_PER_ROUND):
        services.notes.add(rnd.id, ann, GENERAL, f"note {i}", float(i))
    with pytest.raises(NotesFull):
        services.notes.add(rnd.id, ann, GENERAL, "one more", 999.0)
    services.notes.add(rnd.id, rnd.observers[1], GENERAL, "the other observer may", 1.0)


def test_notes_prefill_empty_checklist_notes_and_never_overwrite_what_was_typed(
    services: Services, fake_clock: FakeClock
) -> None:
    live, rnd = playing(services, fake_clock)
    ann, ben = rnd.observers
    services.notes.add(rnd.id, ann, "tone", "interrupted the customer", 133.2)
    services.notes.add(rnd.id, ann, "tone", "apologised after", 151.0)
    services.notes.add(rnd.id, ann, GENERAL, "stays a note", 160.0)
    services.notes.add(rnd.id, ben, "tone", "calm", 30.0)
    services.notes.add(rnd.id, ben, "accuracy", "checked the order date", 45.0)
    live.set_feedback_open(True)
    typed = ChecklistAnswers(marks={"tone": Mark.MET}, notes={"tone": "Ben typed this"})
    services.feedback.save_draft(rnd.id, ben, typed, source=FilledIn.BROWSER)

    assert sorted(services.notes.prefill(rnd.id)) == [ann, ben]
    ann_sheet = services.feedback.get(rnd.id, ann)
    assert ann_sheet.answers.notes == {
        "tone": "02:13 interrupted the customer\n02:31 apologised after"
    }
    assert ann_sheet.filled_in == FilledIn.BROWSER  # still claimable from the device
    ben_sheet = services.feedback.get(rnd.id, ben)
    assert ben_sheet.answers.notes == {
        "tone": "Ben typed this",
        "accuracy": "00:45 checked the order date",
    }
    assert ben_sheet.answers.marks["tone"] == Mark.MET and not ben_sheet.answers.marks["accuracy"]
    assert services.notes.prefill(rnd.id) == []  # again: nothing left to fill


def test_a_decision_from_the_device_is_recorded_once_with_its_time_and_source(
    services: Services, fake_clock: FakeClock
) -> None:
    _, rnd = playing(services, fake_clock)
    operator = rnd.operator or ""
    incomplete = DecisionDraft(decision=Decision.ESCALATE, escalation={"type": "Policy"})
    with pytest.raises(UserError, match="The escalation note still needs: Situation summary"):
        services.decisions.record_from_device(rnd.id, operator, incomplete, 80.0)
    with pytest.raises(UserError, match="urgency"):
        bad = DecisionDraft(decision=Decision.ESCALATE, escalation={"urgency": "whenever"})
        services.decisions.record_from_device(rnd.id, operator, bad, 80.0)
    with pytest.raises(UserError, match="Choose one of the four decisions"):
        services.decisions.record_from_device(rnd.id, operator, DecisionDraft(), 80.0)
    with pytest.raises(UserError, match="not the operator"):
        draft = DecisionDraft(decision=Decision.APPROVE)
        services.decisions.record_from_device(rnd.id, rnd.observers[0], draft, 80.0)
    assert services.decisions.get(rnd.id) is None

    view = services.decisions.record_from_device(
        rnd.id, operator, DecisionDraft(decision=Decision.REJECT, rejection=REJECTION), 83.4
    )
    assert (view.decision, view.seconds_to_decide, view.source) == (
        Decision.REJECT,
        83.4,
        DecisionSource.DEVICE,
    )
    assert view.rejection_note and view.rejection_note["problem"] == "Wrong policy."
    with pytest.raises(AlreadyDecided) as again:
        services.decisions.record_from_device(
            rnd.id, operator, DecisionDraft(decision=Decision.APPROVE), 90.0
        )
    assert again.value.current.decision == Decision.REJECT
    with pytest.raises(UserError, match="on their own device: correct it"):
        services.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=99.0)
    assert services.decisions.get(rnd.id) == view


REJECTION = {
    "customer_question": "Can I get a repair?",
    "ai_response": "Warranty expired.",
    "problem": "Wrong policy.",
}


def test_a_correction_needs_a_reason_and_keeps_what_it_replaced(
    services: Services, fake_clock: FakeClock
) -> None:
    _, rnd = playing(services, fake_clock)
    with pytest.raises(UserError, match="no recorded decision"):
        services.decisions.correct(rnd.id, Decision.APPROVE, reason="typo")
    services.decisions.record_from_device(
        rnd.id, rnd.operator or "", DecisionDraft(decision=Decision.APPROVE), 64.0
    )
    with pytest.raises(UserError, match="reason"):
        services.decisions.correct(rnd.id, Decision.REJECT, reason="   ")
    with pytest.raises(UserError, match="rejection note"):
        services.decisions.correct(rnd.id, Decision.REJECT, reason="Said reject aloud")
    fixed = services.decisions.correct(
        rnd.id,
        Decision.EDIT_APPROVE,
        final_reply="We will repair them.",
        reason="They said edit & approve aloud and tapped Approve.",
        corrected_by="Tia Trainer",
    )
    assert fixed.decision == Decision.EDIT_APPROVE and fixed.final_reply == "We will repair them."
    assert (fixed.seconds_to_decide, fixed.source) == (64.0, DecisionSource.DEVICE)
    correction = fixed.correction
    assert correction is not None
    assert correction.reason == "They said edit & approve aloud and tapped Approve."
    assert (correction.corrected_by, correction.previous_decision) == (
        "Tia Trainer",
        Decision.APPROVE,
    )
    assert services.decisions.get(rnd.id) == fixed  # kept in the store
