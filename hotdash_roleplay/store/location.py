"""Where the store lives: the URL from --db, HOTDASH_DB_URL or the data folder.

Free of SQLAlchemy, so the app can find its store (and glance at it) before loading it."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "hotdash-roleplay"
DB_FILE_NAME = "hotdash-roleplay.sqlite3"
ENV_DB_URL = "HOTDASH_DB_URL"
_SQLITE_PREFIX = "sqlite:///"


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
    return f"{_SQLITE_PREFIX}{folder / DB_FILE_NAME}"


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///path` URL; None for anything else (a server, memory,
    options), which only the full open understands."""
    if not url.startswith(_SQLITE_PREFIX) or "?" in url:
        return None
    path = url[len(_SQLITE_PREFIX) :]
    return Path(path) if path and path != ":memory:" else None
