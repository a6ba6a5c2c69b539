"""The start screen and opening a session never wait on the store: the session's lease and its
first read, the lists and a person's record are read on the store worker and shown when they
come, with "Opening <title>…" said meanwhile (docs/architecture.md, "One event loop")."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from tests.ui.gui_sql import Statement, gui_thread_statements
from tests.ui.stored import idle
from tests.ui.window_console import console_opened, resumed
from ui.main_window import MainWindow
from ui.start_screen import NAME

PLAN = "module4-practice"
PEOPLE = ["Ann Lee", "Ben Okafor", "Cat Novak", "Dev Patel"]


def window_sql(statements: list[Statement]) -> list[str]:
    return [s.sql for s in statements]


@contextmanager
def worker_held(services: Services) -> Iterator[threading.Event]:
    """The store worker busy (a slow shared server) until the event is set."""
    go = threading.Event()
    services.worker.submit(go.wait, 10)
    try:
        yield go
    finally:
        go.set()


def started(services: Services) -> int:
    """A session under way, listed first in "Sessions in progress"."""
    sid = services.sessions.create_session(PLAN, PEOPLE, title="Team North").id
    services.live(sid).toggle()
    services.leases.release(sid)
    return sid


def test_resume_opens_the_console_with_no_sql_on_the_gui_thread(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = started(services)
    start = main_window.start
    assert start is not None
    start.refresh()
    qtbot.waitUntil(lambda: start.in_progress.session_ids() == [sid])
    with gui_thread_statements(services) as statements:
        qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)  # Resume
        qtbot.waitUntil(lambda: main_window.console is not None)
        qtbot.waitUntil(lambda: idle(main_window))
        QApplication.processEvents()
    assert window_sql(statements) == []
    console = main_window.console
    assert console is not None and main_window.stack.currentWidget() is console
    assert main_window.windowTitle().startswith("Team North — ")
    assert console._live.view().status.value == "running"
    assert services.leases.holder_of(sid) is not None  # the console holds the session


def test_while_a_session_opens_the_window_says_so_and_opens_nothing_else(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = started(services)
    finished = services.sessions.create_session(PLAN, PEOPLE, title="Last week").id
    live = services.live(finished)
    while live.round is not None:
        live.toggle()
        live.next_round()
    services.leases.release(finished)
    start = main_window.start
    assert start is not None
    start.refresh()
    qtbot.waitUntil(lambda: start.past.session_ids() == [finished] and idle(main_window))
    with worker_held(services) as go:  # a slow shared server
        qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)  # Resume
        # Said at once; the start screen stays until the console is ready.
        assert main_window.statusBar().currentMessage() == "Opening Team North…"
        assert main_window.stack.currentWidget() is start
        qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)  # impatient
        qtbot.mouseClick(start.past.button, Qt.MouseButton.LeftButton)  # another one: ignored
        assert main_window.statusBar().currentMessage() == "Opening Team North…"
        go.set()
        qtbot.waitUntil(lambda: main_window.console is not None)
    qtbot.waitUntil(lambda: idle(main_window))
    services.worker.flush()
    QApplication.processEvents()
    assert (
        main_window.session_id == sid and main_window.stack.currentWidget() is main_window.console
    )
    assert main_window.statusBar().currentMessage() == ""  # the opening line is gone
    assert services.leases.holder_of(finished) is None  # never taken


def test_back_to_the_start_screen_reads_the_lists_on_the_worker(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, PEOPLE, title="Team North").id
    console = console_opened(qtbot, main_window, sid)
    other = services.sessions.create_session(PLAN, ["Eve Park", *PEOPLE[1:]], title="Team South")
    start = main_window.start
    assert start is not None
    with gui_thread_statements(services) as statements:
        qtbot.mouseClick(console.exit_button, Qt.MouseButton.LeftButton)  # "Sessions"
        assert main_window.stack.currentWidget() is start
        qtbot.waitUntil(lambda: start.in_progress.session_ids() == [other.id, sid])
        qtbot.waitUntil(lambda: idle(main_window))
        QApplication.processEvents()
    assert [s.sql for s in statements] == []
    names = [start.people.list.item(i).data(NAME) for i in range(start.people.list.count())]
    assert "Eve Park" in names
    # The selected person's name and record, read on the worker too.
    assert start.people.person.text() == start.people.list.currentItem().data(NAME)
    assert start.people.summary.text() == "No rounds played yet."
    assert not start.message.isVisible()


def test_selecting_a_person_reads_the_record_on_the_worker(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, PEOPLE).id
    live = services.live(sid)
    live.toggle()
    live.next_round()  # round 1 played by all four
    services.leases.release(sid)
    start = main_window.start
    assert start is not None
    start.refresh()
    people = start.people
    qtbot.waitUntil(lambda: people.list.count() == len(PEOPLE) and idle(main_window))
    row = people.list.count() - 1
    wanted = people.list.item(row).data(NAME)
    assert people.person.text() != wanted
    with gui_thread_statements(services) as statements:
        rect = people.list.visualItemRect(people.list.item(row))
        qtbot.mouseClick(people.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert people.list.currentItem().data(NAME) == wanted
        qtbot.waitUntil(lambda: people.person.text() == wanted and idle(main_window))
    assert [s.sql for s in statements] == []
    assert people.summary.text().startswith("Sessions: 1. Rounds played: ")


def test_moving_through_the_people_reads_only_whoever_is_selected_when_it_answers(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    services.sessions.create_session(PLAN, PEOPLE)
    start = main_window.start
    assert start is not None
    start.refresh()
    people = start.people
    qtbot.waitUntil(lambda: people.list.count() == len(PEOPLE) and idle(main_window))
    asked: list[str] = []
    original = services.history.person_history

    def counted(person: str) -> object:
        asked.append(person)
        return original(person)

    services.history.person_history = counted  # type: ignore[method-assign]
    first = people.person.text()
    people.list.setFocus()
    with worker_held(services) as go:
        for _ in range(3):  # the arrow key, faster than the store answers
            qtbot.keyClick(people.list, Qt.Key.Key_Down)
        # Until a record comes the panel shows the name and record it had, together.
        assert people.person.text() == first
        go.set()
    last = people.list.item(people.list.count() - 1)
    assert people.list.currentItem() is last
    qtbot.waitUntil(lambda: people.person.text() == last.data(NAME) and idle(main_window))
    # The record of the first step, then the one selected when it came: not every step's.
    assert len(asked) == 2 and asked[-1] == str(last.data(Qt.ItemDataRole.UserRole))


def test_a_window_closed_while_a_session_opens_leaves_the_session_free(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = started(services)
    with worker_held(services) as go:
        main_window.open_console(sid)
        assert main_window.statusBar().currentMessage().startswith("Opening ")
        main_window.close()
        go.set()
    qtbot.waitUntil(lambda: idle(main_window))
    services.worker.flush()
    assert main_window.console is None
    assert services.leases.holder_of(sid) is None


def test_a_restart_reopens_the_last_session_with_no_sql_on_the_gui_thread(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = started(services)
    console_opened(qtbot, main_window, sid)
    main_window.close()  # the app quits with the console open
    again = MainWindow(services)
    qtbot.addWidget(again)
    with gui_thread_statements(services) as statements:
        assert resumed(qtbot, again) is not None
        qtbot.waitUntil(lambda: idle(again))
        QApplication.processEvents()
    assert window_sql(statements) == []
    assert again.session_id == sid and again.stack.currentWidget() is again.console


def test_closing_the_app_releases_its_leases_off_the_gui_thread(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = started(services)
    console_opened(qtbot, main_window, sid)
    main_window.close()
    with gui_thread_statements(services) as statements:
        main_window.shutdown()
    assert [s.sql for s in statements] == []
    assert services.leases.holder_of(sid) is None


def test_back_on_the_start_screen_the_focus_is_on_resume_once_the_list_is_in(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    sid = services.sessions.create_session(PLAN, PEOPLE, title="Team North").id
    start = main_window.start
    assert start is not None and start.in_progress.session_ids() == []  # listed before it
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    for _ in range(2):  # the first time the list was empty when the trainer left it
        console = console_opened(qtbot, main_window, sid)
        qtbot.mouseClick(console.exit_button, Qt.MouseButton.LeftButton)  # "Sessions"
        qtbot.waitUntil(lambda: idle(main_window))
        assert start.in_progress.session_ids() == [sid]
        assert QApplication.focusWidget() is start.in_progress.button  # Enter resumes it
