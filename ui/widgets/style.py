"""Re-styling a widget after a dynamic property the theme matches on (role, tone, state)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a property changed.

    Re-polishing alone recolours but keeps the old frame width: a label then sizes itself
    without the new role's padding and its text is clipped. A StyleChange recomputes it."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the theme matches on; re-style only when it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    restyle(widget)


def set_role(widget: QWidget, role: str) -> None:
    """The theme role ("error", "notice", "ok", "muted", "heading", …) of a widget."""
    set_style_property(widget, "role", role)
