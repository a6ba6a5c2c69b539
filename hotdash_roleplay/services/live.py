"""Running a session: the current round's phase clock, saved at every transition.

The console asks `view()` on every repaint (no storage touched); every action commits the
clock state and its new events at once, so a killed app resumes in the same phase and time."""

from __future__ import annotations

import time
from collections.abc import Callable
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
from hotdash_roleplay.services.convert import session_detail
from hotdash_roleplay.services.sessions import load_session
from hotdash_roleplay.services.views import RoundView, SessionDetail
from hotdash_roleplay.status import RoundStatus, SessionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import PhaseEventRow, Round, TrainingSession, utcnow

DECISION_PHASES = (PhaseKey.ROLEPLAY, PhaseKey.DECISION)

Clock = Callable[[], float]


class Change(StrEnum):
    """What a live change touched, so each panel refreshes only for what it shows."""

    CLOCK = "clock"  # start, pause, skip, back, a minute more or less
    ROUND = "round"  # the next round (or the session's end)
    DECISION = "decision"  # the round's decision recorded, corrected or revealed
    FEEDBACK = "feedback"  # observer feedback opened or closed, checklists saved
    PEOPLE = "people"  # roles swapped, someone left or arrived
    DEBRIEF = "debrief"  # the debrief's current question


Listener = Callable[[Change], None]


class LiveSession:
    """The trainer's hold on one session while it runs. Not thread-safe: the UI thread owns it."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        now: Clock = time.monotonic,
        wall: Clock = time.time,
    ) -> None:
        self._store = store
        self._session_id = session_id
        self._now = now
        self._wall = wall
        self._listeners: list[Listener] = []
        self._load()

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
        if self.round is None:
            raise UserError("This session has no round left to run.")
        action()
        self._save_clock()
        return self._clock.view()

    # -- rounds -------------------------------------------------------------------------------

    def next_round(self) -> RoundView | None:
        """Close this round (feedback closes with it) and move to the next; None when done."""
        with self._store.session() as db:
            row = load_session(db, self._session_id)
            rnd = self._round_row(row)
            if rnd is not None:
                if self._clock.status != Status.FINISHED:
                    self._clock.finish()
                    self._write_clock(db, rnd)
                rnd.status = RoundStatus.DONE
                rnd.feedback_open = False
            row.current_round += 1
            if row.current_round >= len(row.rounds):
                row.status = SessionStatus.FINISHED
                row.finished_at = utcnow()
            db.commit()
        self._load()
        self._notify(Change.ROUND)
        return self.round

    def set_feedback_open(self, is_open: bool) -> None:
        """Open or close observer feedback for the current round by hand."""
        with self._store.session() as db:
            rnd = self._round_row(load_session(db, self._session_id))
            if rnd is None:
                raise UserError("This session has no round left to run.")
            rnd.feedback_open = is_open
            db.commit()
        self._load(keep_clock=True)
        self._notify(Change.FEEDBACK)

    def set_debrief_question(self, index: int) -> None:
        with self._store.session() as db:
            rnd = self._round_row(load_session(db, self._session_id))
            if rnd is None:
                raise UserError("This session has no round left to run.")
            count = len(rnd.scenario.get("debrief_questions", []))
            rnd.debrief_question = max(0, min(index, max(0, count - 1)))
            db.commit()
        self._load(keep_clock=True)
        self._notify(Change.DEBRIEF)

    def reveal_expert(self, revealed: bool = True) -> None:
        with self._store.session() as db:
            rnd = self._round_row(load_session(db, self._session_id))
            if rnd is None:
                raise UserError("This session has no round left to run.")
            rnd.expert_revealed = revealed
            db.commit()
        self._load(keep_clock=True)
        self._notify(Change.DECISION)

    def reload(self, change: Change = Change.PEOPLE) -> None:
        """Re-read after another service changed the session (swap, leave, arrive)."""
        self._load(keep_clock=True)
        self._notify(change)

    # -- internals ----------------------------------------------------------------------------

    def _load(self, keep_clock: bool = False) -> None:
        with self._store.session() as db:
            row = load_session(db, self._session_id)
            self._detail = session_detail(row)
            if keep_clock and hasattr(self, "_clock"):
                return
            rnd = self._round_row(row)
            phases = [PhaseSpec(p.key, p.title, p.seconds) for p in self._detail.phases]
            if rnd is not None and rnd.clock_state:
                state = ClockState.model_validate(rnd.clock_state)
                self._clock = PhaseClock.from_state(state, phases, now=self._now, wall=self._wall)
            else:
                self._clock = PhaseClock(phases, now=self._now, wall=self._wall)

    def _round_row(self, row: TrainingSession) -> Round | None:
        if 0 <= row.current_round < len(row.rounds):
            return row.rounds[row.current_round]
        return None

    def _save_clock(self) -> None:
        with self._store.session() as db:
            row = load_session(db, self._session_id)
            rnd = self._round_row(row)
            if rnd is None:
                return
            self._write_clock(db, rnd)
            if rnd.status == RoundStatus.PENDING:
                rnd.status = RoundStatus.LIVE
            if row.status == SessionStatus.PLANNED:
                row.status = SessionStatus.LIVE
            # The Observer feedback phase opens feedback; it stays open until the round ends.
            opened = self._clock.view().phase_key == PhaseKey.FEEDBACK and not rnd.feedback_open
            if opened:
                rnd.feedback_open = True
            db.commit()
        self._load(keep_clock=True)
        self._notify(Change.CLOCK)
        if opened:
            self._notify(Change.FEEDBACK)

    def _write_clock(self, db: Session, rnd: Round) -> None:
        state = self._clock.to_state()
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

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)
