"""Export actions the screens call: the debrief report, a peer-review record, a certification
record, a session's data, and importing a colleague's session.

Each action asks for the file with a non-blocking QFileDialog (`open()`, never `exec()`, so
it is safe from an async slot on the qasync loop), runs the work on a thread of its own (a
PDF takes up to a second: the Qt loop must keep running) with its store reads on the store
worker, shows a non-modal busy indicator, and when done offers to open the file or its folder.
Errors are shown as messages.

Pass `path=` to skip the file dialog (tests, or a caller that already knows the target)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from ui import settings, theme
from ui.background import report, run_in_background

if TYPE_CHECKING:
    from hotdash_roleplay.services.certification import CertificationService
    from hotdash_roleplay.services.people import PeopleService
    from hotdash_roleplay.services.reports import ReportService
    from hotdash_roleplay.services.session_data import SessionDataService
    from hotdash_roleplay.services.sessions import SessionService
    from hotdash_roleplay.services.worker import StoreWorker

log = logging.getLogger(__name__)
R = TypeVar("R")

PDF_FILTER = "PDF documents (*.pdf)"
JSON_FILTER = "Session data, importable (*.json)"
CSV_FILTER = "Spreadsheet (*.csv)"


class ExportJob(QObject):
    """One export on a thread of its own (building a PDF is no store work: what it reads, it
    reads on the store worker); its signals arrive on the UI thread (queued)."""

    succeeded = Signal(object)  # the result of the work (a Path, or an ImportResult)
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[], Any],
        describe: Callable[[Any], str],
        target: Path | None,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportJob")
        self.state = "running"  # running | done | failed
        self.result: Any = None
        self.error = ""
        self.worker_thread: int | None = None
        self.message: QMessageBox | None = None
        self._parent = parent
        self._work = work
        self._describe = describe
        self._target = target
        self._label = label
        # Called from _on_success, so it has run by the time the job says "done" (a second
        # connection to the cross-thread signal would be delivered in its own queued call).
        self._on_done = on_done
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)
        self.progress = QProgressDialog(label, "", 0, 0, parent)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(theme.APPLICATION)
        self.progress.setCancelButton(None)  # reportlab cannot be interrupted mid-build
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)

    def start(self) -> None:
        self.progress.show()
        _status(self._parent, self._label)
        threading.Thread(target=self._run, name="hotdash-export", daemon=True).start()

    def _run(self) -> None:
        self.worker_thread = threading.get_ident()
        try:
            result = self._work()
        except UserError as exc:
            self._emit(self.failed, str(exc))
        except Exception as exc:  # a bug: logged in full, reported briefly, the app lives on
            log.exception("Export failed")
            self._emit(self.failed, f"The export failed unexpectedly: {exc}")
        else:
            self._emit(self.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed meanwhile: nobody is left to tell
            log.info("Export finished after its window closed")

    def _on_success(self, result: object) -> None:
        self.progress.close()
        if self._on_done is not None:
            self._on_done(result)
        self.result, self.state = result, "done"
        text = self._describe(result)
        _status(self._parent, text)
        box = QMessageBox(QMessageBox.Icon.Information, theme.APPLICATION, text,
                          QMessageBox.StandardButton.Close, self._parent)  # fmt: skip
        box.setObjectName("exportDone")
        if self._target is not None:
            open_file = box.addButton("Open file", QMessageBox.ButtonRole.ActionRole)
            open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
            open_file.setObjectName("openFile")
            open_folder.setObjectName("openFolder")
            box.buttonClicked.connect(lambda button: self._open(button, open_file, open_folder))
            box.setDefaultButton(open_file)
        self._show(box)

    def _open(self, button: QAbstractButton, open_file: QPushButton, folder: QPushButton) -> None:
        if self._target is None:
            return
        if button is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._target)))
        elif button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._target.parent)))

    def _on_failure(self, error: str) -> None:
        self.error, self.state = error, "failed"
        self.progress.close()
        _status(self._parent, "Export failed.")
        box = QMessageBox(QMessageBox.Icon.Warning, theme.APPLICATION, error,
                          QMessageBox.StandardButton.Close, self._parent)  # fmt: skip
        box.setObjectName("exportFailed")
        self._show(box)

    def _show(self, box: QMessageBox) -> None:
        """Non-modal: nothing waits on it, and the job goes once it is closed."""
        self.message = box
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self.deleteLater())
        box.show()


# -- the actions ----------------------------------------------------------------------------
# What an action reads from the store, it reads on the store worker (by default the window's):
# a look-up before the file dialog is answered on the GUI thread, and the export's own thread
# waits for its data there, then builds the file itself.


def export_debrief(
    parent: QWidget,
    sessions: SessionService,
    reports: ReportService,
    session_id: int,
    path: Path | None = None,
    *,
    worker: StoreWorker,
) -> None:
    """Write the debrief report (PDF) of a session."""

    def ask(title: str) -> None:
        _export_pdf(
            parent,
            document="debrief report",
            subject=title,
            path=path,
            work=lambda target: reports.write_debrief(
                _read(worker, lambda: reports.session_report(session_id)), target
            ),
            saved="The debrief report",
        )

    _look_up(parent, worker, lambda: sessions.get(session_id).title, ask)


def export_peer_review(
    parent: QWidget,
    people: PeopleService,
    reports: ReportService,
    person: str,
    date_from: date | None = None,
    date_to: date | None = None,
    path: Path | None = None,
    *,
    worker: StoreWorker,
) -> None:
    """Write the peer-review record (PDF) of a person (name or id), optionally for a period."""

    def ask(name: str) -> None:
        _export_pdf(
            parent,
            document="peer-review record",
            subject=name,
            path=path,
            work=lambda target: reports.write_peer_review(
                _read(worker, lambda: reports.person_record(name, date_from, date_to)), target
            ),
        )

    _look_up(parent, worker, lambda: people.get(person).name, ask)


def export_certification(
    parent: QWidget,
    certification: CertificationService,
    person: str,
    path: Path | None = None,
    *,
    worker: StoreWorker,
) -> None:
    """Write the certification record (PDF) of a person (name or id). The record is read, its
    certificate checked and attached in one go: all of it runs on the store worker."""
    _export_pdf(
        parent,
        document="certification record",
        subject=person,
        path=path,
        work=lambda target: _read(worker, lambda: certification.export_record(person, target)),
    )


def export_session_data(
    parent: QWidget,
    sessions: SessionService,
    session_data: SessionDataService,
    session_id: int,
    path: Path | None = None,
    *,
    worker: StoreWorker,
) -> None:
    """Write a session's data as JSON (importable elsewhere) or CSV, by the chosen name."""

    def ask(title: str) -> None:
        _ask_then_run(
            parent,
            caption="Export the session's data",
            suggested=_file_name("Session", title, "json"),
            filters=[JSON_FILTER, CSV_FILTER],
            path=path,
            label=f"Writing the data of {title}…",
            work=lambda target: session_data.write(
                _read(worker, lambda: session_data.session_file(session_id)), target
            ),
            describe=lambda p: f"The session's data is saved as {p}.",
        )

    _look_up(parent, worker, lambda: sessions.get(session_id).title, ask)


