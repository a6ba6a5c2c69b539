"""Exports and import from the start screen and the Session menu, as a trainer clicks them:
the file dialog (non-modal) is answered, the file appears, the lists follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.services import Services, open_services
from tests.ui.stored import settle_store
from ui import export_actions
from ui.main_window import MainWindow
from ui.start_screen import NAME

TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: True)


def answer_dialog(qtbot: QtBot, path: Path) -> None:
    """Pick `path` in the file dialog the action opened (it does not block the loop)."""
    dialogs: list[QFileDialog] = []

    def shown() -> bool:
        dialogs[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        return any(d.isVisible() for d in dialogs)

    qtbot.waitUntil(shown, timeout=TIMEOUT)
    dialog = next(d for d in dialogs if d.isVisible())
    # Typed as the trainer would: selectFile() leaves the name field alone once it has focus.
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    name.setText(str(path))
    dialog.accept()


def test_debrief_and_peer_review_from_the_start_screen(
    qtbot: QtBot, main_window: MainWindow, services: Services, tmp_path: Path, screens: Path
) -> None:
    create_demo_session(services)
    main_window.show_start()
    settle_store(qtbot, main_window)  # listed
    start = main_window.start
    main_window.grab().save(str(screens / "start-with-exports.png"))

    qtbot.mouseClick(start.in_progress.debrief_button, Qt.MouseButton.LeftButton)
    report = tmp_path / "debrief.pdf"
    answer_dialog(qtbot, report)
    qtbot.waitUntil(report.exists, timeout=TIMEOUT)
    text = "".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Module 4 practice (demo)" in text

    start.people.list.setCurrentRow(0)
    person = start.people.list.currentItem().data(NAME)
    qtbot.mouseClick(start.people.record_button, Qt.MouseButton.LeftButton)
    record = tmp_path / "record.pdf"
    answer_dialog(qtbot, record)
    qtbot.waitUntil(record.exists, timeout=TIMEOUT)
    assert person in "".join(p.extract_text() for p in PdfReader(record).pages)


def test_session_data_export_then_import_into_another_store(
    qtbot: QtBot, main_window: MainWindow, services: Services, tmp_path: Path
) -> None:
    create_demo_session(services)
    main_window.show_start()
    settle_store(qtbot, main_window)  # listed
    qtbot.mouseClick(main_window.start.in_progress.data_button, Qt.MouseButton.LeftButton)
    data = tmp_path / "session.json"
    answer_dialog(qtbot, data)
    qtbot.waitUntil(data.exists, timeout=TIMEOUT)

    other = open_services(data_dir=tmp_path / "colleague")
    try:
        from ui.main_window import MainWindow

        window = MainWindow(other)
        qtbot.addWidget(window)
        window.show()
        qtbot.mouseClick(window.start.import_button, Qt.MouseButton.LeftButton)
        answer_dialog(qtbot, data)
        qtbot.waitUntil(lambda: len(other.sessions.list_sessions()) == 1, timeout=TIMEOUT)
        qtbot.waitUntil(
            lambda: window.start.in_progress.tree.topLevelItemCount() == 1, timeout=TIMEOUT
        )
    finally:
        other.close()


def test_menu_export_needs_an_open_session(main_window: MainWindow) -> None:
    main_window.show_start()
    main_window.debrief_action.trigger()
    assert "Open a session first" in main_window.statusBar().currentMessage()
