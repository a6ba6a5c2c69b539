"""The console's big timer: the clock face and its state in words (never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from hotdash_roleplay.clock import ClockView, Status, Tone
from ui.widgets.style import set_style_property

# The face's size and tone colours: in the widget's own sheet, since the app theme sets a font
# size on every widget. Both colours read on the light and the dark theme (large text).
STYLE = """
QLabel#timerText { font-size: 40pt; font-weight: 700; font-family: "DejaVu Sans Mono", monospace; }
QLabel#timerText[tone="warning"] { color: #b86e00; }
QLabel#timerText[tone="overtime"] { color: #d83a3a; }
"""
# The theme's label roles for the state line: a tinted box adds a second, non-colour cue.
STATE_ROLES = {Tone.NORMAL: "muted", Tone.WARNING: "notice", Tone.OVERTIME: "error"}
STATE_MARKS = {Tone.NORMAL: "", Tone.WARNING: "⚠ ", Tone.OVERTIME: ""}


class TimerWidget(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timer")
        self.setProperty("role", "card")
        self.phase_label = QLabel(self)
        self.phase_label.setObjectName("timerPhase")
        self.phase_label.setProperty("role", "heading")
        self.text_label = QLabel("00:00", self)
        self.text_label.setObjectName("timerText")
        self.setStyleSheet(STYLE)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("timerState")
        for label in (self.phase_label, self.text_label, self.state_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.text_label)
        layout.addWidget(self.state_label)
        self.setAccessibleName("Phase timer")
        self._shown: tuple[object, ...] | None = None

    def set_view(self, view: ClockView) -> None:
        """Show a clock reading; cheap when nothing visible changed (called every repaint)."""
        key = (view.text, view.state_label, view.tone, view.phase_title, view.phase_index)
        if key == self._shown:
            return
        self._shown = key
        self.phase_label.setText(
            f"Phase {view.phase_index + 1} of {view.phase_count}: {view.phase_title}"
        )
        self.text_label.setText(view.text)
        self.state_label.setText(STATE_MARKS[view.tone] + view.state_label)
        tone = view.tone.value
        for widget in (self, self.text_label, self.state_label):
            set_style_property(widget, "tone", tone)
        set_style_property(self.state_label, "role", STATE_ROLES[view.tone])
        self.setProperty("status", view.status.value)
        running = view.status is Status.RUNNING
        self.setAccessibleDescription(
            f"{view.phase_title}: {view.text}, {view.state_label}"
            + ("" if running else " (clock not running)")
        )

    def set_done(self, text: str) -> None:
        """No clock to show (the session is complete)."""
        self._shown = None
        self.phase_label.setText(text)
        self.text_label.setText("—")
        self.state_label.setText("Finished")
        for widget in (self, self.text_label, self.state_label):
            set_style_property(widget, "tone", Tone.NORMAL.value)
        set_style_property(self.state_label, "role", STATE_ROLES[Tone.NORMAL])
