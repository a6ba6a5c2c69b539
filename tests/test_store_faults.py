"""A store that cannot be used (from a newer version, damaged, cut short) is refused in one
line on the command line, the file left byte for byte as it was and no backup taken; and what
the store promises on a power cut: every commit durable, exports flushed before the rename."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from hotdash_roleplay.cli import main
from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.exports import files
from hotdash_roleplay.services import open_services
from hotdash_roleplay.store.location import DB_FILE_NAME, resolve_url
from hotdash_roleplay.store.migrate import HEAD_REVISION
from hotdash_roleplay.store.opening import open_store

ROOT = Path(__file__).resolve().parents[1]
PAGE = 4096


def make_store(folder: Path) -> Path:
    """A real store holding the demo session, closed (its write-ahead log folded in)."""
    services = open_services(None, folder)
    create_demo_session(services)
    services.close()
    db = folder / DB_FILE_NAME
    assert not Path(f"{db}-wal").exists()
    return db


def from_newer_version(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()


def root_page(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    return int(page[0])


def damage_page(db: Path, table: str = "rounds") -> None:
    """Garbage over the first page of a table, as a failing disk leaves it."""
    page = root_page(db, table)
    with db.open("r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(b"\xa5" * PAGE)


def truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HOTDASH_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "hotdash_roleplay.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "newer version": (from_newer_version, "written by a newer version"),
    "damaged page": (damage_page, "is damaged"),
    "truncated": (truncate, "is damaged (the file is cut short"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", [["sessions", "list"], ["export", "session", "1"]])
def test_an_unusable_store_is_one_line_and_left_untouched(
    tmp_path: Path, fault: str, command: list[str]
) -> None:
    db = make_store(tmp_path / "data")
    spoil, says = FAULTS[fault]
    spoil(db)
    before = digest(db)
    out = tmp_path / "out.json"
    args = [*command, "-o", str(out)] if command[0] == "export" else command
    result = cli(*args, "--data-dir", str(db.parent))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"hotdash-roleplay: The database {db} ")
    assert says in lines[0] and "it was left as it is" in lines[0]
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [DB_FILE_NAME]  # no .bak, -wal, -shm
    assert not out.exists() and result.stdout == ""


def test_the_message_says_where_the_backup_is_and_how_to_go_back(tmp_path: Path) -> None:
    db = make_store(tmp_path / "data")
    backup = Path(f"{db}.before-{HEAD_REVISION}-20260101T090000.bak")
    backup.write_bytes(db.read_bytes())
    damage_page(db)
    result = cli("sessions", "list", "--data-dir", str(db.parent))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"Its newest backup is {backup} " in line
    assert f"copy the backup there as {DB_FILE_NAME}" in line
    assert len(list(db.parent.glob("*.bak"))) == 1


def test_damage_met_while_a_command_runs_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage the check at open does not see (here: the check skipped) still ends in one line,
    not in SQLite's 'database disk image is malformed' as a traceback."""
    db = make_store(tmp_path / "data")
    damage_page(db)
    monkeypatch.setattr("hotdash_roleplay.store.opening.check_sqlite_intact", lambda _p: None)
    out = tmp_path / "out.json"
    code = main(["export", "session", "1", "-o", str(out), "--data-dir", str(db.parent)])
    _, err = capsys.readouterr()
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"hotdash-roleplay: The database {db} is damaged (database disk image")
    assert not out.exists()


def test_a_healthy_store_left_by_a_killed_app_still_opens(tmp_path: Path) -> None:
    """The check at open reads the write-ahead log a killed app leaves: not damage."""
    db = make_store(tmp_path / "data")
    killed = sqlite3.connect(db)
    killed.execute("PRAGMA journal_mode=WAL")
    killed.execute("PRAGMA wal_autocheckpoint=0")
    killed.execute("UPDATE sessions SET title = 'Changed before the crash'")
    killed.commit()
    assert Path(f"{db}-wal").stat().st_size > 0
    result = cli("sessions", "list", "--data-dir", str(db.parent))
    killed.close()
    assert result.returncode == 0, result.stderr
    assert "Changed before the crash" in result.stdout


def test_every_commit_is_durable_on_a_power_cut(tmp_path: Path) -> None:
    store = open_store(resolve_url(None, tmp_path))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    store.close()


def test_an_export_is_flushed_to_disk_before_it_replaces_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        steps.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    target = tmp_path / "data.json"
    files.write_atomically(target, lambda p: p.write_text("{}", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "{}"
    posix = os.name == "posix"
    assert steps == ["fsync file", "rename", *(["fsync dir"] if posix else [])]
