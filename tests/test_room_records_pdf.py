"""The room's first-hand evidence in the PDFs: the operator's own decision and time (from their
device), the trainer's correction with its reason and the decision it replaced, and the round's
time-stamped observer notes as a timeline, in the debrief report and the peer-review record.
Pages are rendered to the artifacts folder's pdf/ to look at."""

from __future__ import annotations

import re
from pathlib import Path

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision, DecisionDraft
from hotdash_roleplay.exports.report_data import RoundReport
from hotdash_roleplay.notes import RejectionNote
from hotdash_roleplay.room_records import time_of_day
from hotdash_roleplay.rotation import RoundRoles
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.room_notes import GENERAL
from hotdash_roleplay.services.views import RoundView
from tests.conftest import FakeClock
from tests.test_exports_pdf import pdf_pages, render

LONG = "Maximiliana Bartholomea von Hohenzollern-Sigmaringen-Wittelsbach"
SARAH = "שרה כהן"  # drawn right to left: the tests read the words around it
HEBREW = re.compile("[\u0590-\u05ff]")
PEOPLE = [SARAH, "محمد عبد الله", LONG, "Dev Patel", "Ann Lee"]
ROLES = RoundRoles(
    operator=LONG, ai_system="Dev Patel", facilitator="محمد عبد الله", observers=("Ann Lee", SARAH)
)
REASON = "Dev clicked Approve by mistake and said so at once; the room heard Reject."


def room_round(
    services: Services, clock: FakeClock, *, anonymous: bool = False
) -> tuple[int, RoundView]:
    """One round played with the room on its devices: notes from both observers during the
    role-play, the operator's decision from their device at 1:12, the trainer's correction,
    and one observer's checklist submitted."""
    services.now, services.wall = clock.now, clock.wall
    detail = services.sessions.create_session(
        "module4-practice",
        PEOPLE,
        title="Room records",
        scenario_ids=["warranty-loophole"],
        anonymous_feedback=anonymous,
        rotation=[ROLES],
    )
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None and rnd.operator and len(rnd.observers) == 2
    first, second = rnd.observers
    live.toggle()
    clock.advance(60)
    live.next_phase()  # Role-play
    clock.advance(20)
    services.notes.add(
        rnd.id, first, GENERAL, "asked for the receipt first", live.decision_seconds()
    )
    clock.advance(52)
    services.decisions.record_from_device(
        rnd.id, rnd.operator, DecisionDraft(decision=Decision.APPROVE), live.decision_seconds()
    )
    clock.advance(61)
    services.notes.add(rnd.id, first, "tone", "interrupted the customer", live.decision_seconds())
    services.notes.add(rnd.id, second, "accuracy", "quoted the wrong policy", 95.0)
    services.decisions.correct(
        rnd.id,
        Decision.REJECT,
        reason=REASON,
        corrected_by="Trainer Tess",
        rejection_note=RejectionNote(
            customer_question="Can I return it?",
            ai_response="Yes, any time.",
            problem="The warranty does not cover it.",
        ),
    )
    live.next_phase()  # Decision
    live.next_phase()  # Feedback
    services.feedback.submit(
        rnd.id,
        second,
        ChecklistAnswers(
            marks={c.key: Mark.MET for c in services.checklist.criteria},
            went_well=["calm", "clear"],
            could_improve=["check the policy"],
        ),
    )
    live.next_round()
    return detail.id, rnd


