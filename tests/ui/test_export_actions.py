"""Export actions from the app: the work runs on a worker thread while the Qt loop keeps
running, progress is visible, the result offers to open the file or its folder, errors are
messages. The file dialog is non-blocking (open(), never exec())."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.services import Services
from ui import export_actions
from ui.export_actions import ExportJob

TIMEOUT = 20_000


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def demo(services: Services) -> int:
    return create_demo_session(services)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: urls.append(url))
    return urls


def _job(window: QWidget, qtbot: QtBot) -> ExportJob:
    qtbot.waitUntil(lambda: window.findChild(ExportJob) is not None)  # after the look-up
    job = window.findChild(ExportJob)
    assert job is not None
    qtbot.waitUntil(lambda: job.state != "running", timeout=TIMEOUT)
    return job


def test_debrief_export_runs_off_the_ui_thread_and_offers_to_open(
    window: QWidget, services: Services, demo: int, tmp_path: Path, qtbot: QtBot, opened: list[QUrl]
) -> None:
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    target = tmp_path / "debrief.pdf"

    export_actions.export_debrief(
        window, services.sessions, services.reports, demo, path=target, worker=services.worker
    )
    qtbot.waitUntil(lambda: window.findChild(ExportJob) is not None)  # the title looked up
    job = window.findChild(ExportJob)
    assert job is not None and job.state == "running"  # returned before the PDF was built
    progress = window.findChild(QProgressDialog, "exportProgress")
    assert progress is not None and progress.isVisible()
    job = _job(window, qtbot)
    timer.stop()

    assert job.state == "done", job.error
    assert job.worker_thread not in (None, threading.get_ident())
    assert len(ticks) >= 3  # the Qt loop kept running while the PDF was written
    assert not progress.isVisible()
    assert "Debrief report" in (PdfReader(target).pages[0].extract_text() or "")

    box = job.message
    assert isinstance(box, QMessageBox) and box.isVisible() and not box.isModal()
    assert str(target) in box.text()
    box.findChild(QPushButton, "openFile").click()
    assert opened[-1] == QUrl.fromLocalFile(str(target))


def test_open_folder_button(
    window: QWidget, services: Services, demo: int, tmp_path: Path, qtbot: QtBot, opened: list[QUrl]
) -> None:
    target = tmp_path / "data.csv"
    export_actions.export_session_data(
        window, services.sessions, services.session_data, demo, path=target, worker=services.worker
    )
    job = _job(window, qtbot)
    assert job.state == "done" and target.read_text(encoding="utf-8-sig").startswith("record_type")
    assert job.message is not None
    job.message.findChild(QPushButton, "openFolder").click()
    assert opened[-1] == QUrl.fromLocalFile(str(tmp_path))


def test_export_to_a_missing_folder_shows_a_message(
    window: QWidget, services: Services, demo: int, tmp_path: Path, qtbot: QtBot
) -> None:
    export_actions.export_debrief(
        window,
        services.sessions,
        services.reports,
        demo,
        path=tmp_path / "nope" / "d.pdf",
        worker=services.worker,
    )
    job = _job(window, qtbot)
    assert job.state == "failed" and "does not exist" in job.error
    assert job.message is not None and "does not exist" in job.message.text()
    assert job.message.objectName() == "exportFailed" and job.message.isVisible()


def test_unknown_session_is_a_message(window: QWidget, services: Services, qtbot: QtBot) -> None:
    export_actions.export_debrief(
        window, services.sessions, services.reports, 999, worker=services.worker
    )
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "exportFailed") is not None)
    box = window.findChild(QMessageBox, "exportFailed")
    assert box is not None and "no session 999" in box.text()


def test_file_dialog_is_non_blocking_and_starts_the_export(
    window: QWidget, services: Services, demo: int, tmp_path: Path, qtbot: QtBot
) -> None:
    person = services.sessions.get(demo).rounds[0].operator
    export_actions.export_peer_review(
        window, services.people, services.reports, person, worker=services.worker
    )  # returns at once
    qtbot.waitUntil(lambda: window.findChild(QFileDialog, "exportDialog") is not None)
    dialog = window.findChild(QFileDialog, "exportDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert "Peer-review record" in dialog.selectedFiles()[0]
    target = tmp_path / "record"  # no suffix: the PDF filter adds .pdf
    dialog.fileSelected.emit(str(target))
    job = _job(window, qtbot)
    assert job.state == "done", job.error
    assert (tmp_path / "record.pdf").exists()


def test_import_from_the_app(
    window: QWidget, services: Services, demo: int, tmp_path: Path, qtbot: QtBot
) -> None:
    from hotdash_roleplay.services import open_services

    source = services.session_data.export(demo, tmp_path / "s.json")
    other = open_services(data_dir=tmp_path / "other")
    try:
        results: list[Any] = []
        export_actions.import_session_file(
            window, other.session_data, results.append, path=source, worker=other.worker
        )
        job = _job(window, qtbot)
        assert job.state == "done" and results and results[0].imported
        assert job.message is not None and "Imported session" in job.message.text()
        assert job.message.findChild(QPushButton, "openFile") is None
    finally:
        other.close()
