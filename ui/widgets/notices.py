"""A message shown in the panel it is about (a refusal, a warning, a confirmation)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.widgets.style import set_role


def show_notice(slot: QLabel, text: str, role: str = "error") -> None:
    """Show `text` in `slot` in the theme's colours for `role`; empty text hides the slot."""
    slot.setText(text)
    set_role(slot, role)
    slot.setVisible(bool(text))
