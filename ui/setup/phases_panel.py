"""Minutes per phase, filled from the plan and adjustable for this session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget

from hotdash_roleplay.plans import MAX_PHASE_MINUTES
from ui.setup.rules import WARN
from ui.widgets.labels import text_label
from ui.widgets.style import set_role

if TYPE_CHECKING:
    from hotdash_roleplay.plans import SessionPlan


class PhasesPanel(QGroupBox):
    """Minutes per phase, filled from the plan; the trainer may adjust them for this session."""

    changed_minutes = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Phase minutes", parent)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.total = text_label("", self, role="", wrap=False)
        self.total.setObjectName("planTotal")
        self.total.setWordWrap(True)
        self.total.setAccessibleName("Total time of the plan")
        outer.addLayout(self.form)
        outer.addWidget(self.total)
        self.boxes: dict[str, QDoubleSpinBox] = {}
        self.defaults: dict[str, int] = {}

    def set_plan(self, plan: SessionPlan) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.boxes = {}
        self.defaults = {str(p.key): round(p.minutes * 60) for p in plan.phases}
        for phase in plan.phases:
            box = QDoubleSpinBox(self)
            box.setRange(0.5, MAX_PHASE_MINUTES)
            box.setSingleStep(0.5)
            box.setDecimals(1)
            box.setSuffix(" min")
            box.setValue(phase.minutes)
            box.setAccessibleName(f"{phase.title} minutes")
            box.setMaximumWidth(120)
            box.valueChanged.connect(self.changed_minutes)
            self.boxes[str(phase.key)] = box
            self.form.addRow(text_label(phase.title, self, buddy=box, wrap=False, plain=False), box)

    def seconds(self) -> dict[str, int]:
        return {key: round(box.value() * 60) for key, box in self.boxes.items()}

    def round_minutes(self) -> float:
        return sum(box.value() for box in self.boxes.values())

    def show_total(self, rounds: int, session_minutes: int | None) -> None:
        """Rounds × the (possibly edited) minutes of a round; over the session's length it
        says so in words, with the role's colour only as a second cue."""
        per_round = self.round_minutes()
        if rounds <= 0:
            self.total.setText(f"Each round: {per_round:g} min")
            set_role(self.total, "muted")
            return
        total = rounds * per_round
        noun = "round" if rounds == 1 else "rounds"
        text = f"{rounds} {noun} × {per_round:g} min = {total:g} min"
        if session_minutes is not None and total > session_minutes:
            text += (
                f"\n{WARN} Longer than the {session_minutes}-minute session: "
                "consider fewer rounds or shorter phases."
            )
            set_role(self.total, "notice")
        else:
            set_role(self.total, "muted")
        self.total.setText(text)

    def changed(self) -> bool:
        return self.seconds() != self.defaults
