"""The services of an open store, built together; `open_services` opens the store first."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from hotdash_roleplay.checklist import Checklist, load_checklist
from hotdash_roleplay.errors import UnusableStore
from hotdash_roleplay.plans import SessionPlan, load_plans
from hotdash_roleplay.scenarios import ScenarioLibrary, load_library
from hotdash_roleplay.services.debrief import DebriefService
from hotdash_roleplay.services.decisions import DecisionService
from hotdash_roleplay.services.feedback import FeedbackService
from hotdash_roleplay.services.history import HistoryService
from hotdash_roleplay.services.leases import Holder, LeaseService
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.observer_access import ObserverAccessService
from hotdash_roleplay.services.people import PeopleService
from hotdash_roleplay.services.room import RoomService
from hotdash_roleplay.services.room_notes import NoteService
from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.store.engine import Store, store_failure
from hotdash_roleplay.store.location import default_data_dir, resolve_url
from hotdash_roleplay.store.opening import open_store

if TYPE_CHECKING:  # loaded on first use: they bring the exports' models and the certification
    from hotdash_roleplay.services.certification import CertificationService
    from hotdash_roleplay.services.credentials import CredentialService
    from hotdash_roleplay.services.reports import ReportService
    from hotdash_roleplay.services.session_data import SessionDataService


@dataclass
class Services:
    store: Store
    library: ScenarioLibrary
    checklist: Checklist
    plans: list[SessionPlan]
    # The clocks live sessions run on; tests inject fake ones instead of sleeping.
    now: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    today: Callable[[], date] = date.today  # the certification's calendar
    # The data folder: the SQLite store's (--data-dir) or the user's; the issuer key lives here.
    data_dir: Path = field(default_factory=default_data_dir)
    people: PeopleService = field(init=False)
    sessions: SessionService = field(init=False)
    decisions: DecisionService = field(init=False)
    feedback: FeedbackService = field(init=False)
    debrief: DebriefService = field(init=False)
    history: HistoryService = field(init=False)
    observer_access: ObserverAccessService = field(init=False)
    room: RoomService = field(init=False)
    notes: NoteService = field(init=False)  # observers' time-stamped notes
    # Which sessions this app has open, so another app on a shared store is refused them.
    leases: LeaseService = field(init=False)
    # Store work off the GUI thread, in order: the console and the observer server share it
    # (the app's start-up opens the store on it already, so it is handed in).
    worker: StoreWorker = field(default_factory=StoreWorker)

    def __post_init__(self) -> None:
        self.people = PeopleService(self.store)
        self.sessions = SessionService(self.store, self.library, self.plans)
        self.decisions = DecisionService(self.store)
        self.feedback = FeedbackService(self.store, self.checklist)
        self.leases = LeaseService(self.store, Holder.this_app())
        self.debrief = DebriefService(self.store, self.leases)
        self.history = HistoryService(self.store)
        self.observer_access = ObserverAccessService(self.store)
        self.room = RoomService(self.store)
        self.notes = NoteService(self.store, self.feedback)

    # The services below load what nothing needs to start (the exports' models, the
    # certification), so the app reaches its start screen without them.

    @cached_property
    def reports(self) -> ReportService:
        from hotdash_roleplay.services.reports import ReportService

        return ReportService(self.store, self.checklist, wall=lambda: self.wall())

    @cached_property
    def session_data(self) -> SessionDataService:
        from hotdash_roleplay.services.session_data import SessionDataService

        return SessionDataService(self.store, self.checklist.keys)

    @cached_property
    def certification(self) -> CertificationService:
        from hotdash_roleplay.services.certification import CertificationService

        return CertificationService(
            self.store, self.decisions, self.history, self.credentials, self.today
        )

    @cached_property
    def credentials(self) -> CredentialService:
        from hotdash_roleplay.services.credentials import CredentialService

        return CredentialService(self.store, self.data_dir, wall=lambda: self.wall())

    def live(self, session_id: int) -> LiveSession:
        """Take the session's lease (HeldElsewhere if another app has it open) and run it;
        its writes are refused once another app has taken the lease over."""
        self.leases.acquire(session_id)
        store = self.store.guarded(self.leases.guard(session_id))
        return LiveSession(store, session_id, self.worker, now=self.now, wall=self.wall)

    def failure(self, exc: BaseException) -> UnusableStore | None:
        """A database error met while working (damage the check at open cannot see, a full
        disk, a lost server) as one line naming the store; None for any other error."""
        return store_failure(self.store, exc) if isinstance(exc, DBAPIError) else None

    def close(self) -> None:
        """What is queued reaches the store first, then this app's leases are released (on
        the worker too, behind the console's last writes), then the store closes."""
        try:
            self.worker.submit(self._release_leases)
        except RuntimeError:  # the worker has stopped already
            self._release_leases()
        self.worker.close()
        self.store.close()

    def _release_leases(self) -> None:
        with suppress(DBAPIError):  # the server is gone: the leases lapse by themselves
            self.leases.release_all()


def open_services(
    db_url: str | None = None,
    data_dir: str | Path | None = None,
    scenario_dirs: Sequence[Path] = (),
    today: Callable[[], date] = date.today,
    worker: StoreWorker | None = None,
) -> Services:
    """Load the bundled library and plans, open and migrate the store."""
    library = load_library(scenario_dirs)
    plans = load_plans(library)
    store = open_store(resolve_url(db_url, data_dir))
    checklist = load_checklist()
    folder = Path(data_dir) if data_dir else default_data_dir()
    if worker is None:
        return Services(store, library, checklist, plans, today=today, data_dir=folder)
    return Services(store, library, checklist, plans, today=today, data_dir=folder, worker=worker)
