"""Store work for widgets: run on the services' one worker, answered on the GUI thread.

A widget never waits on the store: it hands the call to `run_in_background` and gets the
result in `on_done` once the worker has it, on the GUI thread, and only while the widget that
asked is still alive. A failure goes to `on_error`, or by default to the app's exception hook
(a UserError becomes a message in the window)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from hotdash_roleplay.services.worker import StoreWorker

R = TypeVar("R")


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the worker is queued to it."""

    finished = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver)

    @staticmethod
    def _deliver(call: Callable[[], None]) -> None:
        call()


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    return _relay


def gui_thread_caller() -> Callable[[Callable[[], None]], None]:
    """A function that runs a call on the GUI thread, from any thread (get it on the GUI
    thread)."""
    return _the_relay().finished.emit


def report(exc: BaseException) -> None:
    """Tell the trainer through the app's exception hook (a message in the window)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def run_in_background(
    worker: StoreWorker,
    owner: QObject,
    fn: Callable[[], R],
    on_done: Callable[[R], Any] | None = None,
    on_error: Callable[[BaseException], Any] | None = None,
) -> Future[R]:
    """Queue `fn` on the worker; deliver its answer to `on_done` (or its failure to
    `on_error`) on the GUI thread, unless `owner` has been deleted by then."""
    relay = _the_relay()
    future = worker.submit(fn)

    def answered(done: Future[R]) -> None:
        def deliver() -> None:
            if not shiboken6.isValid(owner):
                return
            exc = done.exception()
            if exc is not None:
                (on_error or report)(exc)
            elif on_done is not None:
                on_done(done.result())

        relay.finished.emit(deliver)

    future.add_done_callback(answered)
    return future
