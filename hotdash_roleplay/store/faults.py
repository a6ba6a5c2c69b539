"""A store that cannot be used: found out before anything touches it, told in one line.

The checks read the file without writing to it and without taking a backup; the messages say
what is wrong, that the file was left as it was, and where its newest backup is (the `*.bak`
taken before a schema update) and how to go back to it."""

from __future__ import annotations

import glob
import sqlite3
from datetime import datetime
from pathlib import Path

from hotdash_roleplay.errors import UnusableStore

# sqlite3 error names that mean the file itself is damaged, not busy or unreachable.
_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_HEADER_BYTES = 100


def check_sqlite_intact(path: Path) -> None:
    """Run SQLite's quick_check on an existing store; raise UnusableStore when it is damaged.

    Read-only. Without a write-ahead log beside the file nothing else holds data, so the file
    is opened as immutable: no -wal or -shm file is created for a store that is refused."""
    cut = _truncation(path)
    if cut:
        raise damaged(path, cut)
    wal = Path(f"{path}-wal")
    uri = path.resolve().as_uri() + "?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            found = [row[0] for row in conn.execute("PRAGMA quick_check(1)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") in _DAMAGE:
            raise damaged(path, str(exc)) from None
        raise UnusableStore(
            f"The database {path} cannot be opened ({exc}); it was left as it is."
        ) from None
    if found != ["ok"]:
        detail = str(found[0]).replace("*** in database main ***", "")
        raise damaged(path, " ".join(detail.split()))


def _truncation(path: Path) -> str:
    """'the file is cut short ...' when it holds fewer pages than its header counts, else ''."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(_HEADER_BYTES)
    if len(head) < _HEADER_BYTES:
        return f"the file is cut short: {size} bytes, less than a database header" if size else ""
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count is only valid when its "version valid for" matches the change counter.
    if head[92:96] != head[24:28] or size >= page_size * pages:
        return ""
    return f"the file is cut short: {size} bytes of the {page_size * pages} its header counts"


def damaged(path: Path, reason: str) -> UnusableStore:
    return UnusableStore(
        f"The database {path} is damaged ({reason}); it was left as it is.{backup_hint(path)}"
    )


def newer_schema(where: str, revision: str, head: str, path: Path | None) -> UnusableStore:
    hint = backup_hint(path) if path else ""
    return UnusableStore(
        f"The database {where} was written by a newer version of HotDash Role-Play (schema "
        f"{revision}; this version knows up to {head}); it was left as it is. Update the app "
        f"to open it.{hint}"
    )


def failed(where: str, reason: str, path: Path | None) -> UnusableStore:
    """A database error met while working: damage found late, a full disk, a lost server."""
    reason = " ".join(reason.split())
    if path is not None and ("malformed" in reason or "not a database" in reason):
        return damaged(path, reason)
    return UnusableStore(f"The database {where} could not be used ({reason}); nothing was saved.")


def newest_backup(path: Path) -> Path | None:
    found = [p for p in path.parent.glob(glob.escape(path.name) + ".*.bak") if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def backup_hint(path: Path) -> str:
    """' Its newest backup is ...: to go back to it, ...' or '' when there is none."""
    backup = newest_backup(path)
    if backup is None:
        return ""
    taken = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return (
        f" Its newest backup is {backup} (from {taken}; later changes are not in it): to go "
        f"back to it, quit the app, move {path.name} and any {path.name}-wal and -shm files "
        f"out of {path.parent}, then copy the backup there as {path.name}."
    )
