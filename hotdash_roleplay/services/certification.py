"""The Expert Operator Certification's use cases: record evidence, judge the requirements, run
the process steps, mark the scenario assessment, import weekly metrics, and the team overview.

Every method takes a person as `people list` names them (id or name) and hands back frozen
views from hotdash_roleplay.certification; refusals are UserError with the reason."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from hotdash_roleplay.certification import requirements as rules
from hotdash_roleplay.certification.assessment import AssessedRound, Assessment, passed
from hotdash_roleplay.certification.csv_rows import parse_metrics_csv
from hotdash_roleplay.certification.evidence import (
    AIReport,
    Attachment,
    Contribution,
    Mentorship,
    ModuleCompletion,
    PlayedSession,
    StepRecord,
)
from hotdash_roleplay.certification.metrics import (
    REQUIRED_METRICS,
    WeekCheck,
    WeekFigures,
    check_week,
    qualifies,
    run_lengths,
    summarise,
)
from hotdash_roleplay.certification.process import recertification_due, state, step_refusal
from hotdash_roleplay.certification.program import (
    MODULES,
    ROLE_PLAY_MODULE,
    ContributionKind,
    Metric,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.certification.views import (
    AwardRevoked,
    MetricChange,
    MetricsImportResult,
    OverviewRow,
    PersonCertification,
    StepView,
    TeamOverview,
)
from hotdash_roleplay.credentials.badge import IssuerDetails
from hotdash_roleplay.dates import long_date
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.files import check_target
from hotdash_roleplay.names import clean_name, name_key
from hotdash_roleplay.plans import PlanMode
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import expert_of
from hotdash_roleplay.services.credentials import CredentialService
from hotdash_roleplay.services.decisions import DecisionService
from hotdash_roleplay.services.history import HistoryService
from hotdash_roleplay.services.people import find_person, get_or_create_person
from hotdash_roleplay.status import RoundStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    AIReportRow,
    CertificationStepRow,
    ContributionRow,
    IssuedCredentialRow,
    MentorshipRow,
    MetricChangeRow,
    ModuleCompletionRow,
    OperatorDecision,
    Person,
    RevocationRow,
    RoleAssignment,
    Round,
    TrainingSession,
    WeeklyMetricRow,
    utcnow,
)

MAX_TITLE = 200
MAX_TEXT = 100_000
MAX_NOTE = 10_000
TYPED = "typed"
_FIGURE_COLUMNS = tuple(m.value for m in Metric)
EvidenceKind = Literal["report", "contribution"]
RecordKind = Literal["report", "contribution", "mentorship"]
NO_ISSUER = (
    "The award issues a signed certificate in the awarding organisation's name: set the "
    "organisation's name first (Certificate issuer…)."
)


class CertificationService:
    def __init__(
        self,
        store: Store,
        decisions: DecisionService,
        history: HistoryService,
        credentials: CredentialService,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._store = store
        self._decisions = decisions
        self._history = history
        self._credentials = credentials
        self._today = today

    @property
    def credentials(self) -> CredentialService:
        """The certificates the award issues (revoke, save, the issuer key)."""
        return self._credentials

    # -- reading --------------------------------------------------------------------------

    def person(self, ref: str) -> PersonCertification:
        """Everything about one candidate: requirements, evidence, weeks, steps, verdict."""
        with self._store.session() as db:
            person = find_person(db, ref)
            return self._person(db, person)

    def export_record(self, ref: str, path: Path | str, *, json_beside: bool = False) -> Path:
        """The candidate's certification record as a PDF (the signed certificate attached once
        awarded); with `json_beside`, the certificate also as a JSON file of the same name
        beside it. A target that cannot be written is refused before anything is read."""
        from hotdash_roleplay.exports.certification_pdf import build_certification_pdf  # reportlab

        target = check_target(path)
        issued = self._credentials.latest(ref)
        if json_beside:
            if issued is None:
                raise UserError(
                    f"{self.person(ref).name} has no certificate to save beside the record: "
                    "it is issued with the award."
                )
            if target.suffix.lower() == ".json":
                raise UserError(f"{target.name}: the record is a PDF; give it a .pdf name.")
            check_target(target.with_suffix(".json"))
        written = build_certification_pdf(self.person(ref), target, issued)
        if json_beside and issued is not None:
            self._credentials.save_json(issued.credential_id, target.with_suffix(".json"))
        return written

    def assessments(self, ref: str) -> list[Assessment]:
        """The person's certification-assessment sessions, oldest first."""
        with self._store.session() as db:
            return _assessments(db, find_person(db, ref).id)

    def assessment(self, session_id: int) -> Assessment:
        """One certification-assessment session with its running score."""
        with self._store.session() as db:
            row = db.get(TrainingSession, session_id)
            if row is None or row.mode != PlanMode.CERTIFICATION:
                raise UserError(f"Session {session_id} is not a certification assessment.")
            candidate = next(iter(row.participants), None)
            if candidate is None:
                raise UserError(f"Session {session_id} has no candidate.")
            found = _assessments(db, candidate.person_id, session_id)
            if not found:
                raise UserError(f"Session {session_id} has no round for its candidate.")
            return found[0]

    def overview(self) -> TeamOverview:
        """Everyone in the store, one row each, judged from counts (no evidence built)."""
        today = self._today()
        with self._store.session() as db:
            people = db.execute(select(Person.id, Person.name).order_by(Person.name_key)).all()
            weeks: dict[int, list[tuple[date, bool]]] = defaultdict(list)
            figure_cols = [getattr(WeeklyMetricRow, m.value) for m in REQUIRED_METRICS]
            # Core rows, not ORM ones: a year of weeks for 200 people is 10 000 rows.
            for pid, monday, *figures in db.connection().execute(
                select(
                    WeeklyMetricRow.person_id, WeeklyMetricRow.week_start, *figure_cols
                ).order_by(WeeklyMetricRow.person_id, WeeklyMetricRow.week_start)
            ):
                weeks[pid].append((monday, qualifies(figures)))
            modules = _counts(
                db,
                select(ModuleCompletionRow.person_id, func.count())
                .where(ModuleCompletionRow.module.in_(list(MODULES)))
                .group_by(ModuleCompletionRow.person_id),
            )
            played = _counts(db, _played_counts())
            reports = _counts(db, _count_by_person(AIReportRow))
            contributions = _counts(db, _count_by_person(ContributionRow))
            mentorships: dict[int, tuple[int, int]] = {
                pid: (n, int(g or 0))
                for pid, n, g in db.execute(
                    select(
                        MentorshipRow.person_id,
                        func.count(),
                        func.sum(case((MentorshipRow.graduated_on.is_not(None), 1), else_=0)),
                    ).group_by(MentorshipRow.person_id)
                )
            }
            assessed: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
            for pid, n_rounds, marked, correct in _assessment_scores(db):
                taken, ok = assessed[pid]
                assessed[pid] = (taken + 1, ok + passed(n_rounds, marked or 0, correct or 0))
            steps: dict[int, dict[Step, date]] = defaultdict(dict)
            for pid, step, dated in db.execute(
                select(
                    CertificationStepRow.person_id,
                    CertificationStepRow.step,
                    CertificationStepRow.dated,
                )
            ):
                steps[pid][step] = dated
            revoked = _revocations(db)
        rows = []
        for pid, name in people:
            longest, current = run_lengths(weeks.get(pid, []))
            n_ment, n_grad = mentorships.get(pid, (0, 0))
            n_assessed, n_passed = assessed[pid]
            statuses = {
                RequirementKey.MODULES: rules.modules_status(
                    modules.get(pid, 0), played.get(pid, 0)
                ),
                RequirementKey.METRICS: rules.metrics_status(len(weeks.get(pid, [])), longest),
                RequirementKey.SCENARIOS: rules.scenarios_status(n_assessed, n_passed),
                RequirementKey.AI_REPORT: rules.ai_report_status(reports.get(pid, 0)),
                RequirementKey.MENTORING: rules.mentoring_status(n_ment, n_grad),
                RequirementKey.CONTRIBUTION: rules.contribution_status(contributions.get(pid, 0)),
            }
            done = steps.get(pid, {})
            awarded = done.get(Step.AWARDED)
            revocation = revoked.get(pid)
            person_weeks = weeks.get(pid)
            rows.append(
                OverviewRow(
                    person_id=pid,
                    name=name,
                    state=state(
                        done, statuses.values(), awarded, today, revoked=revocation is not None
                    ),
                    statuses=statuses,
                    weeks_on_record=len(person_weeks or ()),
                    latest_week=person_weeks[-1][0] if person_weeks else None,
                    current_run_weeks=current,
                    longest_run_weeks=longest,
                    awarded_on=awarded,
                    recertification_due_on=_due(awarded, revocation),
                    next_step=next((s for s in Step if s not in done), None),
                    revoked=revocation,
                )
            )
        return TeamOverview(today=today, rows=tuple(rows))

    def attachment(self, kind: EvidenceKind, record_id: int) -> Attachment:
        """The file handed in with a report or a contribution."""
        with self._store.session() as db:
            row = (
                db.get(AIReportRow, record_id)
                if kind == "report"
                else db.get(ContributionRow, record_id)
            )
            if row is None or row.file_data is None:
                raise UserError(f"There is no file attached to that {kind}.")
            return Attachment(name=row.file_name, data=row.file_data)

    # -- modules ----------------------------------------------------------------------------

    def record_module(
        self, ref: str, module: int, completed_on: date, confirmed_by: str
    ) -> ModuleCompletion:
        """A module completed (or its date or confirmer corrected). Module 4 needs at least
        one practice session played in this app: that is its evidence."""
        if module not in MODULES:
            raise UserError(f"There is no module {module}; the program has modules 1 to 6.")
        self._not_future(completed_on, "A module's completion date")
        confirmed_by = _name(confirmed_by, "Who confirmed the module")
        with self._store.session() as db:
            person = find_person(db, ref)
            if module == ROLE_PLAY_MODULE and not self._played(person.id):
                raise UserError(
                    f"{MODULES[module]} is evidenced by the practice sessions played in this "
                    f"app, and {person.name} has not played one yet."
                )
            row = db.scalar(
                select(ModuleCompletionRow).where(
                    ModuleCompletionRow.person_id == person.id,
                    ModuleCompletionRow.module == module,
                )
            ) or ModuleCompletionRow(person_id=person.id, module=module)
            row.completed_on = completed_on
            row.confirmed_by = confirmed_by
            db.add(row)
            db.commit()
            return _module(row)

    def remove_module(self, ref: str, module: int) -> None:
        """Undo a module completion recorded by mistake (refused once the award is given)."""
        with self._store.session() as db:
            person = find_person(db, ref)
            self._not_awarded(db, person)
            row = db.scalar(
                select(ModuleCompletionRow).where(
                    ModuleCompletionRow.person_id == person.id,
                    ModuleCompletionRow.module == module,
                )
            )
            if row is None:
                raise UserError(f"{person.name} has no completion of module {module} on record.")
            db.delete(row)
            db.commit()

    # -- weekly metrics ---------------------------------------------------------------------

    def record_week(self, ref: str, figures: WeekFigures, changed_by: str) -> WeekCheck:
        """Type one week's figures in; a stored week with other figures is replaced and the
        change kept in the history."""
        changed_by = _name(changed_by, "Who typed the figures")
        with self._store.session() as db:
            person = find_person(db, ref)
            _upsert_week(db, person.id, figures, changed_by, TYPED, self._existing(db, [person.id]))
            db.commit()
        return check_week(figures)

    def import_metrics(
        self, path: Path | str, changed_by: str, *, create_people: bool = False
    ) -> MetricsImportResult:
        """A CSV from the support tool, all or nothing (csv_rows.py has the format)."""
        path = Path(path)
        changed_by = _name(changed_by, "Who imports the file")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise UserError(f"{path}: no such file.") from None
        except IsADirectoryError:
            raise UserError(f"{path} is a folder, not a CSV file.") from None
        except OSError as exc:
            raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
        weeks = parse_metrics_csv(data, str(path))
        source = path.name[:200]
        with self._store.session() as db:
            names = {name_key(w.person): w.person for w in weeks}
            found = {
                key: pid
                for key, pid in db.execute(
                    select(Person.name_key, Person.id).where(Person.name_key.in_(list(names)))
                )
            }
            unknown = [names[k] for k in names if k not in found]
            if unknown and not create_people:
                raise UserError(
                    f"{path}: unknown people: {', '.join(unknown)}. Check the names against "
                    "`hotdash-roleplay people list`, or import with --create-people to add them."
                )
            for name in unknown:
                found[name_key(name)] = get_or_create_person(db, name).id
            existing = self._existing(db, list(found.values()))
            counts: Counter[str] = Counter()
            for week in weeks:
                counts[
                    _upsert_week(
                        db,
                        found[name_key(week.person)],
                        week.figures,
                        changed_by,
                        source,
                        existing,
                    )
                ] += 1
            db.commit()
        return MetricsImportResult(
            file=path.name,
            rows=len(weeks),
            added=counts["added"],
            replaced=counts["replaced"],
            unchanged=counts["unchanged"],
            people_created=tuple(unknown),
        )

    def metric_changes(self, ref: str) -> list[MetricChange]:
        with self._store.session() as db:
            return _changes(db, find_person(db, ref).id)

    # -- report, mentoring, contributions ---------------------------------------------------

    def submit_ai_report(
        self,
        ref: str,
        title: str,
        submitted_on: date,
        *,
        text: str = "",
        attachment: Attachment | None = None,
        reviewer: str = "",
    ) -> AIReport:
        """The AI improvement report: typed text, an attached file, or both."""
        title = _title(title, "The report")
        self._not_future(submitted_on, "The report's date")
        _content(text, attachment, "The report")
        reviewer = _name(reviewer, "The reviewer") if reviewer.strip() else ""
        with self._store.session() as db:
            person = find_person(db, ref)
            row = AIReportRow(
                person_id=person.id,
                title=title,
                submitted_on=submitted_on,
                reviewer=reviewer,
                text=text,
                file_name=attachment.name if attachment else "",
                file_data=attachment.data if attachment else None,
            )
            db.add(row)
            db.commit()
            return _report(row)

    def set_report_reviewer(self, report_id: int, reviewer: str) -> AIReport:
        reviewer = _name(reviewer, "The reviewer")
        with self._store.session() as db:
            row = db.get(AIReportRow, report_id)
            if row is None:
                raise UserError(f"There is no AI improvement report {report_id}.")
            row.reviewer = reviewer
            db.commit()
            return _report(row)

    def add_mentorship(
        self, ref: str, mentee: str, started_on: date, *, graduated_on: date | None = None
    ) -> Mentorship:
        """A mentee, and their graduation when it has happened (checked before anything is
        saved)."""
        mentee = _name(mentee, "The mentee")
        self._not_future(started_on, "The mentoring start")
        if graduated_on is not None:
            self._not_future(graduated_on, "The graduation date")
            _graduation_after_start(mentee, started_on, graduated_on)
        with self._store.session() as db:
            person = find_person(db, ref)
            if name_key(mentee) == person.name_key:
                raise UserError("A candidate cannot mentor themselves.")
            if db.scalar(
                select(MentorshipRow.id).where(
                    MentorshipRow.person_id == person.id,
                    MentorshipRow.mentee_key == name_key(mentee),
                )
            ):
                raise UserError(f"{person.name} already mentors {mentee}.")
            row = MentorshipRow(
                person_id=person.id,
                mentee=mentee,
                mentee_key=name_key(mentee),
                started_on=started_on,
                graduated_on=graduated_on,
            )
            db.add(row)
            db.commit()
            return _mentorship(row)

    def record_graduation(self, mentorship_id: int, graduated_on: date) -> Mentorship:
        """The mentee's graduation to independent operation."""
        self._not_future(graduated_on, "The graduation date")
        with self._store.session() as db:
            row = db.get(MentorshipRow, mentorship_id)
            if row is None:
                raise UserError(f"There is no mentorship {mentorship_id}.")
            _graduation_after_start(row.mentee, row.started_on, graduated_on)
            row.graduated_on = graduated_on
            db.commit()
            return _mentorship(row)

    def add_contribution(
        self,
        ref: str,
        kind: ContributionKind | str,
        title: str,
        contributed_on: date,
        *,
        text: str = "",
        attachment: Attachment | None = None,
    ) -> Contribution:
        """A contribution to training materials: an FAQ addition, a scenario or an
        improvement, as text or a file."""
        try:
            kind = ContributionKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in ContributionKind)
            raise UserError(f"Unknown kind of contribution {kind!r} (one of: {allowed}).") from None
        title = _title(title, "The contribution")
        self._not_future(contributed_on, "The contribution's date")
        _content(text, attachment, "The contribution")
        with self._store.session() as db:
            person = find_person(db, ref)
            row = ContributionRow(
                person_id=person.id,
                kind=kind.value,
                title=title,
                contributed_on=contributed_on,
                text=text,
                file_name=attachment.name if attachment else "",
                file_data=attachment.data if attachment else None,
            )
            db.add(row)
            db.commit()
            return _contribution(row)

    def remove_record(self, kind: RecordKind, record_id: int) -> None:
        """Undo a report, contribution or mentorship recorded by mistake (refused once the
        certification was awarded, even if revoked since: the evidence is kept as awarded)."""
        with self._store.session() as db:
            row = (
                db.get(AIReportRow, record_id)
                if kind == "report"
                else db.get(ContributionRow, record_id)
                if kind == "contribution"
                else db.get(MentorshipRow, record_id)
            )
            if row is None:
                raise UserError(f"There is no {kind} {record_id}.")
            person = db.get(Person, row.person_id)
            assert person is not None  # a foreign key
            self._not_awarded(db, person)
            db.delete(row)
            db.commit()

    # -- the process ------------------------------------------------------------------------

    def record_step(
        self,
        ref: str,
        step: Step | str,
        on: date,
        by: str,
        note: str = "",
        *,
        issuer: IssuerDetails | None = None,
        email: str = "",
    ) -> PersonCertification:
        """Record a process step, in the program's order; refused (with the reason) while a
        step or requirement it depends on is missing. The peer review is the feedback of a
        mentee who graduated: `by` names the mentee, `note` holds the feedback. The award
        issues the signed certificate in the same transaction: it needs the awarding
        organisation (`issuer`) and takes the recipient's `email` (hashed) when given."""
        try:
            step = Step(step)
        except ValueError:
            allowed = ", ".join(s.value for s in Step)
            raise UserError(f"Unknown step {step!r} (one of: {allowed}).") from None
        self._not_future(on, f"{step.label}'s date")
        by = _name(by, f"{step.label}: the {step.by_label.lower()}'s name")
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise UserError(f"The note can be at most {MAX_NOTE} characters long.")
        with self._store.session() as db:
            person = find_person(db, ref)
            view = self._person(db, person)
            refusal = step_refusal(step, _recorded(view), _requirement_map(view), on)
            if refusal is None and step is Step.PEER_REVIEW:
                refusal = _peer_review_refusal(view, by, note)
            if refusal is None and step is Step.AWARDED and issuer is None:
                refusal = NO_ISSUER
            if refusal:
                raise UserError(refusal)
            db.add(
                CertificationStepRow(
                    person_id=person.id, step=step.value, dated=on, by_name=by, note=note
                )
            )
            if step is Step.AWARDED and issuer is not None:
                self._credentials.issue_in(db, person, view, on, issuer, email)
            db.commit()
            return self._person(db, person)

    # -- the scenario assessment ------------------------------------------------------------

    def mark(self, round_id: int, correct: bool, reason: str = "") -> Assessment:
        """The assessor's mark on one decision of a certification assessment: pre-filled
        from the expert decision, overridable only with a written reason."""
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None or rnd.session.mode != PlanMode.CERTIFICATION:
                raise UserError("Only the rounds of a certification assessment are marked.")
            session_id = rnd.session_id
        self._decisions.assess(round_id, correct, reason)
        return self.assessment(session_id)

    # -- helpers ----------------------------------------------------------------------------

    def _person(self, db: Session, person: Person) -> PersonCertification:
        today = self._today()
        completions = tuple(
            _module(r)
            for r in db.scalars(
                select(ModuleCompletionRow)
                .where(ModuleCompletionRow.person_id == person.id)
                .order_by(ModuleCompletionRow.module)
            )
        )
        played = tuple(self._played(person.id))
        weeks = [
            _figures(r)
            for r in db.scalars(
                select(WeeklyMetricRow).where(WeeklyMetricRow.person_id == person.id)
            )
        ]
        summary = summarise(weeks)
        assessments = tuple(_assessments(db, person.id))
        reports = tuple(
            _report(r)
            for r in db.scalars(
                select(AIReportRow)
                .where(AIReportRow.person_id == person.id)
                .order_by(AIReportRow.submitted_on, AIReportRow.id)
            )
        )
        mentorships = tuple(
            _mentorship(r)
            for r in db.scalars(
                select(MentorshipRow)
                .where(MentorshipRow.person_id == person.id)
                .order_by(MentorshipRow.started_on, MentorshipRow.id)
            )
        )
        contributions = tuple(
            _contribution(r)
            for r in db.scalars(
                select(ContributionRow)
                .where(ContributionRow.person_id == person.id)
                .order_by(ContributionRow.contributed_on, ContributionRow.id)
            )
        )
        results = (
            rules.modules_requirement(completions, played),
            rules.metrics_requirement(summary),
            rules.scenarios_requirement(assessments),
            rules.ai_report_requirement(reports),
            rules.mentoring_requirement(mentorships),
            rules.contribution_requirement(contributions),
        )
        records = {
            r.step: StepRecord(step=r.step, on=r.dated, by=r.by_name, note=r.note)
            for r in db.scalars(
                select(CertificationStepRow).where(CertificationStepRow.person_id == person.id)
            )
        }
        requirement_map = {r.key: (r.status, r.missing) for r in results}
        dates = {s: r.on for s, r in records.items()}
        steps = tuple(
            StepView(
                step=s,
                record=records.get(s),
                refusal=None if s in records else step_refusal(s, dates, requirement_map, today),
            )
            for s in Step
        )
        awarded = dates.get(Step.AWARDED)
        revoked = _revocations(db, person.id).get(person.id)
        return PersonCertification(
            person_id=person.id,
            name=person.name,
            today=today,
            state=state(
                records, [r.status for r in results], awarded, today, revoked=revoked is not None
            ),
            requirements=results,
            modules=completions,
            played_sessions=played,
            metrics=summary,
            metric_changes=tuple(_changes(db, person.id)),
            assessments=assessments,
            reports=reports,
            mentorships=mentorships,
            contributions=contributions,
            steps=steps,
            awarded_on=awarded,
            recertification_due_on=_due(awarded, revoked),
            revoked=revoked,
        )

    def _played(self, person_id: int) -> list[PlayedSession]:
        return [
            PlayedSession(
                session_id=s.session_id,
                title=s.title,
                played_on=s.played_at.astimezone().date(),
                rounds_played=s.rounds_played,
            )
            for s in self._history.sessions_played(person_id, PlanMode.PRACTICE)
        ]

    def _existing(
        self, db: Session, person_ids: list[int]
    ) -> dict[tuple[int, date], WeeklyMetricRow]:
        return {
            (r.person_id, r.week_start): r
            for r in db.scalars(
                select(WeeklyMetricRow).where(WeeklyMetricRow.person_id.in_(person_ids))
            )
        }

    def _not_future(self, day: date, what: str) -> None:
        if day > self._today():
            raise UserError(f"{what} cannot be in the future ({long_date(day)}).")

    def _not_awarded(self, db: Session, person: Person) -> None:
        if db.scalar(
            select(CertificationStepRow.id).where(
                CertificationStepRow.person_id == person.id,
                CertificationStepRow.step == Step.AWARDED,
            )
        ):
            raise UserError(
                f"{person.name} was awarded the certification: the evidence is kept as awarded."
            )


