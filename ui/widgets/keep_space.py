"""A focused button keeps Space and Enter for itself, whatever shortcut a window binds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget


class KeepSpace(QObject):
    """Lets a focused button keep Space (and Enter) for itself.

    The console binds Space to start/pause for all its children; without this, pressing Space
    on a checklist radio or a panel button would toggle the timer instead of ticking it."""

    KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self.KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()  # deliver it as a key press to the button, not to a shortcut
        return False


def keep_space(root: QWidget, guard: KeepSpace) -> None:
    for button in root.findChildren(QAbstractButton):
        button.installEventFilter(guard)
