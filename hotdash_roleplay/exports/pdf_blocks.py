"""Blocks both PDFs print the same way: a round's roles, the decision (where it was recorded
and any correction), phase times, the notes timeline and one observer's checklist in full."""

from __future__ import annotations

from reportlab.platypus import Flowable

from hotdash_roleplay.checklist import Mark
from hotdash_roleplay.exports.pdf_layout import (
    BAD,
    GOOD,
    MUTED,
    WARN,
    Bullets,
    Cell,
    Plain,
    bullets,
    day_time,
    duration,
    fields_table,
    heading,
    markup,
    note,
    para,
    safe,
    signed_duration,
    spacer,
    styles,
    table,
)
from hotdash_roleplay.exports.report_data import (
    DecisionInfo,
    ObserverChecklist,
    RoundReport,
    TimelineEntry,
)
from hotdash_roleplay.room_records import (
    CORRECTED,
    DECISION_ENTRY,
    note_line,
    previous_line,
    recorded_line,
)
from hotdash_roleplay.rotation import TRAINER
from hotdash_roleplay.status import SubmissionStatus

# Text longer than this goes below its table in flowing paragraphs: a table row cannot split
# over pages, so a cell must stay well under a page tall.
INLINE_NOTE = 400
FEEDBACK_IN_TABLE = 1200  # characters of one observer's went-well and could-improve items

_MARK_COLOURS = {Mark.MET: GOOD, Mark.NOT_MET: BAD, Mark.NOT_OBSERVED: MUTED}


def mark_cell(mark: Mark | None) -> Plain:
    if mark is None:
        return Plain("Not marked", MUTED)
    return Plain(mark.label, _MARK_COLOURS[mark], bold=mark is Mark.NOT_MET)


def verdict(decision: DecisionInfo | None, expert: str, short: bool = False) -> Plain:
    """The decision compared with the expert's, said in words (colour only helps)."""
    if decision is None:
        return Plain("No decision", MUTED)
    if decision.matched_expert is True:
        return Plain("Matches" if short else "Matches the expert", GOOD, bold=True)
    if decision.matched_expert is False:
        return Plain("Differs" if short else "Differs from the expert", BAD, bold=True)
    if not expert:
        return Plain("None given" if short else "No expert decision", MUTED)
    return Plain("Not compared", MUTED)


def roles_table(r: RoundReport) -> Flowable:
    return fields_table(
        [
            ("Scenario", r.scenario_title),
            ("Operator", r.operator or TRAINER),
            ("AI System", r.ai_system or TRAINER),
            ("Facilitator", r.facilitator or TRAINER),
            ("Observers", ", ".join(r.observers) or "None"),
        ]
    )


def decision_block(r: RoundReport, level: int = 2) -> list[Flowable]:
    out: list[Flowable] = [*heading("Decision", level)]
    d = r.decision
    if d is None:
        out.append(note("No decision was recorded in this round."))
    else:
        out.append(
            table(
                ["Decision", "Time to decide", "Expert decision", "Compared with the expert"],
                [
                    [
                        Plain(d.label, bold=True),
                        Plain(duration(d.seconds_to_decide)),
                        r.expert_decision or "None given",
                        verdict(d, r.expert_decision),
                    ]
                ],
                [1.1, 1, 1.3, 1.6],
            )
        )
        out += provenance(d)
        if d.assessed_correct is not None and d.assessment_reason:
            mark = "correct" if d.assessed_correct else "not correct"
            out.append(spacer(1.5))
            out.append(para(f"Assessor marked it {mark}: {d.assessment_reason}"))
        if d.final_reply.strip():
            out += [*heading("Edited reply", 3), para(d.final_reply)]
        if d.note:
            out += heading(d.note_title, 3)
            for label, text in d.note:
                out.append(markup(f"<b>{safe(label)}:</b> {safe(text)}"))
    if r.expert_rationale.strip():
        out += [*heading("Expert rationale", 3), para(r.expert_rationale, styles().muted)]
    return out


def provenance(d: DecisionInfo) -> list[Flowable]:
    """Where the decision was recorded with the operator's own time, then every correction the
    trainer made: its reason and the decision it replaced."""
    s = styles()
    out: list[Flowable] = [
        spacer(1.5),
        markup(recorded_line(safe(d.operator), d.source, d.seconds_to_decide, d.recorded_at)),
    ]
    for c in d.corrections:
        out += [
            markup(f"<b>{CORRECTED}:</b> {safe(c.reason)}"),
            markup(previous_line(safe(c.previous_label), safe(c.corrected_by), c.corrected_at),
                   s.muted),
        ]  # fmt: skip
    return out


