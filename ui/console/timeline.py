"""The round's phase timeline: each phase's planned and actual time, the current one marked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from hotdash_roleplay.clock import ClockView, PhaseSummary, Status, format_duration
from ui.widgets.style import set_style_property


def planned_text(phase: PhaseSummary) -> str:
    planned = format_duration(phase.planned_seconds)
    delta = phase.adjusted_planned_seconds - phase.planned_seconds
    if not delta:
        return planned
    sign = "+" if delta > 0 else "−"
    adjusted = format_duration(phase.adjusted_planned_seconds)
    return f"{adjusted} ({planned} {sign}{format_duration(abs(delta))})"


def actual_text(phase: PhaseSummary) -> str:
    actual = format_duration(phase.actual_seconds)
    if phase.overran:
        return f"{actual} (over by {format_duration(phase.over_seconds)})"
    return actual


def phase_state(index: int, view: ClockView) -> str:
    """done / now / next: words shown next to the title, and a property the theme can match."""
    if view.status is Status.FINISHED or index < view.phase_index:
        return "done"
    if index == view.phase_index and view.status is not Status.READY:
        return "now"
    return "next"


STATE_MARKS = {"done": "✓ ", "now": "▶ ", "next": ""}


class Timeline(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setProperty("role", "card")
        self.setAccessibleName("Phase timeline, planned and actual")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(10, 6, 10, 6)
        self._grid.setHorizontalSpacing(14)
        for row, text in enumerate(("Phase", "Planned", "Actual")):
            head = QLabel(text, self)
            head.setProperty("role", "muted")
            self._grid.addWidget(head, row, 0)
        self.title_labels: list[QLabel] = []
        self.planned_labels: list[QLabel] = []
        self.actual_labels: list[QLabel] = []
        self._shown: list[tuple[str, str, str]] = []

    def _ensure_columns(self, count: int) -> None:
        while len(self.title_labels) < count:
            col = len(self.title_labels) + 1
            for row, store in enumerate(
                (self.title_labels, self.planned_labels, self.actual_labels)
            ):
                label = QLabel(self)
                label.setObjectName(f"timeline{('Title', 'Planned', 'Actual')[row]}{col - 1}")
                label.setTextFormat(Qt.TextFormat.PlainText)
                self._grid.addWidget(label, row, col)
                store.append(label)
            self._grid.setColumnStretch(col, 1)

    def set_state(self, view: ClockView, phases: list[PhaseSummary]) -> None:
        self._ensure_columns(len(phases))
        rows = [
            (STATE_MARKS[phase_state(i, view)] + p.title, planned_text(p), actual_text(p))
            for i, p in enumerate(phases)
        ]
        if rows == self._shown:
            return
        self._shown = rows
        for i, (title, planned, actual) in enumerate(rows):
            state = phase_state(i, view)
            self.title_labels[i].setText(title)
            self.planned_labels[i].setText(planned)
            self.actual_labels[i].setText(actual)
            set_style_property(self.title_labels[i], "role", "heading" if state == "now" else "")
            for label in (self.title_labels[i], self.actual_labels[i]):
                set_style_property(label, "state", state)
            set_style_property(self.actual_labels[i], "role", "error" if phases[i].overran else "")
