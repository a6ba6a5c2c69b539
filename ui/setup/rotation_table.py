"""The generated rotation, rounds × roles, with the cells that break a rule marked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from hotdash_roleplay.names import names_in_line
from hotdash_roleplay.rotation import Role, RoundRoles, Violation
from ui import theme
from ui.setup.rules import WARN
from ui.tables import fit_columns

COLUMNS = ("Scenario", "Operator", "AI System", "Facilitator", "Observers")
ROLE_COLUMN = {Role.OPERATOR: 1, Role.AI_SYSTEM: 2, Role.FACILITATOR: 3, Role.OBSERVER: 4}


class RotationTable(QTableWidget):
    """Rounds × roles, read-only; cells breaking a rule are highlighted, marked and explained."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setAccessibleName("Rotation: rounds by roles")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        fit_columns(self)  # long names are elided with a tooltip, never push columns away

    def show_rounds(
        self,
        rounds: Sequence[RoundRoles],
        scenarios: Sequence[str],
        violations: Sequence[Violation],
    ) -> None:
        self.setRowCount(len(rounds))
        self.setVerticalHeaderLabels([f"Round {i + 1}" for i in range(len(rounds))])
        flagged: dict[tuple[int, int], list[str]] = {}
        rows_flagged: dict[int, list[str]] = {}
        for v in violations:
            if v.round_index is None or v.round_index >= len(rounds):
                continue
            rnd = rounds[v.round_index]
            role = rnd.role_of(v.person) if v.person else None
            if role is None:
                rows_flagged.setdefault(v.round_index, []).append(v.message)
            else:
                flagged.setdefault((v.round_index, ROLE_COLUMN[role]), []).append(v.message)
        for r, rnd in enumerate(rounds):
            cells = [
                scenarios[r] if r < len(scenarios) else "",
                rnd.operator or "Trainer",
                rnd.ai_system or "Trainer",
                rnd.facilitator or "Trainer",
                names_in_line(rnd.observers) or "—",
            ]
            for c, text in enumerate(cells):
                self.setItem(r, c, self._cell(text, flagged.get((r, c))))
            head = QTableWidgetItem(
                f"{WARN} Round {r + 1}" if r in rows_flagged else f"Round {r + 1}"
            )
            if r in rows_flagged:
                head.setToolTip("\n".join(rows_flagged[r]))
            self.setVerticalHeaderItem(r, head)

    @staticmethod
    def _cell(text: str, problems: list[str] | None) -> QTableWidgetItem:
        if not problems:
            item = QTableWidgetItem(text)
            if text == "Trainer":
                font = QFont()
                font.setItalic(True)
                item.setFont(font)
            return item
        item = QTableWidgetItem(f"{WARN} {text}")
        item.setBackground(theme.color("error_bg"))
        item.setForeground(theme.color("error_text"))
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        item.setToolTip("\n".join([text, *problems]))  # the full name too: it may be elided
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, " ".join(problems))
        return item
