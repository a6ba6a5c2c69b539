"""Who plays which role: this round's strip, and the People tab (someone leaves or arrives)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.room_screen import role_names
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.sessions import SessionChange, SessionService
from hotdash_roleplay.services.views import RoundView
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.status import RoundStatus
from ui.background import report, run_in_background
from ui.widgets.notices import show_notice

ROLE_TITLES = ("Operator", "AI System", "Facilitator", "Observers")


class RolesStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rolesStrip")
        self.setProperty("role", "card")
        self.setAccessibleName("Roles this round")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.labels: dict[str, QLabel] = {}
        for role in ROLE_TITLES:
            head = QLabel(role, self)
            head.setProperty("role", "muted")
            name = QLabel("—", self)
            name.setObjectName(f"role{role.replace(' ', '')}")
            name.setProperty("role", "heading")
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setWordWrap(True)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(head)
            cell.addWidget(name)
            layout.addLayout(cell, 2 if role == "Observers" else 1)
            self.labels[role] = name

    def set_round(self, rnd: RoundView | None) -> None:
        pairs = role_names(rnd) if rnd else [(role, "—") for role in ROLE_TITLES]
        for role, who in pairs:
            self.labels[role].setText(who)
        if rnd:
            self.setAccessibleDescription("; ".join(f"{r}: {w}" for r, w in pairs))


class PeoplePanel(QWidget):
    """Someone leaves or arrives mid-session: the rounds not yet played are re-planned (on the
    store worker, behind the clock's writes: the re-plan sees the round under way as live)."""

    def __init__(
        self,
        sessions: SessionService,
        live: LiveSession,
        worker: StoreWorker,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._sessions = sessions
        self._live = live
        self._worker = worker
        intro = QLabel(
            "Someone leaves or arrives: rounds already played stay as played, "
            "the rest are planned again for who is here.",
            self,
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.name_box = QComboBox(self)
        self.name_box.setEditable(True)
        self.name_box.setAccessibleName("Person's name")
        self.name_box.setMinimumWidth(200)
        edit = self.name_box.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText("Name")
        self.leave_button = QPushButton("Leaves", self)
        self.leave_button.setAccessibleName("Person leaves the session")
        self.arrive_button = QPushButton("Arrives", self)
        self.arrive_button.setAccessibleName("Person arrives in the session")
        self.leave_button.clicked.connect(self._leave)
        self.arrive_button.clicked.connect(self._arrive)
        row = QHBoxLayout()
        who = QLabel("&Who:", self)
        who.setBuddy(self.name_box)
        row.addWidget(who)
        row.addWidget(self.name_box, 1)
        row.addWidget(self.leave_button)
        row.addWidget(self.arrive_button)
        self.message = QLabel(self)
        self.message.setObjectName("peopleMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self.table = QTableWidget(0, len(ROLE_TITLES) + 1, self)
        self.table.setObjectName("rotationTable")
        self.table.setAccessibleName("Rotation: rounds and roles")
        self.table.setHorizontalHeaderLabels(["Round", *ROLE_TITLES])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        detail = self._live.detail
        typed = self.name_box.currentText()
        self.name_box.clear()
        self.name_box.addItems([*detail.participants, *detail.departed])
        self.name_box.setEditText(typed)
        self.table.setRowCount(len(detail.rounds))
        for i, rnd in enumerate(detail.rounds):
            status = {RoundStatus.DONE: "played", RoundStatus.LIVE: "now"}.get(rnd.status, "")
            cells = [f"{rnd.number} {status}".strip(), *(who for _, who in role_names(rnd))]
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _leave(self) -> None:
        self._change(self._sessions.person_leaves, "left")

    def _arrive(self) -> None:
        self._change(self._sessions.person_arrives, "joined")

    def _change(self, action: Callable[[int, str], SessionChange], verb: str) -> None:
        name = " ".join(self.name_box.currentText().split())
        if not name:
            show_notice(self.message, "Type or pick a name first.", "error")
            return
        session_id = self._live.session_id
        run_in_background(
            self._worker,
            self,
            lambda: action(session_id, name),
            partial(self._changed, name, verb),
            self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc), "error")
        else:
            report(exc)

    def _changed(self, name: str, verb: str, change: SessionChange) -> None:
        self.name_box.setEditText("")
        self._live.reload()  # the console and this table follow once it is read
        under_way = (
            change.session.current is not None and change.session.current.status == RoundStatus.LIVE
        )
        if change.current_round_changed:
            current = "the round under way and the rounds after it were planned again"
        elif under_way:
            current = "the round under way keeps its roles; the rounds after it were planned again"
        else:
            current = "the rounds not yet played were planned again"
        lines = [f"{name} {verb}; {current}."]
        if change.violations:
            lines.append("Rules this plan breaks:")
            lines += [f"• {v}" for v in change.violations]
        show_notice(self.message, "\n".join(lines), "notice" if change.violations else "ok")