def test_debrief_report_shows_the_device_decision_the_correction_and_the_notes_timeline(
    services: Services, fake_clock: FakeClock, tmp_path: Path, artifacts: Path
) -> None:
    session_id, rnd = room_round(services, fake_clock)
    assert rnd.operator
    first = rnd.observers[0]
    report = services.reports.session_report(session_id)
    played: RoundReport = report.rounds[0]
    assert played.decision is not None
    at = time_of_day(played.decision.recorded_at)
    path = services.reports.export_debrief(session_id, tmp_path / "room.pdf")
    render(path, artifacts, "room-records-debrief")
    text = " ".join(pdf_pages(path))
    assert f"Recorded by {rnd.operator} on their own device at {at} — time to decide 1:12" in text
    assert f"Corrected by the trainer: {REASON}" in text
    assert "Before: Approve · corrected at" in text and "by Trainer Tess" in text
    assert "Notes during the role-play" in text
    for line in (
        f"00:20 · General · {first}: asked for the receipt first",
        f"01:12 · Decision · {rnd.operator}: Approve, on their own device (corrected to Reject)",
        f"02:13 · Tone · {first}: interrupted the customer",
    ):
        assert line in text, line
    assert "01:35 · Accuracy ·" in text and "quoted the wrong policy" in text  # by Sarah
    # The timeline is in clock order, right after the checklist summary.
    assert text.index("Checklist across observers") < text.index("00:20 · General")
    assert text.index("00:20 · General") < text.index("01:12 · Decision")
    assert text.index("01:35 · Accuracy") < text.index("02:13 · Tone")


def test_anonymous_debrief_numbers_the_note_takers_like_their_checklists(
    services: Services, fake_clock: FakeClock, tmp_path: Path, artifacts: Path
) -> None:
    session_id, rnd = room_round(services, fake_clock, anonymous=True)
    timeline = services.reports.session_report(session_id).rounds[0].timeline
    # The one who submitted is "Observer 1" (as their checklist); the other comes next.
    assert [(e.topic, e.author) for e in timeline if e.topic != "Decision"] == [
        ("General", "Observer 2"),
        ("Accuracy", "Observer 1"),
        ("Tone", "Observer 2"),
    ]
    path = services.reports.export_debrief(session_id, tmp_path / "anon.pdf")
    render(path, artifacts, "room-records-debrief-anonymous")
    text = " ".join(pdf_pages(path))
    assert "00:20 · General · Observer 2: asked for the receipt first" in text
    assert "01:35 · Accuracy · Observer 1: quoted the wrong policy" in text
    feedback = text[text.index("Notes during the role-play") :]
    assert rnd.observers[0] not in feedback and not HEBREW.search(feedback)


def test_peer_review_record_shows_the_decision_record_and_the_notes(
    services: Services, fake_clock: FakeClock, tmp_path: Path, artifacts: Path
) -> None:
    _, rnd = room_round(services, fake_clock)
    assert rnd.operator
    first = rnd.observers[0]
    operator_pdf = services.reports.export_peer_review(rnd.operator, tmp_path / "op.pdf")
    render(operator_pdf, artifacts, "room-records-peer-operator")
    text = " ".join(pdf_pages(operator_pdf))
    assert f"Recorded by {rnd.operator} on their own device at" in text
    assert "— time to decide 1:12" in text
    assert f"Corrected by the trainer: {REASON}" in text
    assert "Before: Approve" in text
    assert f"02:13 · Tone · {first}: interrupted the customer" in text
    observer_pdf = services.reports.export_peer_review(first, tmp_path / "obs.pdf")
    render(observer_pdf, artifacts, "room-records-peer-observer")
    text = " ".join(pdf_pages(observer_pdf))
    assert "took during the role-play" in text
    assert f"00:20 · General · {first}: asked for the receipt first" in text
    assert f"02:13 · Tone · {first}: interrupted the customer" in text
    assert "quoted the wrong policy" not in text  # the other observer's note is not theirs


def test_a_decision_recorded_in_the_console_says_so_and_a_round_without_notes_has_no_timeline(
    services: Services, fake_clock: FakeClock, tmp_path: Path
) -> None:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session("module4-practice", [*PEOPLE[2:], "Bo", "Cy"])
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None
    live.toggle()
    live.next_phase()
    fake_clock.advance(45)
    services.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=45)
    live.next_round()
    path = services.reports.export_debrief(detail.id, tmp_path / "console.pdf")
    text = " ".join(pdf_pages(path))
    assert "Recorded by the trainer in the console at" in text
    assert "— time to decide 0:45" in text
    assert "00:45 · Decision" not in text  # the decision alone makes no timeline
    assert "Corrected by the trainer" not in text
    assert "Notes during the role-play" not in text
