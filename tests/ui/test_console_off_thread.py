"""The live console never waits on the store: key presses repaint from memory at once, the
writes land on the store worker in order, each panel repaints only for what it shows, and a
write the store refuses is said in the window (docs/architecture.md, "One event loop")."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from hotdash_roleplay.clock import Status
from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.room import ProjectorPlacement
from tests.conftest import FakeClock
from tests.ui.gui_sql import gui_thread_statements
from tests.ui.stored import settle_store
from tests.ui.test_console import open_console, press, start_session
from tests.ui.window_console import console_opened
from ui.console.console_screen import ConsoleScreen
from ui.console.projector import ProjectorWindow
from ui.main_window import MainWindow


def settle(services: Services) -> None:
    """Let the worker finish, and its answers reach the GUI thread."""
    services.worker.flush()
    QApplication.processEvents()


def eight_people_console(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> tuple[ConsoleScreen, int]:
    """The demo session (round 2 in its Role-play) with two more people: eight in all."""
    services.now, services.wall = fake_clock.now, fake_clock.wall
    sid = create_demo_session(services)
    services.sessions.person_arrives(sid, "Gus Ortega")
    services.sessions.person_arrives(sid, "Hana Kim")
    console = open_console(qtbot, services, services.live(sid))
    assert len(console._live.detail.participants) == 8
    console.toggle_projector()  # the projector follows every change too
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    console.toggle_button.setFocus()
    settle(services)  # what the console reads when it opens is read
    return console, sid


def test_key_presses_run_no_sql_on_the_gui_thread_and_the_store_follows(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    console, sid = eight_people_console(qtbot, services, fake_clock)
    live = console._live
    projector = console.projector
    assert projector is not None
    with gui_thread_statements(services) as statements:
        press(qtbot, console, Qt.Key.Key_Space)  # pause the Role-play
        assert console.timer.state_label.text().startswith("Paused")  # at once, from memory
        press(qtbot, console, Qt.Key.Key_Space)  # and resume it
        fake_clock.advance(30)
        press(qtbot, console, Qt.Key.Key_N)  # to the Decision
        assert console.timer.phase_label.text().endswith("Decision")
        assert projector.title_label.text() == "Decision"
        press(qtbot, console, Qt.Key.Key_Plus)
        press(qtbot, console, Qt.Key.Key_Minus)
        press(qtbot, console, Qt.Key.Key_Plus)
        assert live.view().planned_seconds == 120 + 60
        qtbot.mouseClick(console.back_button, Qt.MouseButton.LeftButton)  # back to Role-play
        assert console.timer.phase_label.text().endswith("Role-play")
        QApplication.processEvents()
    assert [s.sql for s in statements] == []
    # Everything shown was written, in order and complete, once the worker is done.
    settle(services)
    stored = services.live(sid)
    assert stored.view() == live.view()
    assert stored.summary() == live.summary()  # every phase's time and every minute added
    assert stored.detail == live.detail

    with gui_thread_statements(services) as statements:
        # Next round: the first click warns (no decision yet, taken from memory), the second
        # closes the round.
        qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
        assert "No decision recorded for round 2" in console.message.text()
        qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
        assert console.heading.text().startswith("Round 3 of")
        assert projector.header_label.text().startswith("Round 3 of")
        QApplication.processEvents()
    assert [s.sql for s in statements] == []
    settle(services)
    stored = services.live(sid)
    assert stored.detail == live.detail
    assert stored.detail.current_round == 2
    assert stored.detail.rounds[1].status == "done" and stored.detail.rounds[1].played
    assert stored.view() == live.view()


def test_a_clock_key_repaints_only_the_clock(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, _sid = eight_people_console(qtbot, services, fake_clock)
    projector = console.projector
    assert projector is not None
    calls: list[str] = []
    for name, widget, method in (
        ("roles", console.roles, "set_round"),
        ("card", console.card, "show_round"),
        ("people", console.people, "refresh"),
        ("projector", projector, "refresh"),
    ):
        original = getattr(widget, method)
        monkeypatch.setattr(
            widget, method, lambda *a, _n=name, _o=original: (calls.append(_n), _o(*a))[1]
        )
    press(qtbot, console, Qt.Key.Key_N)  # Role-play to Decision
    assert calls == ["projector"]  # the room sees the Decision's texts
    assert console.timer.phase_label.text().endswith("Decision")
    assert console.timeline.title_labels[2].text().startswith("▶")
    press(qtbot, console, Qt.Key.Key_Plus)
    assert calls == ["projector"]  # a minute more: only the clocks change
    assert console.timeline.planned_labels[2].text() == "3:00 (2:00 +1:00)"
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
    assert {"roles", "card", "people", "projector"} <= set(calls)


def test_a_refused_write_is_said_and_the_screen_shows_what_is_stored(
    qtbot: QtBot,
    services: Services,
    main_window: MainWindow,
    fake_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app's hook, for this test
    app_module._install_excepthook(main_window)
    services.now, services.wall = fake_clock.now, fake_clock.wall
    sid = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    console = console_opened(qtbot, main_window, sid)
    settle(services)
    failing = True

    def refuse(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if failing and sql.lstrip().upper().startswith(("UPDATE", "INSERT")):
            raise sqlite3.OperationalError("disk I/O error")

    event.listen(services.store.engine, "before_cursor_execute", refuse)
    try:
        qtbot.mouseClick(console.toggle_button, Qt.MouseButton.LeftButton)
        assert console._live.view().status is Status.RUNNING  # shown at once
        qtbot.waitUntil(lambda: main_window.last_message is not None)
        assert main_window.last_message is not None
        text = main_window.last_message.text()
        assert "disk I/O error" in text and "Something went wrong" not in text
        # The store kept the clock stopped: the console says so again, not "Running".
        qtbot.waitUntil(lambda: console._live.view().status is Status.READY)
        assert console.toggle_button.text() == "Start (Space)"
        assert console.timer.state_label.text() == console._live.view().state_label
    finally:
        failing = False
        event.remove(services.store.engine, "before_cursor_execute", refuse)
    settle(services)
    assert services.live(sid).view().status is Status.READY
    assert services.sessions.get(sid).status == "planned"


def test_what_an_open_console_holds_is_left_out_of_full_collections(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    """A full garbage collection walks every object not frozen; with a console open that took
    50-170 ms on the GUI thread and stopped the clock (ui/heap.py). Opening it freezes what it
    holds, so a full pass walks only what came after."""
    import gc

    gc.unfreeze()
    console, _ = eight_people_console(qtbot, services, fake_clock)
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    # Among them the console itself and the session it shows.
    tracked = {id(o) for o in gc.get_objects()}  # only what full passes still walk
    assert id(console.__dict__) not in tracked and id(console._live) not in tracked


def card_title(console: ConsoleScreen) -> str:
    label = console.card.findChild(QLabel, "scenarioTitle")
    assert label is not None
    return label.text()


def card_read(console: ConsoleScreen) -> bool:
    """The whole card is shown, not only the round's title while its scenario is read."""
    return console.card.expert_label is not None


