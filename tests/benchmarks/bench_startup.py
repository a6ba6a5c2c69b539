"""Start to a useful screen: the app against a bare PySide6 QMainWindow started the same way.

All run in a fresh `python3 -c` process on the offscreen platform, against a store of 300
sessions; the parent times from spawning the process to what the child reports on stdout:
the first `show()` of a window, and the start screen listing the sessions (and, no bar, the
store open with "New session" usable). Bars: first window and the filled start screen each
at most 2x the bare window. Runs interleaved; each ratio is the median of the ratios taken
round by round."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = 11
SESSIONS = 300

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

# The start screen filled from the store: the first screen a trainer can use. A timer polls
# from the first show() on for the session list with its rows, and (second figure) the
# "New session" button usable, i.e. the store open; public names only.
READY = (
    _HOOK.replace('print("shown", flush=True)\n    os._exit(0)', "_watch()")
    + """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QTreeWidget
_timer = None
_listed = None
def _poll():
    global _listed
    app = QApplication.instance()
    for top in app.topLevelWidgets():
        if _listed is None:
            for tree in top.findChildren(QTreeWidget):
                if tree.accessibleName() == "Sessions in progress" and tree.isVisible() and \\
                        tree.topLevelItemCount() > 0:
                    _listed = time.perf_counter()
                    print("listed", flush=True)
        for button in top.findChildren(QPushButton):
            if _listed and button.accessibleName() == "New session" and button.isVisible() \\
                    and button.isEnabled():
                print("usable", flush=True)
                os._exit(0)
def _watch():
    global _timer
    if _timer is None:
        _timer = QTimer()
        _timer.timeout.connect(_poll)
        _timer.start(1)
sys.argv = ["hotdash-roleplay", "--data-dir", os.environ["BENCH_DATA_DIR"]]
from ui.main import main
main()
"""
)

APP = (
    _HOOK
    + """
sys.argv = ["hotdash-roleplay", "--data-dir", os.environ["BENCH_DATA_DIR"]]
from ui.main import main
main()
"""
)


def _times(code: str, env: dict[str, str], lines: int = 1) -> list[float]:
    """Seconds from spawning the child to each of its first `lines` lines."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=ROOT, env=env, text=True
    )
    assert proc.stdout is not None
    found = []
    for _ in range(lines):
        if not proc.stdout.readline().strip():
            proc.kill()
            raise RuntimeError("the app never showed what was timed")
        found.append(time.perf_counter() - start)
    proc.wait(timeout=60)
    return found


def _time_once(code: str, env: dict[str, str]) -> float:
    return _times(code, env)[0]


def _seed(data_dir: str) -> None:
    """A store with SESSIONS sessions in progress (created once, not timed)."""
    from hotdash_roleplay.services import open_services

    services = open_services(None, data_dir)
    try:
        for i in range(SESSIONS):
            people = [f"Person {(i + k) % 40:02d}" for k in range(4)]
            services.sessions.create_session("module4-practice", people, title=f"Practice {i}")
    finally:
        services.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "BENCH_DATA_DIR": data_dir,
            "XDG_CONFIG_HOME": home,  # no last session to resume: the start screen shows
        }
        # An installed app starts from compiled bytecode (pip compiles on install); with
        # PYTHONDONTWRITEBYTECODE a checkout would compile every module of the app at each
        # start, which the bare window, all in PySide6's compiled files, never does. The
        # uncounted first start writes the bytecode.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        _seed(data_dir)
        _times(READY, env, lines=2)  # a first start warms the file cache; not counted
        bares, apps, listed, usable = [], [], [], []
        for _ in range(RUNS):  # interleaved: a busy moment weighs on all of them alike
            bares.append(_time_once(BARE, env))
            apps.append(_time_once(APP, env))
            shown, ready = _times(READY, env, lines=2)
            listed.append(shown)
            usable.append(ready)
    bare = statistics.median(bares)
    print(f"bare QMainWindow to first window: {bare * 1000:.0f} ms (median of {RUNS})")
    # Each ratio is taken within one round (bare, app, start screen one after the other), then
    # the median of the rounds: a machine slow for a while slows the three alike.
    for what, times in (
        ("first window", apps),
        (f"the start screen listing {SESSIONS} sessions", listed),
    ):
        ratio = statistics.median(t / b for t, b in zip(times, bares, strict=True))
        verdict = "OK" if ratio <= 2 else "OVER"
        print(
            f"hotdash-roleplay to {what}: {statistics.median(times) * 1000:.0f} ms, "
            f"{ratio:.2f}x (bar <= 2x) {verdict}"
        )
    print(
        f"  and to the store open (New session usable): "
        f"{statistics.median(usable) * 1000:.0f} ms (no bar)"
    )


if __name__ == "__main__":
    main()
