"""Session leases on one store shared by two apps (SQLite here; tests/test_shared_store.py runs
two real app processes on PostgreSQL): one console per session, a lease that lapses when its
app dies, and no write from an app that lost it (docs/reliability.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.services.leases import HeldElsewhere, Holder, LeaseLost

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]


class DbClock:
    """The database's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 14, 2, tzinfo=UTC)

    def __call__(self, _db: Session) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def app_on(data: Path, clock: DbClock, host: str, pid: int = 1) -> Services:
    """Services as one app instance opens them, on the given computer."""
    svc = open_services(data_dir=data)
    holder = Holder(id=Holder.this_app().id, host=host, machine=host, user=f"user-{host}", pid=pid)
    svc.leases.holder, svc.leases.seconds, svc.leases.clock = holder, 30, clock
    return svc


@pytest.fixture
def two_apps(tmp_path: Path) -> Iterator[tuple[Services, Services, int, DbClock]]:
    clock = DbClock()
    a = app_on(tmp_path, clock, "laptop-a")
    b = app_on(tmp_path, clock, "laptop-b")
    sid = a.sessions.create_session("module4-practice", PEOPLE).id
    yield a, b, sid, clock
    a.close()
    b.close()


def test_a_session_open_in_one_app_is_refused_in_another_naming_who_has_it(
    two_apps: tuple[Services, Services, int, DbClock],
) -> None:
    a, b, sid, _clock = two_apps
    a.live(sid)
    with pytest.raises(HeldElsewhere) as refused:
        b.live(sid)
    assert str(refused.value).startswith("Open on laptop-a (user-laptop-a) since ")
    lease = b.leases.holder_of(sid)
    assert lease is not None and lease.host == "laptop-a"
    a.live(sid)  # the holder itself may open it again (a second console of the same app)


def test_a_released_session_opens_at_once_elsewhere(
    two_apps: tuple[Services, Services, int, DbClock],
) -> None:
    a, b, sid, _clock = two_apps
    a.live(sid)
    a.leases.release(sid)
    assert b.leases.holder_of(sid) is None
    b.live(sid)
    assert b.leases.holder_of(sid) is not None


def test_the_lease_lapses_after_its_holder_stops_renewing_it(
    two_apps: tuple[Services, Services, int, DbClock],
) -> None:
    a, b, sid, clock = two_apps
    a.live(sid)
    clock.advance(20)
    a.leases.renew(sid)  # every ~10 s while the console is open
    clock.advance(20)  # 40 s after opening, 20 after the renewal: still held
    with pytest.raises(HeldElsewhere):
        b.live(sid)
    clock.advance(11)  # 31 s without a sign of life: the app is gone
    b.live(sid)
    with pytest.raises(LeaseLost, match="open on laptop-b"):
        a.leases.renew(sid)


def test_an_app_that_lost_the_lease_cannot_write_the_clock_even_past_the_ui(
    two_apps: tuple[Services, Services, int, DbClock],
) -> None:
    a, b, sid, clock = two_apps
    stale = a.live(sid)
    stale.toggle()  # Brief running, saved
    clock.advance(31)  # laptop A sleeps past its lease
    holder = b.live(sid)
    holder.next_phase()  # B moves the room on to the Role-play
    with pytest.raises(LeaseLost):
        stale.next_phase()
    with pytest.raises(LeaseLost):
        stale.set_feedback_open(True)
    with pytest.raises(LeaseLost):
        stale.next_round()
    check = b.live(sid)
    assert check.view().phase_key == "roleplay"
    assert check.round is not None and check.round.index == 0 and not check.round.feedback_open


def test_a_crashed_app_on_the_same_computer_frees_its_sessions_at_once(tmp_path: Path) -> None:
    clock = DbClock()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    crashed = app_on(tmp_path, clock, "laptop-a", pid=ended.pid)
    sid = crashed.sessions.create_session("module4-practice", PEOPLE).id
    crashed.live(sid)
    crashed.store.close()  # killed: nothing released
    try:
        elsewhere = app_on(tmp_path, clock, "laptop-b")
        restarted = app_on(tmp_path, clock, "laptop-a", pid=os.getpid())
        another = app_on(tmp_path, clock, "laptop-a", pid=os.getpid())
        with pytest.raises(HeldElsewhere):
            elsewhere.live(sid)  # another computer cannot tell the process is gone: it waits
        restarted.live(sid)  # this computer can: its process is gone
        with pytest.raises(HeldElsewhere):
            another.live(sid)  # and a running holder on this computer keeps it
    finally:
        for svc in (elsewhere, restarted, another):
            svc.close()


def test_closing_the_app_releases_its_sessions(tmp_path: Path) -> None:
    clock = DbClock()
    a = app_on(tmp_path, clock, "laptop-a")
    sid = a.sessions.create_session("module4-practice", PEOPLE).id
    a.live(sid)
    a.close()
    b = app_on(tmp_path, clock, "laptop-b")
    try:
        b.live(sid)
    finally:
        b.close()


def test_the_database_clock_is_used_by_default(services: Services) -> None:
    sid = services.sessions.create_session("module4-practice", PEOPLE).id
    services.live(sid)
    lease = services.leases.holder_of(sid)
    assert lease is not None
    assert abs((lease.since - datetime.now(UTC)).total_seconds()) < 5
    assert lease.expires_at - lease.since == timedelta(seconds=services.leases.seconds)


def test_debrief_notes_are_written_only_where_the_session_is_open(
    two_apps: tuple[Services, Services, int, DbClock],
) -> None:
    a, b, sid, clock = two_apps
    round_id = a.sessions.get(sid).rounds[0].id
    stale = a.live(sid)
    a.debrief.set_question_note(round_id, 0, "A: the warranty dates first")
    clock.advance(31)  # laptop A sleeps past its lease; B takes the session over
    b.live(sid)
    b.debrief.set_question_note(round_id, 0, "B: what the customer was promised")
    with pytest.raises(HeldElsewhere, match="Open on laptop-b"):
        a.debrief.set_question_note(round_id, 0, "A: typed before the sleep, saved after")
    with pytest.raises(HeldElsewhere):
        a.debrief.set_takeaways(round_id, ["A's takeaway"])
    view = b.debrief.get(round_id)
    assert view.question_notes == {0: "B: what the customer was promised"}
    assert view.takeaways == ()
    assert stale.session_id == sid
    b.leases.release(sid)  # nobody has it open: any app may add notes after the fact
    a.debrief.set_actions(round_id, ["Update the FAQ"])
    assert b.debrief.get(round_id).actions == ("Update the FAQ",)
