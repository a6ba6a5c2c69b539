"""Kill the real app with SIGKILL mid-session, reopen the store: nothing shown as saved is lost
and the session resumes in its phase with the right time (docs/reliability.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hotdash_roleplay.services import open_services

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the app process: opens the session's console as the trainer would (Resume), starts
# the clock with Space, skips to the Role-play with N, records a decision with clicks, then says
# "ready" and keeps running until it is killed.
DRIVER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton, QRadioButton
    import ui.app

    session_id = int(sys.argv[2])
    _make_app = ui.app.make_app

    def window():
        from ui.main_window import MainWindow
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def drive():
        win = window()
        win.open_console(session_id)
        win.activateWindow()
        QTimer.singleShot(200, keys)

    def keys():
        win = window()
        if QApplication.activeWindow() is not win:  # shortcuts reach the active window only
            win.activateWindow()
            QTimer.singleShot(100, keys)
            return
        console = win.console
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)
        approve = next(
            b for b in console.findChildren(QRadioButton)
            if b.accessibleName() == "Decision: Approve"
        )
        approve.click()
        record = next(
            b for b in console.findChildren(QPushButton)
            if b.accessibleName() == "Record the operator's decision"
        )
        record.click()
        print("ready", flush=True)

    def make_app():
        app = _make_app()
        QTimer.singleShot(300, drive)
        return app

    ui.app.make_app = make_app
    sys.exit(ui.app.run_app(data_dir=sys.argv[1]))
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_app_loses_nothing_and_resumes_in_phase(tmp_path: Path) -> None:
    data = tmp_path / "data"
    svc = open_services(data_dir=data)
    sid = svc.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    svc.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(data), str(sid)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read() if proc.stderr else ""
            time.sleep(1.5)  # the Role-play runs on while nobody touches anything
            killed_at = time.time()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL

    time.sleep(0.5)  # wall time goes on while the app is dead, and must count as running time
    svc = open_services(data_dir=data)
    try:
        live = svc.live(sid)
        view = live.view()
        assert view.phase_key == "roleplay" and view.status == "running"
        # Running time carried across the kill: at least the 1.5 s before it and the time since.
        assert view.elapsed_seconds >= 1.5 + (time.time() - killed_at) - 0.2
        assert view.elapsed_seconds < 30
        rnd = live.round
        assert rnd is not None
        decision = svc.decisions.get(rnd.id)
        assert decision is not None and decision.decision == "approve"
    finally:
        svc.close()
