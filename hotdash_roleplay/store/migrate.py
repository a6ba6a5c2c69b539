"""Alembic at start-up: back up an older SQLite store, then upgrade it to the newest schema.

Alembic itself is imported only when a store needs upgrading: importing it costs most of a
second, and a store already at HEAD_REVISION (every start but the first after an update) is
checked with one plain query."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.store.engine import Store, backup_sqlite, safe_url, sqlite_path
from hotdash_roleplay.store.faults import newer_schema

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions; a test keeps it equal to Alembic's own head.
HEAD_REVISION = "0008"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    """Alembic's head, read from the scripts (slow: for tests and tools)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _refuse_unknown(store: Store, current: str | None) -> None:
    """A revision these scripts do not have is a newer version's: refuse it before any backup."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if current is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(current)
    except CommandError:
        path = sqlite_path(store)
        where = str(path) if path else safe_url(store.engine.url)
        raise newer_schema(where, current, HEAD_REVISION, path) from None


def upgrade(store: Store, target: str = "head") -> None:
    """Bring the store to `target`. SQLite: foreign keys off around the migration (a batch
    rebuild of a parent table would otherwise cascade-delete children), checked afterwards."""
    current = current_revision(store)
    if target == "head" and current == HEAD_REVISION:
        return
    from alembic import command

    _refuse_unknown(store, current)
    if store.is_sqlite and current is not None:
        backup_sqlite(store.engine, f"before-{HEAD_REVISION}")
    cfg = alembic_config()
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
        conn.commit()
        if store.is_sqlite:
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise UserError(
                    f"The database migration left {len(broken)} broken references; "
                    "the backup taken before it is beside the database file."
                )
