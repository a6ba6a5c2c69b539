"""The question asked when the trainer leaves the console while a phase runs: pause it, or keep
it running for the room (the role-play goes on without the laptop).

Shown with open(), never exec(): a nested modal loop inside a slot would stall the asyncio work
(the observer server) that shares the Qt loop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

PAUSE = "Pause"
KEEP_RUNNING = "Keep running"


class LeaveQuestion(QMessageBox):
    def __init__(self, parent: QWidget, phase_title: str, quitting: bool) -> None:
        leaving = "quit the app" if quitting else "go back to the sessions"
        super().__init__(
            QMessageBox.Icon.Question,
            "Pause the clock?",
            f"{phase_title} is running. Pause it before you {leaving}?",
            parent=parent,
        )
        self.setObjectName("leaveQuestion")
        # Asked over the projector it would take on the projector's white-on-black labels.
        self.setStyleSheet("QLabel { color: palette(window-text); }")
        self.setTextFormat(Qt.TextFormat.PlainText)  # the phase title is the plan's text
        self.setInformativeText(
            "Paused time counts neither in the report nor in the time to decide. If it keeps "
            "running, the room's clock goes on and the console shows it when you come back."
        )
        self.pause_button = self.addButton(PAUSE, QMessageBox.ButtonRole.AcceptRole)
        self.keep_button = self.addButton(KEEP_RUNNING, QMessageBox.ButtonRole.DestructiveRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.pause_button)
        self.setEscapeButton(self.cancel_button)  # Esc and the window's close: stay
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
