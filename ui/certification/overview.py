"""The team overview: everyone × the six requirements, with runs, next step and
recertification; sortable by any column, "ready for nomination" first by default. It is read
on the store worker."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.certification.program import RequirementKey, RequirementStatus
from hotdash_roleplay.certification.views import OverviewRow, TeamOverview
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.certification import CertificationService
from hotdash_roleplay.services.worker import StoreWorker
from ui import theme
from ui.autosave import StoreLink
from ui.background import report
from ui.certification.metrics_forms import ImportForm
from ui.widgets.enter_key import press_focused_button
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot

SORT = Qt.ItemDataRole.UserRole + 1
PERSON = Qt.ItemDataRole.UserRole + 2
SHORT_LABELS = {
    RequirementKey.MODULES: "Modules",
    RequirementKey.METRICS: "4 weeks",
    RequirementKey.SCENARIOS: "Scenarios",
    RequirementKey.AI_REPORT: "AI report",
    RequirementKey.MENTORING: "Mentoring",
    RequirementKey.CONTRIBUTION: "Contribution",
}
COLUMNS = (
    "Person",
    "Ready",
    "Status",
    *SHORT_LABELS.values(),
    "Run",
    "Best run",
    "Latest week",
    "Next step",
    "Recert. by",
)
STATUS_RANK = {
    RequirementStatus.MET: 0,
    RequirementStatus.IN_PROGRESS: 1,
    RequirementStatus.NOT_STARTED: 2,
}
STATUS_MARK = {
    RequirementStatus.MET: "✓ Met",
    RequirementStatus.IN_PROGRESS: "◐ Started",
    RequirementStatus.NOT_STARTED: "○ Not yet",
}


def _item(text: str, sort: object, tip: str = "") -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(sort, SORT)
    if tip:
        item.setToolTip(tip)
    return item


def row_items(row: OverviewRow) -> list[QStandardItem]:
    """One person's cells; each sorts by its own key (a rank, a number, a date)."""
    person = _item(row.name, row.name.casefold())
    person.setData(row.name, PERSON)
    ready = _item("Ready" if row.ready_for_nomination else "", 0 if row.ready_for_nomination else 1)
    state = _item(row.status_text, row.state.value, row.revoked.verdict if row.revoked else "")
    if row.revoked is not None:
        state.setForeground(QBrush(theme.color("error_text")))
    cells = [person, ready, state]
    for key in SHORT_LABELS:
        status = row.statuses[key]
        cell = _item(STATUS_MARK[status], STATUS_RANK[status], f"{key.label}: {status.label}")
        if status is RequirementStatus.MET:
            cell.setForeground(QBrush(theme.color("ok_text")))
        cells.append(cell)
    latest = row.latest_week
    due = row.recertification_due_on
    cells += [
        _item(str(row.current_run_weeks), row.current_run_weeks),
        _item(str(row.longest_run_weeks), row.longest_run_weeks),
        _item(short_date(latest) if latest else "—", latest.toordinal() if latest else 0),
        _item(row.next_step.label if row.next_step else "Done",
              list(type(row.next_step)).index(row.next_step) if row.next_step else 99),
        _item(short_date(due) if due else "—", due.toordinal() if due else 10**7),
    ]  # fmt: skip
    return cells


class TeamOverviewWindow(QWidget):
    person_requested = Signal(str)

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("teamOverview")
        self.setWindowTitle(f"Certification — team overview — {theme.APPLICATION}")
        self.resize(1360, 700)
        self._certification = certification
        self._worker = worker
        self._link = StoreLink(worker, self)
        self.overview: TeamOverview | None = None
        self.dialog: QWidget | None = None
        title = QLabel("Expert Operator Certification — team overview", self)
        title.setProperty("role", "title")
        self.summary = QLabel(self)
        self.summary.setProperty("role", "muted")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT)
        self.table = QTableView(self)
        self.table.setObjectName("overviewTable")
        self.table.setAccessibleName("Everyone and their certification requirements")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.message = NoticeSlot(self)
        self.open_button = QPushButton("Open certification…", self)
        self.open_button.setProperty("role", "primary")
        self.open_button.setAccessibleName("Open the selected person's certification page")
        self.open_button.clicked.connect(self.open_selected)
        self.ready_first = QPushButton("Ready first", self)
        self.ready_first.setAccessibleName("Sort: ready for nomination first")
        self.ready_first.clicked.connect(self.sort_ready_first)
        self.import_button = QPushButton("Import metrics CSV…", self)
        self.import_button.setAccessibleName("Import weekly metrics from a CSV file")
        self.import_button.clicked.connect(self.open_import_form)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ready_first)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._link.request(self._certification.overview, self._show, self._failed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a focused button presses it, as in the main window."""
        if not press_focused_button(event, self.focusWidget()):
            super().keyPressEvent(event)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report(exc)

    def _show(self, overview: TeamOverview) -> None:
        self.overview = overview
        self.model.removeRows(0, self.model.rowCount())
        ordered = sorted(overview.rows, key=OverviewRow.readiness_order)
        for row in ordered:
            self.model.appendRow(row_items(row))
        ready = sum(1 for r in overview.rows if r.ready_for_nomination)
        certified = sum(1 for r in overview.rows if r.certified)
        self.summary.setText(
            f"{len(overview.rows)} people · {ready} ready for nomination · {certified} certified"
            f" · as of {short_date(overview.today)}"
        )
        self.sort_ready_first()
        self.open_button.setEnabled(bool(overview.rows))

    def sort_ready_first(self) -> None:
        """Back to the default order: ready for nomination first, then the furthest along."""
        # Column -1 is the model's own order, which refresh() fills in readiness order.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)

    def names(self) -> list[str]:
        """The people in the order shown."""
        return [str(self.proxy.index(r, 0).data(PERSON)) for r in range(self.proxy.rowCount())]

    def open_selected(self) -> None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.person_requested.emit(str(self.proxy.index(index.row(), 0).data(PERSON)))

    def open_import_form(self) -> None:
        form = ImportForm(self._certification, self._worker, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._imported)
        self.dialog = form
        form.open()

    def _imported(self, result: object) -> None:
        self.refresh()
        show_notice(self.message, str(getattr(result, "message", "")), "ok")
