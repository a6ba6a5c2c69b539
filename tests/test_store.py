"""The store: where it lives, refusing bad files, migrations on empty and existing databases."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.store.location import DB_FILE_NAME, ENV_DB_URL, resolve_url
from hotdash_roleplay.store.migrate import current_revision, head_revision, upgrade
from hotdash_roleplay.store.models import Person
from hotdash_roleplay.store.opening import open_store


def test_resolve_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DB_URL, raising=False)
    assert resolve_url(None, tmp_path) == f"sqlite:///{tmp_path / DB_FILE_NAME}"
    monkeypatch.setenv(ENV_DB_URL, "sqlite:////elsewhere.db")
    assert resolve_url(None, tmp_path) == "sqlite:////elsewhere.db"
    assert resolve_url("sqlite:///x.db", tmp_path) == "sqlite:///x.db"


def test_new_store_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(resolve_url(None, tmp_path / "new" / "folder"))
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_reopening_keeps_data_and_takes_no_backup(tmp_path: Path) -> None:
    url = resolve_url(None, tmp_path)
    store = open_store(url)
    with store.session() as db:
        db.add(Person(name="Zoë Ødegård", name_key="zoë ødegård"))
        db.commit()
    store.close()
    store = open_store(url)
    with store.session() as db:
        assert [p.name for p in db.query(Person)] == ["Zoë Ødegård"]
    store.close()
    assert not list(tmp_path.glob("*.bak"))


def test_older_database_is_backed_up_and_migrated_without_loss(tmp_path: Path) -> None:
    """A store left at revision 0001 with a session in it: the upgrade rebuilds the sessions
    table (a batch migration) and must not cascade-delete its participants and rounds."""
    url = resolve_url(None, tmp_path)
    store = open_store(url, migrate=False)
    upgrade(store, "0001")
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO people (id, name, name_key, created_at)"
                " VALUES (1, 'Юлия', 'юлия', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sessions (id, uid, title, trainer, plan_id, plan, mode, seed, status,"
                " current_round, anonymous_feedback, join_code, created_at) VALUES (1, 'u1', 'Old',"
                " '', 'p', '{}', 'practice', 0, 'finished', 0, 0, '123456', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO participants (session_id, person_id, position, active)"
                " VALUES (1, 1, 0, 1)"
            )
        )
    store.close()

    store = open_store(url)
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM participants")).scalar() == 1
        assert conn.execute(text("SELECT notes FROM sessions")).scalar() == ""
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()
    backups = list(tmp_path.glob("*.bak"))
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    backup.close()


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    store = open_store(resolve_url(None, tmp_path))
    upgrade(store)
    assert current_revision(store) == head_revision()
    store.close()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    bogus = tmp_path / DB_FILE_NAME
    bogus.write_text("these are my notes, not a database\n")
    with pytest.raises(UserError, match="not a HotDash Role-Play database"):
        open_store(resolve_url(None, tmp_path))
    assert bogus.read_text() == "these are my notes, not a database\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_database_is_refused(tmp_path: Path) -> None:
    store = open_store(resolve_url(None, tmp_path))
    store.close()
    (tmp_path / DB_FILE_NAME).chmod(0o444)
    with pytest.raises(UserError, match="read-only"):
        open_store(resolve_url(None, tmp_path))


def test_read_only_check_uses_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, chmod does not stop writes; the check itself is exercised through os.access."""
    store = open_store(resolve_url(None, tmp_path))
    store.close()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(UserError, match="read-only"):
        open_store(resolve_url(None, tmp_path))


def test_bad_urls_are_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Not a database URL"):
        open_store("this is not a url")
    with pytest.raises(UserError):
        open_store("nosuchdialect://x/y")


def test_sqlite_header_of_a_real_database_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE_NAME
    sqlite3.connect(path).execute("CREATE TABLE unrelated (x)").connection.commit()
    store = open_store(resolve_url(None, tmp_path))  # a SQLite file: migrated in place
    assert current_revision(store) == head_revision()
    store.close()


def test_the_head_constant_is_alembics_head() -> None:
    from hotdash_roleplay.store.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
