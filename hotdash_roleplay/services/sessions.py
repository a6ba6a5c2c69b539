"""Session set-up and changes: create from a plan and a roster, swap, someone leaves or arrives."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.plans import MAX_PHASE_MINUTES, MAX_SESSION_TITLE, PlanMode, SessionPlan
from hotdash_roleplay.rotation import (
    Role,
    RoundRoles,
    Violation,
    check_rotation,
    generate_rotation,
    replan,
    swap,
    validate_roster,
)
from hotdash_roleplay.scenarios import Scenario, ScenarioLibrary
from hotdash_roleplay.services.convert import round_roles, session_detail, session_summary
from hotdash_roleplay.services.glance import SessionGlance, glances
from hotdash_roleplay.services.people import find_person, get_or_create_person
from hotdash_roleplay.services.views import SessionDetail, SessionListStamp, SessionSummary
from hotdash_roleplay.status import RoundStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.glance import NAMES_SQL, SESSIONS_SQL, Listing
from hotdash_roleplay.store.models import (
    Participant,
    RoleAssignment,
    Round,
    TrainingSession,
    utcnow,
)

MAX_PHASE_SECONDS = round(MAX_PHASE_MINUTES * 60)


@dataclass(frozen=True)
class SessionChange:
    """The outcome of a change to a live plan: the session now, and rules it breaks."""

    session: SessionDetail
    violations: tuple[Violation, ...]
    current_round_changed: bool = False  # the round under way was re-planned too


def plan_snapshot(
    plan: SessionPlan, phase_seconds: Mapping[str, int] | None = None
) -> dict[str, object]:
    """What a session keeps of its plan, so later edits of the plan file do not rewrite history;
    `phase_seconds` overrides the plan's phase lengths for this session."""
    custom = dict(phase_seconds or {})
    unknown = set(custom) - {str(p.key) for p in plan.phases}
    if unknown:
        raise UserError(f"The plan has no phase {', '.join(sorted(unknown))}.")
    for key, seconds in custom.items():
        if not 1 <= seconds <= MAX_PHASE_SECONDS:
            raise UserError(
                f"Phase {key} must last between 1 second and {MAX_PHASE_MINUTES:g} minutes."
            )
    return {
        "id": plan.id,
        "title": plan.title,
        "mode": str(plan.mode),
        "drill": plan.drill,
        "phases": [
            {
                "key": str(p.key),
                "title": p.title,
                "seconds": custom.get(str(p.key), round(p.minutes * 60)),
            }
            for p in plan.phases
        ],
    }


def new_join_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def load_session(db: Session, session_id: int) -> TrainingSession:
    row = db.scalar(
        select(TrainingSession)
        .where(TrainingSession.id == session_id)
        .options(
            selectinload(TrainingSession.participants).selectinload(Participant.person),
            selectinload(TrainingSession.rounds)
            .selectinload(Round.roles)
            .selectinload(RoleAssignment.person),
        )
    )
    if row is None:
        raise UserError(f"There is no session {session_id}.")
    return row


def set_roles(db: Session, row: Round, roles: RoundRoles) -> None:
    row.roles.clear()
    db.flush()
    pairs: list[tuple[str | None, Role]] = [
        (roles.operator or None, Role.OPERATOR),
        (roles.ai_system or None, Role.AI_SYSTEM),
        (roles.facilitator, Role.FACILITATOR),
        *((name, Role.OBSERVER) for name in roles.observers),
    ]
    for name, role in pairs:
        if name:
            row.roles.append(RoleAssignment(person=get_or_create_person(db, name), role=role))


