"""The base of the certification forms: fields in a form layout, a refusal line that keeps its
place, Save and Cancel. Saving reads the fields here and calls the service on the store worker
(the form waits, its Save button disabled, and closes when the store has answered); a refusal
stays in the form, next to what the person typed, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import MAX_NAME
from hotdash_roleplay.services.worker import StoreWorker
from ui import settings
from ui.autosave import StoreLink
from ui.background import report
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot


def remembered_name() -> str:
    """Who typed the last certification record here: most forms are filled by one person."""
    return settings.certification_name()


def remember_name(name: str) -> None:
    if name.strip():
        settings.set_certification_name(name.strip())


def date_edit(
    today: date, parent: QWidget, accessible: str, value: date | None = None
) -> QDateEdit:
    """A date field that cannot go past today (the service refuses future dates too)."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMaximumDate(QDate(today.year, today.month, today.day))
    edit.setMinimumDate(QDate(2000, 1, 1))
    shown = value or today
    edit.setDate(QDate(shown.year, shown.month, shown.day))
    edit.setAccessibleName(accessible)
    return edit


def picked(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())


def name_edit(parent: QWidget, accessible: str, value: str = "") -> QLineEdit:
    edit = QLineEdit(value, parent)
    edit.setMaxLength(MAX_NAME)
    edit.setAccessibleName(accessible)
    return edit


class RecordForm(QDialog):
    """A dialog that saves one record through the service; `saved` carries what it returned."""

    saved = Signal(object)

    def __init__(
        self, title: str, intro: str, worker: StoreWorker | None, parent: QWidget | None = None
    ) -> None:
        """`worker` None: the form saves nothing in the store (it overrides `submit`)."""
        super().__init__(parent)
        self._link = StoreLink(worker, self) if worker is not None else None
        self.setWindowTitle(title)
        self.setObjectName("certificationForm")
        self.setMinimumWidth(520)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setProperty("role", "muted")
        self.form = QFormLayout()
        self.message = NoticeSlot(self, lines=3)
        self.message.setObjectName("formMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("role", "primary")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def row(self, text: str, field: QWidget) -> QWidget:
        """A labelled field; the label's mnemonic moves the focus to it."""
        label = QLabel(text, self)
        label.setBuddy(field)
        self.form.addRow(label, field)
        return field

    def job(self) -> Callable[[], object]:
        """Read the fields (raise UserError to refuse) and return the service call that saves
        them, run on the store worker."""
        raise NotImplementedError

    def stored(self, result: object) -> None:
        """The store took it (on the GUI thread, before `saved`): remember what helps next."""

    def submit(self) -> None:
        if self._link is None or self._link.busy:
            return
        try:
            job = self.job()
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self.save_button.setEnabled(False)
        self._link.request(job, self._answered, self._refused)

    def _answered(self, result: object) -> None:
        self.save_button.setEnabled(True)
        self.stored(result)
        self.message.hide()
        self.saved.emit(result)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:  # a store failure: said in the main window, in the app's words
            show_notice(self.message, "Not saved.")
            report(exc)

    def _attempt(self, action: Callable[[], object]) -> None:
        """Save at once, on this thread: for a form that keeps its fields outside the store."""
        try:
            result = action()
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self.message.hide()
        self.saved.emit(result)
        self.accept()