@contextmanager
def store_held(services: Services) -> Iterator[threading.Event]:
    """The store worker busy (a slow team server) until the test sets the event, or the block
    ends."""
    answer = threading.Event()
    services.worker.submit(answer.wait)
    try:
        yield answer
    finally:
        answer.set()


def open_with_projector(
    qtbot: QtBot, services: Services, live: LiveSession
) -> tuple[ConsoleScreen, ProjectorWindow]:
    """The console and its projector as the trainer opens them, without waiting for the store."""
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 860)
    console.show()
    qtbot.waitExposed(console)
    console.toggle_projector()
    assert console.projector is not None
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    console.toggle_button.setFocus()
    return console, console.projector


def play_round(qtbot: QtBot, console: ConsoleScreen) -> None:
    """Start, N through every phase, then Next round (twice: the first click warns that no
    decision was recorded)."""
    press(qtbot, console, Qt.Key.Key_Space)
    for _ in range(5):  # Role-play, Decision, Observer feedback, Debrief, finished
        press(qtbot, console, Qt.Key.Key_N)
    assert console._live.view().status is Status.FINISHED
    for _ in range(2):
        qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)


def test_each_rounds_scenario_is_read_on_the_worker_for_the_card_and_the_projector(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    """A store slow to answer (a team server): the console and the projector open on the
    round's title at once, show its scenario once read on the store worker, and play on into
    the next round from memory; not one statement runs on the GUI thread."""
    live = start_session(services, fake_clock)
    first, second = (services.library.get(r.scenario_id) for r in live.detail.rounds[:2])
    assert first is not None and second is not None and first.title != second.title
    with store_held(services) as answer, gui_thread_statements(services) as statements:
        console, projector = open_with_projector(qtbot, services, live)
        assert [s.sql for s in statements] == []  # nothing read for the windows to show
        assert card_title(console) == first.title and not card_read(console)
        assert console.card.findChild(QLabel, "scenarioReading") is not None
        assert projector.title_label.text() == first.title
        answer.set()
        settle_store(qtbot, console, projector)  # the rest once read on the worker
        assert card_read(console) and card_title(console) == first.title
        assert projector.title_label.text() == first.title  # the Brief's title and setup
        assert f"• {first.setup[0]}" in projector.body_label.text()
        press(qtbot, console, Qt.Key.Key_Space)
        press(qtbot, console, Qt.Key.Key_N)  # the Role-play: the customer's message
        assert projector.body_label.text() == f"“{first.customer_message}”"
        press(qtbot, console, Qt.Key.Key_N)
        assert projector.title_label.text() == "Decision"
        for _ in range(3):  # Observer feedback, Debrief, finished
            press(qtbot, console, Qt.Key.Key_N)
        assert projector.title_label.text() == "Round 1 complete"
        for _ in range(2):
            qtbot.mouseClick(console.next_round_button, Qt.MouseButton.LeftButton)
        # The next round's scenario was read while the first was played: shown at once.
        assert console.heading.text().startswith("Round 2 of")
        assert card_title(console) == second.title and card_read(console)
        assert projector.title_label.text() == second.title
        press(qtbot, console, Qt.Key.Key_Space)
        press(qtbot, console, Qt.Key.Key_N)
        assert projector.body_label.text() == f"“{second.customer_message}”"
        settle(services)
    assert [s.sql for s in statements] == []


def test_a_scenario_read_for_a_round_gone_by_is_not_shown(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first round is played through before the store has answered anything: its
    scenario's late answer never replaces the second round on the card or the projector."""
    live = start_session(services, fake_clock)
    first, second = (services.library.get(r.scenario_id) for r in live.detail.rounds[:2])
    assert first is not None and second is not None
    with store_held(services) as answer, gui_thread_statements(services) as statements:
        console, projector = open_with_projector(qtbot, services, live)
        play_round(qtbot, console)
        assert [s.sql for s in statements] == []
        assert console.heading.text().startswith("Round 2 of")
        assert card_title(console) == second.title and not card_read(console)
        assert projector.title_label.text() == second.title
        shown: list[tuple[int | None, str | None]] = []
        show_round = console.card.show_round
        monkeypatch.setattr(
            console.card,
            "show_round",
            lambda rnd, scenario: (
                shown.append((rnd and rnd.number, scenario and scenario.title)),
                show_round(rnd, scenario),
            ),
        )
        answer.set()
        settle_store(qtbot, console, projector)
        assert card_read(console)
        assert shown == [(2, second.title)]  # the first round's answer came first: not shown
        assert card_title(console) == second.title
        assert projector.title_label.text() == second.title
        assert f"• {second.setup[0]}" in projector.body_label.text()
    assert [s.sql for s in statements] == []


def test_the_projector_reopens_without_the_console_waiting_on_the_store(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    """Where the trainer left the projector is read on the store worker: the console opens
    while the store is still busy, and the projector comes back with the round's scenario."""
    live = start_session(services, fake_clock)
    first = services.library.get(live.detail.rounds[0].scenario_id)
    assert first is not None
    screen = QGuiApplication.primaryScreen()
    services.room.set_projector(
        live.session_id, ProjectorPlacement(screen=screen.name(), full_screen=True)
    )
    answer = threading.Event()
    busy = services.worker.submit(answer.wait, 5)  # the store answers when the test says so
    with gui_thread_statements(services) as statements:
        console = ConsoleScreen(services, live)
        qtbot.addWidget(console)
        console.show()
        console.restore_projector()
        assert not busy.done()  # it returned without waiting for the store
        answer.set()
        qtbot.waitUntil(lambda: console.projector is not None and console.projector.isVisible())
        assert console.projector is not None
        settle_store(qtbot, console, console.projector)
        assert console.projector.isFullScreen()
        assert console.projector.title_label.text() == first.title
    assert [s.sql for s in statements] == []
