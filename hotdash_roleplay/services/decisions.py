"""The operator's decision on the AI draft, with its note, time, and match with the expert."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotdash_roleplay.decisions import MAX_REPLY, Decision, DecisionDraft, parse_draft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import expert_of
from hotdash_roleplay.services.convert import decision_view
from hotdash_roleplay.services.views import DecisionView
from hotdash_roleplay.status import RoundStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import OperatorDecision, Round, utcnow
from hotdash_roleplay.validation import first_problem


class LeftoverDraft(BaseModel):
    """A decision typed on a round that closed without it being recorded."""

    model_config = ConfigDict(frozen=True)

    round_number: int
    draft: DecisionDraft

    @property
    def notice(self) -> str:
        chosen = self.draft.decision.label if self.draft.decision else "no decision chosen"
        typed = self.draft.summary()
        return (
            f"Round {self.round_number} closed without a recorded decision; what was typed for "
            f"it is kept but not recorded: {chosen}" + (f" — {typed}" if typed else "") + "."
        )


class DecisionChangedElsewhere(UserError):
    """A record based on an older decision than the one stored: another device recorded one
    since this form was loaded. Carries what is stored, so it can be shown."""

    def __init__(self, stored: DecisionView) -> None:
        self.stored = stored
        draft = DecisionDraft(
            decision=stored.decision,
            final_reply=stored.final_reply,
            rejection=stored.rejection_note or {},
            escalation=stored.escalation_note or {},
        )
        typed = draft.summary()
        at = stored.recorded_at.astimezone()
        super().__init__(
            "The decision was changed on another device since it was loaded here: "
            f"{stored.decision.label} for {stored.operator}, recorded at "
            f"{at.hour:02d}:{at.minute:02d}" + (f" ({typed})" if typed else "") + ". "
            "Nothing was replaced; your form is kept. Record again to replace that decision."
        )


class DecisionService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(
        self,
        round_id: int,
        decision: Decision | str,
        *,
        final_reply: str = "",
        rejection_note: RejectionNote | None = None,
        escalation_note: EscalationNote | None = None,
        seconds_to_decide: float | None = None,
        seen: int | None = None,
    ) -> DecisionView:
        """Record (or replace) the decision of a round; refuses an incomplete note.

        `seen` is the version of the decision the form was based on (0: none was recorded):
        if another device has recorded one since, DecisionChangedElsewhere, and nothing is
        written. None replaces whatever is stored (headless callers that read nothing)."""
        try:
            choice = Decision(decision)
        except ValueError:
            allowed = ", ".join(d.value for d in Decision)
            raise UserError(f"Unknown decision {decision!r} (one of: {allowed}).") from None
        problem = decision_problem(choice, final_reply, rejection_note, escalation_note)
        if problem:
            raise UserError(problem)
        try:
            return self._record(
                round_id,
                choice,
                final_reply,
                rejection_note,
                escalation_note,
                seconds_to_decide,
                seen,
            )
        except IntegrityError:  # another device recorded the round's first decision meanwhile
            stored = self.get(round_id)
            if stored is None:
                raise
            raise DecisionChangedElsewhere(stored) from None

    def _record(
        self,
        round_id: int,
        choice: Decision,
        final_reply: str,
        rejection_note: RejectionNote | None,
        escalation_note: EscalationNote | None,
        seconds_to_decide: float | None,
        seen: int | None,
    ) -> DecisionView:
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None:
                raise UserError(f"There is no round {round_id}.")
            # Locked until the commit (PostgreSQL): a record from elsewhere waits, then sees ours.
            stored = db.scalars(
                select(OperatorDecision)
                .where(OperatorDecision.round_id == round_id)
                .with_for_update()
            ).one_or_none()
            if seen is not None and stored is not None and stored.version != seen:
                raise DecisionChangedElsewhere(decision_view(stored))
            operator = next((a.person for a in rnd.roles if a.role == Role.OPERATOR), None)
            if operator is None:
                raise UserError("This round has no operator to record a decision for.")
            expert = expert_of(rnd.scenario)
            matched = expert.matches(choice) if expert else None
            row = stored or OperatorDecision(round=rnd, operator=operator, version=0)
            row.version += 1
            row.operator = operator
            row.decision = choice
            row.final_reply = final_reply if choice is Decision.EDIT_APPROVE else ""
            row.rejection_note = (
                rejection_note.model_dump(mode="json")
                if choice is Decision.REJECT and rejection_note
                else None
            )
            row.escalation_note = (
                escalation_note.model_dump(mode="json")
                if choice is Decision.ESCALATE and escalation_note
                else None
            )
            row.seconds_to_decide = seconds_to_decide
            row.matched_expert = matched
            if row.assessed_correct is None or not row.assessment_reason:
                row.assessed_correct = matched  # the assessor's default, overridable
            row.recorded_at = utcnow()
            rnd.decision_draft = None  # recorded: the draft has served
            db.add(row)
            db.commit()
            return decision_view(row)

    def save_draft(self, round_id: int, draft: DecisionDraft) -> None:
        """Keep the form as typed (called on every change: nothing typed is lost)."""
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None:
                raise UserError(f"There is no round {round_id}.")
            rnd.decision_draft = draft.model_dump(mode="json")
            db.commit()

    def draft(self, round_id: int) -> DecisionDraft | None:
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            return parse_draft(rnd.decision_draft) if rnd else None

    def leftover_drafts(self, session_id: int) -> list[LeftoverDraft]:
        """Drafts on the session's closed rounds that have no recorded decision, in order."""
        with self._store.session() as db:
            rows = db.execute(
                select(Round.index, Round.decision_draft)
                .where(
                    Round.session_id == session_id,
                    Round.status == RoundStatus.DONE,
                    Round.decision_draft.is_not(None),
                    ~Round.decision.has(),
                )
                .order_by(Round.index)
            ).all()
        found = [(index, parse_draft(raw)) for index, raw in rows]
        return [LeftoverDraft(round_number=i + 1, draft=d) for i, d in found if d is not None]

    def get(self, round_id: int) -> DecisionView | None:
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            return decision_view(rnd.decision) if rnd and rnd.decision else None

    def assess(self, round_id: int, correct: bool, reason: str = "") -> DecisionView:
        """Certification: the assessor's mark. Overriding the expert match needs a reason."""
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None or rnd.decision is None:
                raise UserError("Record the operator's decision before assessing it.")
            row = rnd.decision
            reason = reason.strip()
            if row.matched_expert is not None and correct != row.matched_expert and not reason:
                raise UserError("Give a reason when overriding the expert decision's verdict.")
            row.assessed_correct = correct
            row.assessment_reason = reason[:2000]
            db.commit()
            return decision_view(row)


def decision_problem(
    choice: Decision,
    final_reply: str,
    rejection_note: RejectionNote | None,
    escalation_note: EscalationNote | None,
) -> str | None:
    """Why this decision cannot be recorded as it stands, or None: the rule record() applies,
    also asked by the form as it is filled in, so its message follows what is still missing."""
    if len(final_reply) > MAX_REPLY:
        return f"The reply can be at most {MAX_REPLY} characters long."
    if choice is Decision.EDIT_APPROVE and not final_reply.strip():
        return "Edit & approve needs the edited reply."
    if choice is Decision.REJECT:
        return _note_problem(rejection_note, "rejection note")
    if choice is Decision.ESCALATE:
        return _note_problem(escalation_note, "escalation note")
    return None


def _note_problem(note: RejectionNote | EscalationNote | None, what: str) -> str | None:
    if note is None:
        return f"This decision needs a {what}."
    try:
        type(note).model_validate(note.model_dump())
    except ValidationError as exc:
        return f"The {what} is not valid: {first_problem(exc)}"
    missing = note.missing()
    return f"The {what} still needs: {', '.join(missing)}." if missing else None
