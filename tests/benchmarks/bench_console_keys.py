"""Key press to screen updated in a live console of eight people (bars: p95 <= 16 ms, one frame,
on SQLite and on PostgreSQL 5 ms away; the Qt loop never stalls > 50 ms during the run).

    python3 tests/benchmarks/bench_console_keys.py

The real main window runs offscreen on a qasync loop with a new session of eight people open.
200 presses cycle Space (start / pause), + and − (a minute more / less) and N (next phase);
after each N the "◀ Back" button is clicked (not timed) so the round stays in its first phases.
Each press is timed from the key event to the first repaint of the console's timer showing
the new state (the phase line after N, the state line after Space, the clock moved by a
minute after + and −). Presses come 80 ms apart.

PostgreSQL: with a server URL in HOTDASH_BENCH_PG_URL or HOTDASH_TEST_PG_URL, a scratch
database is created on it and reached through a loopback proxy (in console_rig) that holds
every packet 5 ms each way: a team server in the building. Without a URL that half is skipped
and says so."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.console_rig import (
    PG_ENV,
    Rig,
    in_child,
    live_console,
    percentile,
    pg_database,
    pg_url,
    run_qasync,
    wait_until,
)

PRESSES = 200
P95_BAR_MS = 16.0
STALL_BAR_MS = 50.0
PROXY_DELAY = 0.005  # each way
GAP = 0.08  # between presses
TIMEOUT = 5.0  # a press whose effect never shows counts as this long


def _seconds(text: str) -> int | None:
    try:
        parts = [int(p) for p in text.strip().lstrip("+−-").split(":")]
    except ValueError:
        return None
    total = 0
    for p in parts:
        total = total * 60 + p
    return total


def _expect(key: str, labels: dict[str, str]) -> Callable[[dict[str, str]], bool]:
    """What the timer shows once `key` has taken effect, given what it showed before."""
    if key == "Space":
        return lambda now: now["timerState"] != labels["timerState"]
    if key == "N":
        return lambda now: now["timerPhase"] != labels["timerPhase"]
    before = _seconds(labels["timerText"])

    def moved(now: dict[str, str]) -> bool:
        after = _seconds(now["timerText"])
        if before is None or after is None:
            return now["timerText"] != labels["timerText"]
        return abs(after - before) >= 50  # a minute, give or take the running second

    return moved


async def _presses(rig: Rig) -> tuple[list[float], int]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import (
        QApplication,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QPushButton,
        QTextEdit,
    )

    timer = rig.find(QLabel, "timerText").parentWidget()
    labels = {name: rig.find(QLabel, name) for name in ("timerPhase", "timerText", "timerState")}
    back = rig.by_accessible(QPushButton, "Back to the previous phase")
    keys = {
        "Space": Qt.Key.Key_Space,
        "+": Qt.Key.Key_Plus,
        "-": Qt.Key.Key_Minus,
        "N": Qt.Key.Key_N,
    }
    order = ["Space", "+", "-", "N"]

    def shown() -> dict[str, str]:
        return {name: label.text() for name, label in labels.items()}

    state: dict[str, object] = {}

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            done = state.get("future")
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(done, asyncio.Future)
                and not done.done()
                and state["check"](shown())  # type: ignore[operator]
            ):
                done.set_result(time.perf_counter())
            return False

    painted = Painted()
    for widget in (timer, *labels.values()):
        widget.installEventFilter(painted)

    def focus_target() -> object:
        focus = QApplication.focusWidget()
        typing = (QLineEdit, QTextEdit, QPlainTextEdit)
        if focus is None or isinstance(focus, typing) or not rig.console.isAncestorOf(focus):
            rig.console.setFocus()
            focus = QApplication.focusWidget() or rig.console
        return focus

    latencies: list[float] = []
    changed: list[float] = []
    missed = 0
    loop = asyncio.get_running_loop()
    rig.probe.reset()
    for i in range(PRESSES):
        key = order[i % len(order)]
        before = shown()
        check = _expect(key, before)
        future: asyncio.Future[float] = loop.create_future()
        state.update(future=future, check=check)
        target = focus_target()
        began = time.perf_counter()
        QTest.keyClick(target, keys[key])  # type: ignore[call-overload]
        if check(shown()):
            changed.append((time.perf_counter() - began) * 1000)
        else:
            await wait_until(lambda check=check: check(shown()), TIMEOUT)
            changed.append((time.perf_counter() - began) * 1000)
        try:
            latencies.append((await asyncio.wait_for(future, TIMEOUT) - began) * 1000)
        except TimeoutError:
            latencies.append(TIMEOUT * 1000)
            missed += 1
        if key == "N":
            phase = shown()["timerPhase"]
            back.click()
            await wait_until(lambda phase=phase: shown()["timerPhase"] != phase, TIMEOUT)
        await asyncio.sleep(GAP)
    for widget in (timer, *labels.values()):
        widget.removeEventFilter(painted)
    print(
        f"  (key to the label's new text, before the repaint: p95 "
        f"{percentile(changed, 0.95):.1f} ms, max {max(changed):.1f} ms)"
    )
    return latencies, missed


def _run(db_url: str | None) -> tuple[list[float], int, float]:
    async def scenario() -> tuple[list[float], int, float]:
        async with live_console(db_url) as rig:
            latencies, missed = await _presses(rig)
            stall = rig.probe.stall_ms
            flush = getattr(rig.services.worker, "flush", None)
            if flush is not None:
                await asyncio.get_running_loop().run_in_executor(None, flush)
            return latencies, missed, stall

    return run_qasync(scenario)  # type: ignore[no-any-return]


def _report(where: str, result: tuple[list[float], int, float]) -> None:
    latencies, missed, stall = result
    p95 = percentile(latencies, 0.95)
    ok = "OK" if p95 <= P95_BAR_MS and not missed else "OVER"
    print(
        f"key press to screen updated, {where}: p95 {p95:.1f} ms, median "
        f"{percentile(latencies, 0.5):.1f} ms, max {max(latencies):.1f} ms over {PRESSES} "
        f"presses of Space/+/−/N (bar p95 <= {P95_BAR_MS:.0f} ms) {ok}"
        + (f"; {missed} presses never showed within {TIMEOUT:.0f} s" if missed else "")
    )
    verdict = "OK" if stall <= STALL_BAR_MS else "OVER"
    print(
        f"  longest Qt loop stall during those presses ({where}): {stall:.0f} ms "
        f"(bar <= {STALL_BAR_MS:.0f} ms) {verdict}"
    )


def _measure() -> None:
    _report("SQLite", _run(None))
    server = pg_url()
    if server is None:
        print(
            "key press to screen updated, PostgreSQL 5 ms away: SKIPPED (no server: set "
            f"{' or '.join(PG_ENV)} to a PostgreSQL URL)"
        )
        return
    with pg_database(server, PROXY_DELAY) as url:
        _report("PostgreSQL 5 ms away (loopback proxy)", _run(url))


def main() -> None:
    in_child(__file__, _measure)


if __name__ == "__main__":
    main()
