"""The setup screen takes its limits from the core: what the core accepts can be typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.names import MAX_NAME
from hotdash_roleplay.plans import MAX_PHASE_MINUTES, MAX_SESSION_TITLE
from tests.ui.test_shell import setup_screen, type_names
from ui.main_window import MainWindow


def test_a_phase_can_be_as_long_as_the_core_allows(qtbot: QtBot, main_window: MainWindow) -> None:
    setup = setup_screen(qtbot, main_window)
    type_names(qtbot, setup, "Ann, Ben, Cat, Dev")
    roleplay = setup.phases.boxes["roleplay"]
    roleplay.setFocus()
    roleplay.selectAll()
    qtbot.keyClicks(roleplay, "90")  # over an hour: the core takes up to two
    qtbot.keyClick(roleplay, Qt.Key.Key_Tab)
    assert roleplay.value() == 90.0
    assert setup.phases.seconds()["roleplay"] == 90 * 60
    assert roleplay.maximum() == MAX_PHASE_MINUTES


def test_title_and_trainer_fields_stop_at_the_core_limits(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    setup = setup_screen(qtbot, main_window)
    panel = setup.plan_panel
    panel.title_edit.setFocus()
    qtbot.keyClicks(panel.title_edit, "t" * (MAX_SESSION_TITLE + 5))
    assert len(panel.title_edit.text()) == MAX_SESSION_TITLE
    panel.trainer_edit.setFocus()
    qtbot.keyClicks(panel.trainer_edit, "n" * (MAX_NAME + 5))
    assert len(panel.trainer_edit.text()) == MAX_NAME
