"""A decision typed but never recorded, on a round that then closed: the console shows it to the
trainer when the round closes and again after a restart, rather than keeping it silently."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.console_screen import ConsoleScreen


def open_console(qtbot: QtBot, services: Services, live: LiveSession) -> ConsoleScreen:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    qtbot.waitExposed(console)
    settle_store(qtbot, console)
    return console


def test_a_draft_left_on_a_closed_round_is_shown(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    plan = next(p.id for p in services.sessions.plans if p.id.startswith("module4"))
    live = services.live(services.sessions.create_session(plan, ["Ann", "Ben", "Cat", "Dev"]).id)
    console = open_console(qtbot, services, live)
    qtbot.mouseClick(console.toggle_button, Qt.MouseButton.LeftButton)
    panel = console.decision
    console.tabs.setCurrentWidget(panel)
    assert not panel.leftover_label.isVisible()

    # The trainer starts a rejection, then closes the round without recording it.
    qtbot.mouseClick(panel.choices[Decision.REJECT], Qt.MouseButton.LeftButton)
    problem = panel.rejection_form.fields["problem"]
    problem.setFocus()
    qtbot.keyClicks(problem, "Promises a refund the policy does not allow")
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)  # the confirmation
    settle_store(qtbot, console)
    assert live.round.number == 2

    expected = (
        "Round 1 closed without a recorded decision; what was typed for it is kept but not "
        "recorded: Reject — "
    )
    assert panel.leftover_label.isVisible()
    assert panel.leftover_label.text().startswith(expected)
    assert "Problem: Promises a refund the policy does not allow" in panel.leftover_label.text()
    settle()
    assert panel.grab().save(str(screens / "decision-leftover-draft.png"))

    # After a restart the console says it again.
    console.close()
    again = open_console(qtbot, services, services.live(live.session_id))
    again.tabs.setCurrentWidget(again.decision)
    assert again.decision.leftover_label.isVisible()
    assert again.decision.leftover_label.text().startswith(expected)
