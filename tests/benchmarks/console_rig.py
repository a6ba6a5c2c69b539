"""The live console as the benchmarks drive it: the real main window on a qasync loop with a
session of eight people open, a QTimer measuring the Qt loop's stalls, a statement counter on
the store's engine, and a PostgreSQL store reached through a loopback proxy that delays every
packet.

Only what a user sees is touched: the window's public methods, and widgets found by object
name or accessible name, so the benchmarks keep working whatever the panels become."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hotdash_roleplay.services import Services
    from ui.main_window import MainWindow

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay", "Gus", "Hal"]
TICK_MS = 2  # the stall probe's period
PG_ENV = ("HOTDASH_BENCH_PG_URL", "HOTDASH_TEST_PG_URL")


def pg_url() -> str | None:
    for name in PG_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# -- the delaying proxy -------------------------------------------------------------------


class DelayProxy:
    """A TCP proxy on 127.0.0.1 that holds every chunk `delay` seconds before passing it on,
    in each direction, in order: a database server a few milliseconds away. It runs its own
    asyncio loop on its own thread, so a blocked Qt loop cannot stall the network too."""

    def __init__(self, target_host: str, target_port: int, delay: float) -> None:
        self.target = (target_host, target_port)
        self.delay = delay
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="delay-proxy", daemon=True)

    def __enter__(self) -> DelayProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        for sock in (writer, up_writer):
            raw = sock.get_extra_info("socket")
            if raw is not None:
                raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read as it comes; deliver each chunk `delay` after it arrived (latency, not a
        throughput limit: chunks in flight overlap)."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((time.perf_counter() + self.delay, data))
                if not data:
                    break
        except (ConnectionError, OSError):
            queue.put_nowait((0.0, b""))
        with suppress(ConnectionError, OSError):
            await sender


@contextmanager
def pg_database(server_url: str, delay: float) -> Iterator[str]:
    """A fresh database on the server (dropped afterwards), as a URL through a DelayProxy."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"hotdash_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url)
    try:
        with DelayProxy(url.host or "127.0.0.1", url.port or 5432, delay) as proxy:
            yield url.set(host="127.0.0.1", port=proxy.port, database=name).render_as_string(
                hide_password=False
            )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- the app ------------------------------------------------------------------------------


@dataclass
class Probe:
    """The Qt loop's longest gap between ticks of a short timer, and the store's statements."""

    gaps: list[float] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    _last: float = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append(now - self._last)
        self._last = now

    def reset(self) -> None:
        self.gaps.clear()
        self.statements.clear()
        self._last = 0.0

    @property
    def stall_ms(self) -> float:
        return max(self.gaps, default=0.0) * 1000

    @property
    def writes(self) -> int:
        return sum(
            s.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
            for s in self.statements
        )


@dataclass
class Rig:
    services: Services
    window: MainWindow
    console: QWidget
    probe: Probe

    def find(self, cls: type[Any], name: str) -> Any:
        found = self.console.findChild(cls, name)
        if found is None:
            raise RuntimeError(f"no {cls.__name__} named {name!r} in the console")
        return found

    def by_accessible(self, cls: type[Any], start: str) -> Any:
        for widget in self.console.findChildren(cls):
            if widget.accessibleName().startswith(start):
                return widget
        raise RuntimeError(f"no {cls.__name__} called {start!r}… in the console")


async def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


@asynccontextmanager
async def live_console(db_url: str | None) -> AsyncIterator[Rig]:
    """The main window with a new session of eight people open in its console, on the store
    at `db_url` (a scratch SQLite store when None). Runs inside the qasync loop."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from sqlalchemy import event

    from hotdash_roleplay.services import open_services
    from ui.main_window import MainWindow

    scratch = tempfile.TemporaryDirectory(prefix="hotdash-bench-")
    services = open_services(db_url, Path(scratch.name) / "data")
    probe = Probe()

    def counted(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        probe.statements.append(statement)

    event.listen(services.store.engine, "before_cursor_execute", counted)
    session_id = services.sessions.create_session("module4-practice", PEOPLE).id
    window = MainWindow(services)
    window.resize(1280, 860)
    window.show()
    window.activateWindow()
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(probe.tick)
    timer.start()
    try:
        window.open_console(session_id)

        def console() -> QWidget | None:
            found = window.findChild(QWidget, "console")
            label = found.findChild(QWidget, "timerPhase") if found is not None else None
            return found if label is not None and label.text() else None  # type: ignore[attr-defined]

        if not await wait_until(lambda: console() is not None):
            raise RuntimeError("the console never showed the session")
        await wait_until(lambda: QApplication.focusWidget() is not None, 2)
        await asyncio.sleep(0.3)  # first paints and loads settle
        rig = Rig(services, window, console(), probe)  # type: ignore[arg-type]
        yield rig
    finally:
        timer.stop()
        aclose = getattr(window.console, "aclose", None)
        if aclose is not None:
            await aclose()
        window.close()
        window.shutdown()
        scratch.cleanup()


# PySide6 6.12 on Python 3.11 loses a reference to None on every call of a Qt method that
# returns nothing (None is immortal only from 3.12), and Python aborts when the count reaches
# zero: at a few thousand calls a second that is within a minute of benchmark. Extra
# references keep the run alive; they change nothing measured.
_NONE_BALLAST = [None] * 5_000_000


def in_child(path: str, run: Callable[[], None]) -> None:
    """Run the benchmark at `path` in a fresh process (its own QApplication; see the ballast
    above) and pass its lines on; in that process (`--run`), run it and leave at once."""
    if "--run" in sys.argv:
        run()
        sys.stdout.flush()
        os._exit(0)  # no finalization: it would free the ballast
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, path, "--run"], env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    print(out.stdout, end="", flush=True)
    if out.returncode != 0:
        print(f"  (the benchmark process ended with code {out.returncode})")


def run_qasync(scenario: Callable[[], Any]) -> Any:
    """The scenario on the app's kind of loop, with the app's theme and scratch settings."""
    import qasync
    from PySide6.QtCore import QSettings

    from ui import settings
    from ui.app import make_app

    with tempfile.TemporaryDirectory(prefix="hotdash-bench-settings-") as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        make_app()
        settings.set_observer_interface("127.0.0.1")
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            return runner.run(scenario())
