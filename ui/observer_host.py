"""Qt glue for the room's web page: serve it while the session's console is open and the session
is not finished, on the network interface the trainer chose; tell it every change of the live
session (each open page hears of it at once), and tell the console who joined, drafted,
submitted, and when the operator's own decision arrived.

The address and port are the session's (stored with it): a restarted app serves the page where
the QR code on the wall and every open page expect it. Only when another program took the port
does it move, and then the console and the projector say so.

The server runs on the app's own asyncio loop (qasync); this object only starts and stops it
and turns its change callbacks into Qt signals. Without a running loop (a plain widget test)
it stays stopped and says why through `error`. What it reads and writes in the store (who
joined, the session's address, a released name) goes to the store worker: until the first
answers land, `rows_known` and `endpoint_known` are False (docs/architecture.md, "One event
loop")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from hotdash_roleplay.observer import network
from hotdash_roleplay.services.live import Change
from hotdash_roleplay.services.room import ObserverEndpoint
from hotdash_roleplay.status import ChecklistState
from ui import settings
from ui.background import report, run_in_background

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
    interface_changed = Signal()  # `interface` changed: the session's address was read or chosen
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
        self._rows_known = False  # the first read of them has landed
        # The session's address and port as stored, once read. Every read or write of it is
        # numbered when asked; an answer older than what is shown is dropped (the trainer's
        # choice shows at once, before the worker writes it).
        self._endpoint: ObserverEndpoint | None = None
        self._endpoint_known = False
        self._endpoint_asked = 0
        self._endpoint_shown = 0
        self._move_to: str | None = None  # the trainer chose this network while serving
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
        self.refresh_in_background()
        self._ask_endpoint(self._read_endpoint)
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

    @property
    def rows_known(self) -> bool:
        """Who joined has been read at least once (until then `rows` is empty)."""
        return self._rows_known

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

    def release(self, name: str, on_error: Callable[[BaseException], Any] | None = None) -> None:
        """Free `name` for another device: its token is dropped and refused from now on. Shown
        free at once; the store follows on the worker (a failure goes to `on_error`, and the
        rows are read back)."""
        self._show_rows(
            (
                [replace(r, joined=False) if r.name == name else r for r in self._rows],
                tuple(d for d in self._devices if d.casefold() != name.casefold()),
            )
        )
        # The server forgets its cached tokens now and again once the token is gone: a request
        # asking the store meanwhile is answered behind the release, on the same worker.
        self._server.invalidate()

        def released(_dropped: int) -> None:
            self._server.invalidate()
            self.refresh_in_background()

        def failed(exc: BaseException) -> None:
            self.refresh_in_background()
            (on_error or report)(exc)

        access, session_id = self._services.observer_access, self._live.session_id
        run_in_background(
            self._services.worker, self, partial(access.release, session_id, name), released, failed
        )

    # -- the network interface setting --------------------------------------------------------

    def interfaces(self) -> list[network.Interface]:
        return network.candidate_interfaces()

    @property
    def interface(self) -> str:
        """The session's address if this machine still has it, else the trainer's saved choice
        (for a new session), else the sensible default. Until the session's address is read
        (`endpoint_known`), the saved choice or the default."""
        return self._interface(self._endpoint)

    @property
    def endpoint_known(self) -> bool:
        """The session's stored address has been read (or the trainer chose one since)."""
        return self._endpoint_known

    def _interface(self, stored: ObserverEndpoint | None) -> str:
        saved = settings.observer_interface()
        candidates = self.interfaces()
        for address in (stored.address if stored else "", saved):
            if address and any(i.address == address for i in candidates):
                return address
        return network.default_interface(candidates).address

    def set_interface(self, address: str) -> None:
        """Serve on `address` from now on, for this session and (as the saved choice) for new
        ones. Shown at once; stored on the worker; a page served elsewhere moves to it."""
        settings.set_observer_interface(address)
        port = self._endpoint.port if self._endpoint else None
        self._ask_endpoint(partial(self._store_address, address))
        self._show_endpoint(self._endpoint_asked, ObserverEndpoint(address=address, port=port))
        self._move_to = address
        self._sync()

    def _store_address(self, address: str) -> ObserverEndpoint:
        """On the worker: the session's address becomes `address`; its port stays."""
        room, session_id = self._services.room, self._live.session_id
        stored = room.observer_endpoint(session_id)
        chosen = ObserverEndpoint(address=address, port=stored.port if stored else None)
        room.set_observer_endpoint(session_id, chosen)
        return chosen

    def _ask_endpoint(self, fn: Callable[[], ObserverEndpoint | None]) -> None:
        """Read or write the session's address on the worker; show the answer unless a newer
        one was asked for since."""
        self._endpoint_asked += 1
        asked = self._endpoint_asked

        def failed(exc: BaseException) -> None:
            self._endpoint_known = True  # the choice stays open to the trainer
            self.interface_changed.emit()
            report(exc)

        run_in_background(
            self._services.worker, self, fn, partial(self._show_endpoint, asked), failed
        )

    def _show_endpoint(self, asked: int, endpoint: ObserverEndpoint | None) -> None:
        if asked < self._endpoint_shown:
            return  # older than what is shown (e.g. read before the trainer chose)
        self._endpoint_shown = asked
        self._endpoint, self._endpoint_known = endpoint, True
        self.interface_changed.emit()

    # -- life cycle ---------------------------------------------------------------------------

    def refresh_in_background(self, then: Callable[[], None] | None = None) -> None:
        """Re-read who joined / drafted / submitted on the store worker (behind the writes
        queued so far; one small query each); `then` runs once the rows are shown."""
        rnd = self._live.round
        if rnd is None:
            self._show_rows(([], ()))
            if then is not None:
                then()
            return

        def shown(seen: tuple[list[ObserverRow], tuple[str, ...]]) -> None:
            if self._closed:
                return  # the console closed while it was read
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
        if rows != self._rows or devices != self._devices or not self._rows_known:
            self._rows, self._devices, self._rows_known = rows, devices, True
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
        move_to, self._move_to = self._move_to, None
        if wanted:
            self._stop_timer.stop()
            self._grace_over = False
            if not self._server.running:
                self._spawn(self._start())
            elif move_to is not None and move_to != self._server.host:
                self._spawn(self._restart())
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
            # The round may have changed meanwhile, or the trainer chose another network. A
            # start that failed is not retried at once (it would fail again, over and over):
            # the trainer's next change or choice of network retries it.
            if self._server.running or self._last_error is None or self._move_to is not None:
                self._sync()

        task.add_done_callback(done)

    def _read_endpoint(self) -> ObserverEndpoint | None:
        return self._services.room.observer_endpoint(self._live.session_id)

    async def _start(self) -> None:
        worker = self._services.worker
        self._endpoint_asked += 1
        asked = self._endpoint_asked
        try:
            stored = await worker.run(self._read_endpoint)
        except Exception as exc:
            self._fail(f"The observer page is not served: {self._store_failure(exc)}")
            return
        self._show_endpoint(asked, stored)
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
            self._endpoint_asked += 1
            asked = self._endpoint_asked
            try:
                kept = await worker.run(self._keep_served, stored, served)
            except Exception as exc:  # served all the same; the next start tries again
                report(exc)
            else:
                self._show_endpoint(asked, kept)
        if self._moved_from is not None:
            log.warning("Port %s is taken: the observer page moved to %s", port, self._server.url)
        self._grace_over = False
        self._last_error = None
        self._changed_serving()

    def _keep_served(
        self, read: ObserverEndpoint | None, served: ObserverEndpoint
    ) -> ObserverEndpoint | None:
        """On the worker: store where the page is served (a restart serves it there again),
        unless the trainer chose another network since it was read (the page moves there
        next); returns what is stored."""
        room, session_id = self._services.room, self._live.session_id
        now = room.observer_endpoint(session_id)
        if now is not None and now != read and now.address != served.address:
            return now
        room.set_observer_endpoint(session_id, served)
        return served

    def _store_failure(self, exc: BaseException) -> str:
        return str(self._services.failure(exc) or exc)

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
