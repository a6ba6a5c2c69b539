"""Typed text saved as it is typed, without a store round trip per key.

A panel's `Autosave` writes what the trainer types on the store worker at most once per
`AUTOSAVE_MS` while the keys come, and once more after the last one; `flush` writes what is
pending at once (the panel's round or question changes, the console closes: `flush_typing`).
The panel's other store calls go through `request` (a `StoreLink`), so `busy` says whether
anything it asked for is still on its way (tests wait on it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from hotdash_roleplay.services.worker import AUTOSAVE_MS, StoreWorker
from ui.background import report, run_in_background

R = TypeVar("R")
T = TypeVar("T")


class StoreLink(QObject):
    """A widget's store calls, on the worker in the order asked; `busy` while any is out."""

    def __init__(self, worker: StoreWorker, owner: QWidget) -> None:
        # The owner is its Qt parent, not held here: a widget that keeps its link must not be
        # kept alive by it once Qt has deleted the widget.
        super().__init__(owner)
        self._worker = worker
        self._in_flight = 0

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def request(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] = report,
    ) -> None:
        """Run `fn` on the worker; its answer (or failure) comes back on the GUI thread while
        the widget lives."""
        owner = self.parent()
        assert owner is not None, "a link lives as its widget's child"
        self._in_flight += 1

        def done(value: T) -> None:
            self._in_flight -= 1
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._in_flight -= 1
            on_error(exc)

        try:
            run_in_background(self._worker, owner, fn, done, failed)
        except RuntimeError:  # the worker has stopped (the app is closing): nothing is out
            self._in_flight -= 1
            raise


class Autosave(StoreLink, Generic[R]):
    """`snapshot` runs on the GUI thread when a write is due: it takes what the form holds and
    returns the store call that writes it (run on the worker), or None when there is nothing
    to write. The answer goes to `on_saved` / `on_failed` on the GUI thread."""

    def __init__(
        self,
        worker: StoreWorker,
        owner: QWidget,
        snapshot: Callable[[], Callable[[], R] | None],
        on_saved: Callable[[R], Any] | None = None,
        on_failed: Callable[[BaseException], Any] = report,
    ) -> None:
        super().__init__(worker, owner)
        self._snapshot = snapshot
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        """Changed since the last write was taken."""
        return self._pending

    @property
    def busy(self) -> bool:
        """A write is pending, or something asked of the store has not answered yet."""
        return self._pending or super().busy

    def changed(self) -> None:
        """The form changed: it is written when the current window ends (one write per
        window however many keys), so the last text is never more than a window old."""
        self._pending = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Write what is pending now."""
        self._timer.stop()
        if not self._pending:
            return
        self._pending = False
        job = self._snapshot()
        if job is not None:
            self.request(job, self._on_saved, self._on_failed)

    def cancel(self) -> None:
        """Drop what is pending (it is being saved another way)."""
        self._timer.stop()
        self._pending = False


def flush_typing(widget: QWidget) -> bool:
    """Write now whatever is being typed anywhere in `widget` (before it closes, or before the
    round its panels show is closed); True if anything was."""
    pending = [a for a in widget.findChildren(Autosave) if a.pending]
    for autosave in pending:
        autosave.flush()
    return bool(pending)
