"""The person's signed certificate on the Process tab: its id, issuer, validity and status,
with Save certificate JSON… and Revoke certificate… (a reason is required)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.credentials import MAX_REASON, CredentialService
from hotdash_roleplay.services.worker import StoreWorker
from ui import settings
from ui.autosave import StoreLink
from ui.background import report
from ui.certification.forms import RecordForm, name_edit, remember_name, remembered_name
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role


class RevokeForm(RecordForm):
    def __init__(
        self,
        credentials: CredentialService,
        worker: StoreWorker,
        issued: IssuedCredential,
        parent: QWidget | None,
    ) -> None:
        super().__init__(
            "Revoke the certificate",
            f"Revoking {issued.person}'s certificate ({issued.credential_id}) cannot be undone. "
            "The person is no longer certified; verifiers using this store report it revoked, "
            "with the reason; export the revocation list for verifiers elsewhere.",
            worker,
            parent,
        )
        self.setObjectName("revokeForm")
        self._credentials = credentials
        self._id = issued.credential_id
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Reason for revoking")
        self.reason.setTabChangesFocus(True)
        self.by: QLineEdit = name_edit(self, "Who revokes it", remembered_name())
        self.row("&Reason:", self.reason)
        self.row("&By:", self.by)
        self.save_button.setText("Revoke")
        self.save_button.setIcon(QIcon())  # not the Save icon

    def job(self) -> Callable[[], IssuedCredential]:
        text = self.reason.toPlainText()
        if len(text) > MAX_REASON:
            raise UserError(f"The reason can be at most {MAX_REASON} characters long.")
        return partial(self._credentials.revoke, self._id, text, self.by.text())

    def stored(self, result: object) -> None:
        remember_name(self.by.text())


class CertificatePanel(QFrame):
    """Hidden until the award has issued a certificate. It shows the certificate the page read;
    saving and revoking run on the store worker."""

    changed = Signal()

    def __init__(
        self, credentials: CredentialService, worker: StoreWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("certificatePanel")
        self._credentials = credentials
        self._worker = worker
        self._link = StoreLink(worker, self)
        self.issued: IssuedCredential | None = None
        self.dialog: QWidget | None = None  # the form or file dialog open now
        title = QLabel("Signed certificate (Open Badges 3.0)", self)
        title.setProperty("role", "heading")
        self.details = QLabel(self)
        self.details.setObjectName("certificateDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("certificateStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save certificate JSON…", self)
        self.save_button.setAccessibleName("Save the signed certificate as a JSON file")
        self.save_button.clicked.connect(self._ask_save)
        self.revoke_button = QPushButton("Revoke certificate…", self)
        self.revoke_button.setAccessibleName("Revoke the certificate, with a reason")
        self.revoke_button.clicked.connect(self.open_revoke_form)
        self.message = NoticeSlot(self, lines=2, keep_place=False)  # below the buttons
        self.message.setObjectName("certificateMessage")
        grid = QGridLayout(self)
        grid.addWidget(title, 0, 0, 1, 3)
        grid.addWidget(self.details, 1, 0, 1, 3)
        grid.addWidget(self.status, 2, 0, 1, 3)
        grid.addWidget(self.save_button, 3, 0)
        grid.addWidget(self.revoke_button, 3, 1)
        grid.addWidget(self.message, 4, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        self.setVisible(False)

    def show_issued(self, issued: IssuedCredential | None) -> None:
        """The person's latest certificate, or None before the award."""
        self.issued = issued
        self.setVisible(issued is not None)
        if issued is None:
            return
        self.details.setText(
            f"Id: {issued.credential_id}\n"
            f"Issuer: {issued.issuer_name} — {issued.issuer_did}\n"
            f"Valid from {short_date(issued.awarded_on)} until {short_date(issued.valid_until)}"
            f" (annual recertification)\nDigest: {issued.digest}"
        )
        if issued.revoked:
            self.status.setText(issued.revocation_line)
            set_role(self.status, "error")
        else:
            self.status.setText("Issued, not revoked. The certification record PDF carries it.")
            set_role(self.status, "ok")
        self.revoke_button.setEnabled(not issued.revoked)

    def open_revoke_form(self) -> None:
        if self.issued is None:
            return
        form = RevokeForm(self._credentials, self._worker, self.issued, self)
        form.saved.connect(self._revoked)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = form
        form.open()  # window-modal, not exec(): the app's asyncio work keeps running

    def _revoked(self, issued: IssuedCredential) -> None:
        self.show_issued(issued)
        show_notice(self.message, "The certificate is revoked.", "ok")
        self.changed.emit()

    def _ask_save(self) -> None:
        if self.issued is None:
            return
        name = f"Certificate - {self.issued.person}.json"
        folder = Path(settings.export_folder() or Path.home())  # beside the last record PDF
        dialog = QFileDialog(self, "Save the certificate", str(folder / name))
        dialog.setObjectName("certificateDialog")
        dialog.setNameFilter("Certificate (*.json)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda chosen: self.save_json(Path(chosen)))
        self.dialog = dialog
        dialog.open()

    def save_json(self, target: Path) -> None:
        if self.issued is None:
            return
        self.save_button.setEnabled(False)
        self._link.request(
            partial(self._credentials.save_json, self.issued.credential_id, target),
            self._saved,
            self._not_saved,
        )

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        show_notice(self.message, f"Saved as {path}.", "ok")

    def _not_saved(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report(exc)