class SessionService:
    def __init__(self, store: Store, library: ScenarioLibrary, plans: Sequence[SessionPlan]):
        self._store = store
        self._library = library
        self._plans = {p.id: p for p in plans}
        self._snapshots: dict[int, Scenario] = {}

    @property
    def plans(self) -> list[SessionPlan]:
        return list(self._plans.values())

    def plan(self, plan_id: str) -> SessionPlan:
        try:
            return self._plans[plan_id]
        except KeyError:
            known = ", ".join(self._plans) or "none"
            raise UserError(f"Unknown session plan {plan_id!r} (known: {known}).") from None

    # -- creating -----------------------------------------------------------------------------

    def preview(
        self, plan_id: str, people: Sequence[str], rounds: int | None = None, seed: int = 0
    ) -> list[RoundRoles]:
        """The rotation a new session would get, without storing anything."""
        plan = self.plan(plan_id)
        names = self._roster(plan, people)
        if plan.mode == PlanMode.CERTIFICATION:
            return [_candidate_round(names[0])] * (rounds or len(plan.scenarios))
        return generate_rotation(names, rounds=rounds or plan.rounds, seed=seed)

    def create_session(
        self,
        plan_id: str,
        people: Sequence[str],
        *,
        trainer: str = "",
        title: str = "",
        seed: int = 0,
        rotation: Sequence[RoundRoles] | None = None,
        scenario_ids: Sequence[str] | None = None,
        anonymous_feedback: bool = False,
        phase_seconds: Mapping[str, int] | None = None,
    ) -> SessionDetail:
        """Store a new session. `rotation` may be a hand-edited preview; `scenario_ids` one
        scenario per round overriding the plan's (cycled when shorter); `phase_seconds` phase
        lengths by phase key, overriding the plan's."""
        plan = self.plan(plan_id)
        names = self._roster(plan, people)
        plan_rounds = list(rotation) if rotation else self.preview(plan_id, names, seed=seed)
        ids = list(scenario_ids or plan.scenarios)
        for sid in ids:
            self._scenario(sid)  # refuse an unknown id before storing anything
        title = " ".join(title.split()) or plan.title
        if len(title) > MAX_SESSION_TITLE:
            raise UserError(f"A session title can be at most {MAX_SESSION_TITLE} characters long.")
        with self._store.session() as db:
            row = TrainingSession(
                uid=str(uuid.uuid4()),
                title=title,
                trainer=" ".join(trainer.split())[:120],
                plan_id=plan.id,
                plan=plan_snapshot(plan, phase_seconds),
                mode=str(plan.mode),
                seed=seed,
                anonymous_feedback=anonymous_feedback,
                join_code=new_join_code(),
            )
            db.add(row)
            for pos, name in enumerate(names):
                row.participants.append(
                    Participant(person=get_or_create_person(db, name), position=pos, active=True)
                )
            for index, roles in enumerate(plan_rounds):
                self._add_round(db, row, index, ids[index % len(ids)], roles)
            db.commit()
            return self.get(row.id)

    def _roster(self, plan: SessionPlan, people: Sequence[str]) -> list[str]:
        if plan.mode == PlanMode.CERTIFICATION:
            names = [n for n in (" ".join(p.split()) for p in people) if n]
            if len(names) != 1:
                raise UserError("A certification assessment has exactly one candidate.")
            return names
        return validate_roster(people)

    def _add_round(
        self, db: Session, row: TrainingSession, index: int, scenario_id: str, roles: RoundRoles
    ) -> Round:
        scenario = self._scenario(scenario_id)
        rnd = Round(
            index=index,
            scenario_id=scenario.id,
            scenario_title=scenario.title,
            scenario=scenario.model_dump(mode="json"),
        )
        row.rounds.append(rnd)
        set_roles(db, rnd, roles)
        return rnd

    def _scenario(self, scenario_id: str) -> Scenario:
        scenario = self._library.get(scenario_id)
        if scenario is None:
            raise UserError(f"Unknown scenario {scenario_id!r}.")
        return scenario

    # -- reading ------------------------------------------------------------------------------

    def list_sessions(self, status: str | None = None) -> list[SessionSummary]:
        with self._store.session() as db:
            query = (
                select(TrainingSession)
                .options(
                    selectinload(TrainingSession.participants).selectinload(Participant.person),
                    selectinload(TrainingSession.rounds).load_only(Round.id),
                )
                .order_by(TrainingSession.created_at.desc(), TrainingSession.id.desc())
            )
            if status:
                query = query.where(TrainingSession.status == status)
            return [session_summary(r) for r in db.scalars(query)]

    def list_stamp(self) -> SessionListStamp:
        """How many sessions there are and when the latest changed: one cheap query, asked
        every few seconds by an app showing the list (other apps may share the store)."""
        with self._store.session() as db:
            count, latest = db.execute(
                select(func.count(TrainingSession.id), func.max(TrainingSession.updated_at))
            ).one()
        return SessionListStamp(count=count, latest=latest)

    def glance_sessions(self) -> list[SessionGlance]:
        """The start screen's list, newest first: two light queries, no ORM objects."""
        with self._store.engine.connect() as conn:
            sessions = [tuple(row) for row in conn.execute(text(SESSIONS_SQL))]
            names = [tuple(row) for row in conn.execute(text(NAMES_SQL))]
        return glances(Listing(sessions, names))

    def get(self, session_id: int) -> SessionDetail:
        with self._store.session() as db:
            return session_detail(load_session(db, session_id))

    def find(self, ref: str) -> SessionDetail:
        """A session by id (as `sessions list` prints it), uid or exact title."""
        ref = ref.strip()
        with self._store.session() as db:
            if ref.isdigit() and db.get(TrainingSession, int(ref)) is not None:
                return self.get(int(ref))
            found = db.scalars(
                select(TrainingSession.id).where(
                    (TrainingSession.uid == ref)
                    | (func.lower(TrainingSession.title) == ref.lower())
                )
            ).all()
        if len(found) == 1:
            return self.get(found[0])
        if len(found) > 1:
            raise UserError(f"Several sessions are called {ref!r}; give its number instead.")
        raise UserError(f"No session {ref!r}. `hotdash-roleplay sessions list` shows them.")

    def round_scenario(self, round_id: int) -> Scenario:
        """The scenario as it was when the round was planned (later file edits don't change it).
        Snapshots never change once stored, so they are cached for repaints."""
        if round_id not in self._snapshots:
            with self._store.session() as db:
                rnd = db.get(Round, round_id)
                if rnd is None:
                    raise UserError(f"There is no round {round_id}.")
                self._snapshots[round_id] = Scenario.model_validate(rnd.scenario)
        return self._snapshots[round_id]

    def known_scenario(self, round_id: int) -> Scenario | None:
        """The round's scenario if `round_scenario` has read it already; never the store (so a
        window may ask on its own thread, and have it read on the store worker when not)."""
        return self._snapshots.get(round_id)

    # -- changing the rotation ----------------------------------------------------------------

    def swap_people(self, session_id: int, round_index: int, a: str, b: str) -> SessionChange:
        """Exchange two people's roles in a round not yet played; returns the rules now broken."""
        with self._store.session() as db:
            row = load_session(db, session_id)
            rnd = self._editable_round(row, round_index)
            names = _active_names(row)
            current = [round_roles(r) for r in row.rounds]
            played = sum(1 for r in row.rounds if r.status == RoundStatus.DONE)
            new_plan, _ = swap(current, round_index, a, b, names, played=played)
            set_roles(db, rnd, new_plan[round_index])
            db.commit()
        return self._change(session_id)

    def person_leaves(self, session_id: int, name: str) -> SessionChange:
        with self._store.session() as db:
            row = load_session(db, session_id)
            person = find_person(db, name)
            part = next((p for p in row.participants if p.person_id == person.id), None)
            if part is None or not part.active:
                raise UserError(f"{person.name} is not taking part in this session.")
            part.active = False
            row.updated_at = utcnow()  # the list shows who takes part
            changed = self._replan(db, row)
            db.commit()
        return self._change(session_id, current_round_changed=changed)

    def person_arrives(self, session_id: int, name: str) -> SessionChange:
        with self._store.session() as db:
            row = load_session(db, session_id)
            person = get_or_create_person(db, name)
            part = next((p for p in row.participants if p.person_id == person.id), None)
            if part is not None and part.active:
                raise UserError(f"{person.name} is already taking part in this session.")
            if part is None:
                # active set explicitly: column defaults apply only at flush
                row.participants.append(
                    Participant(person=person, position=len(row.participants), active=True)
                )
            else:
                part.active = True
            row.updated_at = utcnow()  # the list shows who takes part
            changed = self._replan(db, row)
            db.commit()
        return self._change(session_id, current_round_changed=changed)

    def _replan(self, db: Session, row: TrainingSession) -> bool:
        """Rounds already played stay as played, and so does the round under way unless one of
        its active roles left (a leaving observer just goes, a newcomer joins as an observer);
        the rest are planned again for who is here. Returns whether the round under way had to
        be re-planned."""
        if row.mode == PlanMode.CERTIFICATION:
            raise UserError("A certification assessment has one candidate; it is not re-planned.")
        names = _active_names(row)
        validate_roster(names)
        keep = [r for r in row.rounds if r.status == RoundStatus.DONE]
        live = next((r for r in row.rounds if r.status == RoundStatus.LIVE), None)
        live_changed = False
        if live is not None:
            roles = round_roles(live)
            gone = set(roles.people()) - set(names)
            staying = tuple(o for o in roles.observers if o not in gone)
            if gone <= set(roles.observers) and staying:  # only watchers left: play on
                newcomers = tuple(n for n in names if roles.role_of(n) is None)
                if newcomers or gone:
                    roles = replace(roles, observers=tuple(sorted(staying + newcomers)))
                    set_roles(db, live, roles)
                keep.append(live)
            else:
                live_changed = True
        kept = [round_roles(r) for r in keep]
        new_plan = replan(kept, names, total_rounds=len(row.rounds), seed=row.seed)
        ids = [r.scenario_id for r in row.rounds] or [row.rounds[0].scenario_id]
        for index, roles in enumerate(new_plan):
            if index < len(keep):
                continue
            if index < len(row.rounds):
                set_roles(db, row.rounds[index], roles)
            else:
                self._add_round(db, row, index, ids[index % len(ids)], roles)
        for extra in [
            r for r in row.rounds if r.index >= len(new_plan) and r.status == RoundStatus.PENDING
        ]:
            row.rounds.remove(extra)
        db.flush()
        return live_changed

    def _editable_round(self, row: TrainingSession, round_index: int) -> Round:
        if not 0 <= round_index < len(row.rounds):
            raise UserError(f"This session has no round {round_index + 1}.")
        rnd = row.rounds[round_index]
        if rnd.status == RoundStatus.DONE:
            raise UserError(f"Round {round_index + 1} has been played; it stays as played.")
        return rnd

    def _change(self, session_id: int, current_round_changed: bool = False) -> SessionChange:
        detail = self.get(session_id)
        if detail.mode == PlanMode.CERTIFICATION:
            return SessionChange(detail, ())
        plan = [
            RoundRoles(r.operator or "", r.ai_system or "", r.facilitator, r.observers)
            for r in detail.rounds
        ]
        # The round under way counts as history: its roles are being played out in the room.
        played = sum(1 for r in detail.rounds if r.status != RoundStatus.PENDING)
        issues = check_rotation(plan, list(detail.participants), played=played)
        return SessionChange(detail, tuple(issues), current_round_changed)


def _active_names(row: TrainingSession) -> list[str]:
    return [p.person.name for p in row.participants if p.active]


def _candidate_round(name: str) -> RoundRoles:
    """Certification: the candidate operates; the assessor (trainer) plays everything else."""
    return RoundRoles(operator=name, ai_system="", facilitator=None, observers=())


__all__ = ["SessionChange", "SessionService", "load_session", "plan_snapshot", "set_roles"]
