"""The ORM tables. Only services import this module; views never see ORM objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from hotdash_roleplay.certification.program import ContributionKind, Step
from hotdash_roleplay.checklist import Mark
from hotdash_roleplay.clock import EventKind
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.names import MAX_NAME, MAX_NAME_KEY
from hotdash_roleplay.plans import MAX_SESSION_TITLE, PlanMode
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.status import (
    DebriefKind,
    FilledIn,
    RoundStatus,
    SessionStatus,
    SubmissionStatus,
)

# Stable constraint names: Alembic batch migrations on SQLite need them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite hands timestamps back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def one_of(enum: type[StrEnum], name: str, length: int = 20) -> Enum:
    """A column holding one of the enum's values: VARCHAR with a CHECK constraint named
    ck_<table>_<name> (no native PostgreSQL type, so a new value is an ordinary migration on
    every backend); rows read back as members, and a value outside the enum is refused before
    it reaches the database."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: UTCDateTime(),
    }


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    # names.name_key() of the name: SQL lower() only folds ASCII, and "Юлия" must match "юлия".
    name_key: Mapped[str] = mapped_column(String(MAX_NAME_KEY), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrainingSession(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # stable across stores (import)
    title: Mapped[str] = mapped_column(String(MAX_SESSION_TITLE))
    trainer: Mapped[str] = mapped_column(String(MAX_NAME), default="")
    plan_id: Mapped[str] = mapped_column(String(80))
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)  # snapshot: phases, mode, drill
    mode: Mapped[PlanMode] = mapped_column(one_of(PlanMode, "mode"), default=PlanMode.PRACTICE)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[SessionStatus] = mapped_column(
        one_of(SessionStatus, "status"), default=SessionStatus.PLANNED
    )
    current_round: Mapped[int] = mapped_column(Integer, default=0)
    anonymous_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    join_code: Mapped[str] = mapped_column(String(12), default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")  # trainer's notes
    # The observer page's address and port, kept for the session's whole life so the QR code on
    # the wall and every open page keep working across a restart.
    observer_address: Mapped[str | None] = mapped_column(String(64), default=None)
    observer_port: Mapped[int | None] = mapped_column(Integer, default=None)
    # The projector window as the trainer left it ({"screen": name, "full_screen": bool}), or
    # None when it was closed: a restart reopens it.
    projector: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # Moved by every change to the row (and to its roster): other apps on a shared store watch
    # count(*) and max(updated_at) to refresh their session lists.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Participant.position"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Round.index"
    )


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once they left

    session: Mapped[TrainingSession] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("session_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    scenario_id: Mapped[str] = mapped_column(String(80))
    scenario_title: Mapped[str] = mapped_column(String(200), default="")
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)  # snapshot as played
    status: Mapped[RoundStatus] = mapped_column(
        one_of(RoundStatus, "status"), default=RoundStatus.PENDING
    )
    clock_state: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    feedback_open: Mapped[bool] = mapped_column(Boolean, default=False)
    debrief_question: Mapped[int] = mapped_column(Integer, default=0)
    expert_revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The decision form as typed and not yet recorded: kept so a crash loses nothing.
    decision_draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    session: Mapped[TrainingSession] = relationship(back_populates="rounds")
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    events: Mapped[list[PhaseEventRow]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="PhaseEventRow.seq"
    )
    decision: Mapped[OperatorDecision | None] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    submissions: Mapped[list[ChecklistSubmission]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    notes: Mapped[list[DebriefItem]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="DebriefItem.position"
    )


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[Role] = mapped_column(one_of(Role, "role"))

    round: Mapped[Round] = relationship(back_populates="roles")
    person: Mapped[Person] = relationship()


class PhaseEventRow(Base):
    __tablename__ = "phase_events"
    __table_args__ = (UniqueConstraint("round_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EventKind] = mapped_column(one_of(EventKind, "kind"))
    phase_index: Mapped[int] = mapped_column(Integer)
    at_wall: Mapped[float] = mapped_column(Float)
    delta_seconds: Mapped[int | None] = mapped_column(Integer, default=None)

    round: Mapped[Round] = relationship(back_populates="events")


class OperatorDecision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    decision: Mapped[Decision] = mapped_column(one_of(Decision, "decision"))
    final_reply: Mapped[str] = mapped_column(Text, default="")
    rejection_note: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    escalation_note: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    seconds_to_decide: Mapped[float | None] = mapped_column(Float, default=None)
    matched_expert: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Certification assessment: the assessor's mark, pre-filled from matched_expert.
    assessed_correct: Mapped[bool | None] = mapped_column(Boolean, default=None)
    assessment_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every record; a record names the version it was based on (conditional update),
    # so a stale device never replaces a decision it has not seen.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    round: Mapped[Round] = relationship(back_populates="decision")
    operator: Mapped[Person] = relationship()


class ChecklistSubmission(Base):
    __tablename__ = "checklist_submissions"
    __table_args__ = (UniqueConstraint("round_id", "observer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[SubmissionStatus] = mapped_column(
        one_of(SubmissionStatus, "status"), default=SubmissionStatus.DRAFT
    )
    # Bumped by every save; a save names the version it started from (conditional update), so
    # two devices never overwrite each other silently.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Where it is being filled in: the trainer's laptop or a claimed device.
    filled_in: Mapped[FilledIn] = mapped_column(
        one_of(FilledIn, "filled_in"), default=FilledIn.CONSOLE, server_default=FilledIn.CONSOLE
    )
    went_well: Mapped[list[str]] = mapped_column(JSON, default=list)
    could_improve: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)

    round: Mapped[Round] = relationship(back_populates="submissions")
    observer: Mapped[Person] = relationship()
    answers: Mapped[list[CriterionAnswer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class CriterionAnswer(Base):
    __tablename__ = "criterion_answers"
    __table_args__ = (UniqueConstraint("submission_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_submissions.id", ondelete="CASCADE")
    )
    criterion: Mapped[str] = mapped_column(String(40))
    mark: Mapped[Mark | None] = mapped_column(one_of(Mark, "mark"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[ChecklistSubmission] = relationship(back_populates="answers")


class DebriefItem(Base):
    """Trainer's debrief notes (per question), takeaways and action items of a round."""

    __tablename__ = "debrief_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DebriefKind] = mapped_column(one_of(DebriefKind, "kind"))
    position: Mapped[int] = mapped_column(Integer)  # question index, or list order
    text: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship(back_populates="notes")


class SessionLease(Base):
    """Which app instance has a session open in its console, so a second one is refused. The
    holder renews it while the console is open; it lapses at expires_at if that app dies."""

    __tablename__ = "session_leases"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    holder_id: Mapped[str] = mapped_column(String(32))  # random per app instance
    host: Mapped[str] = mapped_column(String(255))  # the computer's name, for the notice
    machine: Mapped[str] = mapped_column(String(32))  # the computer itself (its network card)
    user: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)  # on the same machine, a dead holder frees it
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ObserverToken(Base):
    """An observer's browser, bound to one person in one session (only a hash is kept)."""

    __tablename__ = "observer_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)


# -- Expert Operator Certification ----------------------------------------------------------


class ModuleCompletionRow(Base):
    __tablename__ = "cert_module_completions"
    __table_args__ = (UniqueConstraint("person_id", "module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    module: Mapped[int] = mapped_column(Integer)  # 1..6
    completed_on: Mapped[date] = mapped_column(Date)
    confirmed_by: Mapped[str] = mapped_column(String(120))


class WeeklyMetricRow(Base):
    __tablename__ = "cert_weekly_metrics"
    __table_args__ = (UniqueConstraint("person_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)  # a Monday
    approval_rate: Mapped[float] = mapped_column(Float)
    avg_review_seconds: Mapped[float] = mapped_column(Float)
    csat: Mapped[float] = mapped_column(Float)
    first_contact_resolution: Mapped[float] = mapped_column(Float)
    decision_accuracy: Mapped[float] = mapped_column(Float)
    escalation_rate: Mapped[float | None] = mapped_column(Float, default=None)
    source: Mapped[str] = mapped_column(String(200), default="typed")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MetricChangeRow(Base):
    """A stored week replaced by different figures: who, when, from where, old and new."""

    __tablename__ = "cert_metric_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(200))
    old: Mapped[dict[str, Any]] = mapped_column(JSON)
    new: Mapped[dict[str, Any]] = mapped_column(JSON)


class AIReportRow(Base):
    __tablename__ = "cert_ai_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    submitted_on: Mapped[date] = mapped_column(Date)
    reviewer: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class MentorshipRow(Base):
    __tablename__ = "cert_mentorships"
    __table_args__ = (UniqueConstraint("person_id", "mentee_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    mentee: Mapped[str] = mapped_column(String(120))
    mentee_key: Mapped[str] = mapped_column(String(MAX_NAME_KEY))  # names.name_key()
    started_on: Mapped[date] = mapped_column(Date)
    graduated_on: Mapped[date | None] = mapped_column(Date, default=None)


class ContributionRow(Base):
    __tablename__ = "cert_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ContributionKind] = mapped_column(one_of(ContributionKind, "kind"))
    title: Mapped[str] = mapped_column(String(200))
    contributed_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class CertificationStepRow(Base):
    __tablename__ = "cert_steps"
    __table_args__ = (UniqueConstraint("person_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    step: Mapped[Step] = mapped_column(one_of(Step, "step", length=30))
    dated: Mapped[date] = mapped_column(Date)
    by_name: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedCredentialRow(Base):
    """A signed certificate as it was issued (its JSON, word for word): the verifier of this
    store compares a presented copy with it to name the fields that were altered."""

    __tablename__ = "cert_credentials"
    __table_args__ = (CheckConstraint("valid_until > awarded_on", name="valid_after_award"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    credential_id: Mapped[str] = mapped_column(String(100), unique=True)
    issuer_did: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(80))
    proof_value: Mapped[str] = mapped_column(String(200), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class RevocationRow(Base):
    __tablename__ = "cert_revocations"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_row_id: Mapped[int] = mapped_column(
        ForeignKey("cert_credentials.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[str] = mapped_column(String(120))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)