def timeline_block(
    entries: tuple[TimelineEntry, ...], title: str = "Notes during the role-play", level: int = 3
) -> list[Flowable]:
    """Time-stamped notes on the role-play clock, one line each, the decision among them in
    bold: "02:13 · Tone · Ann: interrupted the customer". Nothing when no note was taken."""
    if not any(e.topic != DECISION_ENTRY for e in entries):
        return []
    s = styles()
    out: list[Flowable] = [*heading(title, level)]
    for e in entries:
        line = note_line(e.at_seconds, safe(e.topic), safe(e.author), safe(e.text))
        out.append(markup(f"<b>{line}</b>" if e.topic == DECISION_ENTRY else line, s.bullet))
    return out


def against_plan(over: float) -> str:
    """ "over by 0:30", "1:05 early" or "on time" (within a second)."""
    if abs(over) < 1:
        return "on time"
    return f"over by {duration(over)}" if over > 0 else f"{duration(-over)} early"


def phases_block(r: RoundReport) -> list[Flowable]:
    out: list[Flowable] = [*heading("Planned vs actual time", 2)]
    if not r.phases:
        out.append(note("The phase clock was not run in this round."))
        return out
    rows: list[list[Cell]] = []
    for p in r.phases:
        if not p.reached:
            cell = Plain("not run")
        elif p.overran:
            cell = Plain(f"over by {duration(p.over_seconds)}", WARN, bold=True)
        else:
            cell = Plain(against_plan(p.over_seconds))
        adjusted = p.adjusted_seconds - p.planned_seconds
        rows.append(
            [
                p.title,
                Plain(duration(p.planned_seconds)),
                Plain(signed_duration(adjusted) if adjusted else "—"),
                Plain(duration(p.actual_seconds)),
                cell,
            ]
        )
    planned = sum(p.planned_seconds for p in r.phases)
    adjusted_total = sum(p.adjusted_seconds for p in r.phases)
    actual = sum(p.actual_seconds for p in r.phases)
    rows.append(
        [
            Plain("Whole round", bold=True),
            Plain(duration(planned), bold=True),
            Plain(
                signed_duration(adjusted_total - planned) if adjusted_total != planned else "",
                bold=True,
            ),
            Plain(duration(actual), bold=True),
            Plain(against_plan(actual - adjusted_total), bold=True),
        ]
    )
    out.append(
        table(
            ["Phase", "Planned", "Adjusted", "Actual", "Against the plan"],
            rows,
            [1.6, 0.8, 0.9, 0.8, 1.4],
            align_right=(1, 2, 3),
        )
    )
    return out


def checklist_block(c: ObserverChecklist, title: str) -> list[Flowable]:
    """One observer's checklist in full: every criterion's mark and note, then their lists."""
    s = styles()
    rows = []
    long_notes: list[tuple[str, str]] = []
    for line in c.criteria:
        text = line.note.strip()
        if len(text) > INLINE_NOTE:
            long_notes.append((line.name, text))
            text_cell: Cell = markup("<i>See the note below.</i>", s.cell)
        else:
            text_cell = text
        rows.append([Plain(line.name, bold=True), mark_cell(line.mark), text_cell])
    status = (
        f"submitted {day_time(c.submitted_at)}"
        if c.status == SubmissionStatus.SUBMITTED and c.submitted_at
        else "draft, not submitted"
    )
    out: list[Flowable] = [
        *heading(title, 3),
        note(f"Observed: {c.operator} · {status}"),
        table(["Criterion", "Mark", "Note"], rows, [1.3, 0.9, 3.2]),
    ]
    for name, text in long_notes:
        out.append(markup(f"<b>{safe(name)}:</b> {safe(text)}"))
    out.append(spacer(1.5))
    if fits_table(c):
        out.append(
            table(
                ["What went well", "What could improve"],
                [[items_cell(c.went_well), items_cell(c.could_improve)]],
                [1, 1],
            )
        )
    else:
        out += feedback_lists(c)
    return out


def fits_table(c: ObserverChecklist) -> bool:
    return sum(len(i) for i in (*c.went_well, *c.could_improve)) <= FEEDBACK_IN_TABLE


def items_cell(items: tuple[str, ...]) -> Plain | Bullets:
    return Bullets(items) if items else Plain("Nothing given", MUTED)


def feedback_lists(c: ObserverChecklist) -> list[Flowable]:
    """The two lists as flowing paragraphs: for feedback too long for a table cell."""
    s = styles()
    out: list[Flowable] = []
    for label, items in (("What went well", c.went_well), ("What could improve", c.could_improve)):
        out.append(markup(f"<b>{label}</b>", s.body))
        out += bullets(items) if items else [note("Nothing given.")]
    return out
