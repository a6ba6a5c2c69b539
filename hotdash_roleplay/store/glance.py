"""The sessions as the start screen lists them, in two light queries.

The same SQL serves the open store (through SQLAlchemy, on SQLite or PostgreSQL) and the first
glance at a SQLite file before the store is open (through the standard library's sqlite3, which
loads in a few milliseconds where SQLAlchemy takes a noticeable part of a second). The glance
only reads: the file is opened read-only and immutable, so it writes nothing, takes no lock and
leaves no journal beside the file; the full open that follows checks, migrates and lists again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple

# The sessions, newest first (`n` numbers them in that order), and the active participants'
# names, each session's in their seats' order: two plain queries. One row per participant
# with the session's columns beside it repeated the plan snapshot for each person, a list
# several times the size to read.
SESSIONS_SQL = """
SELECT s.id, s.title, s.plan_id, s.plan, s.status, s.created_at, s.current_round,
       (SELECT COUNT(*) FROM rounds r WHERE r.session_id = s.id) AS round_count,
       row_number() OVER (ORDER BY s.created_at DESC, s.id DESC) AS n
FROM sessions s
ORDER BY n
"""
NAMES_SQL = """
SELECT pa.session_id, pa.position, p.name
FROM participants pa
JOIN people p ON p.id = pa.person_id
WHERE pa.active
ORDER BY pa.session_id, pa.position
"""

# The glance reads each as one JSON value. sqlite3 lets go of the interpreter for every row it
# steps to and must then wait for it again, up to Python's switch interval (5 ms) while the GUI
# thread is busy loading Qt: read row by row, 1200 rows took 50-200 ms at start-up; read as one
# value, a few. A JSON array keeps no order: the rows are put back in order in Python.
_AS_ONE_VALUE = "SELECT json_group_array(json_array({columns})) FROM ({sql}) AS listed"
GLANCE_SESSIONS_SQL = _AS_ONE_VALUE.format(
    columns="id, title, plan_id, plan, status, created_at, current_round, round_count, n",
    sql=SESSIONS_SQL,
)
GLANCE_NAMES_SQL = _AS_ONE_VALUE.format(columns="session_id, position, name", sql=NAMES_SQL)

Row = tuple[Any, ...]


class Listing(NamedTuple):
    """The rows of SESSIONS_SQL and NAMES_SQL, each in its query's order."""

    sessions: list[Row]
    names: list[Row]


def glance_sqlite(path: Path) -> Listing | None:
    """The listing straight from the file, or None when it cannot be read that way (no file
    yet, not a store, an older schema, damage): then the full open decides and says why."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        sessions = _rows(conn, GLANCE_SESSIONS_SQL)
        names = _rows(conn, GLANCE_NAMES_SQL)
    except (sqlite3.Error, TypeError, ValueError):
        return None
    finally:
        conn.close()
    if sessions is None or names is None:
        return None
    sessions.sort(key=lambda row: row[-1])
    names.sort(key=lambda row: (row[0], row[1]))
    return Listing(sessions, names)


def _rows(conn: sqlite3.Connection, sql: str) -> list[Row] | None:
    (listed,) = conn.execute(sql).fetchone()
    rows = json.loads(listed)
    if not isinstance(rows, list) or not all(isinstance(row, list) and row for row in rows):
        return None
    return [tuple(row) for row in rows]
