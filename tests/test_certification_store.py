"""Migration 0005 on a store with data in it, and back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from hotdash_roleplay.certification.program import CertificationState
from hotdash_roleplay.services import open_services
from hotdash_roleplay.store.location import resolve_url
from hotdash_roleplay.store.migrate import HEAD_REVISION, current_revision
from hotdash_roleplay.store.opening import open_store
from tests.certification_data import TODAY, qualify
from tests.store_rows import step_to

CERT_TABLES = {
    "cert_module_completions",
    "cert_weekly_metrics",
    "cert_metric_changes",
    "cert_ai_reports",
    "cert_mentorships",
    "cert_contributions",
    "cert_steps",
}


def test_a_0004_store_with_sessions_gains_the_certification(tmp_path: Path) -> None:
    # A store at 0004 with a played session in it (made by today's services, then stepped back).
    svc = open_services(data_dir=tmp_path, today=lambda: TODAY)
    svc.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"])
    svc.close()
    store = open_store(resolve_url(None, tmp_path), migrate=False)
    step_to(store, "0004")
    assert current_revision(store) == "0004"
    assert not CERT_TABLES & set(inspect(store.engine).get_table_names())
    store.close()

    svc = open_services(data_dir=tmp_path, today=lambda: TODAY)  # migrates at start-up
    try:
        assert current_revision(svc.store) == HEAD_REVISION
        assert set(inspect(svc.store.engine).get_table_names()) >= CERT_TABLES
        assert len(svc.sessions.list_sessions()) == 1
        qualify(svc, "Ann", award=True)
        assert svc.certification.person("Ann").state is CertificationState.CERTIFIED
        with svc.store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM participants")).scalar() == 4 + 4 + 1
    finally:
        svc.close()
    assert list(tmp_path.glob("*.bak"))  # backed up before migrating
