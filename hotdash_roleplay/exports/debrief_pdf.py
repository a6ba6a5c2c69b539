"""The debrief report of a session, for managers.

Page 1: who, when, and the session's patterns (criteria most often missed, decisions against
the expert decision, phases that ran over). Then the rotation and a summary per participant,
then one section per round played. A session with no round played still gets an honest report
of its plan. Nothing is printed to say only that nothing was recorded, once per field: empty
fields are named together in one line."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from hotdash_roleplay.exports.pdf_blocks import (
    decision_block,
    feedback_lists,
    fits_table,
    items_cell,
    phases_block,
    roles_table,
    timeline_block,
    verdict,
)
from hotdash_roleplay.exports.pdf_layout import (
    BAD,
    GOOD,
    MUTED,
    WARN,
    Cell,
    Plain,
    Running,
    build_pdf,
    bullets,
    coloured,
    day,
    duration,
    fields_table,
    figures,
    heading,
    keep,
    markup,
    note,
    para,
    safe,
    spacer,
    styles,
    table,
)
from hotdash_roleplay.exports.report_data import Patterns, RoundReport, SessionReport
from hotdash_roleplay.figures import roles_text
from hotdash_roleplay.rotation import TRAINER
from hotdash_roleplay.status import RoundStatus, SessionStatus

KIND = "Debrief report"
_SESSION_STATUS = {
    SessionStatus.PLANNED: "Planned, not started",
    SessionStatus.LIVE: "In progress",
    SessionStatus.FINISHED: "Finished",
}
_ROUND_STATUS = {RoundStatus.LIVE: "In progress", RoundStatus.DONE: "Played"}


def build_debrief_pdf(report: SessionReport, path: Path) -> Path:
    running = Running(
        kind=KIND,
        subject=report.title,
        footer=f"{report.title} · {day(report.created_at)}",
    )
    return build_pdf(
        Path(path), debrief_story(report), running, f"{KIND}: {report.title}", report.trainer
    )


def debrief_story(report: SessionReport) -> list[Flowable]:
    story = _first_page(report)
    story += [PageBreak(), *_rotation(report), *_participants(report)]
    if report.notes.strip():
        story += [*heading("Trainer's notes", 1), *_paragraphs(report.notes)]
    for r in report.rounds:
        if r.played:
            story += [PageBreak(), *_round(r, report.anonymous_feedback)]
    return story


# -- page 1 ---------------------------------------------------------------------------------


def _first_page(report: SessionReport) -> list[Flowable]:
    s = styles()
    p = report.patterns
    names = ", ".join(report.participants) or "None"
    facts: list[tuple[str, Cell]] = [
        ("Date", day(report.created_at)),
        ("Trainer", report.trainer or "Not recorded"),
        ("Session plan", f"{report.plan_title} ({report.mode})"),
        ("Status", _SESSION_STATUS[report.status]),
        ("Participants", f"{len(report.participants)}: {names}"),
    ]
    if report.departed:
        facts.append(("Left mid-session", ", ".join(report.departed)))
    facts.append(
        (
            "Observer feedback",
            "Anonymous: observers are not named next to their feedback"
            if report.anonymous_feedback
            else "Named: each observer's feedback carries their name",
        )
    )
    story: list[Flowable] = [
        markup(KIND, s.title),
        para(report.title, s.subtitle),
        spacer(3),
        fields_table(facts),
        spacer(5),
        figures(_key_figures(p)),
        spacer(2),
    ]
    if p.rounds_played == 0:
        story.append(
            para(
                "No round has been played in this session yet. This report shows the plan "
                "and the rotation; there are no decisions, checklists, timings or debrief notes "
                "to report.",
                s.body,
            )
        )
    story += [*heading("Session patterns", 1), *_patterns(p)]
    return story


def _key_figures(p: Patterns) -> list[tuple[str, str]]:
    matched = f"{p.matched} of {p.with_expert}" if p.with_expert else "—"
    return [
        ("Rounds played", f"{p.rounds_played} of {p.rounds_total}"),
        ("Decisions matching the expert", matched),
        ("Average time to decide", duration(p.average_decision_seconds)),
        ("Checklists submitted", str(p.checklists)),
    ]


def _patterns(p: Patterns) -> list[Flowable]:
    out: list[Flowable] = [*heading("Criteria most often missed", 2)]
    if p.missed:
        out.append(
            table(
                ["Criterion", "Marked not met", "Rounds", "Observers disagreed"],
                [
                    [
                        Plain(m.name, bold=True),
                        Plain(f"{m.not_met} of {m.judged} marks"),
                        Plain(", ".join(str(n) for n in m.rounds)),
                        Plain(_rounds_count(m.disagreements) if m.disagreements else "—"),
                    ]
                    for m in p.missed
                ],
                [1.5, 1.2, 1.2, 1.3],
            )
        )
    elif p.checklists:
        out.append(note("No observer marked any criterion as not met."))
    else:
        out.append(note("No checklist was submitted, so nothing can be said about criteria."))

    out += heading("Decisions against the expert decision", 2)
    if p.off_expert:
        out.append(
            table(
                ["Round", "Scenario", "Operator", "Decision", "Expert decision"],
                [
                    [
                        Plain(str(o.round_number)),
                        o.scenario_title,
                        o.operator,
                        Plain(o.decision, BAD, bold=True),
                        o.expert,
                    ]
                    for o in p.off_expert
                ],
                [0.6, 2, 1.5, 1.1, 1.4],
            )
        )
    elif p.with_expert:
        out.append(
            markup(
                coloured(
                    f"None: all {p.with_expert} decisions on scenarios with an expert decision "
                    "matched it.",
                    GOOD,
                    bold=False,
                ),
                styles().body,
            )
        )
    elif p.decisions:
        out.append(note("No decision was taken on a scenario that has an expert decision."))
    else:
        out.append(note("No decision was recorded."))

    out += heading("Phases that ran over", 2)
    if p.overruns:
        out.append(
            table(
                ["Phase", "Rounds over the plan", "Average overrun", "Longest overrun"],
                [
                    [
                        Plain(o.title, bold=True),
                        Plain(f"{o.rounds_over} of {o.rounds_timed}"),
                        Plain(duration(o.average_over_seconds)),
                        Plain(duration(o.max_over_seconds), WARN, bold=True),
                    ]
                    for o in p.overruns
                ],
                [1.6, 1.3, 1.2, 1.2],
            )
        )
    elif p.rounds_played:
        out.append(note("No phase ran over its planned time."))
    else:
        out.append(note("No phase has been timed yet."))
    return out


def _rounds_count(n: int) -> str:
    return "1 round" if n == 1 else f"{n} rounds"


# -- rotation -------------------------------------------------------------------------------


def _rotation(report: SessionReport) -> list[Flowable]:
    out: list[Flowable] = [*heading("Participants and rotation", 1)]
    plan = " · ".join(f"{title} {duration(sec)}" for title, sec in report.phases)
    out.append(note(f"Phases of each round as planned: {plan}."))
    if not report.rounds:
        out.append(para("This session has no rounds planned."))
        return out
    rows = [
        [
            Plain(str(r.number)),
            r.scenario_title,
            r.operator or TRAINER,
            r.ai_system or TRAINER,
            r.facilitator or TRAINER,
            ", ".join(r.observers) or "—",
            Plain(_ROUND_STATUS.get(r.status, r.status), None)
            if r.played
            else Plain("Not played", MUTED),
        ]
        for r in report.rounds
    ]
    out.append(
        table(
            ["Round", "Scenario", "Operator", "AI System", "Facilitator", "Observers", "Status"],
            rows,
            [0.75, 1.6, 1.1, 1.1, 1.1, 1.9, 1.0],
        )
    )
    return out


# -- per participant ------------------------------------------------------------------------


def _participants(report: SessionReport) -> list[Flowable]:
    out: list[Flowable] = [*heading("Per participant", 1)]
    if not report.people:
        return []
    out.append(
        note(
            "Rounds played in each role; each round as operator with the decision against the "
            "expert decision; the operator's average time to decide; criteria marked met in "
            "the checklists they received (of those marked met or not met)."
        )
    )
    rows = []
    for p in report.people:
        turns: list[Flowable] = [
            markup(
                f"Round {t.round_number}: <b>{safe(t.decision.label)}</b> · "
                f"{safe(verdict(t.decision, t.expert_decision).lower())}"
                if t.decision
                else f"Round {t.round_number}: no decision recorded",
                styles().cell,
            )
            for t in p.turns
        ]
        rows.append(
            [
                p.name,
                roles_text(p.rounds_by_role),
                turns or Plain("—", MUTED),
                Plain(duration(p.decisions.average_seconds)),
                Plain(p.received.met_text),
            ]
        )
    out.append(
        table(
            ["Participant", "Rounds played, by role", "As operator", "Time", "Criteria met"],
            rows,
            [95, 135, 150, 45, 68],
            align_right=(3, 4),
        )
    )
    return out


# -- one round ------------------------------------------------------------------------------


def _round(r: RoundReport, anonymous: bool) -> list[Flowable]:
    out: list[Flowable] = [
        *heading(f"Round {r.number} · {r.scenario_title}", 1),
        roles_table(r),
        spacer(2),
    ]
    if r.status != RoundStatus.DONE:
        out.append(note("This round was still in progress when the report was made."))
    sections = [
        decision_block(r),
        phases_block(r),
        _checklist_summary(r) + timeline_block(r.timeline),
        _feedback(r, anonymous),
    ]
    sections = [section for section in sections if section]
    debrief = _debrief(r)
    if _nothing_recorded(r):
        # A debrief that only says nothing was recorded stays with the section before it
        # (that section's page-break check, its first flowable, stays in front).
        last = sections.pop()
        debrief = [last[0], _kept(*last[1:], *debrief)]
    for section in sections:
        out += section
    return out + debrief


def _checklist_summary(r: RoundReport) -> list[Flowable]:
    s = styles()
    head = heading("Checklist across observers", 2)
    if not r.submitted:
        return [*head, note("No observer submitted a checklist for this round.")]
    rows = []
    for c in r.summary:
        flag = Plain("Observers disagree", WARN, bold=True) if c.disagreement else Plain("—")
        not_met = Plain(str(c.not_met), BAD, bold=True) if c.not_met else Plain("0")
        rows.append(
            [
                Plain(c.name, bold=True),
                Plain(str(c.met)),
                not_met,
                Plain(str(c.not_observed)),
                flag,
            ]
        )
    # Kept on one page where it fits: eight criteria read as one table, not split after three.
    out: list[Flowable] = [
        head[0],
        keep(
            *head[1:],
            note(f"{_count(r.submitted, 'checklist')} submitted."),
            table(
                ["Criterion", "Met", "Not met", "Not observed", "Calibration"],
                rows,
                [1.7, 0.6, 0.75, 1.0, 1.4],
            ),
        ),
    ]
    criterion_notes = [
        (c.observer, line.name, line.note)
        for c in r.checklists
        for line in c.criteria
        if line.note.strip()
    ]
    if criterion_notes:
        out += heading("Observers' notes on criteria", 3)
        for who, name, text in criterion_notes:
            out.append(
                markup(f"<b>{safe(name)}</b> ({safe(who)}): {safe(text)}", s.bullet, bullet="•")
            )
    return out


def _feedback(r: RoundReport, anonymous: bool) -> list[Flowable]:
    if not r.checklists:
        return []
    out: list[Flowable] = [*heading("What went well and what could improve", 2)]
    if anonymous:
        out.append(note("Feedback in this session is anonymous: observers are numbered."))
    short = [c for c in r.checklists if fits_table(c)]
    if short:
        out.append(
            table(
                ["Observer", "What went well", "What could improve"],
                [[c.observer, items_cell(c.went_well), items_cell(c.could_improve)] for c in short],
                [1.1, 2.4, 2.4],
            )
        )
    for c in r.checklists:
        if not fits_table(c):  # long feedback flows, so it can split across pages
            out += [*heading(f"Feedback from {c.observer}", 3), *feedback_lists(c)]
    return out


def _debrief(r: RoundReport) -> list[Flowable]:
    """What was not recorded comes first, in one place (the unanswered questions named once,
    missing takeaways or action items in a line), then the notes taken, takeaways and action
    items. So a line saying only that nothing was recorded never ends a round on a page of
    its own."""
    answered = [q for q in r.debrief if q.note.strip()]
    unanswered = [q.question for q in r.debrief if not q.note.strip()]
    empty: list[Flowable] = []
    if not r.debrief:
        empty.append(note("This scenario has no debrief questions."))
    elif unanswered:
        which = "these questions" if answered else "any debrief question"
        empty += [note(f"No note was taken on {which}:"), *_muted_bullets(unanswered)]
    missing = [
        t for t, items in (("takeaways", r.takeaways), ("action items", r.actions)) if not items
    ]
    if missing:
        empty.append(note(f"No {' or '.join(missing)} were recorded."))
    head = heading("Debrief", 2)
    out: list[Flowable] = [head[0], keep(*head[1:], *empty)] if empty else head
    for q in answered:
        out += [*heading(q.question, 3), *_paragraphs(q.note)]
    if r.takeaways:
        out += [*heading("Takeaways", 3), *bullets(r.takeaways)]
    if r.actions:
        out += [*heading("Action items", 3), *bullets(r.actions, numbered=True)]
    return out


def _nothing_recorded(r: RoundReport) -> bool:
    return not (r.takeaways or r.actions or any(q.note.strip() for q in r.debrief))


def _muted_bullets(items: list[str]) -> list[Flowable]:
    s = styles()
    return [markup(safe(i), s.muted, bullet="•") for i in items]


def _kept(*flowables: Flowable) -> KeepTogether:
    """One group kept on a page, nested groups and page-break checks unwrapped: reportlab gives
    a nested KeepTogether no height (the group would always start a new page), and the group
    already checks the room it needs."""
    flat: list[Flowable] = []
    for f in flowables:
        # reportlab keeps a group's flowables in _content, which types-reportlab leaves out
        inner = f._content if isinstance(f, KeepTogether) else [f]  # type: ignore[attr-defined]
        flat += [g for g in inner if not isinstance(g, CondPageBreak)]
    return keep(*flat)


def _paragraphs(text: str) -> list[Flowable]:
    """Free text as flowing paragraphs (one per blank-line block), so it splits across pages."""
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [para(b.strip("\n")) for b in blocks]


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


__all__ = ["build_debrief_pdf", "debrief_story"]
