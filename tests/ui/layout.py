"""Pending layout, applied on demand: what Qt does before it paints, without running the loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow

from PySide6.QtCore import QCoreApplication, QEvent


def settle() -> None:
    """Deliver the layout requests Qt has posted, as it would before painting, so geometry read
    or grabbed next is the one the trainer sees. Only layout: timers, sockets and other queued
    work still wait for the event loop (a relayout can post another, e.g. a scroll bar coming or
    going, hence the few passes)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def shown_window() -> MainWindow:
    """This run's main window (an earlier test's may linger, closed, until Qt deletes it)."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    return next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    )
