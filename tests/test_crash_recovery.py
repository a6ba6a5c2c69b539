"""Kill the real app with SIGKILL mid-session, reopen the store: nothing shown as saved is lost
and the session resumes in its phase with the right time (docs/reliability.md)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from hotdash_roleplay.services import open_services
from tests.app_process import AppProcess

# Runs inside the app process: opens the session's console as the trainer would (Resume), starts
# the clock with Space, skips to the Role-play with N, records a decision with clicks, then says
# "ready" and keeps running until it is killed.
DRIVER = """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton, QRadioButton

    session_id = int(ARGS[0])

    def drive():
        win = window()
        win.open_console(session_id)
        when(lambda: win.console is not None, activate)  # opened on the store worker first

    def activate():
        window().activateWindow()
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
        say("ready")

    run_app_then(drive)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_app_loses_nothing_and_resumes_in_phase(tmp_path: Path) -> None:
    data = tmp_path / "data"
    svc = open_services(data_dir=data)
    sid = svc.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    svc.close()

    app = AppProcess(DRIVER, data, sid, config_dir=tmp_path)
    try:
        app.expect("ready")
        time.sleep(1.5)  # the Role-play runs on while nobody touches anything
        killed_at = time.time()
        app.kill()
    finally:
        app.close()
    assert app.proc.returncode == -signal.SIGKILL

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
