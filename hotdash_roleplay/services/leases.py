"""Session leases: on a shared store, a session runs in one app's console at a time.

Opening a session's console takes its lease (a row naming this app instance, its computer, its
user and its process); a second app is refused with who has it and since when. The holder
renews it every third of LEASE_SECONDS and releases it when the console closes. If that app
dies, the lease lapses LEASE_SECONDS after the last renewal — at once when the dead app ran on
this same computer (its process is gone), so a restart after a crash reopens the session
without waiting. Time is the database's clock, so laptops whose clocks differ agree on it.

Every write of the live session's own state (the clock, rounds, feedback, the debrief question)
is conditional on the lease still naming this app (`guard`): an app that lost it (asleep past
its lease while another took over) cannot write, even past the UI. See docs/reliability.md."""

from __future__ import annotations

import getpass
import os
import socket
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from hotdash_roleplay.dates import short_date_time
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import SessionLease, TrainingSession

# How long a lease outlives its last renewal. Read when a LeaseService is made, so a test (or a
# process driving the app) can shorten it.
LEASE_SECONDS = 30.0
RENEWALS_PER_LEASE = 3  # the holder renews every LEASE_SECONDS / 3

LeaseClock = Callable[[Session], datetime]


class Holder(BaseModel):
    """One running app: random per start, with where it runs for the notices."""

    model_config = ConfigDict(frozen=True)

    id: str
    host: str  # the computer's name, for people
    machine: str  # the computer itself: two laptops may share a name
    user: str
    pid: int

    @classmethod
    def this_app(cls) -> Holder:
        return cls(
            id=uuid.uuid4().hex,
            host=this_host(),
            machine=this_machine(),
            user=this_user(),
            pid=os.getpid(),
        )


def this_host() -> str:
    return socket.gethostname()[:255] or "an unnamed computer"


def this_machine() -> str:
    """The network card's address (when none can be read, a random one per run: a dead app's
    lease then lapses by time alone)."""
    return f"{uuid.getnode():012x}"


def this_user() -> str:
    try:
        return getpass.getuser()[:255]
    except (OSError, KeyError):  # no login name in the environment or the user database
        return ""


def process_is_gone(pid: int) -> bool:
    """Whether no process `pid` runs on this computer. Only asked on POSIX: on Windows
    os.kill(pid, 0) would end the process, so a lease left there lapses by time alone."""
    if sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user
        return False
    return False


def database_now(db: Session) -> datetime:
    """The database's clock (SQLite answers in whole seconds, as naive UTC)."""
    value = db.connection().execute(select(func.current_timestamp())).scalar_one()
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


class LeaseView(View):
    session_id: int
    host: str
    user: str
    since: datetime
    expires_at: datetime

    @property
    def where(self) -> str:
        return f"{self.host} ({self.user})" if self.user else self.host

    @property
    def since_text(self) -> str:
        local = self.since.astimezone()
        if local.date() == datetime.now(local.tzinfo).date():
            return f"{local.hour:02d}:{local.minute:02d}"
        return short_date_time(local)


class HeldElsewhere(UserError):
    """Another app has the session open: it cannot be opened here now."""

    def __init__(self, lease: LeaseView) -> None:
        self.lease = lease
        super().__init__(
            f"Open on {lease.where} since {lease.since_text} — not opened here. Close it there "
            "first; if that app has stopped, the session frees itself within "
            f"{round(LEASE_SECONDS)} seconds of its last sign of life."
        )


class LeaseLost(UserError):
    """This app no longer holds the session (it was asleep past its lease): nothing is written."""

    def __init__(self, lease: LeaseView | None) -> None:
        self.lease = lease
        where = f"; it is open on {lease.where} since {lease.since_text}" if lease else ""
        super().__init__(
            f"This app no longer has this session open (it was idle past its lease{where}). "
            "Nothing more is saved from here: open it again from the start screen to carry on."
        )


