"""The console's view of observers on their own laptops: where the page is served, the join
code, the network it listens on (a setting), and per observer: not joined / joined / draft /
submitted, updated live. A name a device has claimed shows as taken, with Release to free it
for another device (the observer's laptop died, or they picked the wrong name). All of it is
read on the store worker: until the first answers land it says it is looking, and the network
choice waits for the session's stored address."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from ui.background import report
from ui.join_panel import spaced_code
from ui.observer_host import ObserverHost, ObserverRow
from ui.tables import cell_text
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice

TAKEN_TEXT = "taken by a device"
LOOKING_TEXT = "Looking up who has joined…"


def moved_text(port: int, url: str) -> str:
    """The trainer's notice when the session's port was taken and the page moved."""
    return (
        f"Port {port}, this session's, is in use by another program: the observer page moved "
        f"to {url}. Observers with the old address must open the new one (the projector "
        "shows it)."
    )


class ObserverStatusWidget(QWidget):
    def __init__(self, host: ObserverHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("observerStatus")
        self._host = host

        self.title_label = text_label("Participants' devices")
        self.title_label.setProperty("role", "heading")
        self.serving_label = text_label()
        self.serving_label.setObjectName("observerServing")
        self.serving_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = text_label()
        self.count_label.setObjectName("observerCount")
        self.error_label = text_label()
        self.error_label.setProperty("role", "error")
        self.error_label.hide()

        self.interface_box = QComboBox()
        self.interface_box.setObjectName("observerInterface")
        self.interface_box.setAccessibleName("Network the observer page is served on")
        network_label = QLabel("&Network:")
        network_label.setBuddy(self.interface_box)

        self.release_buttons: dict[str, QPushButton] = {}  # by observer, while taken
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("observerTable")
        self.table.setAccessibleName("Observers and their checklists")
        self.table.setHorizontalHeaderLabels(["Observer", "Checklist", "Name"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        # The status right after the name: no long gap for the eye to cross on a wide console.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        form = QFormLayout()
        form.addRow(network_label, self.interface_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.serving_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)

        self._fill_interfaces()
        self.interface_box.activated.connect(self._interface_chosen)
        host.interface_changed.connect(self._show_interface)
        host.serving_changed.connect(self.refresh)
        host.statuses_changed.connect(self.refresh)
        host.feedback_changed.connect(self.refresh)
        host.error.connect(self._on_error)
        self.refresh()

    def _fill_interfaces(self) -> None:
        self.interface_box.clear()
        for iface in self._host.interfaces():
            self.interface_box.addItem(iface.label, iface.address)
        self._show_interface()

    def _show_interface(self) -> None:
        """The session's network, once its stored address is known (chosen only then)."""
        index = self.interface_box.findData(self._host.interface)
        if index >= 0:
            self.interface_box.setCurrentIndex(index)
        self.interface_box.setEnabled(self._host.endpoint_known)

    def _interface_chosen(self, index: int) -> None:
        address = self.interface_box.itemData(index)
        if address:
            self.error_label.hide()
            self._host.set_interface(str(address))

    def _on_error(self, message: str) -> None:
        self.refresh()
        show_notice(self.error_label, message)

    def refresh(self) -> None:
        url = self._host.url
        if url:
            self.error_label.hide()
            self.serving_label.setText(
                f"Serving at {url}  ·  join code {spaced_code(self._host.join_code)}"
            )
            if self._host.moved_from is not None:
                show_notice(self.error_label, moved_text(self._host.moved_from, url))

        elif self._host.session_over:
            self.error_label.hide()
            self.serving_label.setText("Not serving: the session is finished.")
        elif self._host.last_error:
            self.serving_label.setText("Not serving, although the session runs:")
            # Also when it failed before this widget was built.
            show_notice(self.error_label, self._host.last_error)
        else:
            self.serving_label.setText("Starting the observer page…")
        rows = self._host.rows()
        submitted, total = self._host.counts()
        joined = sum(r.joined for r in rows)
        counts = f"{joined} of {total} observers joined · {submitted} of {total} submitted"
        devices = self._host.on_devices()
        on_devices = f"On their own devices: {', '.join(devices)}" if devices else ""
        if self._host.rows_known:
            self.count_label.setText(
                "\n".join(t for t in (counts if total else "", on_devices) if t)
            )
        else:
            self.count_label.setText(LOOKING_TEXT)
        self.table.setRowCount(len(rows))
        self.release_buttons = {}
        for index, row in enumerate(rows):
            for column, text in enumerate((row.name, row.text, TAKEN_TEXT if row.joined else "")):
                item = QTableWidgetItem(text)
                self.table.setItem(index, column, item)
            if row.joined:
                self.table.setCellWidget(index, 2, self._release_cell(row))
            else:
                self.table.removeCellWidget(index, 2)
        self._fit_table()

    def _release_cell(self, row: ObserverRow) -> QWidget:
        """ "Taken by a device" and Release: the old device's token stops working at once."""
        cell = QWidget()
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(text_label(TAKEN_TEXT), 1)
        button = QPushButton("Release")
        button.setObjectName("observerRelease")
        button.setAccessibleName(f"Release {row.name}'s name for another device")
        button.setToolTip(
            f"The device holding {row.name}'s name is refused from now on; "
            "they can join again on any device."
        )
        button.clicked.connect(lambda: self._release(row.name))
        layout.addWidget(button)
        self.release_buttons[row.name] = button
        cell.setAutoFillBackground(True)  # the item's text below stays hidden
        return cell

    def _release(self, name: str) -> None:
        self._host.release(name, on_error=self._release_failed)

    def _release_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.error_label, str(exc))
        else:
            report(exc)

    def _fit_table(self) -> None:
        """As tall as its rows (a round has a few observers): no empty box, no inner scroll."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows + 2 * self.table.frameWidth())
        self.table.setVisible(self.table.rowCount() > 0)

    def row_texts(self) -> list[tuple[str, str]]:
        """(name, status text) per observer as shown (for tests)."""
        return [
            (cell_text(self.table, i, 0), cell_text(self.table, i, 1))
            for i in range(self.table.rowCount())
        ]

    def taken(self) -> list[str]:
        """The names shown as taken by a device, with Release (for tests)."""
        return [
            cell_text(self.table, i, 0)
            for i in range(self.table.rowCount())
            if cell_text(self.table, i, 2) == TAKEN_TEXT
        ]
