"""The app's icon is on every window: the title bar, the task bar and the alt-tab list show it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from hotdash_roleplay.paths import APP_ICON, RESOURCES
from ui.app import make_app
from ui.main_window import MainWindow


def test_the_main_window_carries_the_app_icon(qtbot: QtBot, services: Any) -> None:
    assert APP_ICON.is_file() and APP_ICON.is_relative_to(RESOURCES)
    make_app()  # the application as the app starts it
    window = MainWindow(services)
    qtbot.addWidget(window)
    image = window.windowIcon().pixmap(64, 64).toImage()
    assert not image.isNull()
    # The icon as drawn, not a blank: the accent blue at its edge, a light bubble inside.
    assert image.pixelColor(4, 32).name() == QColor("#2b6a9e").name()
    assert image.pixelColor(28, 22).lightness() > 200
