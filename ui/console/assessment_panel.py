"""The console's Assessment tab, in a certification-assessment session: the assessor marks each
of the 8 decisions correct or not. The mark is pre-filled from the expert decision; marking
otherwise needs a written reason (the service refuses it without one). The running score and
the verdict stay in view; the result is what the candidate's Certification page shows.
It is read and marked on the store worker, again when a decision is recorded or the round
changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.certification.assessment import AssessedRound, Assessment
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.certification import CertificationService
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.worker import StoreWorker
from ui.autosave import StoreLink
from ui.background import report
from ui.console import follow
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

COLUMNS = ("#", "Scenario", "Decision", "Expert decision", "Mark", "Reason")
MAX_REASON = 2000  # what the decision store keeps of a reason


def _decision(value: str | None) -> str:
    if value is None:
        return "not decided yet"
    try:
        return Decision(value).label
    except ValueError:
        return value


def mark_text(r: AssessedRound) -> str:
    if r.correct is None:
        return "—"
    text = "Correct" if r.correct else "Not correct"
    return f"{text} (overridden)" if r.overridden else text


class AssessmentPanel(QWidget):
    def __init__(
        self,
        worker: StoreWorker,
        certification: CertificationService,
        live: LiveSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentPanel")
        self._certification = certification
        self._session_id = live.session_id
        self.link = StoreLink(worker, self)
        self.assessment: Assessment | None = None

        self.candidate = QLabel(self)
        self.candidate.setProperty("role", "heading")
        self.candidate.setTextFormat(Qt.TextFormat.PlainText)
        self.score = QLabel(self)
        self.score.setObjectName("assessmentScore")
        self.score.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("assessmentRounds")
        self.table.setAccessibleName("The assessment's decisions, round by round")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        # Small enough that the marks and a refusal stay in view in the console's tab.
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._load_selected)

        self.round_label = QLabel(self)
        self.round_label.setWordWrap(True)
        self.correct = QRadioButton("&Correct", self)
        self.correct.setAccessibleName("Mark: correct")
        self.not_correct = QRadioButton("&Not correct", self)
        self.not_correct.setAccessibleName("Mark: not correct")
        self.marks = QButtonGroup(self)
        self.marks.addButton(self.correct)
        self.marks.addButton(self.not_correct)
        self.marks.buttonToggled.connect(lambda *_: self._sync_reason())
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setAccessibleName("Reason for overriding the expert decision's verdict")
        reason_label = QLabel("&Reason:", self)
        reason_label.setBuddy(self.reason)
        self.save_button = QPushButton("Save mark", self)
        self.save_button.setProperty("role", "primary")
        self.save_button.setAccessibleName("Save the mark of the selected decision")
        self.save_button.clicked.connect(self.save_mark)
        self.reason.returnPressed.connect(self.save_mark)
        self.message = NoticeSlot(self)
        self.message.setObjectName("assessmentMessage")

        marks = QHBoxLayout()
        marks.addWidget(self.correct)
        marks.addWidget(self.not_correct)
        marks.addWidget(reason_label)
        marks.addWidget(self.reason, 1)
        marks.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.candidate)
        layout.addWidget(self.score)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.round_label)
        layout.addLayout(marks)
        layout.addWidget(self.message)
        follow(live, self, self.refresh, {Change.DECISION, Change.ROUND})
        self.refresh()

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Re-read the assessment on the worker (a decision was recorded, a mark saved)."""
        certification, session_id = self._certification, self._session_id

        def shown(assessment: Assessment) -> None:
            self._show(assessment)
            if then is not None:
                then()

        self.link.request(lambda: certification.assessment(session_id), shown, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.selected() is not None)
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc), "error")
        else:
            report(exc)

    def _show(self, assessment: Assessment) -> None:
        self.assessment = assessment
        self.candidate.setText(
            f"Candidate: {assessment.candidate} · Assessor: {assessment.assessor}"
        )
        self.score.setText(assessment.verdict)
        if assessment.passed:
            role = "ok"
        elif assessment.complete or not assessment.can_still_pass:
            role = "error"
        else:
            role = "notice"
        set_role(self.score, role)
        row = self.table.currentRow()
        self.table.blockSignals(True)
        self.table.setRowCount(len(assessment.rounds))
        for i, r in enumerate(assessment.rounds):
            cells = (
                str(r.number),
                r.scenario_title,
                _decision(r.decision),
                r.expert_decision,
                mark_text(r),
                r.reason,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, col, item)
        self.table.blockSignals(False)
        self.table.selectRow(max(row, 0) if assessment.rounds else -1)
        self._load_selected()

    def selected(self) -> AssessedRound | None:
        row = self.table.currentRow()
        if self.assessment is None or not 0 <= row < len(self.assessment.rounds):
            return None
        return self.assessment.rounds[row]

    def select_round(self, number: int) -> None:
        self.table.selectRow(number - 1)

    def _load_selected(self) -> None:
        r = self.selected()
        decided = r is not None and r.decision is not None
        for widget in (self.correct, self.not_correct, self.reason, self.save_button):
            widget.setEnabled(decided)
        self.message.hide()
        if r is None:
            self.round_label.setText("")
            return
        if not decided:
            self.round_label.setText(
                f"Round {r.number}: no decision recorded yet — record it in the Decision tab."
            )
            return
        expert = (
            "matches the expert decision"
            if r.matched_expert
            else "differs from the expert decision"
            if r.matched_expert is False
            else "has no expert decision to compare with"
        )
        self.round_label.setText(
            f"Round {r.number}: {_decision(r.decision)} {expert} ({r.expert_decision or '—'}). "
            "A mark other than that needs a written reason."
        )
        mark = r.correct if r.correct is not None else r.matched_expert
        self.marks.setExclusive(False)
        self.correct.setChecked(mark is True)
        self.not_correct.setChecked(mark is False)
        self.marks.setExclusive(True)
        self.reason.setText(r.reason)
        self._sync_reason()

    def _chosen(self) -> bool | None:
        if self.correct.isChecked():
            return True
        if self.not_correct.isChecked():
            return False
        return None

    def _sync_reason(self) -> None:
        r = self.selected()
        override = (
            r is not None
            and r.matched_expert is not None
            and self._chosen()
            not in (
                None,
                r.matched_expert,
            )
        )
        self.reason.setPlaceholderText(
            "Required: why this decision is marked against the expert decision"
            if override
            else "Optional"
        )

    def save_mark(self) -> None:
        r = self.selected()
        chosen = self._chosen()
        if r is None or chosen is None:
            show_notice(self.message, "Choose Correct or Not correct first.", "error")
            return
        certification, reason = self._certification, self.reason.text()
        self.save_button.setEnabled(False)  # until the store answers
        self.link.request(
            lambda: certification.mark(r.round_id, chosen, reason),
            lambda _: self.refresh(lambda: self._marked(r.number)),
            self._failed,
        )

    def _marked(self, number: int) -> None:
        if self.assessment is None:
            return
        saved = self.assessment.rounds[number - 1]
        if number < len(self.assessment.rounds):
            self.select_round(number + 1)  # on to the next decision
        show_notice(self.message, f"Round {saved.number} marked {mark_text(saved).lower()}.", "ok")
