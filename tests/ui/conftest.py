"""UI fixtures: settings kept out of the user's home, the theme reset, a main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from hotdash_roleplay.services import Services
    from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """QSettings in a temporary folder, and the light theme, for every UI test."""
    from PySide6.QtCore import QSettings

    from ui import theme

    folder = tmp_path / "settings"
    for kind in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    theme.apply_theme(qapp, dark=False)
    yield folder
    _delete_windows()
    theme.apply_theme(qapp, dark=False)


def _delete_windows() -> None:
    """Windows left from a test would be re-styled by every later theme switch: delete them."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def screens(artifacts: Path) -> Path:
    folder = artifacts / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def main_window(qtbot: QtBot, services: Services) -> MainWindow:
    from tests.ui.stored import settle_store
    from ui.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    settle_store(qtbot, window)  # the start screen as the trainer first sees it: filled
    return window
