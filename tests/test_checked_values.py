"""Migration 0006: the store refuses a value outside its enum, and a name's key always fits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import String, text
from sqlalchemy.exc import IntegrityError, StatementError

from hotdash_roleplay.names import MAX_NAME, name_key
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services import open_services
from hotdash_roleplay.status import RoundStatus, SessionStatus
from hotdash_roleplay.store.location import resolve_url
from hotdash_roleplay.store.migrate import HEAD_REVISION, current_revision
from hotdash_roleplay.store.models import Base, MentorshipRow, Person, RoleAssignment
from hotdash_roleplay.store.opening import open_store
from tests.certification_data import TODAY
from tests.store_rows import CHECKS, REFUSED, checks, counts, fill, step_to


def test_a_0005_store_with_rows_of_every_kind_gains_the_checks_and_keeps_them(
    tmp_path: Path,
) -> None:
    svc = open_services(data_dir=tmp_path, today=lambda: TODAY)
    fill(svc)
    before = counts(svc.store)
    svc.close()
    assert all(before.values()), before  # every table has rows to carry over
    store = open_store(resolve_url(None, tmp_path), migrate=False)
    step_to(store, "0005")
    assert current_revision(store) == "0005"
    assert not checks(store) & CHECKS
    store.close()

    svc = open_services(data_dir=tmp_path, today=lambda: TODAY)  # migrates at start-up
    try:
        assert current_revision(svc.store) == HEAD_REVISION
        assert counts(svc.store) == before
        assert checks(svc.store) >= CHECKS
        for statement in REFUSED:
            with pytest.raises(IntegrityError), svc.store.engine.begin() as conn:
                conn.execute(text(statement))
        assert counts(svc.store) == before
        assert {type(s.status) for s in svc.sessions.list_sessions()} == {SessionStatus}
    finally:
        svc.close()
    assert list(tmp_path.glob("*.bak"))  # backed up before migrating

    store = open_store(resolve_url(None, tmp_path), migrate=False)
    step_to(store, "0005")  # and back: the downgrade keeps the rows too
    assert counts(store) == before and not checks(store) & CHECKS
    store.close()


def test_rows_read_back_as_members_and_a_stray_value_is_refused_before_the_database(
    tmp_path: Path,
) -> None:
    svc = open_services(data_dir=tmp_path, today=lambda: TODAY)
    try:
        sid = svc.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
        detail = svc.sessions.get(sid)
        assert detail.status is SessionStatus.PLANNED
        assert all(r.status is RoundStatus.PENDING for r in detail.rounds)
        with svc.store.session() as db:
            row = db.query(RoleAssignment).first()
            assert row is not None and type(row.role) is Role
            row.role = "boss"  # type: ignore[assignment]
            with pytest.raises(StatementError, match="boss"):
                db.flush()
    finally:
        svc.close()


def test_the_name_key_columns_fit_the_casefold_of_the_longest_name() -> None:
    longest = max(len(chr(c).casefold()) for c in range(sys.maxunicode + 1))
    for column in (Person.__table__.c.name_key, MentorshipRow.__table__.c.mentee_key):
        assert isinstance(column.type, String) and column.type.length is not None
        assert column.type.length >= longest * MAX_NAME, column
    assert len(name_key("ß" * MAX_NAME)) == 2 * MAX_NAME


def test_the_models_and_the_migrations_agree(tmp_path: Path) -> None:
    store = open_store(resolve_url(None, tmp_path))
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_a_long_name_of_sharp_s_is_stored_and_found(tmp_path: Path) -> None:
    svc = open_services(data_dir=tmp_path)
    try:
        long = "ß" * MAX_NAME
        svc.sessions.create_session("module4-practice", [long, "Ann", "Ben", "Cat"])
        assert svc.people.get("SS" * MAX_NAME).name == long
    finally:
        svc.close()
