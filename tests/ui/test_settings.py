"""Settings go through ui.settings, typed; what an earlier version saved is still read."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from tests.ui.window_console import resumed
from ui import settings, theme
from ui.main_window import MainWindow


def _saved_by_earlier_version(kind: QSettings.Format) -> QSettings:
    return QSettings(kind, QSettings.Scope.UserScope, theme.ORGANIZATION, theme.APPLICATION)


def test_values_an_earlier_version_saved_read_back_typed(isolated_settings: Path) -> None:
    old = _saved_by_earlier_version(QSettings.Format.IniFormat)
    old.setValue("appearance/dark", False)  # stored as the text "false"
    old.setValue("exports/last_dir", "/home/trainer/Reports")
    old.setValue("certification/last_name", "Ann Lee")
    old.setValue("observer/interface", "192.168.1.20")
    old.sync()
    assert settings.dark() is False  # an untyped read gives "false", which is truthy
    assert settings.export_folder() == "/home/trainer/Reports"
    assert settings.certification_name() == "Ann Lee"
    assert settings.observer_interface() == "192.168.1.20"
    settings.set_dark(True)
    assert settings.dark() is True


def test_a_restart_after_the_update_reopens_the_session_the_old_version_showed(
    qtbot: QtBot, services: Services, isolated_settings: Path
) -> None:
    sid = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    services.live(sid).toggle()
    # Earlier versions kept it in the native store (the registry on Windows) under this key.
    key = "lastSession/" + hashlib.sha1(services.store.url.encode()).hexdigest()[:16]
    native = _saved_by_earlier_version(QSettings.Format.NativeFormat)
    native.setValue(key, sid)
    native.sync()

    window = MainWindow(services)
    qtbot.addWidget(window)
    assert resumed(qtbot, window) is not None
    assert window.session_id == sid and window.stack.currentWidget() is window.console

    window.show_start()  # left on purpose: neither store offers it again
    assert settings.last_session(services.store.url) is None
    again = MainWindow(services)
    qtbot.addWidget(again)
    assert resumed(qtbot, again) is None
    assert again.session_id is None
