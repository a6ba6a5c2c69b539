"""Opening the store: SQLite sanity checks and pragmas, then the migrations at start."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from hotdash_roleplay.errors import UnusableStore, UserError
from hotdash_roleplay.store.engine import Store, safe_url
from hotdash_roleplay.store.faults import check_sqlite_intact
from hotdash_roleplay.store.migrate import upgrade

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    # FULL: a commit is on disk before it returns, so a power cut loses nothing confirmed
    # (NORMAL under WAL only survives a killed process).
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _check_sqlite_file(path: Path) -> None:
    """Refuse a non-SQLite, unwritable or damaged file before touching it."""
    if path.is_dir():
        raise UserError(f"The database path {path} is a folder, not a file.")
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
        if head and head != _SQLITE_MAGIC:
            raise UserError(f"{path} is not a HotDash Role-Play database (not a SQLite file).")
        if not os.access(path, os.W_OK):
            raise UserError(f"The database {path} is read-only; the app needs to write to it.")
        if head:
            check_sqlite_intact(path)
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot create the data folder {folder}: {exc.strerror}.") from exc
    if not os.access(folder, os.W_OK):
        raise UserError(f"The data folder {folder} is read-only; the app needs to write there.")


def open_store(url: str, migrate: bool = True) -> Store:
    """Open (creating if needed) and migrate the store at `url`; raise UserError when it can't."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"Not a database URL: {url!r}.") from exc
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        _check_sqlite_file(Path(parsed.database))
    try:
        engine = create_engine(url, pool_pre_ping=not is_sqlite)
    except (ArgumentError, ImportError) as exc:
        raise UserError(f"Cannot use the database {url!r}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(url, engine, sessionmaker(engine, expire_on_commit=False))
    if migrate:
        try:
            upgrade(store)
        except SQLAlchemyError as exc:
            engine.dispose()
            reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
            raise UserError(f"Cannot open the database {safe_url(parsed)}: {reason}") from exc
        except UnusableStore:
            engine.dispose()
            raise
    return store
