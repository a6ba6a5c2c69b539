"""The operator's own decision in the console's Decision tab: where and when it was recorded with
their time to decide, and the trainer's correction of it, which needs a reason (kept in the
record with the decision it replaced).

The box follows the live session's decision changes: a decision arriving from the operator's
device is read on the store worker and handed to the panel (`arrived`) at once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.room_records import correction_line, previous_line, recorded_line
from hotdash_roleplay.services.decisions import MAX_REASON, DecisionService
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.views import DecisionView
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.status import DecisionSource
from ui.background import run_in_background
from ui.console import follow
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

CORRECT = "&Correct the decision"


class FormDecision(NamedTuple):
    """The decision the panel's form holds, as a correction records it."""

    decision: Decision
    final_reply: str
    rejection_note: RejectionNote | None
    escalation_note: EscalationNote | None


def _plain(label: QLabel, name: str) -> QLabel:
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setMinimumWidth(1)
    return label


class DecisionCorrectionBox(QWidget):
    """Shown while the round's decision is the operator's own (recorded on their device)."""

    arrived = Signal(object)  # DecisionView | None: the round's decision as stored after a change
    corrected = Signal(object)  # DecisionView: the trainer's correction is stored

    def __init__(
        self,
        worker: StoreWorker,
        decisions: DecisionService,
        live: LiveSession,
        read_form: Callable[[], FormDecision],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decisionCorrection")
        self._worker = worker
        self._decisions = decisions
        self._live = live
        self._read_form = read_form  # raises UserError while the form is not a whole decision
        self._view: DecisionView | None = None

        self.correction_label = _plain(QLabel(self), "decisionCorrected")
        set_role(self.correction_label, "notice")
        self.previous_label = _plain(QLabel(self), "decisionPrevious")
        set_role(self.previous_label, "muted")
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("correctionReason")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText("Why it is corrected (kept in the record)")
        self.reason_edit.setAccessibleName("Reason for the correction (required)")
        reason_label = QLabel("&Reason *", self)
        reason_label.setBuddy(self.reason_edit)
        self.correct_button = QPushButton(CORRECT, self)
        self.correct_button.setObjectName("correctDecision")
        self.correct_button.setAccessibleName("Correct the operator's decision")
        self.correct_button.setToolTip(
            "Choose the right decision above and give the reason: the operator's decision "
            "and the reason stay in the record."
        )
        self.correct_button.clicked.connect(self.correct)
        self.reason_edit.returnPressed.connect(self.correct)
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.reason_edit, 1)
        row.addWidget(self.correct_button)
        # Refusals only (the correction itself shows above): no room kept while there is none.
        self.message = NoticeSlot(self, lines=1, keep_place=False)
        self.message.setObjectName("correctionMessage")

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.correction_label)
        box.addWidget(self.previous_label)
        box.addLayout(row)
        box.addWidget(self.message)
        follow(live, self, self._reload, {Change.DECISION})
        self.show_decision(None)

    @property
    def active(self) -> bool:
        """The round's decision is the operator's own: the trainer corrects it, with a reason,
        rather than recording another."""
        return self._view is not None and self._view.source is DecisionSource.DEVICE

    def recorded_text(self, view: DecisionView) -> str | None:
        """What the panel says of an operator's own decision: who, where, when, how long."""
        if view.source is not DecisionSource.DEVICE:
            return None
        return recorded_line(view.operator, view.source, view.seconds_to_decide, view.recorded_at)

    def show_decision(self, view: DecisionView | None) -> None:
        if view is None or view.round_id != (self._view.round_id if self._view else None):
            self.reason_edit.clear()
            self.message.hide()
        self._view = view
        self.setVisible(self.active)
        if view is None or not self.active:
            return
        last = view.correction
        self.correction_label.setVisible(last is not None)
        self.previous_label.setVisible(last is not None)
        if last is not None:
            kept = len(view.corrections)
            self.correction_label.setText(correction_line(last.reason))
            self.previous_label.setText(
                previous_line(last.previous_decision.label, last.corrected_by, last.corrected_at)
                + (f" · {kept} corrections, all kept in the record" if kept > 1 else "")
            )

    # -- correcting ---------------------------------------------------------------------------

    def correct(self) -> None:
        """Stored on the store worker; a missing reason is refused in the core's words."""
        view = self._view
        if view is None or not self.correct_button.isEnabled():
            return
        try:
            form = self._read_form()
        except UserError as exc:
            show_notice(self.message, str(exc), "error")
            return
        round_id, decisions = view.round_id, self._decisions
        reason, trainer = self.reason_edit.text(), self._live.detail.trainer
        self.correct_button.setEnabled(False)
        run_in_background(
            self._worker,
            self,
            lambda: decisions.correct(
                round_id,
                form.decision,
                reason=reason,
                corrected_by=trainer,
                final_reply=form.final_reply,
                rejection_note=form.rejection_note,
                escalation_note=form.escalation_note,
            ),
            self._corrected,
            self._refused,
        )

    def _corrected(self, view: DecisionView) -> None:
        self.correct_button.setEnabled(True)
        self.reason_edit.clear()
        self.message.hide()
        self.show_decision(view)
        self.corrected.emit(view)
        self._live.reload(Change.DECISION)  # the room's pages show the correction too

    def _refused(self, exc: BaseException) -> None:
        self.correct_button.setEnabled(True)
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc), "error")
            self.reason_edit.setFocus()
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)  # the app says it in the window

    # -- following the round ------------------------------------------------------------------

    def _reload(self) -> None:
        rnd = self._live.round
        if rnd is None:
            return
        round_id, decisions = rnd.id, self._decisions
        run_in_background(
            self._worker, self, lambda: decisions.get(round_id), lambda v: self._read(round_id, v)
        )

    def _read(self, round_id: int, view: DecisionView | None) -> None:
        rnd = self._live.round
        if rnd is not None and rnd.id == round_id:  # not a round the session has left
            self.arrived.emit(view)
