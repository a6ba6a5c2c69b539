"""Migration 0007 (a store shared by several apps): every row kept, each session stamped with
its last change, each decision at version 1, and back down again without loss."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.store.migrate import HEAD_REVISION, current_revision
from tests.certification_data import TODAY
from tests.store_rows import counts, fill, step_to


def migrate_0006_to_head(url: str) -> None:
    svc = open_services(db_url=url, today=lambda: TODAY)
    try:
        fill(svc)
        before = counts(svc.store)
        step_to(svc.store, "0006")
        assert current_revision(svc.store) == "0006"
        found = inspect(svc.store.engine)
        assert not found.has_table("session_leases")
        assert "updated_at" not in {c["name"] for c in found.get_columns("sessions")}
        assert counts(svc.store) == before
    finally:
        svc.close()
    svc = open_services(db_url=url, today=lambda: TODAY)  # migrates
    try:
        check_migrated(svc, before)
    finally:
        svc.close()


def check_migrated(svc: Services, before: dict[str, int]) -> None:
    assert current_revision(svc.store) == HEAD_REVISION
    assert counts(svc.store) == before
    with svc.store.engine.connect() as conn:
        stamps = conn.execute(
            text("SELECT count(*) FROM sessions WHERE updated_at IS NULL")
        ).scalar()
        versions = conn.execute(text("SELECT DISTINCT version FROM decisions")).scalars().all()
    assert stamps == 0 and versions == [1]
    stamp = svc.sessions.list_stamp()
    assert stamp.count == before["sessions"] and stamp.latest is not None


def test_migration_0007_keeps_every_row_and_stamps_the_sessions(tmp_path: Path) -> None:
    migrate_0006_to_head(f"sqlite:///{tmp_path / 'store.sqlite3'}")
