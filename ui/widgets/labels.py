"""The one label factory: people's and scenarios' text is shown as plain text, never markup."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def text_label(
    text: str = "",
    parent: QWidget | None = None,
    *,
    role: str = "",
    name: str = "",
    muted: bool = False,
    wrap: bool = True,
    plain: bool = True,
    interaction: Qt.TextInteractionFlag | None = None,
    buddy: QWidget | None = None,
) -> QLabel:
    """A label with its theme `role`, object `name` and `muted` tone when given. `plain=False`
    keeps Qt's automatic text format (for the app's own wording only)."""
    out = QLabel(text, parent)
    if plain:
        out.setTextFormat(Qt.TextFormat.PlainText)
    out.setWordWrap(wrap)
    if interaction is not None:
        out.setTextInteractionFlags(interaction)
    if role:
        out.setProperty("role", role)
    if name:
        out.setObjectName(name)
    if muted:
        out.setProperty("muted", "true")
    if buddy is not None:
        out.setBuddy(buddy)
    return out
