"""The console and an observer's browser saving the same checklist: the console never loses
either side unseen. The trainer chooses Reload or Keep mine, with clicks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from tests.ui.test_checklist_panel import click, live, make_panel, open_tab

__all__ = ["live"]  # the fixture, shared with the panel tests


def browser_saves(services: Services, live: LiveSession, observer: str, text: str) -> None:
    """The observer's browser saves from the version it has (as the server does)."""
    seen = services.feedback.get(live.round.id, observer).version
    answers = ChecklistAnswers(marks={"accuracy": Mark.NOT_MET}, notes={"tone": text})
    services.feedback.save_draft(live.round.id, observer, answers, seen=seen, source="browser")


def stored(services: Services, live: LiveSession, observer: str) -> ChecklistAnswers:
    return services.feedback.get(live.round.id, observer).answers


def test_keep_mine_saves_the_trainers_answers_over_the_change_it_was_shown(
    qtbot: QtBot, services: Services, live: LiveSession, screens: Path
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[0]
    form = open_tab(qtbot, panel, observer)
    click(qtbot, form.radios["tone"][Mark.MET])
    settle_store(qtbot, panel)
    assert stored(services, live, observer).marks["tone"] is Mark.MET
    browser_saves(services, live, observer, "From the browser")

    qtbot.keyClicks(form.went_well[0], "Checked the date")  # the app has not heard of it yet
    settle_store(qtbot, panel)
    assert stored(services, live, observer).notes == {"tone": "From the browser"}  # kept
    assert form.conflict_bar.isVisible()
    assert form.conflict_message.text().startswith(
        f"{observer}'s checklist was changed on another device (in their browser)"
    )
    assert form.went_well[0].text() == "Checked the date"  # the trainer's typing stays
    settle()
    assert panel.grab().save(str(screens / "console-checklist-changed-elsewhere.png"))

    qtbot.mouseClick(form.keep_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert not form.conflict_bar.isVisible()
    mine = stored(services, live, observer)
    assert mine.went_well == ["Checked the date"] and mine.marks["tone"] is Mark.MET
    assert mine.notes == {}  # the trainer's answers, whole, as chosen
    assert services.feedback.get(live.round.id, observer).filled_in == "console"
    qtbot.keyClicks(form.went_well[0], ".")  # and saving goes on as before
    settle_store(qtbot, panel)
    assert stored(services, live, observer).went_well == ["Checked the date."]


def test_reload_shows_the_other_devices_answers_and_editing_builds_on_them(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[1]
    form = open_tab(qtbot, panel, observer)
    qtbot.keyClicks(form.notes["tone"], "Trainer")
    settle_store(qtbot, panel)
    browser_saves(services, live, observer, "Browser")
    click(qtbot, form.radios["clarity"][Mark.MET])  # refused: the browser saved first
    settle_store(qtbot, panel)
    assert form.conflict_bar.isVisible()
    assert stored(services, live, observer).marks.get("clarity") is None
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)  # no submit over it either
    settle_store(qtbot, panel)
    assert services.feedback.get(live.round.id, observer).status == "draft"

    qtbot.mouseClick(form.reload_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert not form.conflict_bar.isVisible()
    assert form.notes["tone"].text() == "Browser"
    assert form.radios["accuracy"][Mark.NOT_MET].isChecked()
    assert not form.radios["clarity"][Mark.MET].isChecked()
    click(qtbot, form.radios["clarity"][Mark.MET])
    settle_store(qtbot, panel)
    after = stored(services, live, observer)
    assert after.notes == {"tone": "Browser"} and after.marks["clarity"] is Mark.MET


def test_a_form_waiting_on_the_choice_is_not_reloaded_under_the_trainer(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[2]
    form = open_tab(qtbot, panel, observer)
    qtbot.keyClicks(form.could_improve[0], "Offer a repair")
    settle_store(qtbot, panel)
    browser_saves(services, live, observer, "One")
    qtbot.keyClicks(form.could_improve[0], "!")
    settle_store(qtbot, panel)  # refused: the banner shows "One"
    browser_saves(services, live, observer, "Two")  # it saves again meanwhile
    panel.reload_observers([observer])  # the server's news arrives
    panel.refresh()
    settle_store(qtbot, panel)
    assert form.could_improve[0].text() == "Offer a repair!" and form.conflict_bar.isVisible()
    qtbot.mouseClick(form.keep_button, Qt.MouseButton.LeftButton)  # shown "One": refused again
    settle_store(qtbot, panel)
    assert form.conflict_bar.isVisible() and stored(services, live, observer).notes["tone"] == "Two"
    qtbot.mouseClick(form.keep_button, Qt.MouseButton.LeftButton)  # now over "Two", knowingly
    settle_store(qtbot, panel)
    assert not form.conflict_bar.isVisible()
    assert stored(services, live, observer).could_improve == ["Offer a repair!"]
