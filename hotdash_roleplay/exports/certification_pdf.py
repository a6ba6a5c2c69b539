"""The certification record of one candidate, for the certification file: the verdict, every
requirement with its status and evidence, the weekly metrics with the qualifying run marked,
the scenario assessment round by round, the report, mentoring and contributions, the process
steps with names and dates, and sign-off lines."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable

from hotdash_roleplay.certification.assessment import Assessment
from hotdash_roleplay.certification.metrics import WeekCheck
from hotdash_roleplay.certification.program import (
    APPROVAL_CAUTION,
    CONSECUTIVE_WEEKS,
    ESCALATION_BAND,
    MODULES,
    THRESHOLDS,
    RequirementStatus,
    number,
)
from hotdash_roleplay.certification.views import PersonCertification
from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.exports.credential_block import credential_block
from hotdash_roleplay.exports.pdf_layout import (
    BAD,
    GOOD,
    MUTED,
    WARN,
    Cell,
    Plain,
    Running,
    build_pdf,
    fields_table,
    figures,
    heading,
    markup,
    note,
    para,
    safe,
    sign_off,
    spacer,
    styles,
    table,
)

KIND = "Certification record"
TITLE = "Expert Operator Certification"
INLINE_TEXT = 400  # longer report or contribution text goes below its table


def build_certification_pdf(
    record: PersonCertification, path: Path, issued: IssuedCredential | None = None
) -> Path:
    running = Running(
        kind=KIND,
        subject=record.name,
        footer=f"{TITLE} · {record.name} · {short_date(record.today)}",
    )
    story = certification_story(record, issued)
    return build_pdf(Path(path), story, running, f"{KIND}: {record.name}")


def certification_story(
    record: PersonCertification, issued: IssuedCredential | None = None
) -> list[Flowable]:
    return [
        *_summary(record),
        *credential_block(issued),
        *_requirements(record),
        *_modules(record),
        *_metrics(record),
        *_assessments(record),
        *_report_mentoring_contributions(record),
        *_steps(record),
        *_sign_off(record),
    ]


_STATUS_COLOUR = {
    RequirementStatus.MET: GOOD,
    RequirementStatus.IN_PROGRESS: WARN,
    RequirementStatus.NOT_STARTED: MUTED,
}


def _status_cell(status: RequirementStatus) -> Plain:
    return Plain(status.label, _STATUS_COLOUR[status], bold=True)


def _summary(record: PersonCertification) -> list[Flowable]:
    s = styles()
    m = record.metrics
    met = sum(1 for r in record.requirements if r.met)
    return [
        markup(KIND, s.title),
        para(f"{TITLE} · {record.name}", s.subtitle),
        spacer(3),
        fields_table(
            [
                ("Candidate", record.name),
                ("Status", _state_cell(record)),
                ("Verdict", record.verdict),
                ("Recertification", _recertification(record)),
                ("Record made", short_date(record.today)),
            ]
        ),
        spacer(5),
        figures(
            [
                ("Requirements met", f"{met} of {len(record.requirements)}"),
                ("Current run (weeks)", str(m.current_run_weeks)),
                ("Longest run (weeks)", str(m.longest_run_weeks)),
                (
                    "Process steps recorded",
                    f"{sum(1 for st in record.steps if st.done)} of {len(record.steps)}",
                ),
            ]
        ),
    ]


def _state_cell(record: PersonCertification) -> str:
    """A revoked certification reads in red, as the certificate block's status does."""
    label = record.state.label
    return Plain(label, BAD, bold=True) if record.revoked is not None else label


def _recertification(record: PersonCertification) -> str:
    if record.revoked is not None:
        return "None: the certificate is revoked"
    return record.recertification_note or "After the award: annual"


def _requirements(record: PersonCertification) -> list[Flowable]:
    rows = []
    for r in record.requirements:
        lines = list(r.evidence) if r.met else [r.missing, *r.evidence]
        rows.append([r.label, _status_cell(r.status), "\n".join(line for line in lines if line)])
    return [
        *heading("Requirements", 1),
        table(["Requirement", "Status", "Evidence, or what is missing"], rows, [2.2, 0.9, 3.6]),
    ]


def _modules(record: PersonCertification) -> list[Flowable]:
    done = {c.module: c for c in record.modules}
    rows = [
        [
            title,
            Plain(short_date(done[n].completed_on)) if n in done else Plain("Not yet", MUTED),
            done[n].confirmed_by if n in done else "",
        ]
        for n, title in MODULES.items()
    ]
    out: list[Flowable] = [
        *heading("Advanced modules", 2),
        table(["Module", "Completed", "Confirmed by"], rows, [3.4, 1.1, 1.8]),
        *heading("Module 4 evidence: practice sessions played in this app", 3),
    ]
    if record.played_sessions:
        out.append(
            table(
                ["Date", "Session", "Rounds played"],
                [
                    [Plain(short_date(p.played_on)), p.title, Plain(str(p.rounds_played))]
                    for p in record.played_sessions
                ],
                [1.1, 4, 1.1],
                align_right=(2,),
            )
        )
    else:
        out.append(note("No practice session played in this app yet."))
    return out


