"""The roster: participants typed or picked from the people remembered."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import clean_name
from hotdash_roleplay.rotation import MAX_PEOPLE, MIN_PEOPLE
from ui.setup.rules import split_names
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot


class RosterEditor(QGroupBox):
    """Participants: typed or picked from the people remembered; 3–12 (one for certification)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Participants", parent)
        # Read from the store in the background: None until it lands (typing works meanwhile).
        self.remembered: list[str] | None = None
        self.limits = (MIN_PEOPLE, MAX_PEOPLE)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("Type a name (or several, separated by commas)")
        self.name_edit.setAccessibleName("Participant name")
        self.name_edit.setMaxLength(2000)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name_edit.setCompleter(self.completer)
        self.name_edit.returnPressed.connect(self.add_typed)
        name_label = QLabel("&Name", self)
        name_label.setBuddy(self.name_edit)
        self.add_button = QPushButton("Add", self)
        self.add_button.setAccessibleName("Add the typed name")
        self.add_button.clicked.connect(self.add_typed)

        self.known = QComboBox(self)
        self.known.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.known.setMinimumContentsLength(16)
        self.known.setAccessibleName("Remembered people")
        known_label = QLabel("&Remembered", self)
        known_label.setBuddy(self.known)
        self.add_known_button = QPushButton("Add", self)
        self.add_known_button.setAccessibleName("Add the remembered person")
        self.add_known_button.clicked.connect(self.add_known)

        self.list = QListWidget(self)
        self.list.setAccessibleName("Participants")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setMinimumHeight(120)
        remove_key = QShortcut(QKeySequence.StandardKey.Delete, self.list)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName("Remove the selected participants")
        self.remove_button.clicked.connect(self.remove_selected)

        self.count = text_label("", self, role="muted", wrap=False)
        # Under the list it is about, its place kept: saying something moves nothing below.
        self.message = NoticeSlot(self)
        self.message.setProperty("role", "error")
        self.message.setAccessibleName("Participants message")
        self._insisting = False  # Create was pressed: say what the list lacks until it is fixed

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.addWidget(name_label, 0, 0)
        form.addWidget(self.name_edit, 0, 1)
        form.addWidget(self.add_button, 0, 2)
        form.addWidget(known_label, 1, 0)
        form.addWidget(self.known, 1, 1)
        form.addWidget(self.add_known_button, 1, 2)
        form.setColumnStretch(1, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.count, 1)
        foot.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.list, 1)
        layout.addLayout(foot)
        layout.addWidget(self.message)
        self._sync()

    # -- reading ---------------------------------------------------------------------------

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def problem(self) -> str | None:
        """Why the roster cannot make a session yet, or None."""
        low, high = self.limits
        n = len(self.names())
        if low == high and n != low:
            return f"A certification assessment has exactly one candidate ({n} on the list)."
        if n < low:
            return f"Add at least {low} participants ({n} so far)."
        if n > high:
            return f"A session has at most {high} participants ({n} on the list); remove some."
        return None

    # -- editing ---------------------------------------------------------------------------

    def insist(self) -> None:
        """Create was pressed too early: say what the list lacks, and keep it current (it goes
        as soon as the list is right)."""
        self._insisting = True
        self._sync()

    def set_remembered(self, names: Sequence[str]) -> None:
        """The people the store remembers, offered to pick and to complete typed names."""
        self.remembered = list(names)
        self.completer.setModel(QStringListModel(self.remembered, self.completer))  # drops the old
        self._sync()

    def set_limits(self, low: int, high: int) -> None:
        self.limits = (low, high)
        self._sync()
        self.changed.emit()

    def add_typed(self) -> None:
        if self.add_names(split_names(self.name_edit.text())):
            self.name_edit.clear()

    def add_known(self) -> None:
        if self.known.currentIndex() > 0:
            self.add_names([self.known.currentText()])

    def add_names(self, names: Sequence[str]) -> bool:
        """Add what fits; refuse duplicates, over-long names and a full list with a message.
        True when everything given was added."""
        if not names:
            show_notice(self.message, "Type a name first.")
            return False
        taken = {n.casefold() for n in self.names()}
        refused: list[str] = []
        added = 0
        for typed in names:
            try:
                name = clean_name(typed)  # the core's rule: the store folds names the same way
            except UserError as exc:
                refused.append(str(exc))
                continue
            if name.casefold() in taken:
                refused.append(f"{name} is already on the list.")
            elif len(taken) >= self.limits[1]:
                refused.append(
                    f"A session has at most {self.limits[1]} participants; {name} was not added."
                )
            else:
                self.list.addItem(name)
                taken.add(name.casefold())
                added += 1
        self._sync()
        if refused:
            show_notice(self.message, " ".join(dict.fromkeys(refused)))
        if added:
            self.changed.emit()
        return not refused

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.list.takeItem(row)
        if rows:
            self._sync()
            self.changed.emit()

    def _sync(self) -> None:
        problem = self.problem() if self._insisting else None
        if problem:
            show_notice(self.message, problem)
        else:
            self.message.hide()
        names = self.names()
        taken = {n.casefold() for n in names}
        self.known.clear()
        if self.remembered is None:
            self.known.addItem("Loading the people remembered…")
        else:
            self.known.addItem("Pick a person…")
            self.known.addItems([n for n in self.remembered if n.casefold() not in taken])
        self.known.setEnabled(self.known.count() > 1)
        self.add_known_button.setEnabled(self.known.count() > 1)
        low, high = self.limits
        allowed = "one candidate" if low == high else f"{low} to {high} people"
        self.count.setText(f"{len(names)} on the list · {allowed}")
