"""The certificate issuer: the organisation named in every certificate (kept in the app's
settings), the issuer key's did, and the key's export and import for a backup or a second
signing machine, each behind its warning."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from hotdash_roleplay.credentials.badge import MAX_ORG_NAME, MAX_URL, issuer_details
from hotdash_roleplay.credentials.keyfile import EXPORT_WARNING
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.credentials import CredentialService
from ui import settings
from ui.certification.forms import RecordForm
from ui.widgets.notices import show_notice

JSON_FILTER = "Key file (*.json)"
IMPORT_WARNING = (
    "Importing makes this machine sign certificates with that key (its did). It never replaces "
    "a different key already here."
)


class IssuerForm(RecordForm):
    """Organisation name and web address; the key's did, Export key…, Import key…"""

    def __init__(self, credentials: CredentialService, parent: QWidget | None = None) -> None:
        super().__init__(
            "Certificate issuer",
            "Every certificate awarded here is signed in this organisation's name and names "
            "its web address. The key that signs stays in this computer's data folder.",
            None,  # its fields are the app's settings and a key file, not the store's rows
            parent,
        )
        self.setObjectName("issuerForm")
        self._credentials = credentials
        self.name = QLineEdit(settings.issuer_name(), self)
        self.name.setMaxLength(MAX_ORG_NAME)
        self.name.setAccessibleName("Organisation name")
        self.url = QLineEdit(settings.issuer_url(), self)
        self.url.setMaxLength(MAX_URL)
        self.url.setPlaceholderText("https://…")
        self.url.setAccessibleName("Organisation web address")
        self.did = QLabel(self)
        self.did.setObjectName("issuerDid")
        self.did.setWordWrap(True)
        self.did.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row("Organisation &name:", self.name)
        self.row("&Web address:", self.url)
        self.form.addRow("Issuer (did:key):", self.did)
        warning = QLabel(f"Issuer key backup: {EXPORT_WARNING} {IMPORT_WARNING}", self)
        warning.setObjectName("keyWarning")
        warning.setWordWrap(True)
        warning.setProperty("role", "notice")
        self.export_button = QPushButton("Export issuer key…", self)
        self.export_button.setAccessibleName("Export the issuer key to a file (backup)")
        self.export_button.clicked.connect(self._ask_export)
        self.import_button = QPushButton("Import issuer key…", self)
        self.import_button.setAccessibleName("Import an issuer key file")
        self.import_button.clicked.connect(self._ask_import)
        keys = QHBoxLayout()
        keys.addWidget(self.export_button)
        keys.addWidget(self.import_button)
        keys.addStretch(1)
        self.form.addRow(warning)
        self.form.addRow(keys)
        self.file_dialog: QFileDialog | None = None  # the one open now (tests answer it)
        self._show_did()

    def _show_did(self) -> None:
        did = self._credentials.issuer_did()
        self.did.setText(did or "No key yet: it is made with the first certificate awarded.")
        self.export_button.setEnabled(did is not None)

    def submit(self) -> None:
        self._attempt(self.save)

    def save(self) -> object:
        details = issuer_details(self.name.text(), self.url.text())
        settings.set_issuer(details.name, details.url)
        return details

    def _file_dialog(self, caption: str, save: bool) -> QFileDialog:
        dialog = QFileDialog(self, caption, str(Path.home() / "hotdash-issuer-key.json"))
        dialog.setNameFilter(JSON_FILTER)
        dialog.setObjectName("keyFileDialog")
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.file_dialog = dialog
        return dialog

    def _ask_export(self) -> None:
        dialog = self._file_dialog("Export the issuer key — keep it private", save=True)
        dialog.fileSelected.connect(lambda chosen: self.export_key(Path(chosen)))
        dialog.open()

    def _ask_import(self) -> None:
        dialog = self._file_dialog("Import an issuer key", save=False)
        dialog.fileSelected.connect(lambda chosen: self.import_key(Path(chosen)))
        dialog.open()

    def export_key(self, target: Path) -> None:
        try:
            path = self._credentials.export_key(target)
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        show_notice(
            self.message, f"The issuer key is saved as {path} (only you can read it).", "ok"
        )

    def import_key(self, source: Path) -> None:
        try:
            did = self._credentials.import_key(source)
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self._show_did()
        show_notice(self.message, f"This machine now signs as {did}.", "ok")
