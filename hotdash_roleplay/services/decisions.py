"""The operator's decision on the AI draft, with its note, time, and match with the expert."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotdash_roleplay.decisions import MAX_REPLY, Decision, DecisionDraft, parse_draft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import MAX_NAME, name_key
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.scenarios import expert_of
from hotdash_roleplay.services.convert import decision_view
from hotdash_roleplay.services.views import DecisionView
from hotdash_roleplay.status import DecisionSource, RoundStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import DecisionCorrection, OperatorDecision, Round, utcnow
from hotdash_roleplay.validation import first_problem

NO_DECISION = "Choose one of the four decisions first."  # the console form says the same
MAX_REASON = 2000


class AlreadyDecided(UserError):
    """The round's decision is recorded already; `current` is what is stored."""

    def __init__(self, current: DecisionView) -> None:
        super().__init__(
            f"{current.operator}'s decision is already recorded ({current.decision.label}). "
            "The trainer can correct it in the console."
        )
        self.current = current


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
        source: DecisionSource = DecisionSource.CONSOLE,
        operator: str | None = None,
    ) -> DecisionView:
        """Record (or, from the console, replace) the decision of a round; refuses an
        incomplete note. From a device (`source`), `operator` must be the round's operator and
        a decision is recorded once (`AlreadyDecided`). A decision the operator made on their
        device is never replaced from the console: the trainer corrects it with a reason."""
        choice = _choice(decision)
        problem = decision_problem(choice, final_reply, rejection_note, escalation_note)
        if problem:
            raise UserError(problem)
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None:
                raise UserError(f"There is no round {round_id}.")
            player = next((a.person for a in rnd.roles if a.role == Role.OPERATOR), None)
            if player is None:
                raise UserError("This round has no operator to record a decision for.")
            if operator is not None and name_key(operator) != player.name_key:
                raise UserError(f"{operator} is not the operator in round {rnd.index + 1}.")
            if rnd.decision is not None and source is DecisionSource.DEVICE:
                raise AlreadyDecided(decision_view(rnd.decision))
            if rnd.decision is not None and rnd.decision.source is DecisionSource.DEVICE:
                raise UserError(
                    f"{rnd.decision.operator.name} recorded their decision on their own device: "
                    "correct it, with a reason, instead of recording another."
                )
            row = rnd.decision or OperatorDecision(round=rnd, operator=player)
            row.operator = player
            _apply(row, choice, final_reply, rejection_note, escalation_note)
            row.seconds_to_decide = seconds_to_decide
            row.source = source
            if row.assessed_correct is None or not row.assessment_reason:
                row.assessed_correct = row.matched_expert  # the assessor's default, overridable
            row.recorded_at = utcnow()
            rnd.decision_draft = None  # recorded: the draft has served
            db.add(row)
            try:
                db.commit()
            except IntegrityError:  # another writer recorded the round's decision first
                db.rollback()
                raise AlreadyDecided(self._current(round_id)) from None
            return decision_view(row)

    def record_from_device(
        self, round_id: int, operator: str, draft: DecisionDraft, seconds_to_decide: float
    ) -> DecisionView:
        """The operator's own decision, sent from their device as the console's form fields:
        the console's rules, recorded once, with their own time to decide."""
        if draft.decision is None:
            raise UserError(NO_DECISION)
        rejection, escalation = draft_notes(draft)
        return self.record(
            round_id,
            draft.decision,
            final_reply=draft.final_reply,
            rejection_note=rejection,
            escalation_note=escalation,
            seconds_to_decide=seconds_to_decide,
            source=DecisionSource.DEVICE,
            operator=operator,
        )

    def correct(
        self,
        round_id: int,
        decision: Decision | str,
        *,
        reason: str,
        corrected_by: str = "",
        final_reply: str = "",
        rejection_note: RejectionNote | None = None,
        escalation_note: EscalationNote | None = None,
    ) -> DecisionView:
        """The trainer corrects the recorded decision. The reason is required and kept with
        the value it replaced; the operator's time to decide and where it was recorded stay."""
        reason = reason.strip()
        if not reason:
            raise UserError("Give the reason for the correction: it is kept in the record.")
        if len(reason) > MAX_REASON:
            raise UserError(f"The reason can be at most {MAX_REASON} characters long.")
        choice = _choice(decision)
        problem = decision_problem(choice, final_reply, rejection_note, escalation_note)
        if problem:
            raise UserError(problem)
        with self._store.session() as db:
            rnd = db.get(Round, round_id)
            if rnd is None or rnd.decision is None:
                raise UserError("There is no recorded decision to correct.")
            row = rnd.decision
            row.corrections.append(
                DecisionCorrection(
                    reason=reason,
                    corrected_by=corrected_by.strip()[:MAX_NAME],
                    previous={
                        "decision": row.decision.value,
                        "final_reply": row.final_reply,
                        "rejection_note": row.rejection_note,
                        "escalation_note": row.escalation_note,
                    },
                )
            )
            _apply(row, choice, final_reply, rejection_note, escalation_note)
            if not row.assessment_reason:
                row.assessed_correct = row.matched_expert
            db.commit()
            return decision_view(row)

    def _current(self, round_id: int) -> DecisionView:
        found = self.get(round_id)
        if found is None:
            raise UserError("The decision could not be recorded: try again.")
        return found

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


def _choice(decision: Decision | str) -> Decision:
    try:
        return Decision(decision)
    except ValueError:
        allowed = ", ".join(d.value for d in Decision)
        raise UserError(f"Unknown decision {decision!r} (one of: {allowed}).") from None


def _apply(
    row: OperatorDecision,
    choice: Decision,
    final_reply: str,
    rejection_note: RejectionNote | None,
    escalation_note: EscalationNote | None,
) -> None:
    """Set the decision and the one text its choice keeps, and whether it matched the expert."""
    expert = expert_of(row.round.scenario)
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
    row.matched_expert = expert.matches(choice) if expert else None


def draft_notes(draft: DecisionDraft) -> tuple[RejectionNote | None, EscalationNote | None]:
    """The note a form's fields make for its chosen decision (the console's note forms by
    field name); fields that do not fit the template are refused in words."""
    try:
        rejection = (
            RejectionNote.model_validate(draft.rejection)
            if draft.decision is Decision.REJECT
            else None
        )
    except ValidationError as exc:
        raise UserError(f"The rejection note is not valid: {first_problem(exc)}") from None
    try:
        escalation = (
            EscalationNote.model_validate(draft.escalation)
            if draft.decision is Decision.ESCALATE
            else None
        )
    except ValidationError as exc:
        raise UserError(f"The escalation note is not valid: {first_problem(exc)}") from None
    return rejection, escalation


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
