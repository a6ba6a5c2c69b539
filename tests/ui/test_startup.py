"""Start-up: the store opens off the GUI thread while the window answers, says what it is doing
and already lists the sessions; nothing heavy is loaded to get there."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from hotdash_roleplay.services import open_services
from tests.ui.app_run import driving
from tests.ui.layout import shown_window
from ui.main_window import MainWindow
from ui.widgets.wheel_guard import WheelGuard

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ["Ann", "Ben", "Cat", "Dev"]
# Loaded only when a PDF is written, the observer page served or a file exported or imported.
HEAVY = ("reportlab", "aiohttp", "segno")
EXPORTS = ("report_data", "session_data", "session_import", "certification_data")


def two_sessions(data: Path) -> list[int]:
    services = open_services(None, data)
    try:
        return [
            services.sessions.create_session("module4-practice", PEOPLE, title=title).id
            for title in ("Monday practice", "Tuesday practice")
        ]
    finally:
        services.close()


def test_the_window_answers_and_lists_the_sessions_while_the_store_opens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: QApplication
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no last session to resume
    data = tmp_path / "data"
    ids = two_sessions(data)
    real_open = app_module.open_store
    release = threading.Event()
    seen: dict[str, Any] = {"turns": 0}

    def slow_open(*args: Any) -> Any:
        """An open that lasts until the GUI thread, having looked, lets it finish."""
        seen["on_gui_thread"] = threading.current_thread() is threading.main_thread()
        seen["released"] = release.wait(10)
        return real_open(*args)

    monkeypatch.setattr(app_module, "open_store", slow_open)
    for guard in qapp.findChildren(WheelGuard):  # an earlier test's: this run installs its own
        qapp.removeEventFilter(guard)
        guard.setParent(None)

    def window() -> MainWindow:
        return shown_window()

    def look() -> None:
        """Runs on the Qt loop: it can only turn while the store opens if that is elsewhere."""
        win = window()
        start = getattr(win, "start", None)
        seen["turns"] += 1
        listed = start.in_progress.session_ids() if start else []
        if not listed and seen["turns"] < 1000:
            drive.after(10, look)  # the start screen or its first glance is on its way
            return
        seen["message"] = win.statusBar().currentMessage()
        seen["listed"] = listed
        seen["usable"] = start.new_button.isEnabled() if start else None
        seen["store_open"] = getattr(win, "store_open", True)
        release.set()
        wait_for_open()

    def wait_for_open() -> None:
        if getattr(window(), "store_open", True):
            seen["after"] = window().start.new_button.isEnabled()  # type: ignore[union-attr]
            seen["guarded"] = qapp.findChild(WheelGuard) is not None
            QApplication.quit()
        else:
            drive.after(10, wait_for_open)

    with driving(30_000) as drive:  # whatever happens, the run ends
        drive.after(0, look)
        assert app_module.run_app(data_dir=data) == 0
    assert seen["on_gui_thread"] is False
    assert seen["released"] is True  # the loop turned while the store was opening
    assert seen["store_open"] is False
    assert seen["message"] == "Opening the store…"
    assert sorted(seen["listed"]) == sorted(ids)  # listed before the store was open
    assert seen["usable"] is False  # its actions wait for the store
    assert seen["after"] is True
    assert seen["guarded"] is True  # the wheel guard, installed once the first screen showed


def test_quitting_while_the_store_opens_ends_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: QApplication
) -> None:
    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    real_open = app_module.open_store
    release = threading.Event()

    def slow_open(*args: Any) -> Any:
        release.wait(10)
        return real_open(*args)

    monkeypatch.setattr(app_module, "open_store", slow_open)

    def quit_now() -> None:
        shown_window().quit_action.trigger()  # Ctrl+Q while the store is still opening
        release.set()

    began = time.monotonic()
    with driving(30_000) as drive:  # were the quit lost, the run would hang here
        drive.after(0, quit_now)
        assert app_module.run_app(data_dir=tmp_path / "data") == 0
    assert time.monotonic() - began < 20


REPORT_MODULES = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app
from ui.main_window import MainWindow
from ui.widgets.wheel_guard import WheelGuard

def report():
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    start = getattr(win, "start", None)
    if not hasattr(win, "services") or start is None or not start.in_progress.session_ids():
        QTimer.singleShot(20, report)
        return
    print(" ".join(sorted(sys.modules)), flush=True)
    os._exit(0)

make_app = ui.app.make_app
def patched():
    app = make_app()
    QTimer.singleShot(0, report)
    return app
ui.app.make_app = patched
ui.app.run_app(data_dir=sys.argv[1])
"""


def test_nothing_heavy_is_loaded_to_reach_the_start_screen(tmp_path: Path) -> None:
    data = tmp_path / "data"
    two_sessions(data)
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(REPORT_MODULES), str(data)],
        cwd=ROOT,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    modules = set(out.stdout.split())
    assert "ui.start_screen" in modules, out.stderr[-2000:]
    for name in HEAVY:
        assert not any(m == name or m.startswith(name + ".") for m in modules), name
    for name in EXPORTS:
        assert f"hotdash_roleplay.exports.{name}" not in modules
    assert not any(m.endswith("_pdf") for m in modules)
