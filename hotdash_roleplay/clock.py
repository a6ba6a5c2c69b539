"""The phase clock of one round: a pure state machine over injected clocks (why: the section
"One event loop" in docs/architecture.md).

The Qt timer only asks for a repaint; every reading comes from ``view()``, which derives the
time from the injected monotonic clock. Nothing ticks, so a busy UI cannot make it drift.

Rules chosen here (the UI and services rely on them):

* Invalid transitions (pause when not running, next before start, ...) raise ``ClockError``,
  a ``ValueError`` whose message can be shown as it is. ``toggle()`` is the Space key and is
  valid in every status except finished.
* Time in a phase accumulates across visits: ``next()`` and ``back()`` never reset a phase,
  they keep the running/paused status, and ``summary()`` reports the total per phase.
* ``next()`` on the last phase finishes the round (logged as ``finish``). ``back()`` from
  finished reopens the phase where the round stopped, paused, so a stray N can be undone.
* ``adjust()`` never shortens a phase below the time already spent in it: a phase with time
  left can be cut to 0 left at most, a phase already in overtime cannot be shortened at all.
  It returns the change actually applied; a change of 0 is not logged.
* Warning threshold: 60 s, or 25 % of the (adjusted) phase length when the phase is shorter
  than 4 minutes, never below 10 s; a plan may override it with ``warning_seconds``.
* Tone: overtime once nothing is left (remaining <= 0), warning once remaining <= threshold.
  Ready and finished clocks are always normal.
* Persistence: ``to_state()`` stores the per-phase time accumulated up to a wall-clock
  anchor; a restored running clock adds the wall time since that anchor (monotonic clocks of
  different processes/boots are unrelated). The state taken at a transition stays valid until
  the next one, so it only needs saving at transitions.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotdash_roleplay.errors import UserError

__all__ = [
    "DEFAULT_WARNING_SECONDS",
    "DRILL_BENCHMARK_SECONDS",
    "DRILL_MARKS",
    "DRILL_STAGE_LABELS",
    "MIN_WARNING_SECONDS",
    "ClockError",
    "ClockState",
    "ClockView",
    "DrillMark",
    "DrillStage",
    "EventKind",
    "PhaseClock",
    "PhaseEvent",
    "PhaseSpec",
    "PhaseSummary",
    "Status",
    "Tone",
    "clock_stamp",
    "compare_to_benchmark",
    "current_drill_stage",
    "drill_marks",
    "format_duration",
    "warning_threshold",
]

DEFAULT_WARNING_SECONDS = 60
MIN_WARNING_SECONDS = 10
_SHORT_PHASE_SECONDS = 240  # below 4 minutes a fixed minute of warning would be too much

Clock = Callable[[], float]


class ClockError(UserError, ValueError):
    """A transition that the clock's current status does not allow."""


