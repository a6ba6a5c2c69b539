"""Two apps on one store, seen from one window: the session list follows the other app's new
and changed sessions without a restart; a session the other app has open is refused with who
has it; a session taken over while this laptop slept closes here with a notice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.services.leases import Holder
from hotdash_roleplay.store.models import SessionLease
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from tests.ui.window_console import console_opened, console_shown
from ui.main_window import MainWindow
from ui.start_screen import NAME

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]


@pytest.fixture
def other_app(tmp_path: Path) -> Iterator[Services]:
    """A second app on the same store (the `services` fixture's data folder), on laptop-b."""
    svc = open_services(data_dir=tmp_path / "data")
    holder = Holder(id=Holder.this_app().id, host="laptop-b", machine="b", user="ben", pid=1)
    svc.leases.holder = holder
    yield svc
    svc.close()


def test_the_list_shows_what_another_app_adds_and_changes_without_a_restart(
    qtbot: QtBot, main_window: MainWindow, other_app: Services
) -> None:
    start = main_window.start
    main_window.watch.timer.setInterval(100)  # every few seconds in the app
    assert start.in_progress.session_ids() == []

    sid = other_app.sessions.create_session("module4-practice", PEOPLE, title="Team South").id
    qtbot.waitUntil(lambda: start.in_progress.session_ids() == [sid], timeout=5000)
    assert start.people.list.count() == len(PEOPLE)

    newer = other_app.sessions.create_session("module4-practice", PEOPLE, title="Team West").id
    qtbot.waitUntil(lambda: start.in_progress.session_ids() == [newer, sid], timeout=5000)
    start.in_progress.select(sid)  # the trainer picked the older one: a refresh keeps it
    start.people.list.setCurrentRow(2)  # and someone's record
    person = start.people.list.currentItem().data(NAME)
    other_app.sessions.person_arrives(sid, "Eve")
    qtbot.waitUntil(lambda: "Eve" in start.in_progress.tree.topLevelItem(1).text(3))
    assert start.in_progress.selected_id() == sid
    assert start.people.list.count() == len(PEOPLE) + 1
    assert start.people.list.currentItem().data(NAME) == person

    live = other_app.live(sid)
    while live.round is not None:
        live.toggle()
        live.next_round()
    qtbot.waitUntil(lambda: start.past.session_ids() == [sid], timeout=5000)
    assert start.in_progress.session_ids() == [newer]


def test_the_watch_asks_only_while_the_list_is_shown(
    qtbot: QtBot, main_window: MainWindow, services: Services
) -> None:
    assert main_window.watch.timer.isActive()
    sid = services.sessions.create_session("module4-practice", PEOPLE).id
    console_opened(qtbot, main_window, sid)
    assert not main_window.watch.timer.isActive()
    main_window.show_start()
    assert main_window.watch.timer.isActive()


def test_a_session_open_in_another_app_is_refused_naming_it(
    qtbot: QtBot, main_window: MainWindow, other_app: Services, screens: Path
) -> None:
    sid = other_app.sessions.create_session("module4-practice", PEOPLE).id
    other_app.live(sid)  # open in the other app's console
    main_window.start.refresh()
    settle_store(qtbot, main_window)
    main_window.start.in_progress.select(sid)
    main_window.start.in_progress.button.click()
    qtbot.waitUntil(lambda: main_window.last_message is not None)
    assert main_window.console is None and main_window.pending_open is None
    assert main_window.stack.currentWidget() is main_window.start
    box = main_window.last_message
    assert box is not None and box.isVisible()
    assert box.text().startswith("Open on laptop-b (ben) since ")
    settle()
    assert main_window.grab().save(str(screens / "session-open-elsewhere.png"))

    other_app.leases.release(sid)  # closed there
    main_window.start.in_progress.button.click()
    console_shown(qtbot, main_window, sid)


def test_a_session_taken_over_while_this_app_slept_leaves_the_console_with_a_notice(
    qtbot: QtBot, main_window: MainWindow, services: Services, other_app: Services
) -> None:
    sid = services.sessions.create_session("module4-practice", PEOPLE).id
    console_opened(qtbot, main_window, sid)
    keeper = main_window.lease
    assert keeper is not None
    # This laptop slept past its lease; the other app took the session over.
    with services.store.session() as db:
        db.execute(update(SessionLease).values(expires_at=datetime(2000, 1, 1, tzinfo=UTC)))
        db.commit()
    other_app.live(sid)
    keeper.renew()
    qtbot.waitUntil(lambda: main_window.console is None)
    assert main_window.stack.currentWidget() is main_window.start
    box = main_window.last_message
    assert box is not None and "no longer has this session open" in box.text()
    assert "open on laptop-b (ben)" in box.text()
    assert other_app.leases.holder_of(sid) is not None  # theirs: leaving did not release it
    lease = other_app.leases.holder_of(sid)
    assert lease is not None and lease.host == "laptop-b"


def test_leaving_the_console_frees_the_session_for_another_app(
    qtbot: QtBot, main_window: MainWindow, services: Services, other_app: Services
) -> None:
    sid = services.sessions.create_session("module4-practice", PEOPLE).id
    console_opened(qtbot, main_window, sid)
    assert other_app.leases.holder_of(sid) is not None
    main_window.show_start()
    services.worker.flush()
    assert other_app.leases.holder_of(sid) is None
    other_app.live(sid)