class LeaseService:
    def __init__(
        self,
        store: Store,
        holder: Holder,
        seconds: float | None = None,
        clock: LeaseClock = database_now,
    ) -> None:
        self._store = store
        # Public so a test can be another app, on another computer, with a clock it moves.
        self.holder = holder
        self.seconds = LEASE_SECONDS if seconds is None else seconds
        self.clock = clock

    @property
    def renew_seconds(self) -> float:
        return self.seconds / RENEWALS_PER_LEASE

    def acquire(self, session_id: int) -> LeaseView:
        """Take the session's lease (or keep it); HeldElsewhere while another app has it."""
        try:
            return self._acquire_once(session_id)
        except (IntegrityError, StaleDataError):
            # Another app inserted it at the same moment, or the lease was released (deleted)
            # while we updated it: judge what is stored now.
            return self._acquire_once(session_id)

    def _acquire_once(self, session_id: int) -> LeaseView:
        with self._store.session() as db:
            lease = self._acquire(db, session_id)
            db.commit()
            return lease

    def renew(self, session_id: int) -> None:
        """Extend this app's lease; LeaseLost if another app took it meanwhile."""
        with self._store.session() as db:
            self.hold(db, session_id)
            now = self.clock(db)
            db.connection().execute(
                update(SessionLease)
                .where(SessionLease.session_id == session_id)
                .values(heartbeat_at=now, expires_at=now + timedelta(seconds=self.seconds))
            )
            db.commit()

    def release(self, session_id: int) -> None:
        """The console closed: the session is free for another app (a no-op if not held)."""
        with self._store.session() as db:
            db.execute(
                delete(SessionLease).where(
                    SessionLease.session_id == session_id,
                    SessionLease.holder_id == self.holder.id,
                )
            )
            db.commit()

    def release_all(self) -> None:
        """The app ends: every lease it holds."""
        with self._store.session() as db:
            db.execute(delete(SessionLease).where(SessionLease.holder_id == self.holder.id))
            db.commit()

    def holder_of(self, session_id: int) -> LeaseView | None:
        """Who has the session open now (this app included), or None."""
        with self._store.session() as db:
            lease = self._current(db, session_id)
            return lease if lease is not None and lease.expires_at > self.clock(db) else None

    def guard(self, session_id: int) -> Callable[[Session], None]:
        """A check for Store.guarded: a write is made only while this app holds the lease."""
        return lambda db: self.hold(db, session_id)

    def hold(self, db: Session, session_id: int) -> None:
        """In the caller's transaction: LeaseLost unless the lease still names this app. The
        row stays locked until the commit (PostgreSQL), so a takeover cannot slip in between
        this check and the write; one statement, as it runs with every write of the clock."""
        # On the connection, not the ORM session: this runs inside a flush (Store.guarded).
        holder = (
            db.connection()
            .execute(
                select(SessionLease.holder_id)
                .where(SessionLease.session_id == session_id)
                .with_for_update()
            )
            .scalar_one_or_none()
        )
        if holder != self.holder.id:
            raise LeaseLost(self._current(db, session_id))

    def refuse_if_elsewhere(self, db: Session, session_id: int) -> None:
        """In the caller's transaction: HeldElsewhere while another app holds the session, for
        writes that any app may make to a session nobody has open (its debrief notes after the
        fact, headless tools). Locks the lease row until the commit, so a takeover waits."""
        row = db.get(SessionLease, session_id, with_for_update=True)
        if row is None or row.holder_id == self.holder.id:
            return
        if row.expires_at > self.clock(db) and not self._gone(row):
            raise HeldElsewhere(_view(row))

    # -- internals ----------------------------------------------------------------------------

    def _acquire(self, db: Session, session_id: int) -> LeaseView:
        now = self.clock(db)
        row = db.get(SessionLease, session_id, with_for_update=True)
        me = self.holder
        if row is None:
            if db.get(TrainingSession, session_id) is None:
                raise UserError(f"There is no session {session_id}.")
            row = SessionLease(session_id=session_id, holder_id=me.id, acquired_at=now)
            db.add(row)
        elif row.holder_id != me.id:
            if row.expires_at > now and not self._gone(row):
                raise HeldElsewhere(_view(row))
            row.holder_id = me.id
            row.acquired_at = now
        row.host, row.machine, row.user, row.pid = me.host, me.machine, me.user, me.pid
        row.heartbeat_at = now
        row.expires_at = now + timedelta(seconds=self.seconds)
        db.flush()
        return _view(row)

    def _gone(self, row: SessionLease) -> bool:
        """The holder ran on this computer and its process has ended (a crash, a kill)."""
        return row.machine == self.holder.machine and process_is_gone(row.pid)

    @staticmethod
    def _current(db: Session, session_id: int) -> LeaseView | None:
        row = db.execute(
            select(SessionLease).where(SessionLease.session_id == session_id)
        ).scalar_one_or_none()
        return _view(row) if row is not None else None


def _view(row: SessionLease) -> LeaseView:
    return LeaseView(
        session_id=row.session_id,
        host=row.host,
        user=row.user,
        since=row.acquired_at,
        expires_at=row.expires_at,
    )
