"""Typing in the console costs a handful of writes, all on the store worker: a checklist note,
the decision's reply and a debrief note, typed key by key, are written at most once per
autosave window, never on the GUI thread, and the last text always lands (also when the
console closes mid-word). A reply that comes back late never puts older text back, and a save
another device overtook still asks Reload / Keep mine."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.worker import AUTOSAVE_MS
from tests.ui.stored import settle_store
from tests.ui.test_checklist_conflict import browser_saves
from tests.ui.test_checklist_panel import PEOPLE, live, make_panel, module4_plan, open_tab
from ui.console.checklist_panel import ChecklistPanel
from ui.console.console_screen import ConsoleScreen
from ui.console.debrief_panel import DebriefPanel
from ui.console.decision_panel import DecisionPanel

__all__ = ["live"]  # the fixture: a practice session with feedback open

TYPED = ("Checked the order date before quoting the policy, then named the defect. " * 3)[:200]
KEY_DELAY_MS = 5  # 200 keys in about a second or two: several autosave windows


@dataclass
class Statements:
    """SQL sent to the store, with the thread it ran on and when."""

    seen: list[tuple[str, bool, float]] = field(default_factory=list)

    def writes(self, table: str) -> list[float]:
        """When each INSERT or UPDATE of `table` was sent (one per save of that row)."""
        heads = (f"INSERT INTO {table} ", f"UPDATE {table} ")
        return [at for sql, _, at in self.seen if sql.lstrip().startswith(heads)]

    def on_gui_thread(self) -> list[str]:
        return [sql for sql, gui, _ in self.seen if gui]


@contextmanager
def recording(services: Services) -> Iterator[Statements]:
    found = Statements()
    gui = threading.main_thread()

    def before(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        found.seen.append((sql, threading.current_thread() is gui, time.monotonic()))

    event.listen(services.store.engine, "before_cursor_execute", before)
    try:
        yield found
    finally:
        event.remove(services.store.engine, "before_cursor_execute", before)


def type_slowly(qtbot: QtBot, services: Services, widget: Any, table: str) -> Statements:
    """Type TYPED key by key and let the last window pass; the writes it caused."""
    with recording(services) as sql:
        started = time.monotonic()
        qtbot.keyClicks(widget, TYPED, delay=KEY_DELAY_MS)
        typing = time.monotonic() - started
        settle_store(qtbot, widget.window(), flush=False)  # no flush: the window ends it
    writes = sql.writes(table)
    window = AUTOSAVE_MS / 1000
    assert sql.on_gui_thread() == []
    assert 1 <= len(writes) <= typing / window + 2, (len(writes), typing)
    # At most one write per window: each starts a window after the one before (with slack
    # for the worker's own timing; a write per key would be milliseconds apart).
    gaps = [b - a for a, b in itertools.pairwise(writes)]
    assert all(gap >= window * 0.5 for gap in gaps), gaps
    return sql


def test_a_checklist_note_is_written_once_per_window_off_the_gui_thread(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[0]
    form = open_tab(qtbot, panel, observer)
    note = form.notes["accuracy"]
    note.setFocus()
    type_slowly(qtbot, services, note, "checklist_submissions")
    assert note.text() == TYPED
    assert services.feedback.get(live.round.id, observer).answers.notes == {"accuracy": TYPED}
    assert "draft, saved at" in form.status_label.text()


def test_the_decision_reply_is_written_once_per_window_off_the_gui_thread(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = DecisionPanel(services.worker, services.decisions, services.sessions, live)
    qtbot.addWidget(panel)
    panel.show()
    settle_store(qtbot, panel)
    qtbot.mouseClick(panel.choices[Decision.EDIT_APPROVE], Qt.MouseButton.LeftButton)
    panel.reply_edit.selectAll()
    panel.reply_edit.setFocus()
    type_slowly(qtbot, services, panel.reply_edit, "rounds")
    assert panel.reply_edit.toPlainText() == TYPED
    draft = services.decisions.draft(live.round.id)
    assert draft is not None and draft.decision is Decision.EDIT_APPROVE
    assert draft.final_reply == TYPED
    assert not panel.decided

    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert not panel.record_button.isEnabled()  # waits for the store's answer
    settle_store(qtbot, panel)
    assert panel.record_button.isEnabled() and panel.decided
    assert panel.message.text().startswith("Recorded: Edit & approve")
    recorded = services.decisions.get(live.round.id)
    assert recorded is not None and recorded.final_reply == TYPED


def test_a_debrief_note_is_written_once_per_window_off_the_gui_thread(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = DebriefPanel(
        services.worker, services.sessions, services.feedback, services.debrief, live
    )
    qtbot.addWidget(panel)
    panel.show()
    settle_store(qtbot, panel)
    panel.note.setFocus()
    type_slowly(qtbot, services, panel.note, "debrief_items")
    assert services.debrief.get(live.round.id).question_notes == {0: TYPED}


def test_closing_the_console_mid_word_keeps_the_last_keys(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    settle_store(qtbot, console)
    decision = console.decision
    qtbot.mouseClick(decision.choices[Decision.EDIT_APPROVE], Qt.MouseButton.LeftButton)
    decision.reply_edit.clear()
    observer = live.round.observers[0]
    form = console.checklists.forms[observer]
    with recording(services) as sql:
        qtbot.keyClicks(decision.reply_edit, "We will replace the blender today.")
        qtbot.keyClicks(form.went_well[0], "Offered the replacement first")
        assert decision.autosave.pending and form.autosave.pending  # mid-window: not yet written
        console.close()  # the trainer leaves (or quits) at once
        services.worker.flush()
    assert sql.on_gui_thread() == []
    draft = services.decisions.draft(live.round.id)
    assert draft is not None and draft.final_reply == "We will replace the blender today."
    stored = services.feedback.get(live.round.id, observer).answers
    assert stored.went_well == ["Offered the replacement first"]


def test_next_round_right_after_typing_keeps_what_was_typed_for_the_round_it_closes(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.show()
    settle_store(qtbot, console)
    first = live.round
    observer = first.observers[0]
    form = console.checklists.forms[observer]
    qtbot.keyClicks(form.could_improve[0], "Say when the refund arrives")
    assert form.autosave.pending
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    gate = threading.Event()
    services.worker.submit(gate.wait, 5)  # a slow store: the note's write waits behind this
    threading.Timer(0.3, gate.set).start()
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)  # the confirmation
    settle_store(qtbot, console)
    assert live.round.number == 2
    stored = services.feedback.get(first.id, observer).answers
    assert stored.could_improve == ["Say when the refund arrives"]


def test_a_late_answer_never_puts_older_text_back_nor_refuses_the_forms_own_save(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[1]
    form = open_tab(qtbot, panel, observer)
    edit = form.could_improve[0]
    gate = threading.Event()
    services.worker.submit(gate.wait, 5)  # the store is slow: everything waits behind this
    qtbot.keyClicks(edit, "Offer a repair")
    form.autosave.flush()  # written (queued) as "Offer a repair"
    qtbot.keyClicks(edit, " before refusing")  # typed while that write is on its way
    form.autosave.flush()  # starts from the first write's version, not the form's old one
    qtbot.keyClicks(edit, "!")
    gate.set()
    qtbot.waitUntil(lambda: not form.autosave.pending and form._writes == 0)
    assert edit.text() == "Offer a repair before refusing!"
    assert not form.conflict_bar.isVisible()
    settle_store(qtbot, panel, flush=False)
    assert not form.conflict_bar.isVisible()
    assert services.feedback.get(live.round.id, observer).answers.could_improve == [
        "Offer a repair before refusing!"
    ]


def test_a_save_another_device_overtook_while_typing_asks_reload_or_keep_mine(
    qtbot: QtBot, services: Services, live: LiveSession
) -> None:
    panel = make_panel(qtbot, services, live)
    observer = live.round.observers[2]
    form = open_tab(qtbot, panel, observer)
    qtbot.keyClicks(form.notes["tone"], "Calm")
    settle_store(qtbot, panel)
    qtbot.keyClicks(form.notes["tone"], " and warm")  # not written yet ...
    browser_saves(services, live, observer, "From the browser")  # ... when the browser saves
    settle_store(qtbot, panel, flush=False)
    assert form.conflict_bar.isVisible()
    assert form.notes["tone"].text() == "Calm and warm"  # the trainer's typing stays
    stored = services.feedback.get(live.round.id, observer).answers
    assert stored.notes == {"tone": "From the browser"}  # and the browser's is not overwritten
    qtbot.mouseClick(form.keep_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert not form.conflict_bar.isVisible()
    stored = services.feedback.get(live.round.id, observer).answers
    assert stored.notes == {"tone": "Calm and warm"}


@pytest.fixture
def counted(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read the panels make of the store, by name."""
    calls: list[str] = []
    reads: dict[Any, tuple[str, ...]] = {
        services.feedback: ("get", "statuses", "summary", "submissions"),
        services.decisions: ("get", "draft", "leftover_drafts"),
        services.debrief: ("get",),
        services.certification: ("assessment",),
    }
    for service, names in reads.items():
        for name in names:
            monkeypatch.setattr(service, name, _counting(calls, name, getattr(service, name)))
    return calls


def _counting(calls: list[str], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return fn(*args, **kwargs)

    return counted


def test_clock_changes_cost_the_panels_no_store_work(
    qtbot: QtBot, services: Services, counted: list[str]
) -> None:
    detail = services.sessions.create_session(module4_plan(services), PEOPLE)
    live = services.live(detail.id)
    panels: list[QWidget] = [
        DecisionPanel(services.worker, services.decisions, services.sessions, live),
        DebriefPanel(services.worker, services.sessions, services.feedback, services.debrief, live),
        ChecklistPanel(services.worker, services.feedback, live),
    ]
    for panel in panels:
        qtbot.addWidget(panel)
        settle_store(qtbot, panel)
    assert counted  # they did read when they opened
    counted.clear()
    live.toggle()  # Space
    live.adjust(60)  # +1 min
    for _ in range(3):  # N, N, N: role-play, decision, then Observer feedback opens
        live.next_phase()
    assert live.round.feedback_open
    live.adjust(-60)
    live.toggle()
    panels[0].refresh()  # what the console calls on every change
    for panel in panels:
        settle_store(qtbot, panel)
    assert counted == []
