"""Exports and the import, as a trainer clicks them, never wait on the store: the look-up
before the file dialog and everything the export reads or writes in the store run on the store
worker; only building the file runs on the export's own thread (docs/architecture.md, "One
event loop")."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.services import Services, open_services
from tests.ui.gui_sql import Statement, gui_thread_statements
from tests.ui.test_start_exports import TIMEOUT, answer_dialog
from ui import export_actions
from ui.main_window import MainWindow
from ui.start_screen import NAME

# The start screen re-reads its lists (once an import lands, or when another app changed the
# store): its own work, not the exports'.
START_LISTS = ("ui/start_screen.py", "ui/session_watch.py")


def exports_sql(statements: list[Statement]) -> list[str]:
    """The statements the export actions ran on the GUI thread: all but the start screen's own
    list refreshes."""
    return [
        s.sql
        for s in statements
        if s.from_any(("ui/export_actions.py",)) or not s.from_any(START_LISTS)
    ]


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: True)


@contextmanager
def store_threads(services: Services) -> Iterator[set[str]]:
    """The names of the threads the store runs statements on while the block runs."""
    names: set[str] = set()

    def record(*_args: Any) -> None:
        names.add(threading.current_thread().name)

    event.listen(services.store.engine, "before_cursor_execute", record)
    try:
        yield names
    finally:
        event.remove(services.store.engine, "before_cursor_execute", record)


def on_the_worker(names: set[str]) -> bool:
    """Every statement ran on the store worker (its pool's one thread)."""
    return bool(names) and all(n.startswith("store") for n in names)


@pytest.fixture
def start(main_window: MainWindow, services: Services) -> MainWindow:
    create_demo_session(services)
    main_window.show_start()
    services.worker.flush()
    return main_window


def test_debrief_from_the_start_screen(
    qtbot: QtBot, start: MainWindow, services: Services, tmp_path: Path
) -> None:
    report = tmp_path / "debrief.pdf"
    with gui_thread_statements(services) as statements, store_threads(services) as threads:
        qtbot.mouseClick(start.start.in_progress.debrief_button, Qt.MouseButton.LeftButton)
        answer_dialog(qtbot, report)
        qtbot.waitUntil(report.exists, timeout=TIMEOUT)
    assert exports_sql(statements) == []
    assert on_the_worker(threads), threads
    assert report.read_bytes().startswith(b"%PDF")


def test_session_data_from_the_start_screen(
    qtbot: QtBot, start: MainWindow, services: Services, tmp_path: Path
) -> None:
    data = tmp_path / "session.json"
    with gui_thread_statements(services) as statements, store_threads(services) as threads:
        qtbot.mouseClick(start.start.in_progress.data_button, Qt.MouseButton.LeftButton)
        answer_dialog(qtbot, data)
        qtbot.waitUntil(data.exists, timeout=TIMEOUT)
    assert exports_sql(statements) == []
    assert on_the_worker(threads), threads
    assert '"uid"' in data.read_text(encoding="utf-8")


def test_peer_review_from_the_start_screen(
    qtbot: QtBot, start: MainWindow, services: Services, tmp_path: Path
) -> None:
    people = start.start.people
    people.list.setCurrentRow(0)
    person = people.list.currentItem().data(NAME)
    services.worker.flush()
    record = tmp_path / "record.pdf"
    with gui_thread_statements(services) as statements, store_threads(services) as threads:
        qtbot.mouseClick(people.record_button, Qt.MouseButton.LeftButton)
        answer_dialog(qtbot, record)
        qtbot.waitUntil(record.exists, timeout=TIMEOUT)
    assert exports_sql(statements) == []
    assert on_the_worker(threads), threads
    assert person in "".join(p.extract_text() for p in PdfReader(record).pages)


def test_certification_record(
    qtbot: QtBot, start: MainWindow, services: Services, tmp_path: Path
) -> None:
    person = services.people.list_people()[0].name
    record = tmp_path / "certification.pdf"
    with gui_thread_statements(services) as statements, store_threads(services) as threads:
        export_actions.export_certification(
            start, services.certification, person, path=record, worker=services.worker
        )
        qtbot.waitUntil(record.exists, timeout=TIMEOUT)
    assert exports_sql(statements) == []
    assert on_the_worker(threads), threads


def test_unknown_session_is_said_after_the_worker_looked(
    qtbot: QtBot, start: MainWindow, services: Services
) -> None:
    with gui_thread_statements(services) as statements:
        start.export_session(999, "debrief")
        qtbot.waitUntil(
            lambda: start.findChild(export_actions.QMessageBox, "exportFailed") is not None
        )
    assert exports_sql(statements) == []
    box = start.findChild(export_actions.QMessageBox, "exportFailed")
    assert box is not None and "no session 999" in box.text()
    assert start.findChild(export_actions.QFileDialog, "exportDialog") is None


def test_import_from_the_start_screen(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    source = services.session_data.export(create_demo_session(services), tmp_path / "s.json")
    other = open_services(data_dir=tmp_path / "colleague")
    try:
        window = MainWindow(other)
        qtbot.addWidget(window)
        window.show()
        other.worker.flush()
        with gui_thread_statements(other) as statements, store_threads(other) as threads:
            qtbot.mouseClick(window.start.import_button, Qt.MouseButton.LeftButton)
            answer_dialog(qtbot, source)
            qtbot.waitUntil(
                lambda: window.start.in_progress.tree.topLevelItemCount() == 1, timeout=TIMEOUT
            )
        assert [s.sql for s in statements if not s.from_any(START_LISTS)] == []
        # The GUI thread's own are the start screen's (checked above); the import's on the worker.
        assert on_the_worker(threads - {threading.main_thread().name}), threads
        assert len(other.sessions.list_sessions()) == 1
    finally:
        other.close()