class Status(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Tone(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    OVERTIME = "overtime"


class EventKind(StrEnum):
    """What a trainer did to the clock (the round's phase-event log)."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    ADJUST = "adjust"
    NEXT = "next"
    BACK = "back"
    FINISH = "finish"


@dataclass(frozen=True)
class PhaseSpec:
    key: str
    title: str
    planned_seconds: int

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a phase needs a key")
        if isinstance(self.planned_seconds, bool) or not isinstance(self.planned_seconds, int):
            raise ValueError(f"phase {self.key!r}: planned_seconds must be a whole number")
        if self.planned_seconds < 0:
            raise ValueError(f"phase {self.key!r}: planned_seconds cannot be negative")


_Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
_Stamp = Annotated[float, Field(allow_inf_nan=False)]


class PhaseEvent(BaseModel):
    """One transition. ``phase_index`` is the phase the clock is in after it.

    ``at_mono`` is only comparable with other events of the same process; ``at_wall`` is the
    time to show and to compare across restarts.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: EventKind
    phase_index: int = Field(ge=0)
    at_mono: _Stamp
    at_wall: _Stamp
    delta_seconds: int | None = None  # applied change for "adjust", else None


class ClockState(BaseModel):
    """Everything needed to resume a clock in another process (JSON via ``model_dump_json``)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    phase_keys: list[str]
    status: Status
    phase_index: int = Field(ge=0)
    planned_seconds: list[Annotated[int, Field(ge=0)]]  # after adjustments
    # Per phase: time run up to the anchor below (or in total, when not running).
    elapsed_before_run: list[_Seconds]
    running_since_wall: _Stamp | None = None  # wall-clock anchor, set only while running
    warning_seconds: Annotated[int, Field(ge=0)] | None = None
    events: list[PhaseEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ClockState:
        n = len(self.phase_keys)
        if n == 0:
            raise ValueError("a clock state needs at least one phase")
        if len(self.planned_seconds) != n or len(self.elapsed_before_run) != n:
            raise ValueError("planned_seconds and elapsed_before_run need one entry per phase")
        if self.phase_index >= n:
            raise ValueError("phase_index is out of range")
        if (self.status is Status.RUNNING) != (self.running_since_wall is not None):
            raise ValueError("running_since_wall is set exactly when the clock is running")
        return self

    def elapsed_at(self, wall: float) -> list[float]:
        """Running time per phase at wall-clock time ``wall``: the one rule for what counts.

        A running phase goes on while the app is down (a crash or kill must not stop the
        room's clock), bridged with the wall clock, the only clock shared across processes; a
        clock set back meanwhile counts as no time rather than negative. A paused phase gains
        nothing: time the trainer chose to pause never counts as phase time or decision time.
        """
        elapsed = list(self.elapsed_before_run)
        if self.running_since_wall is not None:
            elapsed[self.phase_index] += max(0.0, wall - self.running_since_wall)
        return elapsed


@dataclass(frozen=True)
class ClockView:
    """One reading of the clock, everything the console and the projector draw."""

    status: Status
    phase_index: int
    phase_count: int
    phase_key: str
    phase_title: str
    planned_seconds: int
    elapsed_seconds: float
    remaining_seconds: float  # negative in overtime
    warning_seconds: int
    tone: Tone
    text: str  # "07:59" counting down, "+01:12" in overtime
    state_label: str  # says the state in words, so colour is never the only signal


@dataclass(frozen=True)
class PhaseSummary:
    key: str
    title: str
    planned_seconds: int  # from the plan
    adjusted_planned_seconds: int  # after +/- minute during the run
    actual_seconds: float  # running time only, summed over every visit
    # A whole second or more past the adjusted plan, the least a duration can show: a fraction
    # past it is on time, never "over by 0:00".
    overran: bool

    @property
    def over_seconds(self) -> float:
        """Beyond the plan as adjusted in the room (negative: finished early): a minute added
        with + is planned time, not overrun."""
        return self.actual_seconds - self.adjusted_planned_seconds


def format_duration(seconds: float) -> str:
    """Human duration, whole seconds truncated: "0:05", "1:12", "12:05", "1:02:03"."""
    sign = "-" if seconds < 0 else ""
    h, rest = divmod(int(abs(seconds)), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m}:{s:02d}"


def _clock_face(whole_seconds: int) -> str:
    """Fixed-width face for the timer: always MM:SS, H:MM:SS from an hour on."""
    h, rest = divmod(whole_seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def clock_stamp(seconds: float) -> str:
    """A moment of the role-play clock as notes and timelines cite it: "02:13", whole seconds
    (truncated), "1:15:02" from an hour on."""
    return _clock_face(max(0, int(seconds)))


def _countdown_seconds(remaining: float) -> int:
    # Round up while counting down, so "00:00" is never shown while time is left.
    return max(0, math.ceil(remaining))


def _overtime_seconds(remaining: float) -> int:
    return max(0, math.floor(-remaining))


def warning_threshold(planned_seconds: int, override: int | None = None) -> int:
    """Seconds left at which a phase turns to warning (see the module docstring)."""
    if override is not None:
        return override
    if planned_seconds < _SHORT_PHASE_SECONDS:
        return max(MIN_WARNING_SECONDS, planned_seconds // 4)
    return DEFAULT_WARNING_SECONDS


class PhaseClock:
    """The clock of one round. Times come from ``now`` (monotonic) and ``wall`` (epoch)."""

    def __init__(
        self,
        phases: Sequence[PhaseSpec],
        now: Clock = time.monotonic,
        wall: Clock = time.time,
        warning_seconds: int | None = None,
    ) -> None:
        self._phases = tuple(phases)
        if not self._phases:
            raise ValueError("a round needs at least one phase")
        keys = [p.key for p in self._phases]
        if len(set(keys)) != len(keys):
            raise ValueError(f"phase keys must be unique: {keys}")
        if warning_seconds is not None and warning_seconds < 0:
            raise ValueError("warning_seconds cannot be negative")
        self._now = now
        self._wall = wall
        self._warning_override = warning_seconds
        self._status = Status.READY
        self._index = 0
        self._planned = [p.planned_seconds for p in self._phases]
        # Per phase: running time of closed segments. The open segment (while running) is
        # measured from _run_mono, in this process only, so a wall clock change cannot move it.
        self._elapsed = [0.0] * len(self._phases)
        self._run_mono: float | None = None
        self._events: list[PhaseEvent] = []

    # ---- reading ---------------------------------------------------------------------------

    @property
    def phases(self) -> tuple[PhaseSpec, ...]:
        return self._phases

    @property
    def status(self) -> Status:
        return self._status

    @property
    def phase_index(self) -> int:
        return self._index

    @property
    def events(self) -> tuple[PhaseEvent, ...]:
        return tuple(self._events)

    def phase_elapsed(self, index: int) -> float:
        """Running time spent in phase ``index`` so far, over all its visits."""
        return self._phase_elapsed(index, self._now())

    def _phase_elapsed(self, index: int, mono: float) -> float:
        total = self._elapsed[index]
        if self._run_mono is not None and index == self._index:
            total += max(0.0, mono - self._run_mono)  # monotonic, but a fake may misbehave
        return total

    def view(self) -> ClockView:
        spec = self._phases[self._index]
        planned = self._planned[self._index]
        elapsed = self._phase_elapsed(self._index, self._now())
        remaining = planned - elapsed
        threshold = warning_threshold(planned, self._warning_override)

        if self._status in (Status.READY, Status.FINISHED):
            tone = Tone.NORMAL
        elif remaining <= 0:
            tone = Tone.OVERTIME
        elif remaining <= threshold:
            tone = Tone.WARNING
        else:
            tone = Tone.NORMAL

        if remaining > 0:
            text = _clock_face(_countdown_seconds(remaining))
        else:
            text = "+" + _clock_face(_overtime_seconds(remaining))

        return ClockView(
            status=self._status,
            phase_index=self._index,
            phase_count=len(self._phases),
            phase_key=spec.key,
            phase_title=spec.title,
            planned_seconds=planned,
            elapsed_seconds=elapsed,
            remaining_seconds=remaining,
            warning_seconds=threshold,
            tone=tone,
            text=text,
            state_label=self._state_label(tone, remaining),
        )

    def _state_label(self, tone: Tone, remaining: float) -> str:
        if self._status is Status.READY:
            return "Ready"
        if self._status is Status.FINISHED:
            return "Finished"
        left = format_duration(_countdown_seconds(remaining))
        over = format_duration(_overtime_seconds(remaining))
        if self._status is Status.PAUSED:
            if tone is Tone.OVERTIME:
                return f"Paused — overtime +{over}"
            if tone is Tone.WARNING:
                return f"Paused — warning, {left} left"
            return "Paused"
        if tone is Tone.OVERTIME:
            return f"Overtime +{over}"
        if tone is Tone.WARNING:
            return f"Warning — {left} left"
        return "Running"

    def summary(self) -> list[PhaseSummary]:
        """Planned vs actual for every phase (phases never reached show 0 actual)."""
        mono = self._now()
        result = []
        for i, spec in enumerate(self._phases):
            actual = self._phase_elapsed(i, mono)
            result.append(
                PhaseSummary(
                    key=spec.key,
                    title=spec.title,
                    planned_seconds=spec.planned_seconds,
                    adjusted_planned_seconds=self._planned[i],
                    actual_seconds=actual,
                    overran=actual - self._planned[i] >= 1,
                )
            )
        return result

    # ---- transitions -----------------------------------------------------------------------

    def start(self) -> None:
        self._require("start", Status.READY)
        mono, wall = self._stamp()
        self._status = Status.RUNNING
        self._run_mono = mono
        self._log(EventKind.START, mono, wall)

    def pause(self) -> None:
        self._require("pause", Status.RUNNING)
        mono, wall = self._stamp()
        self._close_segment(mono)
        self._status = Status.PAUSED
        self._log(EventKind.PAUSE, mono, wall)

    def resume(self) -> None:
        self._require("resume", Status.PAUSED)
        mono, wall = self._stamp()
        self._status = Status.RUNNING
        self._run_mono = mono
        self._log(EventKind.RESUME, mono, wall)

    def toggle(self) -> None:
        """The Space key: start when ready, pause when running, resume when paused."""
        if self._status is Status.READY:
            self.start()
        elif self._status is Status.RUNNING:
            self.pause()
        elif self._status is Status.PAUSED:
            self.resume()
        else:
            raise ClockError("The round is finished: the clock cannot be started again.")

    def adjust(self, seconds: int) -> int:
        """Lengthen (+) or shorten (−) the current phase for this run; returns the change made."""
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise TypeError("adjust() takes whole seconds")
        self._require("adjust", Status.READY, Status.RUNNING, Status.PAUSED)
        mono, wall = self._stamp()
        planned = self._planned[self._index]
        spent = math.ceil(self._phase_elapsed(self._index, mono))
        floor = min(planned, spent)  # never below time spent, and never shorten in overtime
        new_planned = max(planned + seconds, floor, 0)
        applied = new_planned - planned
        if applied:
            self._planned[self._index] = new_planned
            self._log(EventKind.ADJUST, mono, wall, applied)
        return applied

    def next(self) -> None:
        """Go to the next phase, keeping ready/running/paused; after the last phase, finish.

        From ready too: the trainer may skip a phase the room is not doing before starting."""
        self._require("go to the next phase", Status.READY, Status.RUNNING, Status.PAUSED)
        if self._index == len(self._phases) - 1:
            self.finish()
            return
        mono, wall = self._stamp()
        self._switch_to(self._index + 1, mono)
        self._log(EventKind.NEXT, mono, wall)

    def back(self) -> None:
        """Return to the previous phase with the time it had; from finished, reopen (paused)."""
        mono, wall = self._stamp()
        if self._status is Status.FINISHED:
            self._status = Status.PAUSED
            self._log(EventKind.BACK, mono, wall)
            return
        self._require("go back", Status.READY, Status.RUNNING, Status.PAUSED)
        if self._index == 0:
            raise ClockError("This is the first phase: there is no phase to go back to.")
        self._switch_to(self._index - 1, mono)
        self._log(EventKind.BACK, mono, wall)

    def finish(self) -> None:
        self._require("finish", Status.READY, Status.RUNNING, Status.PAUSED)
        mono, wall = self._stamp()
        self._close_segment(mono)
        self._status = Status.FINISHED
        self._log(EventKind.FINISH, mono, wall)

    # ---- persistence -----------------------------------------------------------------------

    def to_state(self) -> ClockState:
        """A snapshot to save. Taken at a transition, it stays valid until the next one."""
        mono, wall = self._stamp()
        elapsed = list(self._elapsed)
        anchor: float | None = None
        if self._status is Status.RUNNING:
            # Re-anchor on the wall clock now, with the elapsed time measured monotonically,
            # so a wall clock change earlier in this process does not leak into the state.
            elapsed[self._index] = self._phase_elapsed(self._index, mono)
            anchor = wall
        return ClockState(
            phase_keys=[p.key for p in self._phases],
            status=self._status,
            phase_index=self._index,
            planned_seconds=list(self._planned),
            elapsed_before_run=elapsed,
            running_since_wall=anchor,
            warning_seconds=self._warning_override,
            events=list(self._events),
        )

    @classmethod
    def from_state(
        cls,
        state: ClockState,
        phases: Sequence[PhaseSpec],
        now: Clock = time.monotonic,
        wall: Clock = time.time,
    ) -> PhaseClock:
        """Rebuild a saved clock; a running one includes the time the app was not running."""
        clock = cls(phases, now=now, wall=wall, warning_seconds=state.warning_seconds)
        keys = [p.key for p in clock._phases]
        if keys != state.phase_keys:
            raise ValueError(
                f"saved clock is for phases {state.phase_keys}, not {keys}: cannot resume it"
            )
        clock._status = state.status
        clock._index = state.phase_index
        clock._planned = list(state.planned_seconds)
        clock._elapsed = state.elapsed_at(clock._wall())
        clock._events = list(state.events)
        if state.running_since_wall is not None:
            clock._run_mono = clock._now()
        return clock

    # ---- internals -------------------------------------------------------------------------

    def _stamp(self) -> tuple[float, float]:
        return self._now(), self._wall()

    def _require(self, action: str, *allowed: Status) -> None:
        if self._status not in allowed:
            raise ClockError(f"Cannot {action}: the clock is {self._status.value}.")

    def _close_segment(self, mono: float) -> None:
        if self._run_mono is not None:
            self._elapsed[self._index] = self._phase_elapsed(self._index, mono)
            self._run_mono = None

    def _switch_to(self, index: int, mono: float) -> None:
        was_running = self._status is Status.RUNNING
        self._close_segment(mono)
        self._index = index
        if was_running:
            self._run_mono = mono

    def _log(self, kind: EventKind, mono: float, wall: float, delta: int | None = None) -> None:
        self._events.append(
            PhaseEvent(
                kind=kind, phase_index=self._index, at_mono=mono, at_wall=wall, delta_seconds=delta
            )
        )


# ---- 90-second review drill (Module 6.2) ----------------------------------------------------

DRILL_BENCHMARK_SECONDS = 90
# Each mark ends a stage: 0:00-0:10, 0:10-0:30, 0:30-0:50, 0:50-1:30 (the benchmark).
DRILL_MARKS: tuple[int, ...] = (10, 30, 50, 90)
DRILL_STAGE_LABELS: tuple[str, ...] = (
    "Initial assessment",
    "Deep review",
    "Decision application",
    "Execute decision",
)


@dataclass(frozen=True)
class DrillMark:
    seconds: int  # when the stage named by ``label`` should be done
    label: str
    reached: bool


@dataclass(frozen=True)
class DrillStage:
    index: int
    label: str
    start_seconds: int
    end_seconds: int


def drill_marks(elapsed_seconds: float) -> list[DrillMark]:
    return [
        DrillMark(seconds=s, label=label, reached=elapsed_seconds >= s)
        for s, label in zip(DRILL_MARKS, DRILL_STAGE_LABELS, strict=True)
    ]


def current_drill_stage(elapsed_seconds: float) -> DrillStage | None:
    """The stage the drill is in, or None once the 90-second benchmark is reached."""
    start = 0
    for i, (end, label) in enumerate(zip(DRILL_MARKS, DRILL_STAGE_LABELS, strict=True)):
        if elapsed_seconds < end:
            return DrillStage(index=i, label=label, start_seconds=start, end_seconds=end)
        start = end
    return None


def compare_to_benchmark(decision_seconds: float, benchmark: int = DRILL_BENCHMARK_SECONDS) -> str:
    """E.g. "Decided in 1:12 — 18 s under the 90-second benchmark"."""
    if not math.isfinite(decision_seconds) or decision_seconds < 0:
        raise ValueError("decision time must be a non-negative number of seconds")
    if benchmark <= 0:
        raise ValueError("the benchmark must be positive")
    # Round once, half up, so the shown time and the difference always agree.
    taken = math.floor(decision_seconds + 0.5)
    head = f"Decided in {format_duration(taken)} — "
    tail = f"the {benchmark}-second benchmark"
    if taken < benchmark:
        return f"{head}{benchmark - taken} s under {tail}"
    if taken > benchmark:
        return f"{head}{taken - benchmark} s over {tail}"
    return f"{head}exactly on {tail}"
