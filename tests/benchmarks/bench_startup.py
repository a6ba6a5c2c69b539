"""Start to first window: the app against a bare PySide6 QMainWindow started the same way.

Both run in a fresh `python3 -c` process on the offscreen platform; the parent times from
spawning the process to the first `show()` of a top-level window (reported by the child on
stdout). The app shows its window first and then opens the store (SQLAlchemy, the scenario
library), so the time until the start screen is filled is printed too. Bar: the
app takes at most 2x the bare window. Median of several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = 7

# Report the first show() of any widget, then leave at once.
_HOOK = """
import os, sys
from PySide6.QtWidgets import QWidget
_show = QWidget.show
def _reported_show(self):
    _show(self)
    print("shown", flush=True)
    os._exit(0)
QWidget.show = _reported_show
"""

BARE = (
    _HOOK
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
"""
)

# The start screen filled from the store (no bar): keeps the first-window figure honest.
READY = """
import os, sys
import ui.main_window
_attach = ui.main_window.MainWindow.attach
def _reported_attach(self, services):
    _attach(self, services)
    print("shown", flush=True)
    os._exit(0)
ui.main_window.MainWindow.attach = _reported_attach
sys.argv = ["hotdash-roleplay", "--data-dir", os.environ["BENCH_DATA_DIR"]]
from ui.main import main
main()
"""

APP = (
    _HOOK
    + """
sys.argv = ["hotdash-roleplay", "--data-dir", os.environ["BENCH_DATA_DIR"]]
from ui.main import main
main()
"""
)


def _time_once(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=ROOT, env=env, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait(timeout=30)
    if line.strip() != "shown":
        raise RuntimeError("the window was never shown")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_DATA_DIR": data_dir}
        _time_once(APP, env)  # first start creates and migrates the store; not counted
        bare = statistics.median(_time_once(BARE, env) for _ in range(RUNS))
        app = statistics.median(_time_once(APP, env) for _ in range(RUNS))
        ready = statistics.median(_time_once(READY, env) for _ in range(RUNS))
    ratio = app / bare
    verdict = "OK" if ratio <= 2 else "OVER"
    print(f"bare QMainWindow to first window: {bare * 1000:.0f} ms (median of {RUNS})")
    print(f"hotdash-roleplay to first window: {app * 1000:.0f} ms (median of {RUNS})")
    print(f"start-up ratio: {ratio:.2f}x (bar <= 2x) {verdict}")
    print(f"start screen filled from the store: {ready * 1000:.0f} ms (no bar)")


if __name__ == "__main__":
    main()
