"""Alembic at start-up: back up an older SQLite store, then upgrade it to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.store.engine import Store, backup_sqlite

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store, target: str = "head") -> None:
    """Bring the store to `target`. SQLite: foreign keys off around the migration (a batch
    rebuild of a parent table would otherwise cascade-delete children), checked afterwards."""
    current = current_revision(store)
    if current == head_revision() and target == "head":
        return
    if store.is_sqlite and current is not None:
        backup_sqlite(store.engine, f"before-{head_revision()}")
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
