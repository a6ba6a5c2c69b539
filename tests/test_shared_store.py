"""Two real app processes on one PostgreSQL store, as two trainers' laptops: each sees the other's
new sessions without a restart; a session open in one is refused in the other with who has it;
a killed app's session is free once its lease lapses; a laptop that slept past its lease cannot
overwrite the decision or the clock of the app that took over (docs/reliability.md).

Runs when HOTDASH_TEST_PG_URL names a server (`.ci/run` starts one on loopback). The apps run
with a 3-second lease (renewed every second) and each says which computer it is on."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.services.leases import HeldElsewhere
from tests.app_process import AppProcess

PG_URL = os.environ.get("HOTDASH_TEST_PG_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="HOTDASH_TEST_PG_URL is not set (no PostgreSQL server)"),
]

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]
LEASE_SECONDS = 3.0

# Every app here: on the shared store (ARGS[0]), on the computer ARGS[1], with a short lease.
ON_SHARED_STORE = """
    import os
    from pathlib import Path

    import hotdash_roleplay.services.leases as leases

    os.environ["HOTDASH_DB_URL"] = ARGS[0]
    leases.this_host = leases.this_machine = lambda: ARGS[1]
    leases.LEASE_SECONDS = {lease}

    def attached():
        return hasattr(window(), "start")

    def every(ms, check):
        timer = QTimer(window())
        timer.timeout.connect(check)
        timer.start(ms)
        return timer

    def try_open(session_id, then):
        # Session → Resume, as the trainer would; once the opening has ended (the lease and
        # the first read run on the store worker), then(None) if the console shows, else
        # then(refusal): a refusal is a message box in the window.
        win = window()
        if win.last_message is not None:
            win.last_message.close()
            win.last_message = None
        win.open_console(session_id)

        def ended():
            if win.console is not None:
                then(None)
            else:
                box = win.last_message
                then(box.text() if box is not None else "(no message)")

        when(lambda: win.pending_open is None, ended)
""".replace("{lease}", repr(LEASE_SECONDS))

# The start screen, reporting the sessions it lists each time they change.
LISTS = """
    def drive():
        when(attached, report)

    def report():
        window().watch.timer.setInterval(300)  # every 3 s in the app
        shown = [None]

        def check():
            ids = window().start.in_progress.session_ids()
            if ids != shown[0]:
                shown[0] = ids
                say("listed", *ids)

        every(100, check)

    run_app_then(drive)
"""

# Creates a session (what the set-up screen's Create calls), then stays on the start screen.
CREATES = """
    def drive():
        when(attached, create)

    def create():
        detail = window().services.sessions.create_session(
            "module4-practice", ["Zoë", "Yuki", "Xavi", "Wren"], title="Team South"
        )
        say("created", detail.id)

    run_app_then(drive)
"""

# Opens the session's console (Resume) and keeps it open.
OPENS = """
    def drive():
        when(attached, lambda: try_open(int(ARGS[2]), opened))

    def opened(refusal):
        say("opened") if refusal is None else say("refused", refusal)

    run_app_then(drive)
"""

# Once the test says go, tries to open the session every 300 ms: the first refusal is said
# with its message, then "opened" once it opens.
KEEPS_TRYING = """
    def drive():
        when(attached, wait_for_go)

    def wait_for_go():
        when(lambda: Path(ARGS[3]).exists(), start_trying)

    def start_trying():
        refused = []

        def attempt():
            try_open(int(ARGS[2]), answered)

        def answered(refusal):
            if refusal is None:
                say("opened")
                return
            if not refused:
                refused.append(refusal)
                say("refused", refusal)
            QTimer.singleShot(300, attempt)

        attempt()

    run_app_then(drive)
"""

# Opens the session, then stops renewing its lease (the laptop sleeps); when the test says go,
# presses Start and records Edit & approve, and says what the console answered to each.
SLEEPS_THEN_ACTS = """
    from PySide6.QtWidgets import QPushButton, QRadioButton

    def drive():
        when(attached, open_then_sleep)

    def open_then_sleep():
        try_open(int(ARGS[2]), sleep)

    def sleep(refusal):
        assert refusal is None, refusal
        window().lease.timer.stop()
        say("opened")
        when(lambda: Path(ARGS[3]).exists(), act)

    LOST = "no longer has this session open"

    def act():
        # The decision first, from the console as the laptop left it (its panel still holds
        # the version it read): were the clock refused first, the screen's re-read could
        # reach the panel before the click, and the write would be refused for the lease
        # instead, a race between two right answers.
        console = window().console
        panel = console.decision
        panel.choices[next(d for d in panel.choices if d.value == "edit_approve")].click()
        panel.record_button.click()
        when(
            lambda: "changed on another device" in panel.message.text(),
            lambda: (say("decision", panel.message.text()), start_clock(console)),
        )

    def start_clock(console):
        win = window()
        win.last_message = None
        console.toggle_button.click()

        def told():
            # In the console's notice, or in the window's message (a write refused on the
            # store worker is told there), whichever says it.
            box = win.last_message
            texts = [console.message.text(), box.text() if box is not None else ""]
            return next((t for t in texts if LOST in t), None)

        when(lambda: told() is not None, lambda: say("clock", told()))

    run_app_then(drive)
