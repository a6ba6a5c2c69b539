"""Honest figures: a round never started is not played, and the console's end line, the People
panel, the debrief report and the peer-review record count the same rounds for the same person.
Phase times and overruns come from the phase clock's own summary in the console and the PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.figures import roles_text
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.conftest import FakeClock
from tests.ui.stored import settle_store
from ui.console.console_screen import ConsoleScreen
from ui.start_screen import PeoplePanel

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]
PLAN = "module4-practice"


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def open_console(qtbot: QtBot, services: Services, live: LiveSession) -> ConsoleScreen:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    qtbot.waitExposed(console)
    settle_store(qtbot, console)
    console.activateWindow()
    qtbot.waitUntil(lambda: console.isActiveWindow())
    return console


def key(qtbot: QtBot, console: ConsoleScreen, k: Qt.Key) -> None:
    qtbot.keyClick(console, k)


def play_round(qtbot: QtBot, services: Services, console: ConsoleScreen, clock: FakeClock) -> None:
    """Every phase through the console's keys: role-play ends 0.4 s past its plan (on time),
    the decision phase 61.5 s past it; a decision and every observer's checklist recorded."""
    live = console._live
    rnd = live.round
    assert rnd is not None
    key(qtbot, console, Qt.Key.Key_Space)
    clock.advance(100)
    key(qtbot, console, Qt.Key.Key_N)  # role-play, 8:00 planned
    clock.advance(480.4)
    console._tick()
    key(qtbot, console, Qt.Key.Key_N)  # decision, 2:00 planned
    clock.advance(181.5)
    qtbot.mouseClick(console.decision.choices[Decision.APPROVE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.decision.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert services.decisions.get(rnd.id) is not None
    key(qtbot, console, Qt.Key.Key_N)  # observer feedback
    services.worker.flush()  # feedback's opening is stored before the checklists come in
    keys = [c.key for c in services.checklist.criteria]
    for observer in rnd.observers:
        services.feedback.submit(
            rnd.id,
            observer,
            ChecklistAnswers(
                marks={k: Mark.NOT_MET if i == 0 else Mark.MET for i, k in enumerate(keys)},
                went_well=["Calm", "Clear"],
                could_improve=["Check the order"],
            ),
        )
    clock.advance(60)
    key(qtbot, console, Qt.Key.Key_N)  # debrief
    clock.advance(60)
    console._tick()


def skip_round(qtbot: QtBot, console: ConsoleScreen) -> None:
    """Next round on a round whose clock never started: warned once, closed on the second."""
    number = console._live.round.number
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    assert console._live.round.number == number
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)


def test_unplayed_rounds_count_nowhere_and_every_count_agrees(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, tmp_path: Path, screens: Path
) -> None:

    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session(PLAN, PEOPLE, title="Thursday")
    console = open_console(qtbot, services, services.live(detail.id))
    for number in (1, 2, 3, 4):
        if number in (1, 3):
            play_round(qtbot, services, console, fake_clock)
            qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
            settle_store(qtbot, console)
            qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
            settle_store(qtbot, console)
        else:
            skip_round(qtbot, console)
    assert console._live.finished
    # The console's session-end line counts the rounds that ran.
    assert console.heading.text() == "Thursday — complete: 2 of 4 rounds played"
    assert console.grab().save(str(screens / "console-end-unplayed-rounds.png"))

    rounds = services.sessions.get(detail.id).rounds
    assert [r.played for r in rounds] == [True, False, True, False]
    skipped_operator = rounds[1].operator  # operated only in a round that never started
    figures: dict[str, tuple[str, int]] = {}
    for person in PEOPLE:
        expected: dict[str, int] = {}
        for r in (rounds[0], rounds[2]):
            role = next(
                role
                for role, names in (
                    ("operator", [r.operator]),
                    ("ai_system", [r.ai_system]),
                    ("facilitator", [r.facilitator]),
                    ("observer", r.observers),
                )
                if person in names
            )
            expected[role] = expected.get(role, 0) + 1
        roles = roles_text(expected)

        # The People panel on the start screen.
        panel = PeoplePanel(services.worker, services.history)
        qtbot.addWidget(panel)
        panel.set_people(services.people.list_people())
        items = [panel.list.item(i).text() for i in range(panel.list.count())]
        panel.list.setCurrentRow(next(i for i, text in enumerate(items) if text.startswith(person)))
        settle_store(qtbot, panel)  # the record read on the store worker
        assert panel.person.text() == person
        summary = panel.summary.text()
        assert f"Sessions: 1. Rounds played: {roles}" in summary, (person, summary)
        operated = expected.get("operator", 0)
        if operated:
            assert f"Decisions as operator: {operated}," in summary
            assert "Feedback received: 1 checklist, 7 of 8 criteria met." in summary
        else:
            assert "Decisions as operator" not in summary

        # The peer-review record says the same.
        record = pdf_text(services.reports.export_peer_review(person, tmp_path / f"{person}.pdf"))
        assert f"Sessions 1 Rounds played, by role {roles}" in record, person
        if operated:
            assert "1 Rounds as operator" in record and "7 of 8 Criteria met" in record
        if person == skipped_operator:
            assert "Operator 0" in roles
            panel.resize(420, 520)
            assert panel.grab().save(str(screens / "people-panel-unplayed-rounds.png"))
        figures[person] = (roles, operated)

    # The debrief report: 2 of 4 played, skipped rounds listed as not played, no round page.
    report = pdf_text(services.reports.export_debrief(detail.id, tmp_path / "debrief.pdf"))
    # Its per-participant summary gives each person the same figures as above.
    section = report[report.index("Per participant") : report.index("Round 1 ·")]
    for person, (roles, operated) in figures.items():
        row = f"{person} {roles}"
        assert row in section, (row, section)
        after = section[section.index(row) + len(row) :].lstrip()
        if operated:
            assert after.startswith("Round ") and " 11:01 7 of 8" in after[:80], after[:80]
        else:
            assert after.startswith("— — —"), after[:40]
    assert "2 of 4 Rounds played" in report
    assert report.count("Not played") == 2
    assert f"Round 2 · {rounds[1].scenario_title}" not in report
    assert f"Round 3 · {rounds[2].scenario_title}" in report


def test_phase_times_and_overruns_agree_between_console_and_report(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, tmp_path: Path
) -> None:

    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session(PLAN, PEOPLE, title="Timing")
    console = open_console(qtbot, services, services.live(detail.id))
    play_round(qtbot, services, console, fake_clock)
    actual = [label.text() for label in console.timeline.actual_labels]
    # 0.4 s past the plan is on time (never "over by 0:00"); 61.5 s past it is over by 1:01.
    assert actual[1] == "8:00"
    assert actual[2] == "3:01 (over by 1:01)"
    summary = console._live.summary()
    assert [p.overran for p in summary] == [False, False, True, False, False]

    report = pdf_text(services.reports.export_debrief(detail.id, tmp_path / "timing.pdf"))
    assert "Role-play 8:00 — 8:00 on time" in report
    assert "Decision 2:00 — 3:01 over by 1:01" in report
    assert "over by 0:00" not in report
    # Page 1 lists only the decision phase as running over, in 1 of 1 rounds.
    assert "Decision 1 of 1 1:01 1:01" in report
    assert "Role-play 1 of 1" not in report


def test_expert_decision_worded_and_matched_one_way_everywhere(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, tmp_path: Path
) -> None:
    """The Conflicting Request's expert rejects the draft, then escalates: a sequence. Every
    surface words it "Reject, then Escalate", and only the step it ends on matches."""
    import csv

    from hotdash_roleplay.notes import EscalationNote, RejectionNote
    from ui.console.debrief_panel import DebriefPanel
    from ui.console.projector import ProjectorWindow
    from ui.observer_host import ObserverHost

    wording = "Reject, then Escalate"
    services.now, services.wall = fake_clock.now, fake_clock.wall
    detail = services.sessions.create_session(
        PLAN, PEOPLE, title="Sequence", scenario_ids=["conflicting-request"]
    )
    live = services.live(detail.id)
    console = open_console(qtbot, services, live)
    assert console.card.expert_label is not None
    assert f"Expert decision: {wording}" in console.card.expert_label.text()
    rnd = live.round
    assert rnd is not None
    key(qtbot, console, Qt.Key.Key_Space)
    fake_clock.advance(200)
    # Reject alone stops before the escalation the expert asks for: it does not match.
    services.decisions.record(
        rnd.id,
        Decision.REJECT,
        rejection_note=RejectionNote(
            customer_question="Keep one, order another?",
            ai_response="One return or exchange per order.",
            problem="Ignores the 3-day deadline",
        ),
        seconds_to_decide=90,
    )
    assert services.decisions.get(rnd.id).matched_expert is False
    panel = DebriefPanel(
        services.worker, services.sessions, services.feedback, services.debrief, live
    )
    qtbot.addWidget(panel)
    panel.show()
    projector = ProjectorWindow(
        services.worker, services.sessions, live, ObserverHost(services, live)
    )
    qtbot.addWidget(projector)
    projector.show()
    for _ in range(4):
        key(qtbot, console, Qt.Key.Key_N)  # on to the debrief
    settle_store(qtbot, panel)
    qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert panel.expert_decision.text() == f"Expert decision: {wording}"
    assert projector.title_label.text() == f"Expert decision: {wording}"

    report = pdf_text(services.reports.export_debrief(detail.id, tmp_path / "sequence.pdf"))
    assert f"Reject 1:30 {wording} Differs from the expert" in report
    assert "Reject or Escalate" not in report and "→" not in report

    out = services.session_data.export(detail.id, tmp_path / "sequence.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["record_type"] == "decision")
    assert (row["expert_decision"], row["matched_expert"]) == (wording, "no")

    # Escalating is the step the sequence ends on: it matches.
    services.decisions.record(
        rnd.id,
        Decision.ESCALATE,
        escalation_note=EscalationNote(
            type="Policy exception",
            situation_summary="Graduation in 3 days, wrong colour",
            customer_request="Keep one, order the blue one",
            recommendation="Authorize the dual order with safeguards",
        ),
        seconds_to_decide=90,
    )
    assert services.decisions.get(rnd.id).matched_expert is True