# -- rows to records ------------------------------------------------------------------------


def _revocations(db: Session, person_id: int | None = None) -> dict[int, AwardRevoked]:
    """Each person whose latest certificate is revoked (everyone's, or one person's)."""
    latest = select(
        IssuedCredentialRow.person_id, func.max(IssuedCredentialRow.id).label("row_id")
    ).group_by(IssuedCredentialRow.person_id)
    if person_id is not None:
        latest = latest.where(IssuedCredentialRow.person_id == person_id)
    newest = latest.subquery()
    return {
        pid: AwardRevoked(revoked_at=at, revoked_by=by, reason=reason)
        for pid, at, by, reason in db.execute(
            select(
                newest.c.person_id,
                RevocationRow.revoked_at,
                RevocationRow.revoked_by,
                RevocationRow.reason,
            ).join(RevocationRow, RevocationRow.credential_row_id == newest.c.row_id)
        )
    }


def _due(awarded: date | None, revoked: AwardRevoked | None) -> date | None:
    """The annual recertification date; none once the certificate is revoked."""
    return recertification_due(awarded) if awarded and revoked is None else None


def _module(r: ModuleCompletionRow) -> ModuleCompletion:
    return ModuleCompletion(
        module=r.module, completed_on=r.completed_on, confirmed_by=r.confirmed_by
    )


