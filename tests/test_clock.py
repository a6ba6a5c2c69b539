"""The phase clock, driven by a hand-moved fake clock (no sleeping)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hotdash_roleplay.clock import (
    DRILL_MARKS,
    ClockError,
    ClockState,
    DrillStage,
    PhaseClock,
    PhaseSpec,
    Status,
    Tone,
    compare_to_benchmark,
    current_drill_stage,
    drill_marks,
    format_duration,
    warning_threshold,
)
from hotdash_roleplay.errors import UserError
from tests.conftest import FakeClock

PHASES = [
    PhaseSpec("brief", "Brief", 120),
    PhaseSpec("roleplay", "Role-play", 480),
    PhaseSpec("decision", "Decision", 120),
    PhaseSpec("feedback", "Observer feedback", 180),
    PhaseSpec("debrief", "Debrief", 300),
]


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


def make(fake: FakeClock, phases: list[PhaseSpec] | None = None, **kw: int) -> PhaseClock:
    return PhaseClock(phases or PHASES, now=fake.now, wall=fake.wall, **kw)


def kinds(clock: PhaseClock) -> list[str]:
    return [e.kind for e in clock.events]


# ---- start, pause, resume, toggle ---------------------------------------------------------------


def test_ready_view(fake: FakeClock) -> None:
    v = make(fake).view()
    assert (v.status, v.phase_index, v.phase_key, v.phase_title) == ("ready", 0, "brief", "Brief")
    assert v.phase_count == 5
    assert v.planned_seconds == 120 and v.elapsed_seconds == 0 and v.remaining_seconds == 120
    assert (v.tone, v.text, v.state_label) == (Tone.NORMAL, "02:00", "Ready")


def test_start_runs_phase_zero_and_counts_down(fake: FakeClock) -> None:
    clock = make(fake)
    fake.advance(5)  # time before start does not count
    clock.start()
    fake.advance(1)
    v = clock.view()
    assert v.status is Status.RUNNING and v.phase_index == 0
    assert v.elapsed_seconds == 1 and v.remaining_seconds == 119
    assert (v.text, v.state_label) == ("01:59", "Running")


def test_countdown_rounds_up_so_zero_is_never_shown_early(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(0.5)
    assert clock.view().text == "02:00"
    fake.advance(119.2)  # 0.3 s left
    assert clock.view().text == "00:01"


def test_pauses_are_excluded_from_elapsed(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(30)
    clock.pause()
    fake.advance(600)
    v = clock.view()
    assert v.status is Status.PAUSED and v.elapsed_seconds == 30
    assert (v.text, v.state_label) == ("01:30", "Paused")
    clock.resume()
    fake.advance(10)
    assert clock.view().elapsed_seconds == 40
    assert kinds(clock) == ["start", "pause", "resume"]


def test_toggle_is_start_pause_resume(fake: FakeClock) -> None:
    clock = make(fake)
    clock.toggle()
    assert clock.status is Status.RUNNING
    clock.toggle()
    assert clock.status is Status.PAUSED
    clock.toggle()
    assert clock.status is Status.RUNNING
    assert kinds(clock) == ["start", "pause", "resume"]
    clock.finish()
    with pytest.raises(ClockError, match="finished"):
        clock.toggle()


def test_skip_before_starting_moves_the_phase_and_keeps_the_clock_ready(fake: FakeClock) -> None:
    """A phase the room is not doing can be skipped before the clock is started."""
    clock = make(fake)
    fake.advance(30)
    clock.next()
    view = clock.view()
    assert (view.status, view.phase_key, view.elapsed_seconds) == (Status.READY, "roleplay", 0)
    assert view.text == "08:00"
    clock.back()
    assert (clock.status, clock.phase_index) == (Status.READY, 0)
    clock.next()
    clock.start()
    fake.advance(10)
    assert clock.view().phase_key == "roleplay" and clock.view().elapsed_seconds == 10
    assert clock.summary()[0].actual_seconds == 0  # the skipped phase never ran
    for _ in range(4):
        clock.next()
    assert clock.status is Status.FINISHED


def test_skip_through_every_phase_before_starting_finishes_the_round(fake: FakeClock) -> None:
    clock = make(fake)
    for _ in PHASES:
        clock.next()
    assert clock.status is Status.FINISHED
    assert all(p.actual_seconds == 0 for p in clock.summary())


# ---- invalid transitions raise a clear ClockError (a ValueError) and change nothing ----------


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ([], "pause", "Cannot pause: the clock is ready"),
        ([], "resume", "Cannot resume: the clock is ready"),
        ([], "back", "first phase"),
        (["start"], "start", "Cannot start: the clock is running"),
        (["start"], "resume", "Cannot resume: the clock is running"),
        (["start"], "back", "first phase"),
        (["start", "pause"], "pause", "Cannot pause: the clock is paused"),
        (["finish"], "finish", "Cannot finish: the clock is finished"),
        (["finish"], "start", "Cannot start: the clock is finished"),
        (["finish"], "next", "Cannot go to the next phase: the clock is finished"),
    ],
)
def test_invalid_transitions_raise(
    fake: FakeClock, setup: list[str], action: str, message: str
) -> None:
    clock = make(fake)
    for step in setup:
        getattr(clock, step)()
    before_events, before_view = clock.events, clock.view()
    with pytest.raises(ClockError, match=message) as info:
        getattr(clock, action)()
    assert isinstance(info.value, ValueError) and isinstance(info.value, UserError)
    assert clock.events == before_events and clock.view() == before_view


def test_adjust_when_finished_raises_and_bad_type_is_refused(fake: FakeClock) -> None:
    clock = make(fake)
    with pytest.raises(TypeError):
        clock.adjust(1.5)  # type: ignore[arg-type]
    clock.finish()
    with pytest.raises(ClockError):
        clock.adjust(60)


# ---- adjust -----------------------------------------------------------------------------------


def test_adjust_plus_and_minus_a_minute(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100)
    assert clock.adjust(60) == 60
    v = clock.view()
    assert v.planned_seconds == 180 and v.remaining_seconds == 80 and v.text == "01:20"
    assert clock.adjust(-60) == -60
    assert clock.view().planned_seconds == 120
    events = [e for e in clock.events if e.kind == "adjust"]
    assert [e.delta_seconds for e in events] == [60, -60]
    assert all(e.phase_index == 0 for e in events)


def test_adjust_cannot_cut_below_time_spent(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100)  # 20 s left
    assert clock.adjust(-60) == -20  # clamped: nothing left, not negative
    v = clock.view()
    assert v.planned_seconds == 100 and v.remaining_seconds == 0 and v.tone is Tone.OVERTIME
    assert clock.events[-1].delta_seconds == -20


def test_adjust_clamps_to_whole_seconds_spent(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100.4)
    assert clock.adjust(-60) == -19  # planned 101: the 0.6 s left is shown as 00:01
    assert clock.view().text == "00:01"


def test_adjust_in_overtime_cannot_shorten_but_can_lengthen(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(150)  # 30 s over
    n_events = len(clock.events)
    assert clock.adjust(-60) == 0
    assert clock.view().planned_seconds == 120
    assert len(clock.events) == n_events  # a change of nothing is not logged
    assert clock.adjust(60) == 60
    v = clock.view()
    assert v.remaining_seconds == 30 and v.tone is Tone.WARNING


def test_adjust_before_start_and_while_paused(fake: FakeClock) -> None:
    clock = make(fake)
    assert clock.adjust(-60) == -60
    assert clock.adjust(-60) == -60
    assert clock.adjust(-60) == 0  # planned never below 0
    assert clock.view().planned_seconds == 0
    assert clock.adjust(60) == 60
    clock.start()
    fake.advance(10)
    clock.pause()
    assert clock.adjust(60) == 60
    assert clock.view().remaining_seconds == 110


def test_adjust_is_per_phase(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    clock.adjust(60)
    clock.next()
    assert clock.view().planned_seconds == 480
    clock.back()
    assert clock.view().planned_seconds == 180


# ---- tone and text ----------------------------------------------------------------------------


def test_warning_threshold_rule() -> None:
    assert warning_threshold(480) == 60
    assert warning_threshold(300) == 60
    assert warning_threshold(240) == 60
    assert warning_threshold(239) == 59
    assert warning_threshold(180) == 45
    assert warning_threshold(120) == 30
    assert warning_threshold(20) == 10  # never below 10 s
    assert warning_threshold(0) == 10
    assert warning_threshold(480, override=15) == 15


def test_tone_boundaries_normal_warning_overtime(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    clock.next()  # role-play, 480 s, warning at 60 s
    fake.advance(419.5)
    v = clock.view()
    assert (v.tone, v.text, v.state_label) == (Tone.NORMAL, "01:01", "Running")
    fake.advance(0.5)  # exactly 60 s left
    v = clock.view()
    assert (v.tone, v.text, v.state_label) == (Tone.WARNING, "01:00", "Warning — 1:00 left")
    fake.advance(15)
    assert clock.view().state_label == "Warning — 0:45 left"
    fake.advance(44.5)
    assert (clock.view().tone, clock.view().text) == (Tone.WARNING, "00:01")
    fake.advance(0.5)  # nothing left
    v = clock.view()
    assert (v.tone, v.text, v.remaining_seconds) == (Tone.OVERTIME, "+00:00", 0)
    assert v.state_label == "Overtime +0:00"
    fake.advance(5)
    v = clock.view()
    assert (v.tone, v.text, v.remaining_seconds) == (Tone.OVERTIME, "+00:05", -5)
    fake.advance(67)
    assert (clock.view().text, clock.view().state_label) == ("+01:12", "Overtime +1:12")


def test_short_phase_warns_at_a_quarter(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()  # brief, 120 s: warning at 30 s
    fake.advance(89)
    assert clock.view().tone is Tone.NORMAL
    fake.advance(1)
    assert clock.view().tone is Tone.WARNING
    assert clock.view().warning_seconds == 30


def test_warning_override(fake: FakeClock) -> None:
    clock = make(fake, warning_seconds=5)
    clock.start()
    fake.advance(114)
    assert clock.view().tone is Tone.NORMAL
    fake.advance(1)
    assert clock.view().tone is Tone.WARNING
    with pytest.raises(ValueError, match="negative"):
        make(fake, warning_seconds=-1)


def test_paused_labels_still_say_warning_and_overtime(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100)
    clock.pause()
    v = clock.view()
    assert (v.tone, v.state_label) == (Tone.WARNING, "Paused — warning, 0:20 left")
    clock.resume()
    fake.advance(45)
    clock.pause()
    v = clock.view()
    assert (v.tone, v.text, v.state_label) == (Tone.OVERTIME, "+00:25", "Paused — overtime +0:25")


def test_text_shows_hours_for_long_phases(fake: FakeClock) -> None:
    clock = make(fake, [PhaseSpec("long", "Long", 2 * 3600)])
    assert clock.view().text == "2:00:00"
    clock.start()
    fake.advance(3600 + 1)
    assert clock.view().text == "59:59"
    fake.advance(3600 + 3723 - 1)
    assert clock.view().text == "+1:02:03"


def test_format_duration() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(5) == "0:05"
    assert format_duration(72) == "1:12"
    assert format_duration(72.9) == "1:12"
    assert format_duration(725) == "12:05"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(-72) == "-1:12"


# ---- next, back, finish -----------------------------------------------------------------------


def test_next_and_back_keep_each_phases_time(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(70)
    clock.next()
    v = clock.view()
    assert (v.phase_key, v.elapsed_seconds, v.status) == ("roleplay", 0, Status.RUNNING)
    fake.advance(200)
    clock.back()
    v = clock.view()
    assert (v.phase_key, v.elapsed_seconds, v.text) == ("brief", 70, "00:50")  # not a reset
    fake.advance(10)
    clock.next()
    assert clock.view().elapsed_seconds == 200  # role-play resumes where it was left
    fake.advance(5)
    assert clock.view().elapsed_seconds == 205
    assert clock.phase_elapsed(0) == 80


def test_next_and_back_keep_paused(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(20)
    clock.pause()
    clock.next()
    fake.advance(50)
    v = clock.view()
    assert (v.status, v.phase_index, v.elapsed_seconds) == (Status.PAUSED, 1, 0)
    clock.back()
    assert (clock.view().phase_index, clock.view().elapsed_seconds) == (0, 20)


def test_next_after_last_phase_finishes(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    for _ in range(4):
        clock.next()
    assert clock.view().phase_key == "debrief"
    fake.advance(30)
    clock.next()
    v = clock.view()
    assert (v.status, v.phase_index, v.state_label, v.tone) == (
        Status.FINISHED,
        4,
        "Finished",
        Tone.NORMAL,
    )
    fake.advance(100)
    assert clock.view().elapsed_seconds == 30  # frozen
    assert kinds(clock)[-1] == "finish"


def test_back_from_finished_reopens_paused(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(40)
    clock.finish()
    fake.advance(100)
    clock.back()
    v = clock.view()
    assert (v.status, v.phase_index, v.elapsed_seconds) == (Status.PAUSED, 0, 40)
    clock.resume()
    fake.advance(1)
    assert clock.view().elapsed_seconds == 41


def test_finish_from_ready_and_paused(fake: FakeClock) -> None:
    clock = make(fake)
    clock.finish()
    assert clock.status is Status.FINISHED
    clock = make(fake)
    clock.start()
    fake.advance(3)
    clock.pause()
    clock.finish()
    assert clock.view().elapsed_seconds == 3


# ---- event log and summary --------------------------------------------------------------------


def test_event_log_records_every_transition(fake: FakeClock) -> None:
    clock = make(fake)
    t0_mono, t0_wall = fake.mono, fake.wall_time
    clock.start()
    fake.advance(10)
    clock.pause()
    fake.advance(5)
    clock.resume()
    clock.adjust(60)
    fake.advance(1)
    clock.next()
    clock.back()
    clock.finish()
    got = [
        (e.kind, e.phase_index, e.at_mono - t0_mono, e.at_wall - t0_wall, e.delta_seconds)
        for e in clock.events
    ]
    assert got == [
        ("start", 0, 0, 0, None),
        ("pause", 0, 10, 10, None),
        ("resume", 0, 15, 15, None),
        ("adjust", 0, 15, 15, 60),
        ("next", 1, 16, 16, None),
        ("back", 0, 16, 16, None),
        ("finish", 0, 16, 16, None),
    ]
    events = clock.events
    assert isinstance(events, tuple)  # a copy: callers cannot rewrite the log


def test_summary_planned_vs_actual_with_revisits(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100)
    clock.next()  # role-play
    clock.adjust(60)
    fake.advance(300)
    clock.pause()
    fake.advance(1000)  # excluded
    clock.resume()
    fake.advance(100)
    clock.back()  # brief again: 100 + 50 = 150 > 120
    fake.advance(50)
    clock.next()
    fake.advance(250)  # role-play: 300 + 100 + 250 = 650 > 540
    clock.next()  # decision
    fake.advance(60)
    rows = {r.key: r for r in clock.summary()}  # live: includes the running segment
    assert [r.key for r in clock.summary()] == [p.key for p in PHASES]
    assert (rows["brief"].planned_seconds, rows["brief"].actual_seconds) == (120, 150)
    assert rows["brief"].overran
    rp = rows["roleplay"]
    assert (rp.title, rp.planned_seconds, rp.adjusted_planned_seconds, rp.actual_seconds) == (
        "Role-play",
        480,
        540,
        650,
    )
    assert rp.overran
    assert (rows["decision"].actual_seconds, rows["decision"].overran) == (60, False)
    assert (rows["debrief"].actual_seconds, rows["debrief"].overran) == (0, False)


def test_summary_exactly_on_plan_is_not_overrun(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(120)
    clock.finish()
    assert clock.summary()[0].overran is False


# ---- persistence ------------------------------------------------------------------------------


def test_state_round_trip_mid_run_in_the_same_moment(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(100)
    clock.next()
    clock.adjust(-60)
    fake.advance(42.5)
    state = ClockState.model_validate_json(clock.to_state().model_dump_json())
    restored = PhaseClock.from_state(state, PHASES, now=fake.now, wall=fake.wall)
    assert restored.view() == clock.view()
    assert restored.events == clock.events
    assert restored.summary() == clock.summary()
    fake.advance(10)
    assert restored.view() == clock.view()


def test_state_round_trip_mid_pause_is_exact(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(33.25)
    clock.pause()
    state = clock.to_state()
    assert state.running_since_wall is None
    assert state.elapsed_before_run[0] == 33.25
    later = FakeClock(mono=5.0, wall=fake.wall_time + 86_400)  # new process, a day later
    restored = PhaseClock.from_state(state, PHASES, now=later.now, wall=later.wall)
    v = restored.view()
    assert (v.status, v.elapsed_seconds, v.phase_index) == (Status.PAUSED, 33.25, 0)
    restored.resume()
    later.advance(2)
    assert restored.view().elapsed_seconds == 35.25


def test_restart_in_a_new_process_bridges_the_gap_with_the_wall_clock(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(20)
    clock.next()
    saved = clock.to_state().model_dump_json()  # saved at the transition only
    fake.advance(50)  # still running when the app is killed, nothing saved since
    # New process: its monotonic clock starts near zero, the wall clock moved on 37 s more.
    reboot = FakeClock(mono=3.0, wall=fake.wall_time + 37)
    restored = PhaseClock.from_state(
        ClockState.model_validate_json(saved), PHASES, now=reboot.now, wall=reboot.wall
    )
    v = restored.view()
    assert (v.status, v.phase_key) == (Status.RUNNING, "roleplay")
    assert v.elapsed_seconds == 50 + 37
    reboot.advance(3)
    assert restored.view().elapsed_seconds == 90
    assert restored.phase_elapsed(0) == 20
    restored.pause()
    assert restored.events[-1].kind == "pause"
    assert [e.kind for e in restored.events] == ["start", "next", "pause"]


def test_restore_with_wall_clock_set_back_counts_no_time(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(10)
    state = clock.to_state()
    reboot = FakeClock(mono=1.0, wall=fake.wall_time - 3600)
    restored = PhaseClock.from_state(state, PHASES, now=reboot.now, wall=reboot.wall)
    assert restored.view().elapsed_seconds == 10


def test_wall_clock_jump_within_a_process_does_not_drift(fake: FakeClock) -> None:
    clock = make(fake)
    clock.start()
    fake.advance(10)
    fake.wall_time += 3600  # NTP or the user sets the clock
    fake.advance(5)
    assert clock.view().elapsed_seconds == 15
    fake.wall_time -= 7200
    assert clock.view().elapsed_seconds == 15
    # A state taken after the jump is anchored on the monotonic reading, not the jump.
    state = clock.to_state()
    assert state.elapsed_before_run[0] == 15
    reboot = FakeClock(mono=0.0, wall=fake.wall_time + 4)
    assert (
        PhaseClock.from_state(state, PHASES, now=reboot.now, wall=reboot.wall)
        .view()
        .elapsed_seconds
        == 19
    )


def test_state_is_json_and_strict(fake: FakeClock) -> None:
    clock = make(fake, warning_seconds=20)
    clock.start()
    data = clock.to_state().model_dump(mode="json")
    assert data["status"] == "running" and data["warning_seconds"] == 20
    with pytest.raises(ValidationError):
        ClockState.model_validate({**data, "surprise": 1})
    with pytest.raises(ValidationError, match="running_since_wall"):
        ClockState.model_validate({**data, "running_since_wall": None})
    with pytest.raises(ValidationError, match="one entry per phase"):
        ClockState.model_validate({**data, "planned_seconds": [1]})
    with pytest.raises(ValidationError):
        ClockState.model_validate({**data, "phase_index": 9})
    restored = PhaseClock.from_state(
        ClockState.model_validate(data), PHASES, now=fake.now, wall=fake.wall
    )
    assert restored.view().warning_seconds == 20


def test_state_for_other_phases_is_refused(fake: FakeClock) -> None:
    state = make(fake).to_state()
    with pytest.raises(ValueError, match="cannot resume"):
        PhaseClock.from_state(state, PHASES[:3], now=fake.now, wall=fake.wall)


def test_bad_phase_lists_are_refused(fake: FakeClock) -> None:
    with pytest.raises(ValueError, match="at least one"):
        PhaseClock([], now=fake.now, wall=fake.wall)
    with pytest.raises(ValueError, match="unique"):
        make(fake, [PhaseSpec("a", "A", 1), PhaseSpec("a", "B", 1)])
    with pytest.raises(ValueError, match="negative"):
        PhaseSpec("a", "A", -1)


# ---- 90-second review drill -------------------------------------------------------------------


def test_drill_marks() -> None:
    assert DRILL_MARKS == (10, 30, 50, 90)
    marks = drill_marks(30)
    assert [(m.seconds, m.label, m.reached) for m in marks] == [
        (10, "Initial assessment", True),
        (30, "Deep review", True),
        (50, "Decision application", False),
        (90, "Execute decision", False),
    ]
    assert not any(m.reached for m in drill_marks(9.9))
    assert all(m.reached for m in drill_marks(90))


def test_current_drill_stage() -> None:
    assert current_drill_stage(0) == DrillStage(0, "Initial assessment", 0, 10)
    assert current_drill_stage(10) == DrillStage(1, "Deep review", 10, 30)
    assert current_drill_stage(49.9) == DrillStage(2, "Decision application", 30, 50)
    assert current_drill_stage(89) == DrillStage(3, "Execute decision", 50, 90)
    assert current_drill_stage(90) is None  # benchmark reached


def test_compare_to_benchmark() -> None:
    assert compare_to_benchmark(72) == "Decided in 1:12 — 18 s under the 90-second benchmark"
    assert compare_to_benchmark(115) == "Decided in 1:55 — 25 s over the 90-second benchmark"
    assert compare_to_benchmark(90.2) == "Decided in 1:30 — exactly on the 90-second benchmark"
    assert compare_to_benchmark(71.5) == "Decided in 1:12 — 18 s under the 90-second benchmark"
    assert compare_to_benchmark(50, benchmark=60) == (
        "Decided in 0:50 — 10 s under the 60-second benchmark"
    )
    with pytest.raises(ValueError):
        compare_to_benchmark(-1)
    with pytest.raises(ValueError):
        compare_to_benchmark(10, benchmark=0)


def test_saved_time_counts_while_running_and_never_while_paused(fake_clock: FakeClock) -> None:
    clock = make(fake_clock)
    clock.start()
    fake_clock.advance(40)
    running = clock.to_state()
    clock.pause()
    paused = clock.to_state()
    later = fake_clock.wall_time + 600  # the app was down ten minutes
    # A crash does not stop the room's clock; a pause the trainer chose does.
    assert running.elapsed_at(later)[0] == 640
    assert paused.elapsed_at(later)[0] == 40
    assert running.elapsed_at(fake_clock.wall_time - 3600)[0] == 40  # clock set back: no time
    restored = PhaseClock.from_state(paused, PHASES, now=fake_clock.now, wall=lambda: later)
    assert restored.view().elapsed_seconds == 40 and restored.status is Status.PAUSED
