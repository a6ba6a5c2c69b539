"""A person's record with 10 000 sessions stored (bar: opens in <= 150 ms).

The store is filled with bulk inserts (a pool of 400 people, sessions of 4 to 6 of them, 4
rounds each, a decision and the observers' checklists per round), then the record of one
person is read through the service, as the People screen does."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from hotdash_roleplay.checklist import load_checklist
from hotdash_roleplay.clock import PhaseClock, PhaseSpec
from hotdash_roleplay.services import open_services
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    OperatorDecision,
    Participant,
    Person,
    RoleAssignment,
    Round,
    TrainingSession,
)

SESSIONS = 10_000
POOL = 400
CRITERIA = load_checklist().keys  # the eight criteria of Module 4.3


def _played_clock() -> dict[str, object]:
    """The saved clock of a round run through its five phases, as a live session leaves it."""
    t = [0.0]
    phases = ("brief", "roleplay", "decision", "feedback", "debrief")
    clock = PhaseClock([PhaseSpec(k, k, 60) for k in phases], now=lambda: t[0], wall=lambda: t[0])
    clock.start()
    for _ in phases:
        t[0] += 60.0
        clock.next()
    return clock.to_state().model_dump(mode="json")


CLOCK_STATE = _played_clock()


def fill(store: Store, rng: random.Random) -> None:
    now = datetime.now(UTC)
    people = [
        {"id": i + 1, "name": f"Person {i + 1}", "name_key": f"person {i + 1}", "created_at": now}
        for i in range(POOL)
    ]
    sessions, parts, rounds, roles, decisions, subs, answers = [], [], [], [], [], [], []
    round_id = sub_id = 0
    for sid in range(1, SESSIONS + 1):
        sessions.append(
            {
                "id": sid,
                "uid": f"bench-{sid}",
                "title": f"Session {sid}",
                "trainer": "T",
                "plan_id": "module4-practice",
                "plan": {"phases": []},
                "mode": "practice",
                "seed": 0,
                "status": "finished",
                "current_round": 4,
                "anonymous_feedback": False,
                "join_code": "000000",
                "notes": "",
                "created_at": now,
            }
        )
        group = rng.sample(range(1, POOL + 1), rng.randint(4, 6))
        parts += [
            {"session_id": sid, "person_id": p, "position": i, "active": True}
            for i, p in enumerate(group)
        ]
        for index in range(4):
            round_id += 1
            rounds.append(
                {
                    "id": round_id,
                    "session_id": sid,
                    "index": index,
                    "scenario_id": "x",
                    "scenario_title": "Scenario",
                    "scenario": {"title": "Scenario"},
                    "status": "done",
                    "clock_state": CLOCK_STATE,  # a round played through (only those count)
                    "feedback_open": False,
                    "debrief_question": 0,
                    "expert_revealed": True,
                }
            )
            order = group[index:] + group[:index]
            op, ai, fac, *obs = order
            roles += [
                {"round_id": round_id, "person_id": p, "role": r}
                for p, r in ((op, "operator"), (ai, "ai_system"), (fac, "facilitator"))
            ]
            roles += [{"round_id": round_id, "person_id": p, "role": "observer"} for p in obs]
            decisions.append(
                {
                    "round_id": round_id,
                    "operator_id": op,
                    "decision": "approve",
                    "final_reply": "",
                    "seconds_to_decide": 80.0,
                    "matched_expert": True,
                    "assessment_reason": "",
                    "recorded_at": now,
                }
            )
            for p in obs:
                sub_id += 1
                subs.append(
                    {
                        "id": sub_id,
                        "round_id": round_id,
                        "observer_id": p,
                        "status": "submitted",
                        "went_well": ["a", "b"],
                        "could_improve": ["c"],
                        "updated_at": now,
                        "submitted_at": now,
                    }
                )
                answers += [
                    {"submission_id": sub_id, "criterion": c, "mark": "met", "note": ""}
                    for c in CRITERIA
                ]
    with store.engine.begin() as conn:
        for model, rows in (
            (Person, people),
            (TrainingSession, sessions),
            (Participant, parts),
            (Round, rounds),
            (RoleAssignment, roles),
            (OperatorDecision, decisions),
            (ChecklistSubmission, subs),
            (CriterionAnswer, answers),
        ):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(model), rows[start : start + 20_000])


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(data_dir=Path(tmp))
        started = time.perf_counter()
        fill(services.store, rng)
        print(f"filled {SESSIONS} sessions in {time.perf_counter() - started:.1f} s")
        times = []
        for ref in ("Person 1", "Person 2", "Person 3", "Person 4", "Person 5"):
            t0 = time.perf_counter()
            history = services.history.person_history(ref)
            times.append(time.perf_counter() - t0)
        services.close()
    worst = max(times) * 1000
    verdict = "OK" if worst <= 150 else "OVER"
    print(
        f"person's record ({history.sessions} sessions, {len(history.decisions)} decisions): "
        f"median {statistics.median(times) * 1000:.0f} ms, worst {worst:.0f} ms "
        f"(bar <= 150 ms) {verdict}"
    )


if __name__ == "__main__":
    main()
