"""Opening the store: where it lives, SQLite pragmas, sanity checks and migrations at start."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hotdash_roleplay.errors import UnusableStore, UserError
from hotdash_roleplay.store.faults import check_sqlite_intact, failed

APP_NAME = "hotdash-roleplay"
DB_FILE_NAME = "hotdash-roleplay.sqlite3"
ENV_DB_URL = "HOTDASH_DB_URL"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_data_dir() -> Path:
    """The per-user data folder, chosen once (platformdirs) and never moved."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def resolve_url(db_url: str | None = None, data_dir: str | Path | None = None) -> str:
    """--db wins, then HOTDASH_DB_URL, then a SQLite file in --data-dir or the user data dir."""
    if db_url:
        return db_url
    env = os.environ.get(ENV_DB_URL, "").strip()
    if env:
        return env
    folder = Path(data_dir) if data_dir else default_data_dir()
    return f"sqlite:///{folder / DB_FILE_NAME}"


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

    def close(self) -> None:
        self.engine.dispose()


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
            from hotdash_roleplay.store.migrate import upgrade

            upgrade(store)
        except SQLAlchemyError as exc:
            engine.dispose()
            reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
            raise UserError(f"Cannot open the database {_safe(parsed)}: {reason}") from exc
        except UnusableStore:
            engine.dispose()
            raise
    return store


def store_failure(store: Store, exc: DBAPIError) -> UnusableStore:
    """A database error met while working, as one line naming the store."""
    path = sqlite_path(store)
    return failed(str(path) if path else _safe(store.engine.url), str(exc.orig or exc), path)


def sqlite_path(store: Store) -> Path | None:
    """The store's file, or None for a server database or an in-memory one."""
    database = store.engine.url.database if store.is_sqlite else None
    return Path(database) if database and database != ":memory:" else None


def _safe(parsed: object) -> str:
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
