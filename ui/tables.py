"""Tables of names that stay inside the window: long text is elided, never widens a column.

A 70-character name with content-sized columns pushed the other columns off-screen; here the
columns share the width, a cut cell ends in "…" and its tooltip gives the full text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QToolTip,
)

ROW_PADDING = 12


class FullTextTips(QStyledItemDelegate):
    """Tooltip: the item's own tooltip if it has one, else its full text when it is cut."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        if not tip and is_elided(text, option):
            tip = text
        if tip:
            QToolTip.showText(event.globalPos(), tip, view)
        else:
            QToolTip.hideText()
        return True


def is_elided(text: str, option: QStyleOptionViewItem) -> bool:
    return option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 2 * 6


def fit_columns(table: QTableView, content_sized: tuple[int, ...] = ()) -> None:
    """Columns share the table's width (the `content_sized` ones fit their short content),
    long text is elided at the right, rows are one line of uniform height."""
    table.ensurePolished()  # the theme's font size, for the row height below
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setItemDelegate(FullTextTips(table))
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(60)
    for column in range(header.count()):
        mode = (
            QHeaderView.ResizeMode.ResizeToContents
            if column in content_sized
            else QHeaderView.ResizeMode.Stretch
        )
        header.setSectionResizeMode(column, mode)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    # Uniform: a script drawn from a taller fallback font must not make its row taller.
    rows.setDefaultSectionSize(table.fontMetrics().height() + ROW_PADDING)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text shown in a cell ("" for a cell with no item)."""
    item = table.item(row, column)
    return item.text() if item is not None else ""
