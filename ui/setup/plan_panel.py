"""The plan, the session's title and trainer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from hotdash_roleplay.names import MAX_NAME
from hotdash_roleplay.plans import MAX_SESSION_TITLE
from ui.widgets.labels import text_label

if TYPE_CHECKING:
    from hotdash_roleplay.plans import SessionPlan


class PlanPanel(QGroupBox):
    """The plan and the session's own settings."""

    plan_changed = Signal()

    def __init__(self, plans: Sequence[SessionPlan], parent: QWidget | None = None) -> None:
        super().__init__("Session", parent)
        self.plans = list(plans)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Session plan")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(24)
        for plan in self.plans:
            self.combo.addItem(plan.title, plan.id)
        self.description = text_label("", self, role="muted", wrap=False)
        self.description.setWordWrap(True)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Session title")
        self.title_edit.setMaxLength(MAX_SESSION_TITLE)
        self.title_edit.setToolTip(f"Up to {MAX_SESSION_TITLE} characters")
        self.title_edit.setAccessibleDescription(f"Up to {MAX_SESSION_TITLE} characters")
        # The field shows its limit ("n / limit") beside it once the title gets long.
        self.title_count = text_label("", self, role="muted", wrap=False)
        self.title_count.setObjectName("titleCount")
        self.title_edit.textChanged.connect(self._count_title)
        self.trainer_edit = QLineEdit(self)
        self.trainer_edit.setAccessibleName("Trainer name")
        self.trainer_edit.setMaxLength(MAX_NAME)
        self.anonymous = QCheckBox("Anonymous feedback in the debrief report", self)
        self.anonymous.setAccessibleName("Anonymous feedback")

        # Qt draws a mnemonic label in pieces, losing kerning ("T&rainer" lost its "r" to the
        # field): the letter sits where no kerning pair breaks (Alt+R was Remembered's too) and
        # the label column gets a character of slack.
        title_row = QHBoxLayout()
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.title_count)
        form = QGridLayout(self)
        form.setHorizontalSpacing(14)
        form.setColumnStretch(1, 1)
        form.addWidget(text_label("&Plan", self, buddy=self.combo, wrap=False, plain=False), 0, 0)
        form.addWidget(self.combo, 0, 1)
        form.addWidget(self.description, 1, 0, 1, 2)
        form.addWidget(
            text_label("&Title", self, buddy=self.title_edit, wrap=False, plain=False), 2, 0
        )
        form.addLayout(title_row, 2, 1)
        trainer_label = text_label(
            "Tra&iner", self, buddy=self.trainer_edit, wrap=False, plain=False
        )
        form.addWidget(trainer_label, 3, 0)
        form.addWidget(self.trainer_edit, 3, 1)
        form.addWidget(self.anonymous, 4, 0, 1, 2)
        form.setRowStretch(5, 1)
        self.ensurePolished()
        metrics = trainer_label.fontMetrics()
        form.setColumnMinimumWidth(
            0, metrics.horizontalAdvance("Trainer") + metrics.averageCharWidth()
        )
        self.combo.currentIndexChanged.connect(self._plan_selected)
        self._plan_selected()
        self._count_title()

    def _count_title(self) -> None:
        count = len(self.title_edit.text())
        self.title_count.setText(f"{count} / {MAX_SESSION_TITLE}")
        self.title_count.setVisible(count >= MAX_SESSION_TITLE * 0.8)

    @property
    def plan(self) -> SessionPlan:
        return self.plans[max(self.combo.currentIndex(), 0)]

    def _plan_selected(self) -> None:
        plan = self.plan
        self.description.setText(plan.description)
        self.title_edit.setPlaceholderText(plan.title)
        self.plan_changed.emit()
