"""ORM rows to views: one place, so every service reports the same shape."""

from __future__ import annotations

from hotdash_roleplay.played import round_played
from hotdash_roleplay.rotation import Role, RoundRoles
from hotdash_roleplay.services.views import (
    DecisionView,
    PhasePlan,
    RoundView,
    SessionDetail,
    SessionSummary,
)
from hotdash_roleplay.store.models import OperatorDecision, Round, TrainingSession


def round_roles(row: Round) -> RoundRoles:
    """The rotation's view of a stored round (the trainer fills empty slots)."""
    by_role: dict[Role, list[str]] = {}
    for a in sorted(row.roles, key=lambda a: a.person.name):
        by_role.setdefault(a.role, []).append(a.person.name)
    return RoundRoles(
        operator=(by_role.get(Role.OPERATOR) or [""])[0],
        ai_system=(by_role.get(Role.AI_SYSTEM) or [""])[0],
        facilitator=next(iter(by_role.get(Role.FACILITATOR, [])), None),
        observers=tuple(by_role.get(Role.OBSERVER, [])),
    )


def round_view(row: Round) -> RoundView:
    roles = round_roles(row)
    return RoundView(
        id=row.id,
        index=row.index,
        scenario_id=row.scenario_id,
        scenario_title=row.scenario_title or row.scenario_id,
        status=row.status,
        played=round_played(row.status, row.clock_state),
        operator=roles.operator or None,
        ai_system=roles.ai_system or None,
        facilitator=roles.facilitator,
        observers=roles.observers,
        feedback_open=row.feedback_open,
        debrief_question=row.debrief_question,
        expert_revealed=row.expert_revealed,
    )


def session_summary(row: TrainingSession) -> SessionSummary:
    return SessionSummary(
        id=row.id,
        uid=row.uid,
        title=row.title,
        plan_id=row.plan_id,
        plan_title=str(row.plan.get("title", row.plan_id)),
        mode=row.mode,
        status=row.status,
        created_at=row.created_at,
        participants=tuple(p.person.name for p in row.participants if p.active),
        round_count=len(row.rounds),
        current_round=row.current_round,
    )


def session_detail(row: TrainingSession) -> SessionDetail:
    return SessionDetail(
        **session_summary(row).model_dump(),
        trainer=row.trainer,
        seed=row.seed,
        anonymous_feedback=row.anonymous_feedback,
        join_code=row.join_code,
        drill=bool(row.plan.get("drill", False)),
        phases=tuple(PhasePlan(**p) for p in row.plan["phases"]),
        rounds=tuple(round_view(r) for r in row.rounds),
        departed=tuple(p.person.name for p in row.participants if not p.active),
    )


def decision_view(row: OperatorDecision) -> DecisionView:
    return DecisionView(
        round_id=row.round_id,
        operator=row.operator.name,
        decision=row.decision,
        final_reply=row.final_reply,
        rejection_note=row.rejection_note,
        escalation_note=row.escalation_note,
        seconds_to_decide=row.seconds_to_decide,
        matched_expert=row.matched_expert,
        assessed_correct=row.assessed_correct,
        assessment_reason=row.assessment_reason,
        recorded_at=row.recorded_at,
        version=row.version,
    )