def _figure_cell(week: WeekCheck, index: int) -> Plain:
    check = week.checks[index]
    text = number(check.value)
    return Plain(text, None if check.met else BAD, bold=not check.met)


def _metrics(record: PersonCertification) -> list[Flowable]:
    m = record.metrics
    rules = " · ".join(f"{t.label} {t.rule}" for t in THRESHOLDS)
    lo, hi = ESCALATION_BAND
    out: list[Flowable] = [
        *heading("Weekly metrics", 1),
        note(
            f"Expert level, {CONSECUTIVE_WEEKS} consecutive weeks: {rules}. Escalation rate is "
            f"shown against the {number(lo)}–{number(hi)} % optimal band for information. A "
            "missing week or a week below any one threshold restarts the count."
        ),
    ]
    if not m.weeks:
        out.append(note("No weekly metrics on record."))
        return out
    run = m.qualifying_run
    if run:
        out.append(
            markup(
                f"<b>Qualifying run:</b> {run.weeks} weeks, {safe(short_date(run.first_week))} "
                f"to {safe(short_date(run.last_week))} (marked ✓ below)."
            )
        )
    rows = []
    for week in m.weeks:
        esc = week.figures.escalation_rate
        if week.in_qualifying_run:
            verdict = Plain("✓ Qualifying run", GOOD, bold=True)
        elif week.qualifies:
            verdict = Plain("Expert level", GOOD)
        else:
            verdict = Plain("Below", BAD, bold=True)
        rows.append(
            [
                Plain(short_date(week.week_start)),
                *(_figure_cell(week, i) for i in range(len(THRESHOLDS))),
                Plain("—" if esc is None else number(esc), MUTED),
                verdict,
            ]
        )
    out.append(
        table(
            ["Week of", "Approval %", "Review s", "CSAT", "FCR %", "Accuracy %", "Esc. %", ""],
            rows,
            [1.05, 0.95, 0.85, 0.6, 0.75, 0.95, 0.7, 1.35],
            align_right=(1, 2, 3, 4, 5, 6),
        )
    )
    notes = [w.missed for w in m.weeks if w.missed]
    if any(w.caution for w in m.weeks):
        high = ", ".join(short_date(w.week_start) for w in m.weeks if w.caution)
        notes.append(f"Approval above 90 % in the weeks of {high}: {APPROVAL_CAUTION}")
    notes += [f"{short_date(w.week_start)}: {w.escalation}" for w in m.weeks if w.escalation]
    if notes:
        out += heading("Notes on the weeks", 3)
        out += [note(n) for n in notes]
    if record.metric_changes:
        out += heading("Figures replaced", 3)
        out.append(
            table(
                ["Week of", "Changed", "By", "From", "Old → new"],
                [
                    [
                        Plain(short_date(c.week_start)),
                        Plain(short_date(c.changed_at.astimezone().date())),
                        c.changed_by,
                        c.source,
                        "; ".join(
                            f"{k}: {_num(c.old.get(k))} → {_num(v)}"
                            for k, v in c.new.items()
                            if c.old.get(k) != v
                        ),
                    ]
                    for c in record.metric_changes
                ],
                [1.0, 1.0, 1.1, 1.3, 2.8],
            )
        )
    return out


def _num(value: float | None) -> str:
    return "—" if value is None else number(value)


def _label(value: str) -> str:
    try:
        return Decision(value).label
    except ValueError:
        return value


def _decision_label(value: str | None) -> Plain:
    return Plain("Not decided", MUTED) if value is None else Plain(_label(value))


def _assessment(a: Assessment) -> list[Flowable]:
    colour = GOOD if a.passed else (BAD if a.complete else WARN)
    rows = []
    for r in a.rounds:
        if r.correct is None:
            mark = Plain("Not marked", MUTED)
        else:
            mark = Plain("Correct" if r.correct else "Not correct", GOOD if r.correct else BAD,
                         bold=True)  # fmt: skip
        experts = r.expert_decision
        reason = f"Override: {r.reason}" if r.overridden else r.reason
        rows.append(
            [
                Plain(str(r.number)),
                r.scenario_title,
                _decision_label(r.decision),
                experts or "None given",
                mark,
                reason,
            ]
        )
    return [
        *heading(f"{a.title} · {short_date(a.held_on)}", 2),
        note(f"Candidate: {a.candidate} · assessor: {a.assessor or 'not named'}"),
        markup(f'<font color="{colour.hexval()}"><b>{safe(a.verdict)}</b></font>'),
        table(
            ["#", "Scenario", "Decision", "Expert decision", "Mark", "Assessor's reason"],
            rows,
            [0.3, 1.75, 1.2, 1.3, 0.95, 1.7],
        ),
    ]


