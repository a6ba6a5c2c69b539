"""The start screen's list of sessions: one light query, and a first glance before the store
is open.

`SessionGlance` is a frozen dataclass rather than a pydantic view on purpose: the first glance
comes before anything heavy is loaded (pydantic, SQLAlchemy), and its values come from the
store, not from outside."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotdash_roleplay.status import SessionStatus
from hotdash_roleplay.store.glance import Row, glance_sqlite
from hotdash_roleplay.store.location import plain_sqlite_file, resolve_url


@dataclass(frozen=True)
class SessionGlance:
    id: int
    title: str
    plan_title: str
    status: SessionStatus
    created_at: datetime  # aware, UTC
    participants: tuple[str, ...]  # the active ones, in their seats' order
    round_count: int
    current_round: int  # 0-based index of the round being played (or next to play)


def _aware(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def glances(rows: Iterable[Row]) -> list[SessionGlance]:
    """The listing query's rows (one per participant) folded into one glance per session."""
    found: dict[int, SessionGlance] = {}
    names: dict[int, list[str]] = {}
    for sid, title, plan_id, plan, status, created_at, current, rounds, name, _n in rows:
        if sid not in found:
            snapshot = json.loads(plan) if isinstance(plan, str | bytes) else plan
            found[sid] = SessionGlance(
                id=sid,
                title=title,
                plan_title=str((snapshot or {}).get("title", plan_id)),
                status=SessionStatus(status),
                created_at=_aware(created_at),
                participants=(),
                round_count=int(rounds),
                current_round=int(current),
            )
            names[sid] = []
        if name is not None:
            names[sid].append(name)
    return [replace(glance, participants=tuple(names[sid])) for sid, glance in found.items()]


def first_glance(
    db_url: str | None = None, data_dir: str | Path | None = None
) -> list[SessionGlance] | None:
    """The sessions of a SQLite store read before the store is opened (which loads SQLAlchemy
    and checks and migrates it), or None when only the full open can tell."""
    path = plain_sqlite_file(resolve_url(db_url, data_dir))
    rows = glance_sqlite(path) if path is not None else None
    if rows is None:
        return None
    try:
        return glances(rows)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # rows of an unexpected shape: the full open will say what is wrong
