"""The certification windows opened from the start screen: one page per person (asking again
raises it) and the team overview. They sit beside the main window, not in its stack, so a
session can go on while a record is being filled in."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from hotdash_roleplay.services.certification import CertificationService
from hotdash_roleplay.services.worker import StoreWorker
from ui.certification.overview import TeamOverviewWindow
from ui.certification.page import CertificationPage


class CertificationWindows(QObject):
    def __init__(
        self, certification: CertificationService, worker: StoreWorker, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._certification = certification
        self._worker = worker
        self._parent = parent
        self.pages: dict[int, CertificationPage] = {}
        self.overview: TeamOverviewWindow | None = None

    def open_person(self, person: str) -> CertificationPage:
        page = next(
            (
                p
                for p in self.pages.values()
                if person.casefold()
                in {p.asked.casefold(), p.record.name.casefold() if p.record else ""}
            ),
            None,
        )
        if page is None:
            page = CertificationPage(
                self._certification, self._worker, person, self._export, self._parent
            )
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            key = id(page)
            self.pages[key] = page
            page.closed.connect(lambda: self.pages.pop(key, None))
            page.changed.connect(self._changed)
        else:
            page.refresh()
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    def open_overview(self) -> TeamOverviewWindow:
        if self.overview is None:
            self.overview = TeamOverviewWindow(self._certification, self._worker, self._parent)
            self.overview.person_requested.connect(self.open_person)
        else:
            self.overview.refresh()
        self.overview.show()
        self.overview.raise_()
        self.overview.activateWindow()
        return self.overview

    def _export(self, parent: QWidget, person: str) -> None:
        from ui import export_actions  # loads reportlab's callers only when first used

        export_actions.export_certification(
            parent, self._certification, person, worker=self._worker
        )

    def _changed(self) -> None:
        if self.overview is not None and self.overview.isVisible():
            self.overview.refresh()