def _report(r: AIReportRow) -> AIReport:
    return AIReport(
        id=r.id,
        title=r.title,
        submitted_on=r.submitted_on,
        reviewer=r.reviewer,
        text=r.text,
        file_name=r.file_name,
        file_size=len(r.file_data or b""),
    )


def _mentorship(r: MentorshipRow) -> Mentorship:
    return Mentorship(
        id=r.id, mentee=r.mentee, started_on=r.started_on, graduated_on=r.graduated_on
    )


def _contribution(r: ContributionRow) -> Contribution:
    return Contribution(
        id=r.id,
        kind=r.kind,
        title=r.title,
        contributed_on=r.contributed_on,
        text=r.text,
        file_name=r.file_name,
        file_size=len(r.file_data or b""),
    )


def _figures(r: WeeklyMetricRow) -> WeekFigures:
    return WeekFigures(week_start=r.week_start, **{c: getattr(r, c) for c in _FIGURE_COLUMNS})


def _figure_dict(f: WeekFigures) -> dict[str, float | None]:
    return {c: f.value(Metric(c)) for c in _FIGURE_COLUMNS}


def _upsert_week(
    db: Session,
    person_id: int,
    figures: WeekFigures,
    changed_by: str,
    source: str,
    existing: dict[tuple[int, date], WeeklyMetricRow],
) -> Literal["added", "replaced", "unchanged"]:
    new = _figure_dict(figures)
    row = existing.get((person_id, figures.week_start))
    if row is None:
        row = WeeklyMetricRow(
            person_id=person_id, week_start=figures.week_start, source=source, **new
        )
        db.add(row)
        existing[(person_id, figures.week_start)] = row
        return "added"
    old = {c: getattr(row, c) for c in _FIGURE_COLUMNS}
    if old == new:
        return "unchanged"
    db.add(
        MetricChangeRow(
            person_id=person_id,
            week_start=figures.week_start,
            changed_by=changed_by,
            source=source,
            old=old,
            new=new,
        )
    )
    for column, value in new.items():
        setattr(row, column, value)
    row.source = source
    row.updated_at = utcnow()
    return "replaced"


