"""The reviewer's UI defects, driven as a trainer would: typing, pasting, clicking, N / Next."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.debrief import MAX_NOTE
from hotdash_roleplay.services.decisions import MAX_REPLY
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from tests.ui.test_console import fill, open_console, press, shot, start_session
from tests.ui.test_debrief_panel import make_panel
from tests.ui.test_debrief_panel import start as start_debrief
from tests.ui.test_shell import setup_screen, type_names
from ui import theme
from ui.console.decision_panel import plain_error
from ui.main_window import MainWindow

LONG_NAME = "Maximiliana Alexandrovna Konstantinopolskaya-Wolfeschlegelsteinhausen"  # 70


def paste(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Ctrl+V, as a trainer pastes a long text from elsewhere."""
    QApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def to_end(edit: QPlainTextEdit) -> None:
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    edit.setTextCursor(cursor)


# -- 1. the decision panel ------------------------------------------------------------------------


def test_decision_boxes_stop_at_the_core_limits_as_typed(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel = console.decision
    qtbot.mouseClick(panel.choices[Decision.ESCALATE], Qt.MouseButton.LeftButton)
    form = panel.escalation_form

    summary = form.fields["situation_summary"]
    assert isinstance(summary, QPlainTextEdit)
    counter = form.limits["situation_summary"].counter
    assert not counter.isVisible()  # far from the limit: no clutter
    paste(qtbot, summary, "s" * (MAX_NOTE - 5))
    to_end(summary)
    qtbot.keyClicks(summary, "0123456789")  # five keystrokes too many
    assert len(summary.toPlainText()) == MAX_NOTE
    assert summary.toPlainText().endswith("s01234")
    assert summary.textCursor().position() == MAX_NOTE  # the caret stays where typing stopped
    assert counter.isVisible() and counter.text() == "10,000 / 10,000"

    # A paste in the middle keeps what followed it; only the paste's excess is dropped.
    cursor = summary.textCursor()
    cursor.setPosition(3)
    summary.setTextCursor(cursor)
    paste(qtbot, summary, "PASTED")
    text = summary.toPlainText()
    assert len(text) == MAX_NOTE and text.startswith("sss") and text.endswith("s01234")
    assert summary.textCursor().position() == 3

    line = form.fields["type"]
    assert isinstance(line, QLineEdit)
    paste(qtbot, line, "t" * 700)
    assert len(line.text()) == 500

    fill(form, customer_request="Extend the warranty", recommendation="Replace once")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    stored = services.decisions.get(live.round.id)
    assert stored is not None, panel.message.text()
    assert len(stored.escalation_note["situation_summary"]) == MAX_NOTE
    shot(console, screens, "review-decision-limit-counter")

    # The edited reply: the core's own (larger) limit.
    qtbot.mouseClick(panel.choices[Decision.EDIT_APPROVE], Qt.MouseButton.LeftButton)
    panel.reply_edit.selectAll()
    paste(qtbot, panel.reply_edit, "r" * (MAX_REPLY + 50))
    assert len(panel.reply_edit.toPlainText()) == MAX_REPLY
    assert panel.reply_limit.counter.isVisible()


def test_refusal_in_plain_words_and_fully_visible(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel = console.decision
    qtbot.mouseClick(panel.choices[Decision.ESCALATE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    message = panel.message
    assert message.text() == (
        "The escalation note still needs: Escalation type, Situation summary, "
        "Customer request, Recommendation."
    )
    settle()
    # Every wrapped line has room: the label is as tall as its text needs, and all of it
    # lies inside the part of the tab the trainer sees.
    assert message.height() >= message.heightForWidth(message.width())
    assert message.contentsRect().height() >= message.fontMetrics().height()
    assert message.frameWidth() > 0  # the theme's padding is part of its size
    viewport = console.tabs.currentWidget()
    assert isinstance(viewport, QScrollArea)  # every console tab scrolls
    top_left = message.mapTo(viewport, QPoint(0, 0))
    assert viewport.rect().contains(top_left)
    scroll = viewport.verticalScrollBar()
    bottom = message.mapTo(viewport, QPoint(0, message.height() - 1))
    assert viewport.rect().contains(bottom) or scroll.maximum() > 0
    shot(console, screens, "review-decision-refused")

    # Pydantic's wording never reaches the trainer.
    with pytest.raises(ValidationError) as caught:
        RejectionNote.model_validate({"problem": "x" * (MAX_NOTE + 1)})
    said = plain_error("Problem", caught.value.errors()[0])
    assert said == "Problem can be at most 10000 characters long; shorten it."
    with pytest.raises(ValidationError) as caught:
        EscalationNote.model_validate({"urgency": "someday"})
    assert "String should" not in plain_error("Urgency", caught.value.errors()[0])


def test_draft_survives_phases_rounds_and_a_new_console_with_a_notice(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    panel = console.decision
    reply_box = panel.reply_edit
    press(qtbot, console, Qt.Key.Key_Space)  # brief runs
    press(qtbot, console, Qt.Key.Key_N)  # role-play
    press(qtbot, console, Qt.Key.Key_N)  # decision
    assert live.view().phase_key == "decision"
    assert console.current_tab() == "decision"
    qtbot.mouseClick(panel.choices[Decision.REJECT], Qt.MouseButton.LeftButton)
    problem = panel.rejection_form.fields["problem"]
    problem.setFocus()
    qtbot.keyClicks(problem, "Promises a refund policy we do not have")
    round1 = live.round.id

    console.toggle_button.setFocus()
    press(qtbot, console, Qt.Key.Key_N)  # leaves the decision phase, nothing recorded
    assert live.view().phase_key == "feedback"
    assert console.message.isVisible()
    assert console.message.text() == (
        "No decision recorded for round 1 yet — record it in the Decision tab."
    )
    assert console.message.property("role") == "notice"
    assert QApplication.activeModalWidget() is None  # a notice, never a dialog
    shot(console, screens, "review-no-decision-notice")
    # The same widgets, still holding what was typed.
    assert console.decision is panel and panel.reply_edit is reply_box
    assert panel.selected() is Decision.REJECT
    assert panel.rejection_form.data()["problem"] == "Promises a refund policy we do not have"

    # Leaving for the session list and coming back: a new console finds the draft, kept in
    # the store (a fresh Services on the same store stands for a restarted app).
    console.close()
    from hotdash_roleplay.services import open_services

    restarted = open_services(db_url=services.store.url)
    stored = restarted.decisions.draft(round1)
    restarted.close()
    assert stored is not None and stored.rejection["problem"].startswith("Promises a refund")
    again = open_console(qtbot, services, services.live(live.session_id))
    assert again.decision.selected() is Decision.REJECT
    assert again.decision.rejection_form.data()["problem"].startswith("Promises a refund")
    assert "not recorded yet" in again.decision.message.text()

    # Next round without a decision warns first; the second press closes the round.
    qtbot.mouseClick(again.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, again)
    assert again._live.round.id == round1
    assert "No decision recorded for round 1 yet" in again.message.text()
    assert "Press Next round again" in again.message.text()
    qtbot.mouseClick(again.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, again)
    assert again._live.round.number == 2
    assert again.decision.selected() is None  # round 2 starts from the template
    draft1 = services.decisions.draft(round1)
    assert draft1 is not None and draft1.decision is Decision.REJECT  # round 1's draft kept

    # A recorded decision needs no warning and leaves no draft behind.
    qtbot.mouseClick(again.decision.choices[Decision.APPROVE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(again.decision.record_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, again)
    assert services.decisions.draft(again._live.round.id) is None
    view = again._live.view()
    assert view.status.name == "READY"
    qtbot.mouseClick(again.next_round_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, again)
    assert "No decision" not in again.message.text()


# -- 2. the debrief panel -------------------------------------------------------------------------


def test_debrief_note_stops_at_the_limit_and_what_is_typed_is_saved(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    live = start_debrief(services)
    panel = make_panel(qtbot, services, live)
    paste(qtbot, panel.note, "n" * (MAX_NOTE - 3))
    to_end(panel.note)
    qtbot.keyClicks(panel.note, "abcdef")
    settle_store(qtbot, panel)
    rnd = live.round
    assert rnd is not None
    saved = services.debrief.get(rnd.id).question_notes[0]
    assert saved == "n" * (MAX_NOTE - 3) + "abc"
    assert not panel.message.isVisible()  # no "at most 10000 characters" refusal
    assert panel.note_limit.counter.isVisible()
    assert panel.note_limit.counter.text() == "10,000 / 10,000"

    # The placeholders are whole, not "New takeaway, then E…".
    for entry in (panel.takeaways.entry, panel.action_items.entry):
        text = entry.placeholderText()
        room = entry.contentsRect().width() - 2 * 6
        assert entry.fontMetrics().horizontalAdvance(text) <= room, text
    panel.note.setPlainText("Short note")
    settle()
    panel.resize(700, 900)  # the narrowest the tab gets beside the scenario card
    settle()
    for entry in (panel.takeaways.entry, panel.action_items.entry):
        room = entry.contentsRect().width() - 2 * 6
        assert entry.fontMetrics().horizontalAdvance(entry.placeholderText()) <= room
    shot(panel, screens, "review-debrief-placeholders")


# -- 3. long names in tables -----------------------------------------------------------------------


def tooltip_at(table: QTableWidget, row: int, column: int) -> str:
    rect = table.visualRect(table.model().index(row, column))
    pos = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, table.viewport().mapToGlobal(pos))
    QToolTip.hideText()
    QApplication.sendEvent(table.viewport(), event)
    return QToolTip.text()


def assert_fits(table: QTableWidget) -> None:
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert columns <= table.viewport().width() + 1, "columns run off the table"
    heights = {table.rowHeight(r) for r in range(table.rowCount())}
    assert len(heights) == 1, heights


def test_setup_rotation_elides_a_long_name(
    qtbot: QtBot, main_window: MainWindow, screens: Path
) -> None:
    setup = setup_screen(qtbot, main_window)
    # Pasted: QTest cannot type characters outside Latin-1.
    paste(qtbot, setup.roster.name_edit, f"Zoë Ødegård, Đorđe Petrović, 李雷, {LONG_NAME}")
    qtbot.keyClick(setup.roster.name_edit, Qt.Key.Key_Return)
    table = setup.table
    settle()
    assert_fits(table)
    row, col = next(
        (r, c)
        for r in range(table.rowCount())
        for c in range(1, 4)
        if table.item(r, c).text() == LONG_NAME
    )
    assert tooltip_at(table, row, col) == LONG_NAME  # the full name, one hover away
    # The swap row stays inside the rotation box too.
    box = setup.rotation_box
    right = setup.regenerate_button.mapTo(box, QPoint(setup.regenerate_button.width(), 0)).x()
    assert right <= box.contentsRect().right()
    shot(setup, screens, "review-setup-long-name")


def test_console_people_table_elides_a_long_name(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock, ["Zoë Ødegård", "Đorđe Petrović", "李雷", LONG_NAME])
    console = open_console(qtbot, services, live)
    console.tabs.setCurrentIndex(console._tab_index["people"])
    settle()
    table = console.people.table
    assert_fits(table)
    row, col = next(
        (r, c)
        for r in range(table.rowCount())
        for c in range(1, table.columnCount())
        if table.item(r, c).text() == LONG_NAME
    )
    assert tooltip_at(table, row, col) == LONG_NAME
    shot(console, screens, "review-console-people-long-name")


# -- 4 and 5. the set-up form --------------------------------------------------------------------


def test_setup_title_limit_trainer_label_and_plan_total(
    qtbot: QtBot, main_window: MainWindow, screens: Path
) -> None:
    setup = setup_screen(qtbot, main_window)
    panel = setup.plan_panel
    panel.combo.setCurrentIndex(
        next(i for i, p in enumerate(panel.plans) if str(p.mode) == "practice")
    )
    title = panel.title_edit
    assert title.maxLength() == 200
    title.setFocus()
    qtbot.keyClicks(title, "T" * 230)
    assert len(title.text()) == 200
    assert panel.title_count.isVisible() and panel.title_count.text() == "200 / 200"
    assert "200 characters" in title.toolTip()

    trainer_label = next(
        w
        for w in panel.findChildren(QWidget)
        if getattr(w, "buddy", lambda: None)() is panel.trainer_edit
    )
    # Whole, with room for Qt's unkerned drawing of a mnemonic label.
    slack = trainer_label.width() - trainer_label.fontMetrics().horizontalAdvance("Trainer")
    assert slack >= trainer_label.fontMetrics().averageCharWidth() // 2

    total = setup.phases.total
    assert total.text() == "Each round: 20 min"
    type_names(qtbot, setup, "Ann, Ben, Cat, Dev")
    assert total.text() == "4 rounds × 20 min = 80 min"
    type_names(qtbot, setup, "Eve")
    assert len(setup.rounds) == 5
    assert total.text().startswith("5 rounds × 20 min = 100 min")
    assert "Longer than the 90-minute session" in total.text()
    assert "fewer rounds or shorter phases" in total.text()
    shot(setup.scroll_area.widget(), screens, "review-setup-total-over")

    # Shorter phases, typed into the spin box: 5 × 18 = 90 fits.
    debrief = setup.phases.boxes["debrief"]
    debrief.setFocus()
    debrief.selectAll()
    qtbot.keyClicks(debrief, "3")
    qtbot.keyClick(debrief, Qt.Key.Key_Tab)
    assert total.text() == "5 rounds × 18 min = 90 min"
    shot(setup.scroll_area.widget(), screens, "review-setup-total-ok")


# -- 6. contrast -----------------------------------------------------------------------------------


def _luminance(hex_color: str) -> float:
    color = QColor(hex_color)

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("colors", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_primary_button_text_has_enough_contrast(colors: dict[str, str]) -> None:
    for background in ("accent", "accent_hover"):  # normal, hover and pressed
        assert contrast(colors["accent_text"], colors[background]) >= 4.5, background
    # The other text the theme draws on its own backgrounds.
    for text, background in (
        ("text", "window"),
        ("text", "surface"),
        ("muted", "window"),
        ("muted", "alt_surface"),
        ("error_text", "error_bg"),
        ("ok_text", "ok_bg"),
        ("notice_text", "notice_bg"),
        ("selection_text", "selection"),
    ):
        assert contrast(colors[text], colors[background]) >= 4.5, (text, background)
    rules = (theme.THEME_DIR / "base.qss").read_text(encoding="utf-8")
    assert 'QPushButton[role="primary"]:pressed { background: @accent_hover; }' in rules


def test_primary_button_as_drawn_in_dark(
    qtbot: QtBot, qapp: QApplication, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start_session(services, fake_clock)
    console = open_console(qtbot, services, live)
    theme.apply_theme(qapp, dark=True)
    settle()
    image = console.toggle_button.grab().toImage()
    background = image.pixelColor(6, image.height() // 2).name()
    assert contrast(background, theme.DARK["accent_text"]) >= 4.5
    shot(console, screens, "review-console-dark")
