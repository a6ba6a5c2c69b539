"""The sessions as the start screen lists them, in one query.

The same SQL serves the open store (through SQLAlchemy, on SQLite or PostgreSQL) and the first
glance at a SQLite file before the store is open (through the standard library's sqlite3, which
loads in a few milliseconds where SQLAlchemy takes a noticeable part of a second). The glance
only reads: the file is opened read-only and immutable, so it writes nothing, takes no lock and
leaves no journal beside the file; the full open that follows checks, migrates and lists again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

# One row per active participant (or one with a NULL name when there is none), sessions
# newest first, participants in their seats' order; `n` numbers the rows in that order.
SESSION_LIST_SQL = """
SELECT s.id, s.title, s.plan_id, s.plan, s.status, s.created_at, s.current_round,
       (SELECT COUNT(*) FROM rounds r WHERE r.session_id = s.id) AS round_count,
       p.name,
       row_number() OVER (ORDER BY s.created_at DESC, s.id DESC, pa.position) AS n
FROM sessions s
LEFT JOIN participants pa ON pa.session_id = s.id AND pa.active
LEFT JOIN people p ON p.id = pa.person_id
ORDER BY n
"""

# The glance reads the same rows as one JSON value. sqlite3 lets go of the interpreter for
# every row it steps to and must then wait for it again, up to Python's switch interval (5 ms)
# while the GUI thread is busy loading Qt: read row by row, 1200 rows took 50-200 ms at
# start-up; read as one value, a few. The rows are put back in order by `n`.
GLANCE_SQL = f"""
SELECT json_group_array(json_array(
    id, title, plan_id, plan, status, created_at, current_round, round_count, name, n))
FROM ({SESSION_LIST_SQL}) AS listed
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
        (listed,) = conn.execute(GLANCE_SQL).fetchone()
        rows = json.loads(listed)
    except (sqlite3.Error, TypeError, ValueError):
        return None
    finally:
        conn.close()
    if not isinstance(rows, list) or not all(isinstance(row, list) and row for row in rows):
        return None
    return sorted((tuple(row) for row in rows), key=lambda row: row[-1])
