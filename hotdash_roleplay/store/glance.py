"""The sessions as the start screen lists them, in one query.

The same SQL serves the open store (through SQLAlchemy, on SQLite or PostgreSQL) and the first
glance at a SQLite file before the store is open (through the standard library's sqlite3, which
loads in a few milliseconds where SQLAlchemy takes a noticeable part of a second). The glance
only reads: the file is opened read-only and immutable, so it writes nothing, takes no lock and
leaves no journal beside the file; the full open that follows checks, migrates and lists again."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# One row per active participant (or one with a NULL name when there is none), sessions
# newest first, participants in their seats' order.
SESSION_LIST_SQL = """
SELECT s.id, s.title, s.plan_id, s.plan, s.status, s.created_at, s.current_round,
       (SELECT COUNT(*) FROM rounds r WHERE r.session_id = s.id) AS round_count,
       p.name
FROM sessions s
LEFT JOIN participants pa ON pa.session_id = s.id AND pa.active
LEFT JOIN people p ON p.id = pa.person_id
ORDER BY s.created_at DESC, s.id DESC, pa.position
"""

Row = tuple[Any, ...]


def glance_sqlite(path: Path) -> list[Row] | None:
    """The listing's rows straight from the file, or None when it cannot be read that way (no
    file yet, not a store, an older schema, damage): then the full open decides and says why."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        return list(conn.execute(SESSION_LIST_SQL))
    except sqlite3.Error:
        return None
    finally:
        conn.close()
