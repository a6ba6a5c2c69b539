"""The console's decision against a decision recorded on another device meanwhile: refused with
the stored decision shown, the form kept; recording again replaces it knowingly."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services, open_services
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.console_screen import ConsoleScreen


def test_recording_over_a_decision_made_elsewhere_is_refused_then_replaces_on_purpose(
    qtbot: QtBot, services: Services, tmp_path: Path, screens: Path
) -> None:
    sid = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    live = services.live(sid)
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    qtbot.waitExposed(console)
    settle_store(qtbot, console)
    panel = console.decision
    console.tabs.setCurrentWidget(panel)
    assert live.round is not None
    round_id = live.round.id

    # Another app on the same store records the round's decision after this form was loaded.
    other = open_services(data_dir=tmp_path / "data")
    try:
        other.decisions.record(round_id, "approve", seen=0)
    finally:
        other.close()

    qtbot.mouseClick(panel.choices[Decision.EDIT_APPROVE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, console)
    text = panel.message.text()
    assert text.startswith("The decision was changed on another device")
    stored = services.decisions.get(round_id)
    assert stored is not None and stored.decision is Decision.APPROVE  # not overwritten
    assert f"Approve for {stored.operator}, recorded at " in text
    assert panel.selected() is Decision.EDIT_APPROVE  # the trainer's form is kept
    settle()
    assert panel.grab().save(str(screens / "decision-changed-elsewhere.png"))

    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)  # again, knowingly
    settle_store(qtbot, console)
    stored = services.decisions.get(round_id)
    assert stored is not None and stored.decision is Decision.EDIT_APPROVE
    assert panel.message.text().startswith("Recorded: Edit & approve")
