"""The forms that record a candidate's evidence: a module completed, the AI improvement
report (and its reviewer), a mentee (and their graduation), a contribution to training
materials. Each saves through the certification service and shows its refusal in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from hotdash_roleplay.certification.evidence import (
    AIReport,
    Attachment,
    Contribution,
    Mentorship,
    ModuleCompletion,
    PlayedSession,
    read_attachment,
)
from hotdash_roleplay.certification.program import MODULES, ROLE_PLAY_MODULE, ContributionKind
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.services.certification import MAX_TEXT, MAX_TITLE, CertificationService
from hotdash_roleplay.services.worker import StoreWorker
from ui.certification.forms import (
    RecordForm,
    date_edit,
    name_edit,
    picked,
    remember_name,
    remembered_name,
)
from ui.console.decision_panel import limited_box


class FileField(QWidget):
    """A file to attach: its path, typed or chosen (the dialog does not block the loop)."""

    def __init__(self, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("No file (the text below is the content)")
        self.path.setAccessibleName(accessible)
        self.choose = QPushButton("Choose…", self)
        self.choose.setAccessibleName(f"Choose the file: {accessible}")
        self.choose.clicked.connect(self._choose)
        self.setFocusProxy(self.path)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.dialog: QFileDialog | None = None

    def _choose(self) -> None:
        self.dialog = QFileDialog(self, "Attach a file", str(Path.home()))
        self.dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.dialog.fileSelected.connect(self.path.setText)
        self.dialog.open()

    def attachment(self) -> Attachment | None:
        """The chosen file read whole, None when none is given; UserError when unreadable."""
        text = self.path.text().strip()
        return read_attachment(text) if text else None


def text_box(parent: QWidget, accessible: str, limit: int) -> tuple[QPlainTextEdit, QWidget]:
    edit = QPlainTextEdit(parent)
    edit.setAccessibleName(accessible)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(90)
    holder, _limit = limited_box(edit, limit, parent)
    return edit, holder


class ModuleForm(RecordForm):
    """A module completed: which, when, who confirmed it. Module 4 shows the practice
    sessions the person played in this app, its evidence."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        today: date,
        played: tuple[PlayedSession, ...],
        done: tuple[ModuleCompletion, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Module completed — {person}",
            "Record a completed advanced module (recording it again corrects the date or the "
            "confirmer).",
            worker,
            parent,
        )
        self._certification = certification
        self._person = person
        self._done = {m.module: m for m in done}
        self.module = QComboBox(self)
        self.module.setAccessibleName("Module")
        for number, title in MODULES.items():
            self.module.addItem(title, number)
        first_open = next((m for m in MODULES if m not in self._done), 1)
        self.module.setCurrentIndex(list(MODULES).index(first_open))
        self.completed = date_edit(today, self, "Completed on")
        self.confirmed = name_edit(self, "Confirmed by", remembered_name())
        sessions = "\n".join(
            f"{p.title} — {short_date(p.played_on)}, {p.rounds_played} rounds played"
            for p in played
        )
        self.played = QPlainTextEdit(sessions or "No practice session played in this app yet.")
        self.played.setParent(self)
        self.played.setReadOnly(True)
        self.played.setAccessibleName("Practice sessions played in this app (Module 4)")
        self.played.setMaximumHeight(110)
        self.row("&Module:", self.module)
        self.row("Completed &on:", self.completed)
        self.row("Confirmed &by:", self.confirmed)
        self.played_row = self.row("Practice sessions:", self.played)
        self.module.currentIndexChanged.connect(self._module_changed)
        self._module_changed()

    def _module_changed(self) -> None:
        number = int(self.module.currentData())
        is_role_play = number == ROLE_PLAY_MODULE
        self.played.setVisible(is_role_play)
        label = self.form.labelForField(self.played)
        if label is not None:
            label.setVisible(is_role_play)
        known = self._done.get(number)
        if known is not None:
            day = known.completed_on
            self.completed.setDate(QDate(day.year, day.month, day.day))
            self.confirmed.setText(known.confirmed_by)

    def job(self) -> Callable[[], ModuleCompletion]:
        return partial(
            self._certification.record_module, self._person, int(self.module.currentData()),
            picked(self.completed), self.confirmed.text(),
        )  # fmt: skip

    def stored(self, result: object) -> None:
        remember_name(self.confirmed.text())


