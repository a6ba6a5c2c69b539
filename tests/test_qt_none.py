"""The Qt binding must not lose references to None: on Python 3.11 (where None is counted)
PySide6 6.12.0 dropped one on every call returning nothing, and the app aborted with
"none_dealloc" about half an hour into a live session (pyproject.toml excludes it)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel("0")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(str(n))
    assert sys.getrefcount(None) - before > -100  # a few may move elsewhere; not 2000
