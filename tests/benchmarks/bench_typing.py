"""Typing in a checklist note in the live console (bars: at most one write to the store per
autosave window; the Qt loop never stalls > 50 ms).

    python3 tests/benchmarks/bench_typing.py

The real main window runs offscreen on a qasync loop with a session of eight people open and
feedback open for round 1. 200 characters are typed into the first observer's first note at
20 characters a second (a key every 50 ms), then the run waits a second for the last save.
Every SQL statement the store's engine runs meanwhile is counted; writes are its INSERT,
UPDATE and DELETE statements. The window is the app's autosave delay,
`hotdash_roleplay.services.worker.AUTOSAVE_MS`; without one the bar cannot hold."""

from __future__ import annotations

import asyncio
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.console_rig import (
    Rig,
    in_child,
    live_console,
    run_qasync,
    wait_until,
)

CHARACTERS = 200
RATE = 20.0  # characters a second
STALL_BAR_MS = 50.0
TEXT = ("Warm greeting, checked the order date before offering the repair. " * 4)[:CHARACTERS]


def _autosave_ms() -> int | None:
    from hotdash_roleplay.services import worker

    value = getattr(worker, "AUTOSAVE_MS", None)
    return int(value) if isinstance(value, int) else None


async def _type(rig: Rig) -> tuple[int, int, float, float]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QPushButton, QTabWidget, QWidget

    panel = rig.find(QWidget, "checklistPanel")
    tabs = rig.find(QTabWidget, "consoleTabs")
    for i in range(tabs.count()):
        page = tabs.widget(i)
        if page is panel or page.isAncestorOf(panel):
            tabs.setCurrentIndex(i)
    toggle = rig.find(QPushButton, "checklistFeedbackToggle")
    if toggle.accessibleName().startswith("Open feedback"):
        toggle.click()
    form = rig.find(QWidget, "checklistObserverForm")
    notes = [e for e in form.findChildren(QLineEdit) if e.accessibleName().endswith(" note")]
    if not notes:
        raise RuntimeError("no note field in the checklist form")
    note = notes[0]
    if not await wait_until(lambda: note.isEnabled() and not note.isReadOnly()):
        raise RuntimeError("the note stayed read-only after feedback opened")
    await asyncio.sleep(1.0)  # the feedback opening's own saves and refreshes settle
    note.setFocus()
    rig.probe.reset()
    began = time.perf_counter()
    for i, char in enumerate(TEXT):
        QTest.keyClicks(note, char)
        due = began + (i + 1) / RATE
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
    typing = time.perf_counter() - began
    stall = rig.probe.stall_ms
    await asyncio.sleep(1.0)  # the last autosave
    flush = getattr(rig.services.worker, "flush", None)
    if flush is not None:
        await asyncio.get_running_loop().run_in_executor(None, flush)
    if note.text() != TEXT:
        raise RuntimeError(f"the note reads {note.text()!r}")
    return len(rig.probe.statements), rig.probe.writes, typing, stall


def _measure() -> None:
    async def scenario() -> tuple[int, int, float, float]:
        async with live_console(None) as rig:
            return await _type(rig)

    statements, writes, seconds, stall = run_qasync(scenario)
    window = _autosave_ms()
    what = (
        f"typing {CHARACTERS} characters into a checklist note at {RATE:.0f}/s "
        f"({seconds:.1f} s): {statements} statements, {writes} writes"
    )
    if window is None:
        print(f"{what} (bar <= 1 write per autosave window: the app has no autosave window) FAIL")
    else:
        allowed = math.ceil(seconds * 1000 / window) + 1
        verdict = "OK" if writes <= allowed else "OVER"
        print(f"{what} (bar <= 1 write per {window} ms autosave window: <= {allowed}) {verdict}")
    verdict = "OK" if stall <= STALL_BAR_MS else "OVER"
    print(
        f"  longest Qt loop stall while typing: {stall:.0f} ms (bar <= {STALL_BAR_MS:.0f} ms) "
        f"{verdict}"
    )


def main() -> None:
    in_child(__file__, _measure)


if __name__ == "__main__":
    main()
