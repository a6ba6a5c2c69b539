"""The store: where it lives, the open handle, and how its failures read.

Opening one (checks, pragmas, migrations) is in opening.py, above migrate.py that needs the
handle defined here; where it lives is in location.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from hotdash_roleplay.errors import UnusableStore
from hotdash_roleplay.store.faults import failed


@dataclass
class Store:
    """An open, migrated database: hand out ORM sessions with `store.session()`."""

    url: str
    engine: Engine
    _factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self._factory()

    def guarded(self, check: Callable[[Session], None]) -> Store:
        """The same database, whose sessions run `check` in the writing transaction before
        every flush that writes: a condition each write must meet (it raises to refuse)."""
        factory = sessionmaker(class_=self._factory.class_, **self._factory.kw)

        def before_flush(db: Session, _context: object, _instances: object) -> None:
            if db.new or db.dirty or db.deleted:
                check(db)

        event.listen(factory, "before_flush", before_flush)
        return Store(self.url, self.engine, factory)

    def close(self) -> None:
        self.engine.dispose()


def store_failure(store: Store, exc: DBAPIError) -> UnusableStore:
    """A database error met while working, as one line naming the store."""
    path = sqlite_path(store)
    return failed(str(path) if path else safe_url(store.engine.url), str(exc.orig or exc), path)


def sqlite_path(store: Store) -> Path | None:
    """The store's file, or None for a server database or an in-memory one."""
    database = store.engine.url.database if store.is_sqlite else None
    return Path(database) if database and database != ":memory:" else None


def safe_url(parsed: object) -> str:
    """The URL without its password, for messages."""
    render = getattr(parsed, "render_as_string", None)
    return render(hide_password=True) if render else str(parsed)


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite store with the backup API (safe under WAL), beside the original file."""
    database = engine.url.database
    if not database or database == ":memory:" or not Path(database).exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = Path(f"{database}.{label}-{stamp}.bak")
    src = sqlite3.connect(database)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target
