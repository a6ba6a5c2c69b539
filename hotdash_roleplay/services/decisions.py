"""The operator's decision on the AI draft, with its note, time, and match with the expert."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.scenarios import expert_of
from hotdash_roleplay.services.convert import decision_view
from hotdash_roleplay.services.views import DecisionView
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import OperatorDecision, Round, utcnow

MAX_REPLY = 20_000


NoteText = Annotated[str, Field(max_length=10_000)]


class DecisionDraft(BaseModel):
    """The decision form as typed, not recorded yet: any state, however incomplete."""

    model_config = ConfigDict(extra="forbid")

    decision: Decision | None = None
    final_reply: str = Field(default="", max_length=MAX_REPLY)
    rejection: dict[Annotated[str, Field(max_length=40)], NoteText] = Field(
        default_factory=dict, max_length=20
    )
    escalation: dict[Annotated[str, Field(max_length=40)], NoteText] = Field(
        default_factory=dict, max_length=20
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
    ) -> DecisionView:
        """Record (or replace) the decision of a round; refuses an incomplete note."""
        try:
            choice = Decision(decision)
        except ValueError:
            allowed = ", ".join(d.value for d in Decision)
            raise UserError(f"Unknown decision {decision!r} (one of: {allowed}).") from None
        if len(final_reply) > MAX_REPLY:
            raise UserError(f"The reply can be at most {MAX_REPLY} characters long.")
        if choice is Decision.EDIT_APPROVE and not final_reply.strip():
            raise UserError("Edit & approve needs the edited reply.")
        if choice is Decision.REJECT:
            _require_note(rejection_note, "rejection note")
        if choice is Decision.ESCALATE:
            _require_note(escalation_note, "escalation note")
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None:
                raise UserError(f"There is no round {round_id}.")
            operator = next((a.person for a in rnd.roles if a.role == "operator"), None)
            if operator is None:
                raise UserError("This round has no operator to record a decision for.")
            expert = expert_of(rnd.scenario)
            matched = expert.matches(choice) if expert else None
            row = rnd.decision or OperatorDecision(round=rnd, operator=operator)
            row.operator = operator
            row.decision = choice.value
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
            if rnd is None or rnd.decision_draft is None:
                return None
            try:
                return DecisionDraft.model_validate(rnd.decision_draft)
            except ValidationError:
                return None  # a draft from an older form: start from the template again

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


def _require_note(note: RejectionNote | EscalationNote | None, what: str) -> None:
    if note is None:
        raise UserError(f"This decision needs a {what}.")
    try:
        type(note).model_validate(note.model_dump())
    except ValidationError as exc:
        raise UserError(f"The {what} is not valid: {exc.errors()[0]['msg']}") from None
    missing = note.missing()
    if missing:
        raise UserError(f"The {what} still needs: {', '.join(missing)}.")