def import_session_file(
    parent: QWidget,
    session_data: SessionDataService,
    on_done: Callable[[Any], None] | None = None,
    path: Path | None = None,
    *,
    worker: StoreWorker,
) -> None:
    """Import a session exported as JSON (from a colleague's store). `on_done` gets the
    ImportResult on the UI thread, e.g. to refresh a session list."""

    def run(source: Path) -> None:
        job = ExportJob(
            parent,
            f"Importing {source.name}…",
            lambda: _read(worker, lambda: session_data.import_file(source)),
            lambda result: str(result.message),
            target=None,
            on_done=on_done,
        )
        job.start()

    if path is not None:
        run(Path(path))
        return
    dialog = QFileDialog(parent, "Import a session", _last_dir(), JSON_FILTER)
    dialog.setObjectName("importDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(lambda chosen: run(Path(chosen)))
    dialog.open()


# -- internals ------------------------------------------------------------------------------


def _look_up(
    parent: QWidget, worker: StoreWorker, look_up: Callable[[], str], then: Callable[[str], None]
) -> None:
    """`then` what `look_up` finds on the store worker; its refusal (a UserError) is shown."""

    def refused(exc: BaseException) -> None:
        if isinstance(exc, UserError):
            _error(parent, str(exc))
        else:
            report(exc)

    run_in_background(worker, parent, look_up, then, refused)


def _read(worker: StoreWorker, read: Callable[[], R]) -> R:
    """On an export's thread: `read` run on the store worker, waited for here."""
    return worker.submit(read).result()


def _export_pdf(
    parent: QWidget,
    *,
    document: str,
    subject: str,
    path: Path | None,
    work: Callable[[Path], Path],
    saved: str | None = None,
) -> None:
    """A PDF export of `document` (lower case, e.g. "debrief report") about `subject`; the
    message when done names `saved`, by default "The <document> of <subject>"."""
    saved_as = saved or f"The {document} of {subject}"
    _ask_then_run(
        parent,
        caption=f"Export the {document}",
        suggested=_file_name(document[:1].upper() + document[1:], subject, "pdf"),
        filters=[PDF_FILTER],
        path=path,
        label=f"Writing the {document} of {subject}…",
        work=work,
        describe=lambda p: f"{saved_as} is saved as {p}.",
    )


def _ask_then_run(
    parent: QWidget,
    *,
    caption: str,
    suggested: str,
    filters: list[str],
    path: Path | None,
    label: str,
    work: Callable[[Path], Path],
    describe: Callable[[Path], str],
) -> None:
    def run(target: Path) -> None:
        _remember_dir(target.parent)
        ExportJob(parent, label, lambda: work(target), describe, target).start()

    if path is not None:
        run(Path(path))
        return
    dialog = QFileDialog(parent, caption, str(Path(_last_dir()) / suggested), ";;".join(filters))
    dialog.setObjectName("exportDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(Path(suggested).suffix.lstrip("."))

    def chosen(name: str) -> None:
        target = Path(name)
        if not target.suffix:  # the filter picked says which format
            target = target.with_suffix(".csv" if dialog.selectedNameFilter() == CSV_FILTER else
                                        Path(suggested).suffix)  # fmt: skip
        run(target)

    dialog.fileSelected.connect(chosen)
    dialog.open()  # non-blocking: returns at once, fileSelected fires later


def _file_name(kind: str, subject: str, suffix: str) -> str:
    """A file name from user text: nothing a file system would refuse or misread."""
    cleaned = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", subject)
    cleaned = " ".join(cleaned.split()).strip(". ")[:80] or "untitled"
    return f"{kind} - {cleaned} - {date.today():%Y-%m-%d}.{suffix}"


def _last_dir() -> str:
    saved = settings.export_folder()
    if saved and Path(saved).is_dir():
        return str(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


def _remember_dir(folder: Path) -> None:
    if folder.is_dir():
        settings.set_export_folder(str(folder))


def _status(parent: QWidget, text: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 8000)


def _error(parent: QWidget, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, theme.APPLICATION, text,
                      QMessageBox.StandardButton.Close, parent)  # fmt: skip
    box.setObjectName("exportFailed")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
