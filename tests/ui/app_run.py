"""Drive one in-process run of the app (`run_app`) with timers that end with the run.

`QTimer.singleShot(ms, function)` cannot be cancelled: a safety quit or a poll left pending
when the run ends fires in whichever test runs next, and quits its event loop ("Event loop
stopped before Future completed"). These timers are objects, all stopped when the run ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


class Driver:
    """The run's timers: `after` schedules a call, and every one is stopped by `stop`."""

    def __init__(self) -> None:
        self._timers: list[QTimer] = []

    def after(self, ms: int, call: Callable[[], object]) -> None:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(call)
        timer.start(ms)
        self._timers.append(timer)

    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()
        self._timers.clear()


@contextmanager
def driving(limit_ms: int) -> Iterator[Driver]:
    """A driver whose run is told to quit after `limit_ms` should it hang."""
    driver = Driver()
    driver.after(limit_ms, QApplication.quit)
    try:
        yield driver
    finally:
        driver.stop()
