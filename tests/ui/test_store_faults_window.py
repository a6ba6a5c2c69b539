"""The window on a store it cannot use: the same one clear line as the command line, the file
untouched; damage met later is said plainly too, not as "Something went wrong"."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.services import open_services
from hotdash_roleplay.store.location import DB_FILE_NAME
from tests.ui.app_run import driving
from ui.main_window import MainWindow

PAGE = 4096


def damaged_store(folder: Path) -> Path:
    """A real store with garbage written over the first page of its rounds table."""
    services = open_services(None, folder)
    create_demo_session(services)
    services.close()
    db = folder / DB_FILE_NAME
    conn = sqlite3.connect(db)
    (page,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'rounds'").fetchone()
    conn.close()
    with db.open("r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(b"\xa5" * PAGE)
    return db


def test_a_damaged_store_is_one_clear_message_in_the_window(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    db = damaged_store(tmp_path / "data")
    before = hashlib.sha256(db.read_bytes()).digest()
    shown: list[str] = []
    polls = iter(range(500))  # about 10 s: then the app is told to quit, and the test fails

    def read_and_close() -> None:
        """What the trainer sees, then the click on OK."""
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if next(polls, None) is None:
                QApplication.quit()
            else:
                drive.after(20, read_and_close)
            return
        shown.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    with driving(60_000) as drive:
        drive.after(0, read_and_close)
        assert app_module.run_app(data_dir=db.parent) == 1
    (text,) = shown
    assert f"The database {db} is damaged" in text and "it was left as it is" in text
    assert "Something went wrong" not in text
    assert hashlib.sha256(db.read_bytes()).digest() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [DB_FILE_NAME]


def test_damage_met_while_the_app_runs_is_said_plainly(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    db = damaged_store(tmp_path / "data")
    # Damage the check at open did not see: a page spoiled while the app was running.
    monkeypatch.setattr("hotdash_roleplay.store.opening.check_sqlite_intact", lambda _p: None)
    services = open_services(None, db.parent)
    window = MainWindow()
    qtbot.addWidget(window)
    window.services = services  # as attach() sets it, without building the start screen
    app_module._install_excepthook(window)
    try:
        services.sessions.get(1)
    except Exception:  # what a slot would raise: handed to the hook, as Qt does
        sys.excepthook(*sys.exc_info())
    finally:
        services.close()
    assert window.last_message is not None
    text = window.last_message.text()
    assert text.startswith(f"The database {db} is damaged (database disk image is malformed)")
    assert "Something went wrong" not in text
