"""The session list follows other apps on a shared store, without a restart.

While the watched screen is shown, every few seconds the store worker reads the list's stamp
(how many sessions, when the latest changed: one cheap query); when it has moved since the last
look, `changed` asks the screen to read the list again. The first look after the screen shows
counts as a change, so nothing added between the screen's own reading and the first look is
missed. The GUI thread never waits on the store here."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.views import SessionListStamp
from hotdash_roleplay.services.worker import StoreWorker
from ui.background import run_in_background

WATCH_MS = 3000


class SessionListWatch(QObject):
    changed = Signal()  # another app (or this one) added or changed a session

    def __init__(
        self,
        worker: StoreWorker,
        sessions: SessionService,
        watched: QWidget,
        interval_ms: int = WATCH_MS,
    ) -> None:
        super().__init__(watched)
        self._worker = worker
        self._sessions = sessions
        self._stamp: SessionListStamp | None = None
        self._pending: Future[SessionListStamp] | None = None  # one look at a time
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.look)
        watched.installEventFilter(self)
        if watched.isVisible():
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.timer.start()
        elif event.type() == QEvent.Type.Hide:
            self.timer.stop()
        return False

    def look(self) -> None:
        if self._pending is not None and not self._pending.done():
            return
        try:
            self._pending = run_in_background(
                self._worker, self, self._sessions.list_stamp, self._compare, self._failed
            )
        except RuntimeError:  # the worker has stopped: the app is closing
            self.timer.stop()

    def _compare(self, stamp: SessionListStamp) -> None:
        if stamp != self._stamp:
            self._stamp = stamp
            self.changed.emit()

    def _failed(self, _exc: BaseException) -> None:
        """The server is out of reach for a moment: the list stays as it is and the next look
        tries again (the screen's own refresh says what is wrong when the trainer acts)."""