def _changes(db: Session, person_id: int) -> list[MetricChange]:
    return [
        MetricChange(
            week_start=r.week_start,
            changed_at=r.changed_at,
            changed_by=r.changed_by,
            source=r.source,
            old=r.old,
            new=r.new,
        )
        for r in db.scalars(
            select(MetricChangeRow)
            .where(MetricChangeRow.person_id == person_id)
            .order_by(MetricChangeRow.changed_at, MetricChangeRow.id)
        )
    ]


def _assessments(db: Session, person_id: int, session_id: int | None = None) -> list[Assessment]:
    """Certification sessions where the person operated, with every round's mark."""
    query = (
        select(TrainingSession, Round, OperatorDecision)
        .join(Round, Round.session_id == TrainingSession.id)
        .join(
            RoleAssignment,
            and_(
                RoleAssignment.round_id == Round.id,
                RoleAssignment.role == Role.OPERATOR,
                RoleAssignment.person_id == person_id,
            ),
        )
        .outerjoin(OperatorDecision, OperatorDecision.round_id == Round.id)
        .where(TrainingSession.mode == PlanMode.CERTIFICATION)
        .order_by(TrainingSession.created_at, TrainingSession.id, Round.index)
    )
    if session_id is not None:
        query = query.where(TrainingSession.id == session_id)
    grouped: dict[int, tuple[TrainingSession, list[AssessedRound]]] = {}
    name = db.get(Person, person_id)
    for session, rnd, decision in db.execute(query).all():
        entry = grouped.setdefault(session.id, (session, []))
        entry[1].append(
            AssessedRound(
                round_id=rnd.id,
                number=rnd.index + 1,
                scenario_title=rnd.scenario_title or rnd.scenario_id,
                decision=decision.decision if decision else None,
                expert_decision=_expert_wording(rnd.scenario),
                matched_expert=decision.matched_expert if decision else None,
                correct=decision.assessed_correct if decision else None,
                reason=decision.assessment_reason if decision else "",
            )
        )
    return [
        Assessment(
            session_id=s.id,
            title=s.title,
            held_on=s.created_at.astimezone().date(),
            candidate=name.name if name else "",
            assessor=s.trainer,
            rounds=tuple(rounds),
        )
        for s, rounds in grouped.values()
    ]


