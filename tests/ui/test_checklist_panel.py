"""The observer checklist in the app, driven as the trainer and observers would: clicks and keys."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import Mark
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.checklist_panel import ChecklistPanel
from ui.console.observer_form import ObserverForm

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]
WELL = ["Checked the purchase date first", "Named the defect back to the customer"]
IMPROVE = ["Offer the repair option before refusing"]


def module4_plan(services: Services) -> str:
    return next(p.id for p in services.sessions.plans if str(p.mode) == "practice")


@pytest.fixture
def live(services: Services) -> Iterator[LiveSession]:
    detail = services.sessions.create_session(module4_plan(services), PEOPLE)
    session = services.live(detail.id)
    session.set_feedback_open(True)
    yield session


def make_panel(qtbot: QtBot, services: Services, live: LiveSession) -> ChecklistPanel:
    panel = ChecklistPanel(services.worker, services.feedback, live)
    qtbot.addWidget(panel)
    panel.resize(1100, 960)
    panel.show()
    qtbot.waitExposed(panel)
    settle_store(qtbot, panel)
    return panel


def open_tab(qtbot: QtBot, panel: ChecklistPanel, observer: str) -> ObserverForm:
    bar = panel.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i).startswith(observer))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert panel.tabs.currentIndex() == index
    return panel.forms[observer]


def click(qtbot: QtBot, radio: QRadioButton) -> None:
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=radio.rect().center())


def fill(
    qtbot: QtBot,
    panel: ChecklistPanel,
    observer: str,
    marks: dict[str, Mark],
    well: list[str] = WELL,
    improve: list[str] = IMPROVE,
) -> ObserverForm:
    form = open_tab(qtbot, panel, observer)
    for key, mark in marks.items():
        click(qtbot, form.radios[key][mark])
    for edit, text in zip(form.went_well, well, strict=False):
        qtbot.keyClicks(edit, text)
    for edit, text in zip(form.could_improve, improve, strict=False):
        qtbot.keyClicks(edit, text)
    settle_store(qtbot, panel)
    return form


def all_marks(services: Services, mark: Mark = Mark.MET, **overrides: Mark) -> dict[str, Mark]:
    marks = {c.key: mark for c in services.checklist.criteria}
    marks.update(overrides)
    return marks


def test_one_checklist_per_observer_of_the_round(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    assert rnd is not None and len(rnd.observers) == 3
    assert list(panel.forms) == list(rnd.observers)
    tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert tabs == [f"{o}: not started" for o in rnd.observers] + ["Summary for the trainer"]
    # Everyone else in the round is not an observer and gets no checklist.
    assert rnd.operator not in panel.forms
    form = panel.forms[rnd.observers[0]]
    assert len(form.radios) == 8
    assert "Did operator verify all facts?" in _texts(form)
    assert "Feedback is OPEN" in panel.feedback_state.text()


def test_every_tick_and_keystroke_is_saved_and_a_new_panel_shows_the_draft(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    ann = rnd.observers[0]
    form = open_tab(qtbot, panel, ann)
    click(qtbot, form.radios["accuracy"][Mark.NOT_MET])
    settle_store(qtbot, panel)
    assert services.feedback.get(rnd.id, ann).answers.marks["accuracy"] is Mark.NOT_MET
    assert "draft, saved at" in form.status_label.text()
    assert panel.tabs.tabText(0) == f"{ann}: draft"

    # Keyboard only: focus the "Tone: met" radio and press Space.
    form.radios["tone"][Mark.MET].setFocus()
    qtbot.keyClick(form.radios["tone"][Mark.MET], Qt.Key.Key_Space)
    qtbot.keyClicks(form.notes["accuracy"], "Never checked the order date")
    qtbot.keyClicks(form.went_well[0], WELL[0])
    settle_store(qtbot, panel)
    stored = services.feedback.get(rnd.id, ann).answers
    assert stored.marks["tone"] is Mark.MET
    assert stored.notes["accuracy"] == "Never checked the order date"
    assert stored.went_well == [WELL[0]]

    other = ChecklistPanel(services.worker, services.feedback, services.live(live.session_id))
    qtbot.addWidget(other)
    settle_store(qtbot, other)
    again = other.forms[ann]
    assert again.radios["accuracy"][Mark.NOT_MET].isChecked()
    assert again.radios["tone"][Mark.MET].isChecked()
    assert not any(r.isChecked() for r in again.radios["clarity"].values())
    assert again.notes["accuracy"].text() == "Never checked the order date"
    assert again.went_well[0].text() == WELL[0]
    assert "draft" in again.status_label.text()


def test_submit_is_refused_with_what_is_missing_then_accepted(
    qtbot: QtBot, services: Services, live: LiveSession, artifacts: Path
) -> None:
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    ann = rnd.observers[0]
    marks = all_marks(services)
    del marks["efficiency"]
    form = fill(qtbot, panel, ann, marks, well=WELL[:1], improve=[])

    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    message = form.message.text()
    assert form.message.isVisible()
    assert "Not submitted yet" in message
    assert "• 1 criterion is not marked yet (met, not met or not observed): Efficiency." in message
    assert "What went well needs at least 2" in message
    assert "What could improve needs at least 1" in message
    assert form.message.property("role") == "error"
    assert services.feedback.get(rnd.id, ann).status == "draft"
    _save(panel, artifacts, "checklist-form-refused.png")

    click(qtbot, form.radios["efficiency"][Mark.NOT_OBSERVED])
    qtbot.keyClicks(form.went_well[1], WELL[1])
    qtbot.keyClicks(form.could_improve[0], IMPROVE[0])
    form.submit_button.setFocus()
    qtbot.keyClick(form.submit_button, Qt.Key.Key_Space)  # keyboard submit
    settle_store(qtbot, panel)
    assert services.feedback.get(rnd.id, ann).status == "submitted"
    assert form.message.property("role") == "ok"
    assert "submitted at" in form.status_label.text()
    assert f"{ann}: ✔ submitted" in panel.statuses.text()
    assert panel.tabs.tabText(0) == f"{ann}: ✔ submitted"
    _save(panel, artifacts, "checklist-form.png")


def test_aggregate_counts_flags_disagreement_and_leads_with_most_missed(
    qtbot: QtBot, services: Services, live: LiveSession, artifacts: Path
) -> None:
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    ann, ben, cat = rnd.observers
    # Accuracy: Ann and Ben split met / not met. Tone: both not met (most missed).
    for name, overrides, well, improve in (
        (ann, {"accuracy": Mark.NOT_MET, "tone": Mark.NOT_MET}, WELL, IMPROVE),
        (
            ben,
            {"accuracy": Mark.MET, "tone": Mark.NOT_MET, "creativity": Mark.NOT_OBSERVED},
            ["Kept the AI draft's facts straight", "Calm voice when pushed", "Asked first"],
            ["Acknowledge the frustration before policy", "Say when the answer comes"],
        ),
    ):
        form = fill(qtbot, panel, name, all_marks(services, **overrides), well, improve)
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
        settle_store(qtbot, panel)
        assert services.feedback.get(rnd.id, name).status == "submitted"
    fill(qtbot, panel, cat, {"accuracy": Mark.NOT_MET}, well=[], improve=[])  # a draft only

    panel.tabs.setCurrentWidget(panel.aggregate)
    table = panel.aggregate.table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert list(rows)[:3] == ["Accuracy", "Completeness", "Tone"]

    def row(name: str) -> list[str]:
        return [table.item(rows[name], c).text() for c in range(5)]

    # Cat's draft does not count: only submitted checklists.
    assert row("Accuracy") == ["Accuracy", "1", "1", "0", "Disagree: calibrate"]
    assert not table.item(rows["Accuracy"], 4).icon().isNull()  # text and icon, not colour alone
    assert row("Tone") == ["Tone", "0", "2", "0", "Agree"]
    assert row("Creativity") == ["Creativity", "1", "0", "1", "Agree"]
    assert "2 submitted checklist(s) of 3" in panel.aggregate.coverage.text()
    assert f"{cat} (draft)" in panel.aggregate.coverage.text()

    agenda = panel.aggregate.agenda.text().splitlines()
    assert agenda[0].startswith("1. Tone: not met ×2")
    assert agenda[1].startswith("2. Accuracy: not met ×1")
    assert "observers disagree" in agenda[1]
    assert WELL[0] in panel.aggregate.comments.text()
    _save(panel, artifacts, "checklist-aggregate.png")


def test_closed_feedback_makes_the_form_read_only(
    qtbot: QtBot, services: Services, live: LiveSession, artifacts: Path
) -> None:
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    ann = rnd.observers[0]
    form = open_tab(qtbot, panel, ann)
    click(qtbot, form.radios["accuracy"][Mark.MET])

    qtbot.mouseClick(panel.toggle_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert live.round is not None and not live.round.feedback_open
    assert "Feedback is CLOSED" in panel.feedback_state.text()
    assert panel.feedback_state.property("state") == "closed"
    assert form.closed_message.isVisible()
    assert "read-only" in form.closed_message.text()
    assert not form.radios["accuracy"][Mark.NOT_MET].isEnabled()
    assert form.notes["accuracy"].isReadOnly()
    assert form.went_well[0].isReadOnly()
    assert not form.submit_button.isEnabled()
    qtbot.keyClicks(form.went_well[0], "typed while closed")
    settle_store(qtbot, panel)
    assert services.feedback.get(rnd.id, ann).answers.went_well == []
    assert form.radios["accuracy"][Mark.MET].isChecked()  # what was saved stays shown
    _save(panel, artifacts, "checklist-closed.png")

    # Open again from the keyboard.
    panel.toggle_button.setFocus()
    qtbot.keyClick(panel.toggle_button, Qt.Key.Key_Space)
    settle_store(qtbot, panel)
    assert live.round is not None and live.round.feedback_open
    assert not form.closed_message.isVisible()
    assert form.radios["accuracy"][Mark.NOT_MET].isEnabled()


def test_next_round_shows_its_own_observers(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    first = live.round
    assert first is not None
    live.next_round()
    settle_store(qtbot, panel)
    second = live.round
    assert second is not None
    assert second is not None and second.id != first.id
    assert list(panel.forms) == list(second.observers)
    assert f"round {second.number}" in panel.heading.text()
    # A new round starts closed until the trainer or the feedback phase opens it.
    assert "CLOSED" in panel.feedback_state.text()


def test_accessible_names_on_every_control(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    form = next(iter(panel.forms.values()))
    controls = [r for radios in form.radios.values() for r in radios.values()]
    controls += [*form.notes.values(), *form.went_well, *form.could_improve]
    controls += [form.submit_button, panel.toggle_button]
    assert all(c.accessibleName() for c in controls)
    assert all(c.focusPolicy() & Qt.FocusPolicy.TabFocus for c in controls)


def _texts(widget: Any) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def _save(widget: Any, artifacts: Path, name: str) -> None:
    settle()
    folder = artifacts / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / name))


def test_space_ticks_a_radio_inside_a_console_that_binds_space(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    """The console binds Space to start/pause for its children: a focused radio keeps it."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    console = QWidget()
    qtbot.addWidget(console)
    toggled: list[bool] = []
    action = QAction("Start or pause", console)
    action.setShortcut(QKeySequence("Space"))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda: toggled.append(True))
    console.addAction(action)
    panel = ChecklistPanel(services.worker, services.feedback, live)
    QVBoxLayout(console).addWidget(panel)
    console.resize(1100, 900)
    console.show()
    qtbot.waitExposed(console)
    # The offscreen platform never activates windows by itself; shortcuts need an active one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(console)

    form = open_tab(qtbot, panel, panel.tabs.tabText(0).split(":")[0])
    radio = form.radios["clarity"][Mark.NOT_MET]
    radio.setFocus()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    assert radio.isChecked()
    assert toggled == []
    # Elsewhere (the tab bar) Space still reaches the console's shortcut.
    panel.tabs.tabBar().setFocus()
    qtbot.keyClick(panel.tabs.tabBar(), Qt.Key.Key_Space)
    assert toggled == [True]
