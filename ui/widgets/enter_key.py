"""Enter presses the focused push button, as Space does, outside dialogs too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# The keypad's Enter comes with the keypad modifier; Shift+Enter and the like are not presses.
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


def press_focused_button(event: QKeyEvent, focus: QWidget | None) -> bool:
    """Press `focus` for an Enter that nothing took on its way up, if it is a push button;
    says whether the key was used.

    Qt lets Enter press a focused button only inside a dialog (a button's autoDefault). Called
    from the window's own key handler, where a key nothing used ends up, this covers every
    button of every screen, also those a screen makes later, while a field that uses Enter (a
    multi-line text, the roster's name field) keeps it and a shortcut keeps its key."""
    if event.key() not in ENTER_KEYS or event.modifiers() not in PLAIN:
        return False
    if not isinstance(focus, QPushButton) or not focus.isEnabled():
        return False
    if not event.isAutoRepeat():  # a held Enter presses once, like a held Space
        focus.click()
    return True
