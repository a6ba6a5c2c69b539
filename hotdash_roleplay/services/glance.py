"""The start screen's list of sessions: one light query, and a first glance before the store
is open.

`SessionGlance` is a frozen dataclass rather than a pydantic view on purpose: the first glance
comes before anything heavy is loaded (pydantic, SQLAlchemy), and its values come from the
store, not from outside."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotdash_roleplay.status import SessionStatus
from hotdash_roleplay.store.glance import Listing, glance_sqlite
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


def glances(listing: Listing) -> list[SessionGlance]:
    """One glance per session of the listing, in its order, each with its people's names."""
    names: dict[int, list[str]] = {}
    for sid, _position, name in listing.names:
        names.setdefault(sid, []).append(name)
    found = []
    for sid, title, plan_id, plan, status, created_at, current, rounds, _n in listing.sessions:
        snapshot = json.loads(plan) if isinstance(plan, str | bytes) else plan
        found.append(
            SessionGlance(
                id=sid,
                title=title,
                plan_title=str((snapshot or {}).get("title", plan_id)),
                status=SessionStatus(status),
                created_at=_aware(created_at),
                participants=tuple(names.get(sid, ())),
                round_count=int(rounds),
                current_round=int(current),
            )
        )
    return found


def first_glance(
    db_url: str | None = None, data_dir: str | Path | None = None
) -> list[SessionGlance] | None:
    """The sessions of a SQLite store read before the store is opened (which loads SQLAlchemy
    and checks and migrates it), or None when only the full open can tell."""
    path = plain_sqlite_file(resolve_url(db_url, data_dir))
    listing = glance_sqlite(path) if path is not None else None
    if listing is None:
        return None
    try:
        return glances(listing)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # rows of an unexpected shape: the full open will say what is wrong
