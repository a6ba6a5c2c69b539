"""Quitting and restarting the real app: a restart during observer feedback serves
the page again at once on the same address, port and join code, each observer's cookie and
draft still theirs; Ctrl+Q with the projector open ends the process and frees the port; the
projector comes back as it was."""

from __future__ import annotations

import json
import signal
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from hotdash_roleplay.services import open_services
from hotdash_roleplay.services.room import ObserverEndpoint
from tests.app_process import AppProcess

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve"]

# The trainer opens the session's console; it reports the page's address once it is served.
OPEN_AND_REPORT = """
    session_id = int(ARGS[0])

    def drive():
        window().open_console(session_id)
        when(lambda: window().console is not None, report)  # opened on the store worker first

    def report():
        host = window().console.observers
        when(lambda: host.serving, lambda: say("serving", host.url))

    run_app_then(drive)
"""

# After a restart nobody touches anything: the app reopens the session by itself and the
# driver only reports what it sees.
ONLY_REPORT = """
    def drive():
        when(
            lambda: window().console is not None and window().console.observers.serving,
            report,
        )

    def report():
        console = window().console
        say("serving", console.observers.url)
        projector = console.projector
        if projector is None:
            say("projector", "none")
        else:
            when(
                projector.isVisible,
                lambda: say(
                    "projector", projector.isFullScreen(), projector.screen().name() or "-"
                ),
            )

    run_app_then(drive)
"""

# The trainer opens the console, puts the projector up with F11, then presses Ctrl+Q.
PROJECTOR_THEN_CTRL_Q = """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    session_id = int(ARGS[0])

    def drive():
        window().open_console(session_id)
        when(lambda: window().console is not None, activate)  # opened on the store worker first

    def activate():
        window().activateWindow()
        when(lambda: QApplication.activeWindow() is window(), projector)

    def projector():
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
        console = window().console
        when(lambda: console.observers.serving, lambda: quit_(console))

    def quit_(console):
        say("serving", console.observers.url, console.projector.isFullScreen())
        window().activateWindow()
        when(
            lambda: QApplication.activeWindow() is window(),
            ctrl_q,
        )

    def ctrl_q():
        say("quitting")
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
        )

    run_app_then(drive)
"""


def session_in_feedback(data: Path, paused: bool = False) -> tuple[int, str, str]:
    """A session whose round 1 is in Observer feedback (feedback open), served on loopback:
    its id, join code and an observer of the round."""
    svc = open_services(data_dir=data)
    try:
        detail = svc.sessions.create_session("module4-practice", PEOPLE)
        svc.room.set_observer_endpoint(detail.id, ObserverEndpoint(address="127.0.0.1"))
        live = svc.live(detail.id)
        live.toggle()
        while live.view().phase_key != "feedback":
            live.next_phase()
        if paused:
            live.toggle()
        assert live.round is not None
        return detail.id, detail.join_code, live.round.observers[0]
    finally:
        svc.close()


def call(
    method: str, url: str, body: dict[str, Any] | None = None, cookie: str = ""
) -> tuple[int, dict[str, Any], str]:
    """One observer request: (status, JSON body, the token cookie it set if any)."""
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token = response.headers.get("Set-Cookie", "").split(";", 1)[0]
        return response.status, json.loads(response.read()), token


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_restart_in_feedback_serves_the_page_at_once_where_observers_have_it(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    sid, code, observer = session_in_feedback(data)

    first = AppProcess(OPEN_AND_REPORT, data, sid, config_dir=tmp_path)
    try:
        (url,) = first.expect("serving")
        status, _, cookie = call("POST", url + "api/claim", {"code": code, "name": observer})
        assert status == 200 and cookie.startswith("hd_observer=")
        draft = {"answers": {"notes": {"tone": "Kept across the restart."}}}
        assert call("PUT", url + "api/draft", draft, cookie)[0] == 200
        first.kill()  # the laptop's app dies mid-feedback
    finally:
        first.close()

    again = AppProcess(ONLY_REPORT, data, config_dir=tmp_path)
    try:
        # Served again with no key pressed, at the very address the QR code on the wall shows.
        assert again.expect("serving") == [url]
        status, me, _ = call("GET", url + "api/me", cookie=cookie)
        assert status == 200 and me["name"] == observer
        assert me["submission"]["answers"]["notes"] == {"tone": "Kept across the restart."}
        status, joined, _ = call("POST", url + "api/join", {"code": code})
        assert status == 200 and observer in joined["observers"]  # the same join code
    finally:
        again.close()
    svc = open_services(data_dir=data)
    try:
        stored = svc.room.observer_endpoint(sid)
        assert stored is not None and url == f"http://127.0.0.1:{stored.port}/"
    finally:
        svc.close()


def test_ctrl_q_with_the_projector_open_ends_the_app_and_frees_the_port(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sid, _, _ = session_in_feedback(data, paused=True)  # paused: Ctrl+Q has nothing to ask

    app = AppProcess(PROJECTOR_THEN_CTRL_Q, data, sid, config_dir=tmp_path)
    try:
        url, full_screen = app.expect("serving")
        assert full_screen == "True"
        assert app.wait(timeout=20) == 0, app.stderr()  # the process ended by itself
    finally:
        app.close()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    assert port_is_free(port)

    # Started again: the console, the page on its port and the projector come back.
    again = AppProcess(ONLY_REPORT, data, config_dir=tmp_path)
    try:
        assert again.expect("serving") == [url]
        full, _screen = again.expect("projector")
        assert full == "True"
    finally:
        again.close()