def _assessment_scores(db: Session) -> Sequence[Any]:
    """(person, rounds, marked, correct) per certification session and operator."""
    return db.execute(
        select(
            RoleAssignment.person_id,
            func.count(Round.id),
            func.count(OperatorDecision.assessed_correct),
            func.sum(func.cast(OperatorDecision.assessed_correct, Integer)),
        )
        .join(Round, Round.id == RoleAssignment.round_id)
        .join(TrainingSession, TrainingSession.id == Round.session_id)
        .outerjoin(OperatorDecision, OperatorDecision.round_id == Round.id)
        .where(
            TrainingSession.mode == PlanMode.CERTIFICATION,
            RoleAssignment.role == Role.OPERATOR,
        )
        .group_by(RoleAssignment.person_id, TrainingSession.id)
    ).all()


def _played_counts() -> Any:
    return (
        select(RoleAssignment.person_id, func.count(func.distinct(Round.session_id)))
        .join(Round, Round.id == RoleAssignment.round_id)
        .join(TrainingSession, TrainingSession.id == Round.session_id)
        .where(TrainingSession.mode == PlanMode.PRACTICE, Round.status == RoundStatus.DONE)
        .group_by(RoleAssignment.person_id)
    )


def _count_by_person(table: type[AIReportRow] | type[ContributionRow]) -> Any:
    return select(table.person_id, func.count()).group_by(table.person_id)


