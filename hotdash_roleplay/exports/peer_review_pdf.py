"""The peer-review record of one participant, for the certification file.

Summary and overview tables first, then every round as operator with each observer's
checklist in full and who gave it, then every round as observer with the feedback they gave,
and sign-off lines for the facilitator and the participant."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from hotdash_roleplay import dates
from hotdash_roleplay.exports.pdf_blocks import (
    checklist_block,
    decision_block,
    roles_table,
    timeline_block,
    verdict,
)
from hotdash_roleplay.exports.pdf_layout import (
    MUTED,
    Plain,
    Running,
    build_pdf,
    day,
    day_time,
    duration,
    fields_table,
    figures,
    heading,
    markup,
    note,
    para,
    rule,
    short_day,
    sign_off,
    spacer,
    styles,
    table,
)
from hotdash_roleplay.exports.report_data import ObserverRound, OperatorRound, PersonRecord
from hotdash_roleplay.figures import roles_text
from hotdash_roleplay.status import SubmissionStatus

KIND = "Peer-review record"


def build_peer_review_pdf(record: PersonRecord, path: Path) -> Path:
    running = Running(kind=KIND, subject=record.name, footer=f"{record.name} · {_period(record)}")
    return build_pdf(Path(path), peer_review_story(record), running, f"{KIND}: {record.name}")


def _period(record: PersonRecord) -> str:
    if record.date_from and record.date_to:
        return f"{dates.short_date(record.date_from)} to {dates.short_date(record.date_to)}"
    if record.date_from:
        return f"from {dates.short_date(record.date_from)}"
    if record.date_to:
        return f"up to {dates.short_date(record.date_to)}"
    return "all sessions"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def peer_review_story(record: PersonRecord) -> list[Flowable]:
    story = _summary(record)
    if record.operator_rounds:
        story += [PageBreak(), *heading("Rounds as operator, in full", 1)]
        for i, r in enumerate(record.operator_rounds):
            story += _operator_round(r, first=i == 0)
    if record.observer_rounds:
        story += [PageBreak(), *heading("Rounds as observer: feedback given", 1)]
        for i, given in enumerate(record.observer_rounds):
            story += _observer_round(given, record.name, first=i == 0)
    story += _sign_off(record)
    return story


# -- summary --------------------------------------------------------------------------------


def _summary(record: PersonRecord) -> list[Flowable]:
    s = styles()
    ops = record.operator_rounds
    decided = record.decision_figures
    received = record.criteria_received
    story: list[Flowable] = [
        markup(KIND, s.title),
        para(record.name, s.subtitle),
        spacer(3),
        fields_table(
            [
                ("Participant", record.name),
                ("Period", _sentence(_period(record))),
                ("Sessions", str(record.sessions)),
                ("Rounds played, by role", roles_text(record.rounds_by_role)),
                ("Record made", day_time(record.generated_at)),
            ]
        ),
        spacer(5),
        figures(
            [
                ("Rounds as operator", str(len(ops))),
                ("Decisions matching the expert", decided.matched_text),
                ("Average time to decide", duration(decided.average_seconds)),
                ("Checklists received", str(received.checklists)),
                ("Criteria met, as received", received.met_text),
            ]
        ),
    ]
    if not ops and not record.observer_rounds:
        story += [
            spacer(3),
            para(
                "No round played as operator or observer in this period, so there is nothing "
                "to review yet.",
            ),
        ]
        return story
    story += [*heading("Rounds as operator", 2)]
    if ops:
        story.append(
            table(
                ["Date", "Session", "Round", "Scenario", "Decision", "Time", "Expert"],
                [
                    [
                        Plain(short_day(r.session_date)),
                        r.session_title,
                        Plain(str(r.round.number)),
                        r.round.scenario_title,
                        r.round.decision.label if r.round.decision else Plain("None", MUTED),
                        Plain(
                            duration(r.round.decision.seconds_to_decide)
                            if r.round.decision
                            else "—"
                        ),
                        verdict(r.round.decision, r.round.expert_decision, short=True),
                    ]
                    for r in ops
                ],
                [1.15, 1.45, 0.75, 1.8, 1.4, 0.65, 1.0],
            )
        )
    else:
        story.append(note("No round as operator in this period."))
    story += heading("Rounds as observer", 2)
    if record.observer_rounds:
        story.append(
            table(
                ["Date", "Session", "Round", "Scenario", "Operator observed", "Checklist"],
                [
                    [
                        Plain(short_day(r.session_date)),
                        r.session_title,
                        Plain(str(r.round_number)),
                        r.scenario_title,
                        r.operator,
                        _checklist_state(r),
                    ]
                    for r in record.observer_rounds
                ],
                [1.25, 1.7, 0.7, 1.8, 1.6, 1.2],
            )
        )
    else:
        story.append(note("No round as observer in this period."))
    return story


def _checklist_state(r: ObserverRound) -> Plain:
    if r.checklist is None:
        return Plain("None filled", MUTED)
    if r.checklist.status == SubmissionStatus.SUBMITTED:
        return Plain("Submitted")
    return Plain("Draft only", MUTED)


# -- rounds in full -------------------------------------------------------------------------


def _operator_round(r: OperatorRound, first: bool) -> list[Flowable]:
    rnd = r.round
    out: list[Flowable] = [] if first else [spacer(3), rule(), spacer(1)]
    out += heading(f"{day(r.session_date)} · {r.session_title} · Round {rnd.number}", 2)
    out += [roles_table(rnd), *decision_block(rnd, level=3)]
    if not rnd.checklists:
        out.append(note("No observer submitted a checklist for this round."))
    for c in rnd.checklists:
        out += checklist_block(c, f"Checklist by {c.observer}")
    return out + timeline_block(rnd.timeline)


def _observer_round(r: ObserverRound, name: str, first: bool) -> list[Flowable]:
    out: list[Flowable] = [
        *([] if first else [spacer(3), rule(), spacer(1)]),
        *heading(f"{day(r.session_date)} · {r.session_title} · Round {r.round_number}", 2),
        note(f"Scenario: {r.scenario_title} · operator observed: {r.operator}"),
    ]
    if r.checklist is None:
        out.append(note(f"{name} did not fill a checklist in this round."))
    else:
        out += checklist_block(r.checklist, f"Checklist by {name}")
    return out + timeline_block(r.notes, f"Notes {name} took during the role-play")


# -- sign-off -------------------------------------------------------------------------------


def _sign_off(record: PersonRecord) -> list[Flowable]:
    statement = (
        "By signing, the facilitator confirms that the rounds above took place as recorded, "
        "and the participant confirms they have read the feedback in this record."
    )
    return sign_off(
        [("Facilitator", None), ("Participant", record.name)], (0.17, 0.33, 0.32, 0.18), statement
    )
