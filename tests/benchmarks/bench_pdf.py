"""Debrief PDF for 4 rounds × 3 observers (bar <= 0.3 s) and 12 people × 12 rounds (bar <= 1 s),
and a peer-review record over 200 rounds (docs/architecture.md, "Quality bars").

    python3 tests/benchmarks/bench_pdf.py

Sessions are played through the services as the console plays them (clock, decision, every
observer's checklist, debrief notes), on a fake clock. "4x4 with 3 observers a round" needs six
people (three seats are Operator, AI System and Facilitator), so that session has 6 people and
4 rounds. Times are the median of several warm exports (fonts registered, reportlab imported:
the app pays that once per run); the first, cold export is printed too."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import RejectionNote
from hotdash_roleplay.services import Services, open_services

NAMES = (
    "Zoë Ødegård", "Đorđe Petrović", "Юлия Смирнова", "Ξανθή Παπαδάκη", "Marcus Reed",
    "Priya Nair", "李雷", "Ana Souza", "Jonas Berg", "Fatima Zahra", "Liam O'Neill", "Mei Tanaka",
)  # fmt: skip
GROUP = ("Ingrid Holm", "Tomás Ruiz", "Olena Koval", "Kwame Mensah")
PHASE_SECONDS = (130, 515, 95, 170, 330)  # a little over the plan now and then
DECISIONS = (Decision.REJECT, Decision.ESCALATE, Decision.APPROVE, Decision.EDIT_APPROVE)


class FakeClock:
    def __init__(self) -> None:
        self.mono, self.wall_time = 1000.0, 1_790_000_000.0

    def now(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.wall_time

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall_time += seconds


def play_session(
    services: Services, clock: FakeClock, people: list[str], rounds: int, title: str
) -> int:
    """A session played to the end: every phase timed, a decision, every observer's checklist,
    debrief notes, takeaways and actions."""
    plan = "module4-practice"
    rotation = services.sessions.preview(plan, people, rounds=rounds)
    detail = services.sessions.create_session(
        plan, people, trainer="Alex Morgan", title=title, rotation=rotation
    )
    keys = [c.key for c in services.checklist.criteria]
    live = services.live(detail.id)
    for n in range(rounds):
        rnd = live.round
        assert rnd is not None
        live.toggle()
        for phase, seconds in enumerate(PHASE_SECONDS):
            clock.advance(seconds + (n * 7 + phase * 13) % 40)
            if phase == 2:
                _decide(services, rnd.id, n, live.decision_seconds())
            if phase == 3:
                for i, observer in enumerate(rnd.observers):
                    marks = {
                        k: Mark.NOT_MET if (i + j + n) % 5 == 0 else Mark.MET
                        for j, k in enumerate(keys)
                    }
                    services.feedback.submit(
                        rnd.id,
                        observer,
                        ChecklistAnswers(
                            marks=marks,
                            notes={keys[0]: "Checked the order date against the policy."},
                            went_well=[
                                "Acknowledged the customer's frustration before the policy.",
                                "Verified the facts in the order history first.",
                            ],
                            could_improve=["Offer the alternative earlier in the reply."],
                        ),
                    )
            if phase == 4:
                services.debrief.set_question_note(
                    rnd.id, 0, "The room agreed the policy allows a goodwill exception here."
                )
                services.debrief.set_takeaways(rnd.id, ["Verify facts before deciding."])
                services.debrief.set_actions(rnd.id, ["Share the exception guideline."])
            if phase < len(PHASE_SECONDS) - 1:
                live.next_phase()
        live.next_round()
    return detail.id


def _decide(services: Services, round_id: int, n: int, seconds: float) -> None:
    choice = DECISIONS[n % len(DECISIONS)]
    if choice is Decision.ESCALATE:
        choice = Decision.REJECT  # an escalation note needs more fields than a bench needs
    services.decisions.record(
        round_id,
        choice,
        final_reply="Thanks for your patience: here is what we can do." if n % 4 == 3 else "",
        rejection_note=RejectionNote(
            customer_question="Can I get a refund after 45 days?",
            ai_response="Refunds are only possible within 30 days.",
            problem="The draft ignores the defect the customer reports.",
        )
        if choice is Decision.REJECT
        else None,
        seconds_to_decide=seconds,
    )


def _timed(action: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(first run, median of the following runs, their median CPU time) in seconds. CPU time
    is printed too: on a busy machine wall time also counts other processes' turns."""
    walls, cpus = [], []
    for _ in range(repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls[0], statistics.median(walls[1:]), statistics.median(cpus[1:])


def _line(label: str, timing: tuple[float, float, float], bar: float | None) -> str:
    first, median, cpu = timing
    verdict = "" if bar is None else f" (bar <= {bar:g} s) {'OK' if median <= bar else 'OVER'}"
    return f"{label}: {median:.2f} s{verdict} [cpu {cpu:.2f} s, first export {first:.2f} s]"


def main() -> None:

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clock = FakeClock()
        services = open_services(data_dir=folder / "data")
        services.now, services.wall = clock.now, clock.wall
        started = time.perf_counter()
        small = play_session(services, clock, list(NAMES[:6]), 4, "Bench 4x4")
        big = play_session(services, clock, list(NAMES), 12, "Bench 12x12")
        # 50 sessions of 4 people × 4 rounds: 200 rounds for each of them. One is played, the
        # other 49 are copies of it brought in by the session import (a new uid each).
        record = play_session(services, clock, list(GROUP), 4, "Bench record 1")
        source = folder / "record.json"
        services.session_data.export(record, source)
        data = json.loads(source.read_text(encoding="utf-8"))
        for i in range(2, 51):
            data["session"]["uid"] = f"bench-record-{i}"
            data["session"]["title"] = f"Bench record {i}"
            source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            services.session_data.import_file(source)
        print(f"built 52 sessions in {time.perf_counter() - started:.1f} s")

        timing = _timed(lambda: services.reports.export_debrief(small, folder / "a.pdf"), 7)
        print(_line("debrief PDF 4x4 (3 observers/round)", timing, 0.3))
        timing = _timed(lambda: services.reports.export_debrief(big, folder / "b.pdf"), 5)
        print(_line("debrief PDF 12x12 (9 observers/round)", timing, 1.0))
        timing = _timed(lambda: services.reports.export_peer_review(GROUP[0], folder / "c.pdf"), 2)
        rounds = sum(services.reports.person_record(GROUP[0]).rounds_by_role.values())
        print(_line(f"peer-review PDF over {rounds} rounds", timing, None))
        services.close()


if __name__ == "__main__":
    main()
