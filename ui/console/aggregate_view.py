"""The trainer's summary of the round's submitted checklists."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.checklist import Aggregate
from hotdash_roleplay.status import ChecklistState
from ui.console.checklist_words import STATUS_TEXT
from ui.theme import color
from ui.widgets.labels import text_label


class AggregateView(QWidget):
    """The trainer's summary over submitted checklists: counts, disagreements, agenda."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistAggregate")
        self.coverage = text_label()
        self.coverage.setObjectName("checklistCoverage")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("checklistAggregateTable")
        self.table.setAccessibleName("Checklist counts per criterion")
        self.table.setHorizontalHeaderLabels(
            ["Criterion", "Met", "Not met", "Not observed", "Observers agree?"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda = text_label()
        self.agenda.setObjectName("checklistAgenda")
        self.agenda.setAccessibleName("Debrief agenda")
        self.comments = text_label()
        self.comments.setObjectName("checklistComments")

        layout = QVBoxLayout(self)
        layout.addWidget(self.coverage)
        layout.addWidget(self.table)
        agenda_box = QGroupBox("Debrief agenda: most-missed criteria first")
        QVBoxLayout(agenda_box).addWidget(self.agenda)
        layout.addWidget(agenda_box)
        comments_box = QGroupBox("From the submitted checklists")
        QVBoxLayout(comments_box).addWidget(self.comments)
        layout.addWidget(comments_box)
        layout.addStretch(1)

    def show_round(
        self, summary: Aggregate, statuses: Sequence[tuple[str, ChecklistState]]
    ) -> None:
        """The round's summary (read by the panel) and where each observer's checklist is."""
        waiting = [
            f"{name} ({STATUS_TEXT[s]})" for name, s in statuses if s != ChecklistState.SUBMITTED
        ]
        text = f"Counts over {summary.submissions} submitted checklist(s) of {len(statuses)}."
        if waiting:
            text += " Not in yet: " + ", ".join(waiting) + "."
        self.coverage.setText(text)

        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.table.setRowCount(len(summary.criteria))
        for row, crit in enumerate(summary.criteria):
            cells = [crit.name, str(crit.met), str(crit.not_met), str(crit.not_observed)]
            items = [QTableWidgetItem(value) for value in cells]
            for col, item in enumerate(items):
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
            if crit.disagreement:
                flag = QTableWidgetItem(warn, "Disagree: calibrate")
                flag.setToolTip("Some observers marked it met and others not met.")
                # Style sheets cannot reach item backgrounds: take the theme's notice colour.
                brush = QBrush(color("notice_bg"))
                for item in items:
                    item.setBackground(brush)
                flag.setBackground(brush)
            else:
                flag = QTableWidgetItem("Agree" if summary.submissions > 1 else "–")
            self.table.setItem(row, 4, flag)
        self.table.setCurrentCell(-1, -1)  # no row looks selected before the trainer picks one
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + sum(
            self.table.rowHeight(r) for r in range(self.table.rowCount())
        )
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

        if summary.submissions == 0:
            self.agenda.setText("No checklist submitted yet.")
        elif not summary.agenda:
            self.agenda.setText("Nothing marked not met: ask what made this round work.")
        else:
            lines = []
            for i, crit in enumerate(summary.agenda, start=1):
                line = f"{i}. {crit.name}: not met ×{crit.not_met}, met ×{crit.met}"
                if crit.disagreement:
                    line += "  ⚠ observers disagree"
                lines.append(line)
            self.agenda.setText("\n".join(lines))

        well, improve = summary.went_well, summary.could_improve
        self.comments.setText(
            "What went well:\n"
            + ("\n".join(f"• {w}" for w in well) or "(nothing yet)")
            + "\n\nWhat could improve:\n"
            + ("\n".join(f"• {c}" for c in improve) or "(nothing yet)")
        )
