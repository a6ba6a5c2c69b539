"""Typing in the console (bars: at most one write per autosave window, no SQL on the GUI
thread, the Qt loop never stalls > 50 ms).

The live console of an 8-person session with feedback open; 200 characters typed into an
observer's checklist note at 20 characters a second, one key press every 50 ms from a QTimer
as a trainer types. Every statement sent to the store is counted with the thread it ran on; a
QTimer ticking every 5 ms measures the longest stall of the Qt loop. At the end the stored note
must equal what was typed.

    python3 tests/benchmarks/bench_typing.py
"""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TYPED = ("Checked the order date before quoting the policy, then named the defect. " * 3)[:200]
KEY_MS = 50  # 20 characters a second
TICK_MS = 5
STALL_BAR_MS = 50.0
PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay", "Gus", "Hal"]


def _run() -> dict[str, Any]:
    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from hotdash_roleplay.services import open_services
    from hotdash_roleplay.services.worker import AUTOSAVE_MS
    from ui.autosave import StoreLink
    from ui.console.console_screen import ConsoleScreen

    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive for the run
    scratch = tempfile.TemporaryDirectory(prefix="hotdash-bench-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch.name)
    services = open_services(data_dir=Path(scratch.name) / "data")
    try:
        detail = services.sessions.create_session("module4-practice", PEOPLE)
        live = services.live(detail.id)
        live.set_feedback_open(True)
        console = ConsoleScreen(services, live)
        console.resize(1280, 860)
        console.show()
        rnd = live.round
        assert rnd is not None
        observer = rnd.observers[0]
        console.tabs.setCurrentIndex(1)
        form = console.checklists.forms[observer]
        note = form.notes["accuracy"]
        note.setFocus()

        def idle() -> bool:
            return not any(link.busy for link in console.findChildren(StoreLink))

        statements: list[tuple[str, bool, float]] = []
        gui = threading.main_thread()

        def before(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            statements.append((sql, threading.current_thread() is gui, time.perf_counter()))

        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        ticker = QTimer()
        ticker.setInterval(TICK_MS)
        ticker.timeout.connect(tick)

        async def until_idle() -> None:
            while not idle():
                await asyncio.sleep(0.01)

        async def typing() -> float:
            """As the app runs: on its qasync loop, one key every KEY_MS."""
            await until_idle()  # the console has read what it shows
            event.listen(services.store.engine, "before_cursor_execute", before)
            started = last[0] = time.perf_counter()
            ticker.start()
            for key in TYPED:
                QTest.keyClicks(note, key)
                await asyncio.sleep(KEY_MS / 1000)
            typed = time.perf_counter() - started
            await until_idle()  # the last window ends by itself
            ticker.stop()
            event.remove(services.store.engine, "before_cursor_execute", before)
            return typed

        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            typed_s = runner.run(typing())
        console.close()
        services.worker.flush()
        stored = services.feedback.get(rnd.id, observer).answers.notes.get("accuracy")
        heads = ("INSERT INTO checklist_submissions ", "UPDATE checklist_submissions ")
        saves = [at for sql, _, at in statements if sql.lstrip().startswith(heads)]
        return {
            "typed_s": typed_s,
            "statements": len(statements),
            "on_gui": sum(gui_thread for _, gui_thread, _ in statements),
            "gui_sql": sorted({" ".join(sql.split())[:100] for sql, g, _ in statements if g}),
            "saves": len(saves),
            "shortest_gap_ms": min((b - a for a, b in itertools.pairwise(saves)), default=0) * 1000,
            "window_ms": AUTOSAVE_MS,
            "stall_ms": max(gaps) * 1000 if gaps else 0.0,
            "stored_ok": stored == TYPED,
            "key_ms": KEY_MS,
        }
    finally:
        services.close()
        scratch.cleanup()


def main() -> None:
    r = _run()
    windows = int(r["typed_s"] * 1000 // r["window_ms"]) + 1  # the last key's window included
    writes_ok = r["saves"] <= windows and r["on_gui"] == 0 and r["stored_ok"]
    print(
        f"typing 200 characters into a checklist note at {1000 // r['key_ms']} characters/s "
        f"({r['typed_s']:.1f} s): {r['saves']} saves (bar <= 1 per {r['window_ms']} ms window: "
        f"<= {windows}), shortest gap {r['shortest_gap_ms']:.0f} ms; {r['statements']} "
        f"statements, {r['on_gui']} on the GUI thread (bar 0); the stored text "
        f"{'equals' if r['stored_ok'] else 'DIFFERS FROM'} what was typed "
        f"{'OK' if writes_ok else 'OVER'}"
    )
    for sql in r["gui_sql"]:
        print(f"  on the GUI thread: {sql}")
    stall = r["stall_ms"]
    print(
        f"longest Qt loop stall while typing: {stall:.0f} ms (bar <= {STALL_BAR_MS:.0f} ms) "
        f"{'OK' if stall <= STALL_BAR_MS else 'OVER'}"
    )


if __name__ == "__main__":
    main()