def _assessments(record: PersonCertification) -> list[Flowable]:
    out: list[Flowable] = [*heading("Certification scenario assessment", 1)]
    if not record.assessments:
        out.append(note("No certification assessment in this app yet."))
    for a in record.assessments:
        out += _assessment(a)
    return out


def _file(name: str, size: int) -> str:
    return f"{name} ({size:,} bytes, kept in the store)" if name else ""


def _long_texts(items: list[tuple[str, str]]) -> list[Flowable]:
    out: list[Flowable] = []
    for title, text in items:
        if len(text) > INLINE_TEXT:
            out += [markup(f"<b>{safe(title)}</b>"), para(text)]
    return out


def _inline(text: str) -> str:
    return text if len(text) <= INLINE_TEXT else "See the full text below."


def _report_mentoring_contributions(record: PersonCertification) -> list[Flowable]:
    out: list[Flowable] = [*heading("AI improvement report", 1)]
    if record.reports:
        out.append(
            table(
                ["Submitted", "Title", "Reviewer", "Text or file"],
                [
                    [
                        Plain(short_date(r.submitted_on)),
                        r.title,
                        r.reviewer or Plain("Not reviewed yet", MUTED),
                        "\n".join(
                            x for x in (_inline(r.text), _file(r.file_name, r.file_size)) if x
                        ),
                    ]
                    for r in record.reports
                ],
                [0.9, 1.6, 1.1, 3.0],
            )
        )
        out += _long_texts([(r.title, r.text) for r in record.reports])
    else:
        out.append(note("No report submitted yet."))
    out += heading("Mentoring", 1)
    if record.mentorships:
        out.append(
            table(
                ["Mentee", "Mentoring from", "Graduated to independent operation"],
                [
                    [
                        m.mentee,
                        Plain(short_date(m.started_on)),
                        Plain(short_date(m.graduated_on), GOOD)
                        if m.graduated_on
                        else Plain("Not yet", MUTED),
                    ]
                    for m in record.mentorships
                ],
                [2.2, 1.4, 2.4],
            )
        )
    else:
        out.append(note("No operator mentored yet."))
    out += heading("Contributions to training materials", 1)
    if record.contributions:
        out.append(
            table(
                ["Date", "Kind", "Title", "Text or file"],
                [
                    [
                        Plain(short_date(c.contributed_on)),
                        Plain(c.kind.label),
                        c.title,
                        "\n".join(
                            x for x in (_inline(c.text), _file(c.file_name, c.file_size)) if x
                        ),
                    ]
                    for c in record.contributions
                ],
                [0.9, 1.0, 1.7, 3.0],
            )
        )
        out += _long_texts([(c.title, c.text) for c in record.contributions])
    else:
        out.append(note("No contribution yet."))
    return out


def _steps(record: PersonCertification) -> list[Flowable]:
    rows = []
    for s in record.steps:
        if s.record:
            when: Cell = Plain(short_date(s.record.on))
            who: Cell = f"{s.step.by_label}: {s.record.by}"
            extra: Cell = s.record.note
        else:
            when, who = Plain("Not yet", MUTED), ""
            extra = s.refusal or ""
        rows.append([Plain(s.step.label, bold=True), s.step.program_text, when, who, extra])
    return [
        *heading("Certification process", 1),
        table(
            ["Step", "The program says", "Date", "Name", "Note, or what it waits for"],
            rows,
            [1.5, 1.4, 1.0, 1.4, 1.9],
        ),
    ]


def _sign_off(record: PersonCertification) -> list[Flowable]:
    signers = [
        ("Candidate", record.name),
        ("Manager", _step_name(record, "manager_nomination")),
        ("Certification reviewer", _step_name(record, "certification_review")),
    ]
    statement = (
        "By signing, the candidate confirms the evidence in this record is their own, the manager "
        "confirms readiness, and the certification reviewer confirms the requirements were "
        "checked as recorded."
    )
    return sign_off(signers, (0.22, 0.3, 0.3, 0.18), statement)


def _step_name(record: PersonCertification, step: str) -> str:
    found = next((s for s in record.steps if s.step.value == step and s.record), None)
    return found.record.by if found and found.record else ""