"""

# Keeps trying to open the session; once it opens, starts the clock and records Approve.
TAKES_OVER_AND_DECIDES = """
    def drive():
        when(attached, attempt)

    def attempt():
        try_open(
            int(ARGS[2]),
            lambda refusal: decide() if refusal is None else QTimer.singleShot(300, attempt),
        )

    def decide():
        console = window().console
        console.toggle_button.click()
        panel = console.decision
        # The panel reads its round on the store worker: choose once it has.
        when(lambda: panel.record_button.isEnabled() and panel._loaded is not None, choose)

    def choose():
        panel = window().console.decision
        panel.choices[next(d for d in panel.choices if d.value == "approve")].click()
        panel.record_button.click()
        # Recorded on the store worker: the panel says so when the answer comes back.
        when(lambda: panel.message.text(), lambda: say("recorded", panel.message.text()))

    run_app_then(drive)
"""


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database of its own on the server, dropped afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"hotdash_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def new_session(url: str) -> int:
    svc = open_services(db_url=url)
    try:
        return svc.sessions.create_session("module4-practice", PEOPLE).id
    finally:
        svc.close()


def app(tmp_path: Path, name: str, driver: str, url: str, *args: object) -> AppProcess:
    """An app on computer `name`, with its own settings and data folders."""
    return AppProcess(
        ON_SHARED_STORE + driver,
        tmp_path / f"data-{name}",
        url,
        name,
        *args,
        config_dir=tmp_path / f"config-{name}",
    )


def test_a_session_created_in_one_app_appears_in_the_other_without_a_restart(
    tmp_path: Path, pg_url: str
) -> None:
    open_services(db_url=pg_url).close()  # the store, migrated once before both start
    lister = app(tmp_path, "laptop-b", LISTS, pg_url)
    creator: AppProcess | None = None
    try:
        assert lister.expect("listed", timeout=60) == []
        creator = app(tmp_path, "laptop-a", CREATES, pg_url)
        (sid,) = creator.expect("created", timeout=60)
        while True:
            listed = lister.expect("listed", timeout=20)
            if sid in listed:
                break
    finally:
        lister.close()
        if creator is not None:
            creator.close()


def test_a_session_open_in_one_app_is_refused_in_the_other_until_its_lease_lapses(
    tmp_path: Path, pg_url: str
) -> None:
    sid = new_session(pg_url)
    go = tmp_path / "go"
    holder = app(tmp_path, "laptop-a", OPENS, pg_url, sid)
    other = app(tmp_path, "laptop-b", KEEPS_TRYING, pg_url, sid, go)
    try:
        holder.expect("opened", timeout=60)
        go.touch()
        refusal = " ".join(other.expect("refused", timeout=60))
        assert refusal.startswith("Open on laptop-a (")
        assert " since " in refusal and "Close it there first" in refusal

        holder.kill()  # the laptop's app dies: nothing releases the lease
        killed_at = time.monotonic()
        other.expect("opened", timeout=30)
        waited = time.monotonic() - killed_at
        # Not at once (another computer cannot see the process is gone): when the lease lapsed,
        # at most one lease after the last renewal.
        assert 0.5 <= waited <= LEASE_SECONDS + 10, waited
    finally:
        holder.close()
        other.close()


def test_an_app_that_slept_past_its_lease_cannot_overwrite_the_one_that_took_over(
    tmp_path: Path, pg_url: str
) -> None:
    sid = new_session(pg_url)
    go = tmp_path / "go"
    sleeper = app(tmp_path, "laptop-b", SLEEPS_THEN_ACTS, pg_url, sid, go)
    taker: AppProcess | None = None
    try:
        sleeper.expect("opened", timeout=60)
        taker = app(tmp_path, "laptop-a", TAKES_OVER_AND_DECIDES, pg_url, sid)
        recorded = " ".join(taker.expect("recorded", timeout=60))
        assert recorded.startswith("Recorded: Approve")
        go.touch()  # the sleeping laptop wakes up, its console as it left it

        decision = " ".join(sleeper.expect("decision", timeout=30))
        assert decision.startswith("The decision was changed on another device")
        assert "Approve for " in decision
        clock = " ".join(sleeper.expect("clock", timeout=30))
        assert "no longer has this session open" in clock and "laptop-a" in clock

        svc = open_services(db_url=pg_url)
        try:
            detail = svc.sessions.get(sid)
            stored = svc.decisions.get(detail.rounds[0].id)
            assert stored is not None and stored.decision is Decision.APPROVE
            assert stored.version == 1
            lease = svc.leases.holder_of(sid)
            assert lease is not None and lease.host == "laptop-a"
        finally:
            svc.close()
    finally:
        sleeper.close()
        if taker is not None:
            taker.close()


def test_migration_0007_on_postgres_keeps_every_row(pg_url: str) -> None:
    from tests.test_migration_0007 import migrate_0006_to_head

    migrate_0006_to_head(pg_url)


def test_two_apps_opening_the_same_session_at_the_same_moment_one_gets_it(
    pg_url: str,
) -> None:
    apps = [open_services(db_url=pg_url) for _ in range(2)]
    for n, svc in enumerate(apps):
        svc.leases.holder = svc.leases.holder.model_copy(
            update={"host": f"laptop-{n}", "machine": f"machine-{n}"}
        )
    try:
        for _ in range(10):
            sid = apps[0].sessions.create_session("module4-practice", PEOPLE).id
            both = threading.Barrier(2)

            def open_(svc: Services, sid: int = sid, both: threading.Barrier = both) -> str:
                both.wait()
                try:
                    svc.leases.acquire(sid)
                except HeldElsewhere:
                    return "refused"
                return "opened"

            with ThreadPoolExecutor(2) as pool:
                answers = sorted(pool.map(open_, apps))
            assert answers == ["opened", "refused"]
    finally:
        for svc in apps:
            svc.close()
