"""A store with every kind of row in it, made through the services as the app makes them, and
the tools to step its schema back and count what it holds (migration tests, SQLite and
PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.migrate import alembic_config
from tests.certification_data import qualify

# Every table with a column of fixed values (and the people, whose keys migration 0006 widens).
TABLES = (
    "people",
    "sessions",
    "rounds",
    "role_assignments",
    "phase_events",
    "decisions",
    "checklist_submissions",
    "criterion_answers",
    "debrief_items",
    "cert_mentorships",
    "cert_contributions",
    "cert_steps",
)

# Migrations 0006 and 0009: one CHECK per column that holds a fixed set of values.
CHECKS = {
    "ck_decisions_source",
    "ck_sessions_mode",
    "ck_sessions_status",
    "ck_rounds_status",
    "ck_role_assignments_role",
    "ck_phase_events_kind",
    "ck_decisions_decision",
    "ck_checklist_submissions_status",
    "ck_checklist_submissions_filled_in",
    "ck_criterion_answers_mark",
    "ck_debrief_items_kind",
    "ck_cert_contributions_kind",
    "ck_cert_steps_step",
}

# A statement per CHECK, each writing a value outside its enum.
REFUSED = [
    "UPDATE sessions SET status = 'paused'",
    "UPDATE sessions SET mode = 'exam'",
    "UPDATE rounds SET status = 'skipped'",
    "UPDATE role_assignments SET role = 'boss'",
    "UPDATE phase_events SET kind = 'rewind'",
    "UPDATE decisions SET decision = 'maybe'",
    "UPDATE decisions SET source = 'phone'",
    "UPDATE checklist_submissions SET status = 'none'",
    "UPDATE checklist_submissions SET filled_in = 'phone'",
    "UPDATE criterion_answers SET mark = 'met '",
    "UPDATE debrief_items SET kind = 'note'",
    "UPDATE cert_contributions SET kind = 'blog'",
    "UPDATE cert_steps SET step = 'party'",
]


def fill(svc: Services) -> None:
    """A practice round played through (decision, a submitted and a draft checklist, debrief
    notes of every kind) and a certified candidate (contributions, mentorships, steps)."""
    sid = svc.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev", "Eve"]).id
    live = svc.live(sid)
    live.toggle()
    for _ in range(3):
        live.next_phase()
    rnd = live.round
    assert rnd is not None and rnd.feedback_open and len(rnd.observers) == 2
    svc.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=64.0)
    answers = ChecklistAnswers(
        marks={c.key: Mark.MET for c in svc.checklist.criteria},
        went_well=["Verified the dates", "Kept calm"],
        could_improve=["Offer alternatives"],
    )
    svc.feedback.submit(rnd.id, rnd.observers[0], answers)
    svc.feedback.save_draft(rnd.id, rnd.observers[1], ChecklistAnswers(marks={}))
    svc.debrief.set_question_note(rnd.id, 0, "Why approve?")
    svc.debrief.set_takeaways(rnd.id, ["Check the policy first"])
    svc.debrief.set_actions(rnd.id, ["Update the FAQ"])
    live.next_round()
    qualify(svc, "Ann", award=True)


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0 for t in TABLES}


def checks(store: Store) -> set[str]:
    """The names of the CHECK constraints on those tables."""
    found = inspect(store.engine)
    return {str(c["name"]) for t in TABLES for c in found.get_check_constraints(t) if c.get("name")}


def step_to(store: Store, revision: str) -> None:
    """Downgrade to `revision` as upgrade() upgrades: foreign keys off on SQLite, so a batch
    rebuild of a parent table cannot cascade-delete its children."""
    cfg = alembic_config()
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