class ReportForm(RecordForm):
    """The AI improvement report: typed text or an attached file (or both), its date, and the
    reviewer when known."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"AI improvement report — {person}",
            "Document the patterns and recommendations: type the report, attach its file, or "
            "both. The reviewer can be added later.",
            worker,
            parent,
        )
        self._certification = certification
        self._person = person
        self.title = QLineEdit(self)
        self.title.setMaxLength(MAX_TITLE)
        self.title.setAccessibleName("Report title")
        self.submitted = date_edit(today, self, "Submitted on")
        self.reviewer = name_edit(self, "Reviewer (optional)")
        self.file = FileField("Report file", self)
        self.text, holder = text_box(self, "Report text", MAX_TEXT)
        self.row("&Title:", self.title)
        self.row("&Submitted on:", self.submitted)
        self.row("&Reviewer:", self.reviewer)
        self.row("&File:", self.file)
        self.row("Te&xt:", holder)

    def job(self) -> Callable[[], AIReport]:
        return partial(
            self._certification.submit_ai_report,
            self._person,
            self.title.text(),
            picked(self.submitted),
            text=self.text.toPlainText(),
            attachment=self.file.attachment(),
            reviewer=self.reviewer.text(),
        )


class ReviewerForm(RecordForm):
    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        report: AIReport,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Reviewer — {report.title}", "Who reviewed the report.", worker, parent)
        self._certification = certification
        self._report = report
        self.reviewer = name_edit(self, "Reviewer", report.reviewer or remembered_name())
        self.row("&Reviewer:", self.reviewer)

    def job(self) -> Callable[[], AIReport]:
        return partial(
            self._certification.set_report_reviewer, self._report.id, self.reviewer.text()
        )

    def stored(self, result: object) -> None:
        remember_name(self.reviewer.text())


class MentorshipForm(RecordForm):
    """A new operator mentored: the mentee and the start; the graduation when it happened."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Mentoring — {person}",
            "A new operator mentored to independent operation. The mentee's feedback is the "
            "process's Peer Review step (on the Process tab).",
            worker,
            parent,
        )
        self._certification = certification
        self._person = person
        self.mentee = name_edit(self, "Mentee")
        self.started = date_edit(today, self, "Mentoring started on")
        self.graduated_check = QCheckBox("&Graduated to independent operation on", self)
        self.graduated = date_edit(today, self, "Graduated on")
        self.graduated.setEnabled(False)
        self.graduated_check.toggled.connect(self.graduated.setEnabled)
        self.row("&Mentee:", self.mentee)
        self.row("&Started on:", self.started)
        self.form.addRow(self.graduated_check, self.graduated)

    def job(self) -> Callable[[], Mentorship]:
        graduated_on = picked(self.graduated) if self.graduated_check.isChecked() else None
        return partial(
            self._certification.add_mentorship,
            self._person,
            self.mentee.text(),
            picked(self.started),
            graduated_on=graduated_on,
        )


class GraduationForm(RecordForm):
    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        mentorship: Mentorship,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Graduation — {mentorship.mentee}",
            f"{mentorship.mentee} (mentored from {short_date(mentorship.started_on)}) graduated "
            "to independent operation.",
            worker,
            parent,
        )
        self._certification = certification
        self._mentorship = mentorship
        self.graduated = date_edit(today, self, "Graduated on", mentorship.graduated_on)
        self.row("&Graduated on:", self.graduated)

    def job(self) -> Callable[[], Mentorship]:
        return partial(
            self._certification.record_graduation, self._mentorship.id, picked(self.graduated)
        )


class ContributionForm(RecordForm):
    """A contribution to training materials: an FAQ addition, a scenario or an improvement."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Contribution to training materials — {person}",
            "An FAQ addition, a scenario or an improvement: its text, its file, or both.",
            worker,
            parent,
        )
        self._certification = certification
        self._person = person
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of contribution")
        for kind in ContributionKind:
            self.kind.addItem(kind.label, kind.value)
        self.title = QLineEdit(self)
        self.title.setMaxLength(MAX_TITLE)
        self.title.setAccessibleName("Contribution title")
        self.contributed = date_edit(today, self, "Contributed on")
        self.file = FileField("Contribution file", self)
        self.text, holder = text_box(self, "Contribution text", MAX_TEXT)
        self.row("&Kind:", self.kind)
        self.row("&Title:", self.title)
        self.row("&Date:", self.contributed)
        self.row("&File:", self.file)
        self.row("Te&xt:", holder)
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def job(self) -> Callable[[], Contribution]:
        return partial(
            self._certification.add_contribution,
            self._person,
            str(self.kind.currentData()),
            self.title.text(),
            picked(self.contributed),
            text=self.text.toPlainText(),
            attachment=self.file.attachment(),
        )
