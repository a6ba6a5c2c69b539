"""The certification process, step by step in the program's order: each recorded step with its
date and name, each open one with its fields and a Record button; why a step cannot be recorded
yet (the service's words) stays next to its button. Recording runs on the store worker: the
button waits, disabled, until the store has answered."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.certification.program import Step
from hotdash_roleplay.certification.views import PersonCertification, StepView
from hotdash_roleplay.credentials.badge import MAX_URL, IssuerDetails, issuer_details
from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import MAX_NAME
from hotdash_roleplay.services.certification import MAX_NOTE, CertificationService
from hotdash_roleplay.services.worker import StoreWorker
from ui import settings
from ui.autosave import StoreLink
from ui.background import report
from ui.certification.certificate_panel import CertificatePanel
from ui.certification.forms import date_edit, picked, remember_name, remembered_name
from ui.certification.issuer_form import IssuerForm
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

Job = Callable[[], PersonCertification]


class StepRow(QFrame):
    """One step: its record, or the fields to record it and what stands in the way. Its Record
    button hands the service call to `submit` (the panel's, which outlives the row)."""

    def __init__(
        self,
        certification: CertificationService,
        submit: Callable[[StepRow, Job], None],
        record: PersonCertification,
        view: StepView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName(f"step_{view.step.value}")
        self._certification = certification
        self._submit = submit
        self._person = record.name
        self.step = view.step
        number = list(Step).index(view.step) + 1
        title = QLabel(f"{number}. {view.step.label}", self)
        title.setProperty("role", "heading")
        what = QLabel(view.step.program_text, self)
        what.setProperty("role", "muted")
        self.status = QLabel(self)
        self.status.setObjectName("stepStatus")
        self.status.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(title, 0, 0)
        grid.addWidget(what, 0, 1, 1, 3)
        grid.addWidget(self.status, 1, 0, 1, 4)
        self.date = date_edit(record.today, self, f"{view.step.label}: date")
        self.by: QLineEdit | QComboBox
        if view.step is Step.PEER_REVIEW:
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.addItems([m.mentee for m in record.mentorships if m.graduated])
            line = combo.lineEdit()
            assert line is not None
            line.setMaxLength(MAX_NAME)
            self.by = combo
        else:
            default = record.name if view.step is Step.SELF_ASSESSMENT else remembered_name()
            self.by = QLineEdit(default, self)
            self.by.setMaxLength(MAX_NAME)
        self.by.setAccessibleName(f"{view.step.label}: {view.step.by_label}")
        self.note = QLineEdit(self)
        self.note.setMaxLength(MAX_NOTE)
        feedback = view.step is Step.PEER_REVIEW
        self.note.setPlaceholderText("The mentee's feedback" if feedback else "Note (optional)")
        self.note.setAccessibleName(
            f"{view.step.label}: {'the mentee’s feedback' if feedback else 'note'}"
        )
        self.email: QLineEdit | None = None
        if view.step is Step.AWARDED:  # the certificate names the recipient's email, hashed
            self.email = QLineEdit(self)
            self.email.setMaxLength(MAX_URL)
            self.email.setPlaceholderText("Recipient's email (optional; hashed in the certificate)")
            self.email.setAccessibleName("Recipient's email for the certificate (optional)")
        self.label = f"Record {view.step.label}"
        self.button = QPushButton(self.label, self)
        self.button.setAccessibleName(f"Record the step {view.step.label}")
        self.button.clicked.connect(self.record)
        # Below the button: showing it moves nothing the pointer is on.
        self.refusal = NoticeSlot(self, lines=4, keep_place=False)
        self.refusal.setObjectName("stepRefusal")
        labels = (("&Date:", self.date), (f"{view.step.by_label}:", self.by), ("Note:", self.note))
        fields = QGridLayout()
        for col, (text, field) in enumerate(labels):
            label = QLabel(text, self)
            label.setBuddy(field)
            fields.addWidget(label, 0, 2 * col)
            fields.addWidget(field, 0, 2 * col + 1)
        fields.setColumnStretch(5, 2)
        fields.setColumnStretch(3, 1)
        fields.addWidget(self.button, 0, 6)
        if self.email is not None:
            email_label = QLabel("&Email:", self)
            email_label.setBuddy(self.email)
            fields.addWidget(email_label, 1, 0)
            fields.addWidget(self.email, 1, 1, 1, 5)
        self.fields = QWidget(self)
        self.fields.setLayout(fields)
        fields.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.fields, 2, 0, 1, 4)
        grid.addWidget(self.refusal, 3, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        self.show_view(view)

    def show_view(self, view: StepView) -> None:
        done = view.record is not None
        if view.record is not None:
            r = view.record
            text = f"Recorded {short_date(r.on)} — {view.step.by_label}: {r.by}"
            if r.note:
                text += f"\n“{r.note}”"
            self.status.setText(text)
            set_role(self.status, "ok")
        elif view.refusal:
            self.status.setText(f"Not yet: {view.refusal}")
            set_role(self.status, "muted")
        else:
            self.status.setText("Can be recorded now.")
            set_role(self.status, "")
        self.fields.setVisible(not done)
        self.refusal.setVisible(False)

    def by_text(self) -> str:
        return self.by.currentText() if isinstance(self.by, QComboBox) else self.by.text()

    def record(self) -> None:
        job = partial(
            self._certification.record_step,
            self._person,
            self.step,
            picked(self.date),
            self.by_text(),
            self.note.text(),
            issuer=saved_issuer() if self.step is Step.AWARDED else None,
            email=self.email.text() if self.email is not None else "",
        )
        self.set_busy(True)
        self._submit(self, job)

    def set_busy(self, busy: bool) -> None:
        """While the store records it: the button says so and takes no second click."""
        self.button.setEnabled(not busy)
        self.button.setText("Recording…" if busy else self.label)

    def refused(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, UserError):
            show_notice(self.refusal, str(exc))
        else:  # a store failure: said in the main window, in the app's words
            show_notice(self.refusal, "Not recorded.")
            report(exc)


def saved_issuer() -> IssuerDetails | None:
    """The organisation from the settings; None when no name is set (the award says so)."""
    name = settings.issuer_name()
    return issuer_details(name, settings.issuer_url()) if name.strip() else None


def issuer_line() -> str:
    name, url = settings.issuer_name(), settings.issuer_url()
    if not name.strip():
        return "No awarding organisation set: the award needs one for its signed certificate."
    return f"Certificates are issued by {name}" + (f" ({url})." if url else ".")


class StepsPanel(QWidget):
    """The six steps; after one is recorded the page shows the new state. Above them: who
    issues the certificates (and the door to change it), and the certificate once awarded."""

    changed = Signal(object)  # PersonCertification

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._certification = certification
        self._link = StoreLink(worker, self)
        self.rows: dict[Step, StepRow] = {}
        self.dialog: QWidget | None = None  # the issuer form open now (tests answer it)
        self.recertification = QLabel(self)
        self.recertification.setObjectName("recertification")
        self.recertification.setWordWrap(True)
        self.issuer = QLabel(issuer_line(), self)
        self.issuer.setObjectName("issuerLine")
        self.issuer.setTextFormat(Qt.TextFormat.PlainText)
        self.issuer.setWordWrap(True)
        self.issuer_button = QPushButton("Certificate issuer…", self)
        self.issuer_button.setAccessibleName(
            "The organisation that issues certificates, and its key"
        )
        self.issuer_button.clicked.connect(self.open_issuer_form)
        issuer_row = QHBoxLayout()
        issuer_row.addWidget(self.issuer, 1)
        issuer_row.addWidget(self.issuer_button)
        self.certificate = CertificatePanel(certification.credentials, worker, self)
        self.certificate.changed.connect(self._certificate_changed)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.recertification)
        self._layout.addLayout(issuer_row)
        self._layout.addWidget(self.certificate)
        self._layout.addStretch(1)
        self._record: PersonCertification | None = None

    def open_issuer_form(self) -> None:
        form = IssuerForm(self._certification.credentials, self)
        form.saved.connect(lambda _details: self.issuer.setText(issuer_line()))
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = form
        form.open()  # window-modal, not exec(): the app's asyncio work keeps running

    def _certificate_changed(self) -> None:
        if self._record is not None:
            self.changed.emit(self._record)

    def _submit(self, row: StepRow, job: Job) -> None:
        # The answer comes to the panel: the page may rebuild the rows while the store works.
        step = row.step
        by = row.by_text() if step is not Step.SELF_ASSESSMENT else ""  # the candidate's own
        self._link.request(
            job, lambda record: self._recorded(by, record), lambda e: self._refused(step, e)
        )

    def _recorded(self, by: str, record: PersonCertification) -> None:
        remember_name(by)
        self.changed.emit(record)

    def _refused(self, step: Step, exc: BaseException) -> None:
        row = self.rows.get(step)
        if row is not None:
            row.refused(exc)
        elif not isinstance(exc, UserError):
            report(exc)

    def set_record(self, record: PersonCertification, issued: IssuedCredential | None) -> None:
        """The page's latest read: the steps, and the certificate once awarded."""
        self._record = record
        self.issuer.setText(issuer_line())
        self.certificate.show_issued(issued)
        for row in self.rows.values():
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        for view in record.steps:
            row = StepRow(self._certification, self._submit, record, view, self)
            self.rows[view.step] = row
            self._layout.insertWidget(self._layout.count() - 1, row)
            row.show()  # now, not on the next turn of the loop: a click may come first
        self.recertification.setText(record.recertification_note)
        self.recertification.setVisible(bool(record.recertification_note))
