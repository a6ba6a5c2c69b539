"""The shared-store case: the same services against a real PostgreSQL server.

Runs when HOTDASH_TEST_PG_URL names a server (`.ci/run` starts one on loopback); each test
gets a database of its own, dropped afterwards."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.names import MAX_NAME
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.store.migrate import HEAD_REVISION, current_revision
from tests.certification_data import TODAY
from tests.store_rows import CHECKS, REFUSED, checks, counts, fill, step_to

PG_URL = os.environ.get("HOTDASH_TEST_PG_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="HOTDASH_TEST_PG_URL is not set (no PostgreSQL server)"),
]


@pytest.fixture
def pg_services(tmp_path: Path) -> Iterator[Services]:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"hotdash_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    # the data folder holds the issuer key an award makes: a temporary one, not the user's
    services = open_services(db_url=url, data_dir=tmp_path / "data")
    try:
        yield services
    finally:
        services.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_and_a_whole_round_on_postgres(pg_services: Services) -> None:
    svc = pg_services
    assert current_revision(svc.store) == HEAD_REVISION
    people = ["Zoë Ødegård", "Đorđe", "Ξανθή", "Юлия", "李雷"]
    sid = svc.sessions.create_session("module4-practice", people, trainer="Tess").id
    live = svc.live(sid)
    live.toggle()
    for _ in range(3):
        live.next_phase()
    rnd = live.round
    assert rnd is not None
    assert rnd is not None and rnd.feedback_open
    svc.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=64.0)
    answers = ChecklistAnswers(
        marks={c.key: Mark.MET for c in svc.checklist.criteria},
        went_well=["Verified the dates", "Kept calm"],
        could_improve=["Offer alternatives"],
    )
    for observer in rnd.observers:
        svc.feedback.submit(rnd.id, observer, answers)
    live.next_round()

    # A second trainer's laptop on the same store sees everything.
    again = open_services(db_url=svc.store.url)
    try:
        detail = again.sessions.get(sid)
        assert detail.rounds[0].status == "done"
        assert {p.name for p in again.people.list_people()} == set(people)
        assert len(again.feedback.submissions(rnd.id)) == len(rnd.observers)
        history = again.history.person_history(rnd.operator or "")
        assert history.decisions[0].decision == "approve"
        assert history.feedback_received[0].met == len(svc.checklist.criteria)
    finally:
        again.close()


def test_export_and_import_between_sqlite_and_postgres(
    pg_services: Services, tmp_path: Path
) -> None:
    local = open_services(data_dir=tmp_path / "laptop")
    try:
        sid = local.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
        path = local.session_data.export(sid, tmp_path / "s.json")
    finally:
        local.close()
    first = pg_services.session_data.import_file(path)
    second = pg_services.session_data.import_file(path)
    assert len(pg_services.sessions.list_sessions()) == 1
    assert first is not None and second is not None


def test_certification_on_postgres(pg_services: Services, tmp_path: Path) -> None:
    from hotdash_roleplay.certification.program import CertificationState
    from tests.certification_data import qualify

    svc = open_services(db_url=pg_services.store.url, today=lambda: date(2026, 11, 30))
    try:
        qualify(svc, "Юлия", today=date(2026, 11, 30), award=True)
        csv_file = tmp_path / "w.csv"
        csv_file.write_text(
            "person,week_start,approval_rate,avg_review_seconds,csat,first_contact_resolution,"
            "decision_accuracy\nЮлия,2026-11-23,86,75,4.7,92,99.5\n",
            encoding="utf-8",
        )
        assert svc.certification.import_metrics(csv_file, "Tess").replaced == 1
        record = svc.certification.person("Юлия")
        assert record.state is CertificationState.CERTIFIED and len(record.metric_changes) == 1
        (row,) = [r for r in svc.certification.overview().rows if r.name == "Юлия"]
        assert row.state is record.state and row.longest_run_weeks == 4
    finally:
        svc.close()


def test_migration_0006_on_postgres_keeps_every_row_and_checks_the_values(
    pg_services: Services,
) -> None:
    svc = open_services(db_url=pg_services.store.url, today=lambda: TODAY)
    try:
        fill(svc)
        before = counts(svc.store)
        step_to(svc.store, "0005")
        assert current_revision(svc.store) == "0005" and not checks(svc.store) & CHECKS
    finally:
        svc.close()
    svc = open_services(db_url=pg_services.store.url, today=lambda: TODAY)  # migrates
    try:
        assert current_revision(svc.store) == HEAD_REVISION
        assert counts(svc.store) == before
        assert checks(svc.store) >= CHECKS
        for statement in REFUSED:
            with pytest.raises(IntegrityError), svc.store.engine.begin() as conn:
                conn.execute(text(statement))
        assert counts(svc.store) == before
    finally:
        svc.close()


def test_a_name_whose_key_outgrows_it_on_postgres(pg_services: Services) -> None:
    # casefold() turns each "ß" into "ss": the key of a 120-character name is 240 long.
    long = "ß" * MAX_NAME
    pg_services.sessions.create_session("module4-practice", [long, "Ann", "Ben", "Cat"])
    assert pg_services.people.get("SS" * MAX_NAME).name == long
    pg_services.certification.add_mentorship("Ann", long, date(2026, 1, 5))
    assert [m.mentee for m in pg_services.certification.person("Ann").mentorships] == [long]


def test_certificates_on_a_shared_store_each_laptop_keeps_its_own_key(
    pg_services: Services, tmp_path: Path
) -> None:
    """Two trainers' laptops on one PostgreSQL store: the key stays in each laptop's data
    folder (never in the database); the other laptop verifies and revokes through the store."""
    from datetime import UTC, datetime, time

    from hotdash_roleplay.credentials.verify import Check
    from tests.certification_data import qualify

    url = pg_services.store.url
    noon = datetime.combine(TODAY, time(12), UTC).timestamp()
    first = open_services(db_url=url, data_dir=tmp_path / "laptop1", today=lambda: TODAY)
    second = open_services(db_url=url, data_dir=tmp_path / "laptop2", today=lambda: TODAY)
    try:
        first.wall = second.wall = lambda: noon
        qualify(first, "Ann", award=True)
        issued = first.credentials.latest("Ann")
        assert issued is not None
        key_file = (tmp_path / "laptop1" / "issuer-key.json").read_text()
        secret = json.loads(key_file)["secretKeyMultibase"]
        with first.store.engine.connect() as conn:
            dump = "".join(
                str(row)
                for table in ("cert_credentials", "cert_revocations", "people")
                for row in conn.execute(text(f"SELECT * FROM {table}"))
            )
        assert issued.credential_id in dump and secret not in dump
        saved = first.credentials.save_json(issued.credential_id, tmp_path / "ann.json")
        assert second.credentials.issuer_did() is None  # no key on the second laptop
        assert second.credentials.verify(saved).valid  # the store knows the issuer
        second.credentials.revoke(issued.credential_id, "Awarded by mistake", "Rita")
        verdict = first.credentials.verify(saved)
        assert [f.check for f in verdict.findings] == [Check.REVOKED]
    finally:
        first.close()
        second.close()
