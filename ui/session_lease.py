"""Keeping the open session's lease while its console is open (see services/leases.py).

Every third of the lease's life the store worker renews it; if another app has taken it over
meanwhile (this laptop slept past it), `lost` carries the message to show, and the window
leaves the console, whose writes the store refuses by then anyway. `release` frees the session
for other apps when the console closes."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, QTimer, Signal

from hotdash_roleplay.services.leases import LeaseLost, LeaseService
from hotdash_roleplay.services.worker import StoreWorker
from ui.background import run_in_background


class LeaseKeeper(QObject):
    lost = Signal(str)  # why this app no longer has the session

    def __init__(
        self,
        worker: StoreWorker,
        leases: LeaseService,
        session_id: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._leases = leases
        self.session_id = session_id
        self._pending: Future[None] | None = None  # one renewal at a time
        self.timer = QTimer(self)
        self.timer.setInterval(round(leases.renew_seconds * 1000))
        self.timer.timeout.connect(self.renew)
        self.timer.start()

    def renew(self) -> None:
        if self._pending is not None and not self._pending.done():
            return
        try:
            self._pending = run_in_background(
                self._worker,
                self,
                lambda: self._leases.renew(self.session_id),
                None,
                self._failed,
            )
        except RuntimeError:  # the worker has stopped: the app is closing
            self.timer.stop()

    def release(self) -> None:
        """The console closes: free the session (after any write still queued for it)."""
        self.timer.stop()
        try:
            self._worker.submit(self._leases.release, self.session_id)
        except RuntimeError:  # the app is closing: closing the services releases it
            return

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LeaseLost):
            self.timer.stop()
            self.lost.emit(str(exc))
        # Anything else (the server out of reach for a moment): the next renewal tries again,
        # and the lease lasts three renewals.
