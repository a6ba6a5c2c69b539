"""50 observers submitting at once (bars: all stored, p95 <= 100 ms, the Qt loop never
stalls > 50 ms).

    python3 tests/benchmarks/bench_observers.py

The app side runs as in the desktop app: a QApplication (offscreen) on a qasync loop, the
ObserverHost serving on loopback and the console's ObserverStatusWidget updating live. A QTimer
ticking every 5 ms records the longest gap between ticks.

The observers are other machines in a real room, so they run in a child process (this file
with --clients): 50 aiohttp ClientSessions, each its own cookie jar. First they sit down: all
join (code) and claim their name, concurrently (reported, no bar). Then, at one start signal,
all 50 submit a complete checklist at the same instant: the bar's p95 is over those 50 submit
requests and the stall bar over that burst. Stored means: 50 submitted checklists in the
store, each with every answer that was sent.

Rosters are limited to 12, so the session is created through the service with four people and
46 more observers are added to the roster and to round 1 through the ORM, here in the
benchmark only."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hotdash_roleplay.checklist import load_checklist
from hotdash_roleplay.services import Services

if TYPE_CHECKING:  # imported where used: the child process's start-up stays light
    import aiohttp

    from hotdash_roleplay.services.live import LiveSession
    from ui.observer_host import ObserverHost

OBSERVERS = 50
P95_BAR_MS = 100.0
STALL_BAR_MS = 50.0
TICK_MS = 5
CRITERIA = load_checklist().keys  # the eight criteria of Module 4.3
ANSWERS = {
    "marks": dict.fromkeys(CRITERIA, "met"),
    "notes": {"tone": "Warm and calm throughout.", "accuracy": "Checked the order date."},
    "went_well": ["Verified the purchase date first.", "Offered a repair as an alternative."],
    "could_improve": ["Escalate the goodwill exception sooner."],
}


# -- the observers (child process) --------------------------------------------------------


Timing = tuple[str, float, int]  # step, seconds, HTTP status


async def _post(http: aiohttp.ClientSession, url: str, step: str, body: dict) -> Timing:
    began = time.perf_counter()
    async with http.post(url, json=body) as response:
        await response.read()
        return step, time.perf_counter() - began, response.status


async def _observer(
    url: str,
    code: str,
    name: str,
    start: float,
    seated: asyncio.Queue[list[Timing]],
    go: asyncio.Event,
) -> list[Timing]:
    import aiohttp

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        await asyncio.sleep(max(0.0, start - time.time()))  # people sit down together
        sitting = [
            await _post(http, url + "api/join", "join", {"code": code}),
            await _post(http, url + "api/claim", "claim", {"code": code, "name": name}),
        ]
        await seated.put(sitting)
        await go.wait()  # then everyone submits at the same instant, on their own cookie
        body = {"answers": ANSWERS, "version": 0}  # as the page sends it: a conditional save
        return [await _post(http, url + "api/submit", "submit", body)]


async def _observers(url: str, code: str, names: list[str], start: float) -> None:
    """Join and claim, report (one JSON line), wait for "go" on stdin, submit, report."""
    seated: asyncio.Queue[list[Timing]] = asyncio.Queue()
    go = asyncio.Event()
    tasks = [asyncio.create_task(_observer(url, code, n, start, seated, go)) for n in names]
    sitting = [t for _ in names for t in await seated.get()]
    print(json.dumps(sitting), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    go.set()
    submits = [t for r in await asyncio.gather(*tasks) for t in r]
    print(json.dumps(submits), flush=True)


# -- the app (this process) ---------------------------------------------------------------


def _session(services: Services) -> int:
    from sqlalchemy import select

    from hotdash_roleplay.services.people import get_or_create_person
    from hotdash_roleplay.store.models import Participant, RoleAssignment, Round

    detail = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"])
    with services.store.session() as db:
        rnd = db.scalar(select(Round).where(Round.session_id == detail.id, Round.index == 0))
        assert rnd is not None
        have = sum(a.role == "observer" for a in rnd.roles)
        for i in range(OBSERVERS - have):
            person = get_or_create_person(db, f"Observer {i + 1:02d}")
            rnd.roles.append(RoleAssignment(person=person, role="observer"))
            # On the roster too: only the session's participants may claim a name.
            rnd.session.participants.append(
                Participant(person=person, position=len(rnd.session.participants), active=True)
            )
        db.commit()
    return detail.id


def _stall_ms(gaps: list[float]) -> float:
    return max(gaps) * 1000 if gaps else 0.0


async def _burst(
    host: ObserverHost, live: LiveSession, services: Services, gaps: list[float]
) -> dict:
    served = asyncio.get_running_loop().create_future()

    def on_serving(on: bool) -> None:
        if on and not served.done():
            served.set_result(None)

    host.serving_changed.connect(on_serving)
    live.set_feedback_open(True)
    await served
    rnd = live.round
    assert rnd is not None
    names = list(rnd.observers)
    assert len(names) == OBSERVERS, len(names)
    start = time.time() + 1.5  # the child's imports are done by then
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--clients",
        host.url or "",
        host.join_code,
        json.dumps(names),
        str(start),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    await asyncio.sleep(max(0.0, start - time.time()))
    gaps.clear()  # the seating phase: informational
    seated = json.loads(await child.stdout.readline())
    seating_stall = _stall_ms(gaps)
    await asyncio.sleep(0.5)  # the console's debounced refresh settles before the burst
    gaps.clear()  # the bar: from the common start signal to the last answer
    child.stdin.write(b"go\n")
    await child.stdin.drain()
    submitted = json.loads(await child.stdout.readline())
    burst_stall = _stall_ms(gaps)
    await child.wait()
    await asyncio.sleep(0.3)  # the console's debounced refresh
    stored = [
        s
        for s in services.feedback.submissions(rnd.id)
        if s.answers.marks == ANSWERS["marks"]
        and s.answers.went_well == ANSWERS["went_well"]
        and s.answers.could_improve == ANSWERS["could_improve"]
        and s.answers.notes == ANSWERS["notes"]
    ]
    return {
        "seated": seated,
        "submitted": submitted,
        "stored": len(stored),
        "seating_stall_ms": seating_stall,
        "stall_ms": burst_stall,
        "console": host.counts(),
    }


def _app_side() -> dict:
    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from hotdash_roleplay.services import open_services
    from ui import settings
    from ui.observer_host import ObserverHost
    from ui.observer_status import ObserverStatusWidget

    app = QApplication.instance() or QApplication([])
    scratch = tempfile.TemporaryDirectory(prefix="hotdash-bench-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch.name)
    settings.set_observer_interface("127.0.0.1")
    services = open_services(data_dir=Path(scratch.name) / "data")
    try:
        live = services.live(_session(services))
        host = ObserverHost(services, live)
        console = ObserverStatusWidget(host)
        console.resize(520, 900)
        console.show()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(tick)
        timer.start()

        async def main() -> dict:
            try:
                return await _burst(host, live, services, gaps)
            finally:
                timer.stop()
                await host.aclose()

        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            result = runner.run(main())
        result["console_rows"] = sum(r.text == "submitted" for r in host.rows())
        console.close()
        del app
        return result
    finally:
        services.close()
        scratch.cleanup()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def _line(label: str, timings: list[Timing]) -> str:
    ms = [t * 1000 for _, t, _ in timings]
    refused = sum(status != 200 for _, _, status in timings)
    return (
        f"{label}: {len(ms)} requests, p95 {_p95(ms):.0f} ms, median "
        f"{statistics.median(ms):.0f} ms, max {max(ms):.0f} ms, refused {refused}"
    )


def main() -> None:
    result = _app_side()
    seated, submitted = result["seated"], result["submitted"]
    p95 = _p95([t * 1000 for _, t, _ in submitted])
    failed = [t for t in seated + submitted if t[2] != 200]
    stored = result["stored"]
    ok = "OK" if stored == OBSERVERS and not failed and p95 <= P95_BAR_MS else "OVER"
    print(
        f"{OBSERVERS} observers submitting at once: {stored}/{OBSERVERS} stored; "
        f"submit p95 {p95:.0f} ms (bar <= {P95_BAR_MS:.0f} ms) {ok}"
    )
    print("  " + _line("submit", submitted))
    for step in ("join", "claim"):
        print("  " + _line(f"{step} (sitting down, no bar)", [t for t in seated if t[0] == step]))
    print(f"  console shows {result['console_rows']} submitted")
    stall = result["stall_ms"]
    verdict = "OK" if stall <= STALL_BAR_MS else "OVER"
    print(
        f"longest Qt loop stall during the submit burst: {stall:.0f} ms "
        f"(bar <= {STALL_BAR_MS:.0f} ms) {verdict}; while joining: "
        f"{result['seating_stall_ms']:.0f} ms (no bar)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--clients":
        url, code, names, start = sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
        asyncio.run(_observers(url, code, names, float(start)))
    else:
        main()
