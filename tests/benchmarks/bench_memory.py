"""Memory in a live session (bar: <= 200 MB resident).

The real app is started on the demo session (console open, clock running), the projector is
shown, and the session runs for a few seconds of repaints; then the process reads its own
resident set size (VmRSS, and the peak VmHWM) from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BAR_MB = 200

CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")

def show_projector():
    from ui.main_window import MainWindow
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    win.console.toggle_projector()

def report():
    print(f"{status('VmRSS'):.0f} {status('VmHWM'):.0f}", flush=True)
    QApplication.quit()

_make_app = ui.app.make_app
def make_app():
    app = _make_app()
    QTimer.singleShot(1000, show_projector)
    QTimer.singleShot(6000, report)
    return app

ui.app.make_app = make_app
sys.argv = ["hotdash-roleplay", "--demo"]
sys.exit(ui.app.run_app(demo=True))
"""


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode != 0 or not out.stdout.strip():
        print(f"live-session memory: the app did not report ({out.stderr.strip()[-300:]})")
        return
    rss, peak = (float(x) for x in out.stdout.split()[:2])
    verdict = "OK" if peak <= BAR_MB else "OVER"
    print(
        f"live-session memory (demo session, projector shown, 6 s): resident {rss:.0f} MB, "
        f"peak {peak:.0f} MB (bar <= {BAR_MB} MB) {verdict}"
    )


if __name__ == "__main__":
    main()
