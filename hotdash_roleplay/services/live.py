"""Running a session: the current round's phase clock and the round the console shows.

Every action changes the session in memory and tells the listeners at once (the console
repaints from `view()` and `detail`, no storage touched), then queues its write on the app's one
store worker: writes land in the order they were made, and a killed app resumes in the same
phase and time (docs/reliability.md). A write the store refuses is reported and the session is
read back from the store, so the screen never claims what was not saved."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from hotdash_roleplay.clock import (
    ClockState,
    ClockView,
    PhaseClock,
    PhaseSpec,
    PhaseSummary,
    Status,
)
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.plans import PhaseKey
from hotdash_roleplay.played import round_played
from hotdash_roleplay.services.convert import session_detail
from hotdash_roleplay.services.sessions import load_session
from hotdash_roleplay.services.views import RoundView, SessionDetail
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.status import RoundStatus, SessionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import PhaseEventRow, Round, TrainingSession, utcnow

log = logging.getLogger(__name__)

DECISION_PHASES = (PhaseKey.ROLEPLAY, PhaseKey.DECISION)

Clock = Callable[[], float]
# Runs a call on the thread that owns the live session (the GUI's), from any thread.
Deliver = Callable[[Callable[[], None]], None]
Report = Callable[[BaseException], None]


class Change(StrEnum):
    """What a live change touched, so each panel refreshes only for what it shows."""

    CLOCK = "clock"  # start, pause, skip, back, a minute more or less
    ROUND = "round"  # the next round (or the session's end)
    DECISION = "decision"  # the round's decision recorded, corrected or revealed
    FEEDBACK = "feedback"  # observer feedback opened or closed, checklists saved
    PEOPLE = "people"  # roles swapped, someone left or arrived
    DEBRIEF = "debrief"  # the debrief's current question


Listener = Callable[[Change], None]


@dataclass(frozen=True)
class _Stored:
    """The session as the store has it, read on the worker."""

    detail: SessionDetail
    clocks: dict[int, ClockState | None]  # by round id
    questions: dict[int, int]  # debrief questions per round id


class LiveSession:
    """The trainer's hold on one session while it runs. Not thread-safe: the thread that made
    it (the GUI's) owns it; only the store work runs on the worker."""

    _detail: SessionDetail
    _clock: PhaseClock
    _states: dict[int, ClockState | None]  # each round's clock as last changed, by round id
    _questions: dict[int, int]

    def __init__(
        self,
        store: Store,
        session_id: int,
        worker: StoreWorker,
        now: Clock = time.monotonic,
        wall: Clock = time.time,
    ) -> None:
        self._store = store
        self._session_id = session_id
        self._worker = worker
        self._now = now
        self._wall = wall
        self._listeners: list[Listener] = []
        self._deliver: Deliver | None = None
        self._report: Report | None = None
        self._actions = 0  # changes made here: a read queued before one of them is outdated
        # Behind the writes already queued, so a session reopened at once finds them stored.
        self._apply(worker.submit(self._read).result())

    def answer_on(self, deliver: Deliver, report: Report) -> None:
        """How the worker's answers reach the owning thread, and how a write the store refused
        is told to the trainer. From then on a change does not wait for its write."""
        self._deliver = deliver
        self._report = report

    # -- reading ------------------------------------------------------------------------------

    @property
    def session_id(self) -> int:
        return self._session_id

    @property
    def detail(self) -> SessionDetail:
        return self._detail

    @property
    def round(self) -> RoundView | None:
        return self._detail.current

    @property
    def finished(self) -> bool:
        return self._detail.status == SessionStatus.FINISHED

    def view(self) -> ClockView:
        return self._clock.view()

    def summary(self) -> list[PhaseSummary]:
        return self._clock.summary()

    def decision_seconds(self) -> float:
        """Running time from the start of the role-play to now: the operator's time to decide."""
        return sum(
            self._clock.phase_elapsed(i)
            for i, p in enumerate(self._clock.phases)
            if p.key in DECISION_PHASES
        )

    def subscribe(self, listener: Listener) -> None:
        """Called after every change with what it touched, e.g. to refresh the projector."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop notifying a listener (a closed widget); unknown listeners are ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    # -- clock actions ------------------------------------------------------------------------

    def toggle(self) -> ClockView:
        return self._act(self._clock.toggle)

    def next_phase(self) -> ClockView:
        return self._act(self._clock.next)

    def previous_phase(self) -> ClockView:
        return self._act(self._clock.back)

    def adjust(self, seconds: int) -> ClockView:
        return self._act(lambda: self._clock.adjust(seconds))

    def _act(self, action: Callable[[], object]) -> ClockView:
        rnd = self._current()
        action()
        state = self._clock.to_state()
        self._states[rnd.id] = state
        # The Observer feedback phase opens feedback; it stays open until the round ends.
        opened = self._clock.view().phase_key == PhaseKey.FEEDBACK and not rnd.feedback_open
        status = RoundStatus.LIVE if rnd.status == RoundStatus.PENDING else rnd.status
        self._set_round(
            rnd,
            status=status,
            played=round_played(status, state.model_dump(mode="json")),
            feedback_open=rnd.feedback_open or opened,
        )
        if self._detail.status == SessionStatus.PLANNED:
            self._detail = self._detail.model_copy(update={"status": SessionStatus.LIVE})
        self._write(_save_clock, self._session_id, rnd.id, state, opened)
        self._notify(Change.CLOCK)
        if opened:
            self._notify(Change.FEEDBACK)
        return self._clock.view()

    # -- rounds -------------------------------------------------------------------------------

    def next_round(self) -> RoundView | None:
        """Close this round (feedback closes with it) and move to the next; None when done."""
        rnd = self._current()
        finished: ClockState | None = None
        if self._clock.status != Status.FINISHED:
            self._clock.finish()
            finished = self._states[rnd.id] = self._clock.to_state()
        clock = self._states.get(rnd.id)
        self._set_round(
            rnd,
            status=RoundStatus.DONE,
            played=round_played(RoundStatus.DONE, clock.model_dump(mode="json") if clock else None),
            feedback_open=False,
        )
        index = rnd.index + 1
        done = index >= len(self._detail.rounds)
        status = SessionStatus.FINISHED if done else self._detail.status
        self._detail = self._detail.model_copy(update={"current_round": index, "status": status})
        self._clock = self._make_clock(self.round)
        self._write(_close_round, self._session_id, rnd.id, finished, index, done)
        self._notify(Change.ROUND)
        return self.round

    def set_feedback_open(self, is_open: bool) -> None:
        """Open or close observer feedback for the current round by hand."""
        rnd = self._current()
        self._set_round(rnd, feedback_open=is_open)
        self._write(_save_round, rnd.id, feedback_open=is_open)
        self._notify(Change.FEEDBACK)

    def set_debrief_question(self, index: int) -> None:
        rnd = self._current()
        count = self._questions.get(rnd.id, 0)
        question = max(0, min(index, max(0, count - 1)))
        self._set_round(rnd, debrief_question=question)
        self._write(_save_round, rnd.id, debrief_question=question)
        self._notify(Change.DEBRIEF)

    def reveal_expert(self, revealed: bool = True) -> None:
        rnd = self._current()
        self._set_round(rnd, expert_revealed=revealed)
        self._write(_save_round, rnd.id, expert_revealed=revealed)
        self._notify(Change.DECISION)

    def reload(self, change: Change = Change.PEOPLE) -> None:
        """Read the session again after another service changed it (swap, leave, arrive), on
        the worker behind that change; listeners hear `change` once it is read."""
        self._read_back(keep_clock=True, changes=(change,))

    # -- internals ----------------------------------------------------------------------------

    def _current(self) -> RoundView:
        rnd = self.round
        if rnd is None:
            raise UserError("This session has no round left to run.")
        self._actions += 1
        return rnd

    def _set_round(self, rnd: RoundView, **changes: object) -> None:
        rounds = list(self._detail.rounds)
        rounds[rnd.index] = rnd.model_copy(update=changes)
        self._detail = self._detail.model_copy(update={"rounds": tuple(rounds)})

    def _make_clock(self, rnd: RoundView | None) -> PhaseClock:
        phases = [PhaseSpec(p.key, p.title, p.seconds) for p in self._detail.phases]
        state = self._states.get(rnd.id) if rnd is not None else None
        if state is not None:
            return PhaseClock.from_state(state, phases, now=self._now, wall=self._wall)
        return PhaseClock(phases, now=self._now, wall=self._wall)

    def _read(self) -> _Stored:
        """On the worker: the session as stored."""
        with self._store.session() as db:
            row = load_session(db, self._session_id)
            return _Stored(
                detail=session_detail(row),
                clocks={
                    r.id: ClockState.model_validate(r.clock_state) if r.clock_state else None
                    for r in row.rounds
                },
                questions={r.id: len(r.scenario.get("debrief_questions", [])) for r in row.rounds},
            )

    def _apply(self, stored: _Stored, keep_clock: bool = False) -> None:
        previous = self._detail.current if hasattr(self, "_detail") else None  # first load
        self._detail = stored.detail
        self._questions = stored.questions
        current = self.round
        if (
            keep_clock
            and previous is not None
            and current is not None
            and previous.id == current.id
        ):
            stored.clocks[current.id] = self._states[current.id]  # a running clock stays as is
            self._states = stored.clocks
            return
        self._states = stored.clocks
        self._clock = self._make_clock(self.round)

    def _read_back(self, keep_clock: bool, changes: tuple[Change, ...]) -> None:
        """Re-read the session on the worker, behind every write queued so far, and show it.
        A change made here meanwhile would be hidden by the older read: read again then."""
        deliver = self._deliver
        if deliver is None:  # no owning loop to answer on: wait for the worker
            self._apply(self._worker.submit(self._read).result(), keep_clock)
            for change in changes:
                self._notify(change)
            return
        seen = self._actions

        def answered(future: Future[_Stored]) -> None:
            exc = future.exception()
            if exc is not None:
                deliver(lambda: self._refused(exc, read_back=False))
                return
            deliver(lambda: show(future.result()))

        def show(stored: _Stored) -> None:
            if self._actions != seen:
                self._read_back(keep_clock, changes)
                return
            self._apply(stored, keep_clock)
            for change in changes:
                self._notify(change)

        self._worker.submit(self._read).add_done_callback(answered)

    def _write(self, fn: Callable[..., None], *args: object, **kwargs: object) -> None:
        """Queue a write of what memory already shows; a refusal is reported, then the
        session is read back from the store. Without an owning loop to answer on (the command
        line, the demo, scripts) the change waits for its write and a refusal is raised."""
        future = self._worker.submit(fn, self._store, *args, **kwargs)
        if self._deliver is None:
            try:
                future.result()
            except BaseException:
                self._apply(self._worker.submit(self._read).result())
                raise
            return

        def written(future: Future[None]) -> None:
            exc = future.exception()
            if exc is None:
                return
            log.error("A live change could not be saved", exc_info=exc)
            if self._deliver is not None:
                self._deliver(lambda: self._refused(exc, read_back=True))

        future.add_done_callback(written)

    def _refused(self, exc: BaseException, read_back: bool) -> None:
        if self._report is not None:
            self._report(exc)
        if read_back:  # what the screen shows must be what is stored
            self._read_back(keep_clock=False, changes=tuple(Change))

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)


# -- the writes, on the worker: each takes a snapshot made when the change was made -----------


def _save_clock(
    store: Store, session_id: int, round_id: int, state: ClockState, open_feedback: bool
) -> None:
    with store.session() as db:
        row, rnd = _rows(db, session_id, round_id)
        _write_clock(rnd, state)
        if rnd.status == RoundStatus.PENDING:
            rnd.status = RoundStatus.LIVE
        if row.status == SessionStatus.PLANNED:
            row.status = SessionStatus.LIVE
        if open_feedback:
            rnd.feedback_open = True
        db.commit()


def _close_round(
    store: Store,
    session_id: int,
    round_id: int,
    finished: ClockState | None,
    next_index: int,
    session_done: bool,
) -> None:
    with store.session() as db:
        row, rnd = _rows(db, session_id, round_id)
        if finished is not None:
            _write_clock(rnd, finished)
        rnd.status = RoundStatus.DONE
        rnd.feedback_open = False
        row.current_round = next_index
        if session_done:
            row.status = SessionStatus.FINISHED
            row.finished_at = utcnow()
        db.commit()


def _save_round(store: Store, round_id: int, **values: object) -> None:
    with store.session() as db:
        rnd = db.get(Round, round_id)
        if rnd is None:
            raise UserError(f"There is no round {round_id}.")
        for name, value in values.items():
            setattr(rnd, name, value)
        db.commit()


def _rows(db: Session, session_id: int, round_id: int) -> tuple[TrainingSession, Round]:
    row = db.get(TrainingSession, session_id)
    rnd = db.get(Round, round_id)
    if row is None or rnd is None or rnd.session_id != session_id:
        raise UserError(f"There is no round {round_id} in session {session_id}.")
    return row, rnd


def _write_clock(rnd: Round, state: ClockState) -> None:
    rnd.clock_state = state.model_dump(mode="json")
    stored = len(rnd.events)
    for seq, ev in enumerate(state.events[stored:], start=stored):
        rnd.events.append(
            PhaseEventRow(
                seq=seq,
                kind=ev.kind,
                phase_index=ev.phase_index,
                at_wall=ev.at_wall,
                delta_seconds=ev.delta_seconds,
            )
        )