def _counts(db: Session, query: Any) -> dict[int, int]:
    return {pid: int(n) for pid, n in db.execute(query)}


def _recorded(view: PersonCertification) -> dict[Step, date]:
    return {s.step: s.record.on for s in view.steps if s.record}


def _requirement_map(
    view: PersonCertification,
) -> dict[RequirementKey, tuple[RequirementStatus, str]]:
    return {r.key: (r.status, r.missing) for r in view.requirements}


def _peer_review_refusal(view: PersonCertification, mentee: str, feedback: str) -> str | None:
    graduated = {name_key(m.mentee): m for m in view.mentorships if m.graduated}
    if name_key(mentee) not in graduated:
        names = ", ".join(m.mentee for m in graduated.values())
        return (
            f"The peer review is the feedback of a mentee who graduated; {mentee} is not one "
            f"of {view.name}'s graduated mentees ({names})."
        )
    if not feedback:
        return f"The peer review needs {mentee}'s feedback, written in the note."
    return None


def _graduation_after_start(mentee: str, started_on: date, graduated_on: date) -> None:
    if graduated_on < started_on:
        raise UserError(
            f"{mentee} cannot graduate ({long_date(graduated_on)}) before the mentoring "
            f"started ({long_date(started_on)})."
        )


def _name(text: str, what: str) -> str:
    try:
        return clean_name(text)
    except UserError as exc:
        raise UserError(f"{what}: {exc}") from None


def _title(text: str, what: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise UserError(f"{what} needs a title.")
    if len(title) > MAX_TITLE:
        raise UserError(f"{what}'s title can be at most {MAX_TITLE} characters long.")
    return title


def _content(text: str, attachment: Attachment | None, what: str) -> None:
    if not text.strip() and attachment is None:
        raise UserError(f"{what} needs its text or an attached file.")
    if len(text) > MAX_TEXT:
        raise UserError(f"{what}'s text can be at most {MAX_TEXT} characters long.")


def _expert_wording(scenario: dict[str, Any]) -> str:
    expert = expert_of(scenario)
    return expert.wording if expert else ""
