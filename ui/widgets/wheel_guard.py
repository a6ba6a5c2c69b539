"""The mouse wheel changes a spin box or combo box only once it has been clicked or tabbed to.

Scrolling a page with the wheel passes over such fields; Qt's default gives them focus and
changes their value on the way (a phase length, a swap partner). Installed once on the
application, this covers every spin box and combo box, present and future.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, GUARDED):
            return False
        if kind == QEvent.Type.Polish:
            # Not WheelFocus: a wheel turn must not take the focus (and then the value).
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and not _focused(watched):
            event.ignore()  # ignored, it goes on to the parent: the page scrolls
            return True
        return False


def _focused(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Guard every spin box and combo box of the application (once, however often called)."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard
