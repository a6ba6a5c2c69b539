"""Qt glue for the room's web page: serve it while the session's console is open and the session
is not finished, on the network interface the trainer chose; tell it every change of the live
session (each open page hears of it at once), and tell the console who joined, drafted,
submitted, and when the operator's own decision arrived.

The address and port are the session's (stored with it): a restarted app serves the page where
the QR code on the wall and every open page expect it. Only when another program took the port
does it move, and then the console and the projector say so.

The server runs on the app's own asyncio loop (qasync); this object only starts and stops it
and turns its change callbacks into Qt signals. Without a running loop (a plain widget test)
it stays stopped and says why through `error`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from hotdash_roleplay.observer import network
from hotdash_roleplay.services.live import Change
from hotdash_roleplay.services.room import ObserverEndpoint
from hotdash_roleplay.status import ChecklistState
from ui import settings
from ui.background import run_in_background

if TYPE_CHECKING:
    from hotdash_roleplay.observer.server import ObserverServer
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.live import LiveSession

log = logging.getLogger(__name__)

GRACE_SECONDS = 10.0  # after the session finishes, open pages get to learn it before we stop
REFRESH_MS = 150  # a burst of observer changes becomes one status query
# The changes that can change who is listed and how far they are (the clock alone cannot).
ROWS_CHANGE = (Change.ROUND, Change.PEOPLE, Change.FEEDBACK)


@dataclass(frozen=True)
class ObserverRow:
    name: str
    joined: bool  # has opened the page and picked their name (this session)
    status: ChecklistState

    @property
    def text(self) -> str:
        if self.status == ChecklistState.SUBMITTED:
            return "submitted"
        if self.status == ChecklistState.DRAFT:
            return "draft"
        return "joined" if self.joined else "not joined"


class ObserverHost(QObject):
    serving_changed = Signal(bool)  # the page is (not) being served; url/code/qr changed
    statuses_changed = Signal()  # rows() changed: someone joined, saved or submitted
    # Names whose stored answers a browser just wrote: an in-app form showing them is stale.
    submissions_changed = Signal(list)
    feedback_changed = Signal(bool)  # the round's feedback opened or closed
    decision_arrived = Signal(str)  # the operator (their name) recorded the decision on a device
    error = Signal(str)  # a message for the trainer (e.g. the interface is gone)

    def __init__(
        self,
        services: Services,
        live: LiveSession,
        parent: QObject | None = None,
        grace_seconds: float = GRACE_SECONDS,
    ) -> None:
        super().__init__(parent)
        from hotdash_roleplay.observer.server import ObserverServer  # aiohttp loads on use

        self._services = services
        self._live = live
        self._server: ObserverServer = ObserverServer(
            services, live, on_change=self._server_changed
        )
        self._busy: asyncio.Task[None] | None = None  # a start or stop in progress
        self._rows: list[ObserverRow] = []
        self._devices: tuple[str, ...] = ()  # everyone whose name a device holds now
        self._round_id: int | None = None
        self._feedback_open = self.feedback_open
        self._qr: QImage | None = None
        self._closed = False
        self._closing: asyncio.Task[None] | None = None
        self._last_error: str | None = None
        self._written: list[str] = []  # observers a browser saved for since the last flush
        self._moved_from: int | None = None  # the session's port, taken by another program
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self._flush)
        self._stop_timer = QTimer(self, singleShot=True, interval=int(grace_seconds * 1000))
        self._stop_timer.timeout.connect(self._grace_ended)
        self._grace_over = False
        live.subscribe(self._live_changed)
        self.refresh()
        self._sync()

    # -- what the console and projector show --------------------------------------------------

    @property
    def serving(self) -> bool:
        return self._server.running

    @property
    def url(self) -> str | None:
        return self._server.url

    @property
    def join_code(self) -> str:
        return self._live.detail.join_code

    @property
    def feedback_open(self) -> bool:
        rnd = self._live.round
        return bool(rnd and rnd.feedback_open)

    @property
    def moved_from(self) -> int | None:
        """The session's usual port when another program held it and the page moved (the
        console and the projector say so while serving on the new one), else None."""
        return self._moved_from if self._server.running else None

    @property
    def last_error(self) -> str | None:
        """Why the page is not served, if starting it failed (cleared once it serves)."""
        return self._last_error

    def qr_image(self) -> QImage:
        """The join URL as a QR code (a null image while not serving)."""
        if self._qr is None:
            url = self._server.url
            self._qr = QImage.fromData(network.qr_png(url, scale=8)) if url else QImage()
        return self._qr

    def rows(self) -> list[ObserverRow]:
        return list(self._rows)

    def on_devices(self) -> tuple[str, ...]:
        """Everyone in the session whose name a device holds now, whatever their role."""
        return self._devices

    @property
    def session_over(self) -> bool:
        """No round left to run: the page is not served (or only for its last grace seconds)."""
        return self._live.round is None or self._live.finished

    def counts(self) -> tuple[int, int]:
        """(submitted, observers) of the current round, for the projector's "3 of 4 in"."""
        return sum(r.status == ChecklistState.SUBMITTED for r in self._rows), len(self._rows)

    def release(self, name: str) -> None:
        """Free `name` for another device: its token is dropped and refused from now on."""
        self._services.observer_access.release(self._live.session_id, name)
        self._server.invalidate()  # the server's cached tokens go too
        self.refresh()

    # -- the network interface setting --------------------------------------------------------

    def interfaces(self) -> list[network.Interface]:
        return network.candidate_interfaces()

    @property
    def interface(self) -> str:
        """The session's address if this machine still has it, else the trainer's saved choice
        (for a new session), else the sensible default."""
        return self._interface(self._endpoint())

    def _interface(self, stored: ObserverEndpoint | None) -> str:
        saved = settings.observer_interface()
        candidates = self.interfaces()
        for address in (stored.address if stored else "", saved):
            if address and any(i.address == address for i in candidates):
                return address
        return network.default_interface(candidates).address

    def set_interface(self, address: str) -> None:
        settings.set_observer_interface(address)
        stored = self._endpoint()
        port = stored.port if stored else None  # the port stays the session's
        self._services.room.set_observer_endpoint(
            self._live.session_id, ObserverEndpoint(address=address, port=port)
        )
        if not self._closed and self._server.running and self._server.host != address:
            self._spawn(self._restart())

    # -- life cycle ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read who joined / drafted / submitted now (one small query each)."""
        rnd = self._live.round
        self._show_rows(self._read_rows(rnd.id) if rnd else ([], ()))

    def refresh_in_background(self, then: Callable[[], None] | None = None) -> None:
        """The same, read on the store worker (behind the writes queued so far); `then` runs
        once the rows are shown."""
        rnd = self._live.round
        if rnd is None:
            self._show_rows(([], ()))
            if then is not None:
                then()
            return

        def shown(seen: tuple[list[ObserverRow], tuple[str, ...]]) -> None:
            self._show_rows(seen)
            if then is not None:
                then()

        worker = self._services.worker
        run_in_background(worker, self, partial(self._read_rows, rnd.id), shown)

    def _read_rows(self, round_id: int) -> tuple[list[ObserverRow], tuple[str, ...]]:
        """This round's observers and their checklists, and everyone on a device now."""
        devices = self._services.observer_access.joined(self._live.session_id)
        joined = {n.casefold() for n in devices}
        rows = [
            ObserverRow(s.observer, s.observer.casefold() in joined, s.status)
            for s in self._services.feedback.statuses(round_id)
        ]
        return rows, tuple(sorted(devices, key=str.casefold))

    def _show_rows(self, seen: tuple[list[ObserverRow], tuple[str, ...]]) -> None:
        rows, devices = seen
        if rows != self._rows or devices != self._devices:
            self._rows, self._devices = rows, devices
            self.statuses_changed.emit()

    def refresh_soon(self) -> None:
        """Refresh after a short pause: many saves in a row (keystrokes) become one query."""
        if not self._closed and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def close_soon(self) -> asyncio.Task[None] | None:
        """Stop serving for good from synchronous code (a window closes). On the running loop
        the server is stopped cleanly (open connections closed) by the returned task; without
        a loop it stops listening at once. Calling it again returns the same task."""
        if self._closing is not None:
            return self._closing
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.shutdown()
            return None
        self._closed = True  # nothing restarts it from here on
        self._closing = loop.create_task(self._close())
        _CLOSING.add(self._closing)  # the loop keeps only a weak reference to tasks
        self._closing.add_done_callback(_closed_task_done)
        return self._closing

    async def aclose(self) -> None:
        """Stop serving for good and wait until it has stopped (the app quits, a test ends)."""
        task = self.close_soon()
        if task is not None:
            await asyncio.wait([task])  # never raises: a failure is logged by its callback

    def shutdown(self) -> None:
        """Synchronous last resort at quit: stop listening now, whatever the loop does next."""
        self._closed = True
        self._forget_live()
        if self._server.running:
            self._server.close_now()
            self._changed_serving()

    # -- internals ----------------------------------------------------------------------------

    async def _close(self) -> None:
        self._forget_live()
        busy = self._busy
        if busy is not None:
            # A start in progress finishes, then it is stopped (a failed start is logged by
            # its own callback). Awaited directly, not through asyncio.wait: at quit this first
            # step may run from Qt's last events, outside the running loop.
            with contextlib.suppress(Exception):
                await busy
        if self._server.running:
            await self._server.stop()
            self._changed_serving()

    def _forget_live(self) -> None:
        self._stop_timer.stop()
        self._refresh_timer.stop()
        self._live.unsubscribe(self._live_changed)  # a closed host must not be called back

    def _live_changed(self, change: Change) -> None:
        self._server.changed(change)
        rnd = self._live.round
        if (rnd.id if rnd else None) != self._round_id:
            self._round_id = rnd.id if rnd else None
            self._written.clear()
        if change in ROWS_CHANGE:  # also when the round's observers changed (left, arrived)
            self.refresh_in_background()
        self._sync()
        if self.feedback_open != self._feedback_open:
            self._feedback_open = self.feedback_open
            self.feedback_changed.emit(self._feedback_open)

    def _sync(self) -> None:
        """Bring the server in line with the session: serve while it is not finished; after it
        finishes, keep answering "finished" for the grace period, then stop."""
        if self._closed or self._busy is not None:
            return
        wanted = self._live.round is not None and not self._live.finished
        if wanted:
            self._stop_timer.stop()
            self._grace_over = False
            if not self._server.running:
                self._spawn(self._start())
        elif self._server.running:
            if self._grace_over:
                self._spawn(self._stop())
            elif not self._stop_timer.isActive():
                self._stop_timer.start()

    def _grace_ended(self) -> None:
        self._grace_over = True
        self._sync()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            self._fail("The observer page needs the app's event loop; it is not served.")
            return
        task = loop.create_task(coro)
        self._busy = task

        def done(t: asyncio.Task[None]) -> None:
            self._busy = None
            if not t.cancelled() and t.exception() is not None:
                log.error("Observer server task failed", exc_info=t.exception())
            self._sync()  # the round may have changed meanwhile

        task.add_done_callback(done)

    def _endpoint(self) -> ObserverEndpoint | None:
        return self._services.room.observer_endpoint(self._live.session_id)

    async def _start(self) -> None:
        worker = self._services.worker
        stored = await worker.run(self._endpoint)
        address = self._interface(stored)
        port = stored.port if stored else None
        self._moved_from = None
        try:
            # The session's port keeps the projected address and QR valid all session long,
            # across restarts of the app; a free one only when another program holds it.
            try:
                await self._server.start(address, port or 0)
            except OSError:
                if not port:
                    raise
                await self._server.start(address, 0)
                self._moved_from = port
        except OSError as exc:
            self._fail(
                f"The observer page cannot be served on {address}: {exc.strerror or exc}. "
                "Choose another network in the observer settings."
            )
            return
        served = ObserverEndpoint(address=address, port=self._server.port)
        if served != stored:
            await worker.run(
                self._services.room.set_observer_endpoint, self._live.session_id, served
            )
        if self._moved_from is not None:
            log.warning("Port %s is taken: the observer page moved to %s", port, self._server.url)
        self._grace_over = False
        self._last_error = None
        self._changed_serving()

    async def _stop(self) -> None:
        await self._server.stop()
        self._changed_serving()

    async def _restart(self) -> None:
        await self._server.stop()
        await self._start()

    def _fail(self, message: str) -> None:
        self._last_error = message
        self.error.emit(message)

    def _changed_serving(self) -> None:
        self._qr = None
        self.serving_changed.emit(self._server.running)

    def _server_changed(self, kind: str, name: str) -> None:
        if self._closed:
            return  # a request still in flight while the server stops
        if kind == "decision":
            self._live.reload(Change.DECISION)  # every panel showing the decision, at once
            self.decision_arrived.emit(name)
            return
        if kind == "note":
            return  # notes show in the records, not in the console's statuses
        if kind in ("draft", "submitted") and name not in self._written:
            self._written.append(name)
        self.refresh_soon()

    def _flush(self) -> None:
        written, self._written = self._written, []

        def tell() -> None:
            if written:
                self.submissions_changed.emit(written)

        self.refresh_in_background(tell)


_CLOSING: set[asyncio.Task[None]] = set()


async def wait_all_closed() -> None:
    """Wait for every server still stopping (e.g. a console closed just before the app quit),
    so the loop does not cancel one half-way when it closes."""
    if _CLOSING:
        await asyncio.wait(list(_CLOSING))


def _closed_task_done(task: asyncio.Task[None]) -> None:
    _CLOSING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("Stopping the observer server failed", exc_info=task.exception())
