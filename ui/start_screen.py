"""The start screen: sessions in progress (resume), past sessions, a new session, the people."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import in_line, names_in_line
from hotdash_roleplay.rotation import MAX_PEOPLE, MIN_PEOPLE
from hotdash_roleplay.status import SessionStatus
from ui.autosave import StoreLink
from ui.background import report
from ui.widgets.labels import text_label
from ui.widgets.steady import NoticeSlot

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.glance import SessionGlance
    from hotdash_roleplay.services.history import HistoryService, PersonHistory
    from hotdash_roleplay.services.views import PersonView
    from hotdash_roleplay.services.worker import StoreWorker
    from ui.certification.windows import CertificationWindows

SESSION_ID = Qt.ItemDataRole.UserRole
SIZED_ROWS = 50
NAME = Qt.ItemDataRole.UserRole + 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def progress_text(s: SessionGlance) -> str:
    if s.status == SessionStatus.PLANNED:
        return f"Not started · {_plural(s.round_count, 'round')}"
    if s.status == SessionStatus.FINISHED:
        return f"Finished · {_plural(s.round_count, 'round')}"
    return f"Round {min(s.current_round + 1, s.round_count)} of {s.round_count}"


class SessionList(QGroupBox):
    """A titled list of sessions with its action button (Enter or a double-click act too) and
    the exports of the selected session."""

    activated = Signal(int)
    export_requested = Signal(int, str)  # session id, "debrief" | "data"

    COLUMNS = ("Session", "Progress", "Date", "People")

    def __init__(
        self, title: str, action: str, empty: str, primary: bool, parent: QWidget | None = None
    ):
        super().__init__(title, parent)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(title)
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the first rows, not all of them: with hundreds of past sessions measuring
        # every row slows the start screen, and these columns' texts are alike in width.
        header.setResizeContentsPrecision(SIZED_ROWS)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda *_: self._act())
        self.tree.itemSelectionChanged.connect(self._sync_button)

        self.empty = text_label(empty, self, role="muted", wrap=False)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.button = QPushButton(action, self)
        if primary:
            self.button.setProperty("role", "primary")
        self.button.setAccessibleName(f"{action} the selected session")
        self.button.clicked.connect(self._act)
        self.ready = False  # the store is still opening: the list shows, its actions wait
        self.debrief_button = QPushButton("Debrief report…", self)
        self.debrief_button.setAccessibleName("Export the debrief report (PDF) of the session")
        self.debrief_button.setToolTip("The managers' debrief report of this session, as a PDF")
        self.debrief_button.clicked.connect(lambda: self._export("debrief"))
        self.data_button = QPushButton("Session data…", self)
        self.data_button.setAccessibleName("Export the session's data (JSON or CSV)")
        self.data_button.setToolTip("The session's raw data as JSON or CSV")
        self.data_button.clicked.connect(lambda: self._export("data"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.debrief_button)
        row.addWidget(self.data_button)
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)

    def set_sessions(self, sessions: list[SessionGlance]) -> None:
        kept = self.selected_id()  # a refresh (another app changed the list) keeps the choice
        # Rebuilt quietly: emptied for a moment, the list would disable its buttons, and a
        # focused Resume would hand the focus on.
        self.tree.blockSignals(True)
        self.tree.clear()
        items = []
        for s in sessions:
            names = names_in_line(s.participants)
            item = QTreeWidgetItem(
                [s.title, progress_text(s), s.created_at.astimezone().date().isoformat(), names]
            )
            item.setData(0, SESSION_ID, s.id)
            item.setToolTip(0, f"{s.title}\nPlan: {s.plan_title}")
            item.setToolTip(3, names)
            items.append(item)
        self.tree.addTopLevelItems(items)
        has_rows = bool(sessions)
        self.tree.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        for button in (self.button, self.debrief_button, self.data_button):
            button.setVisible(has_rows)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        if kept is not None:
            self.select(kept)
        self.tree.blockSignals(False)
        self._sync_button()

    def session_ids(self) -> list[int]:
        return [int(item.data(0, SESSION_ID)) for item in self._rows()]

    def title_of(self, session_id: int) -> str | None:
        """The listed title of the session, if it is listed."""
        item = next((i for i in self._rows() if i.data(0, SESSION_ID) == session_id), None)
        return item.text(0) if item is not None else None

    def select(self, session_id: int) -> None:
        for item in self._rows():
            if item.data(0, SESSION_ID) == session_id:
                self.tree.setCurrentItem(item)

    def _rows(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def set_ready(self) -> None:
        self.ready = True
        self._sync_button()

    def _sync_button(self) -> None:
        selected = self.ready and self.tree.currentItem() is not None
        for button in (self.button, self.debrief_button, self.data_button):
            button.setEnabled(selected)

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        return int(item.data(0, SESSION_ID)) if item is not None else None

    def _act(self) -> None:
        selected = self.selected_id()
        if selected is not None and self.ready:
            self.activated.emit(selected)

    def _export(self, kind: str) -> None:
        selected = self.selected_id()
        if selected is not None:
            self.export_requested.emit(selected, kind)


class PeoplePanel(QGroupBox):
    """Everyone remembered across sessions, and the selected person's record in brief (read on
    the store worker: the name and the record show together once it answers)."""

    peer_review_requested = Signal(str)  # the person's name
    certification_requested = Signal(str)  # the person's name

    def __init__(
        self,
        worker: StoreWorker | None = None,
        history: HistoryService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("People", parent)
        self._history: HistoryService | None = None  # until the store is open
        self._link: StoreLink | None = None
        self._asked: str | None = None  # the person whose record is being read
        self.list = QListWidget(self)
        self.list.setAccessibleName("People")
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.empty = text_label("", self, role="muted", wrap=False)  # said once the store is open
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.person = text_label("", self, role="heading", wrap=False)
        self.person.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Record of the selected person")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.record_button = QPushButton("Peer-review record…", self)
        self.record_button.setAccessibleName("Export the selected person's peer-review record")
        self.record_button.setToolTip("Every round this person played, with the feedback, as a PDF")
        self.record_button.clicked.connect(self._request_record)
        self.certification_button = QPushButton("Certification…", self)
        self.certification_button.setAccessibleName(
            "Open the selected person's Expert Operator Certification page"
        )
        self.certification_button.setToolTip(
            "Requirements, weekly metrics, evidence and process steps of the certification"
        )
        self.certification_button.clicked.connect(self._request_certification)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.person)
        layout.addWidget(self.summary, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.certification_button)
        row.addWidget(self.record_button)
        layout.addLayout(row)
        # Until the store is open there is nobody to show, and nothing to act on.
        for widget in (
            self.list,
            self.person,
            self.summary,
            self.record_button,
            self.certification_button,
        ):
            widget.setVisible(False)
        if worker is not None and history is not None:
            self.set_history(worker, history)

    def set_history(self, worker: StoreWorker, history: HistoryService) -> None:
        self._history = history
        self._link = StoreLink(worker, self)
        self.empty.setText("Nobody yet: people are remembered once they take part in a session.")

    def set_people(self, people: list[PersonView]) -> None:
        current = self.list.currentItem()
        kept = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        # Rebuilt quietly, then the record read once: the panel never blanks in between.
        self.list.blockSignals(True)
        self.list.clear()
        for p in people:
            item = QListWidgetItem(f"{in_line(p.name)}  ·  {_plural(p.sessions, 'session')}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setData(NAME, p.name)
            self.list.addItem(item)
        self.list.setVisible(bool(people))
        self.empty.setVisible(not people)
        self.summary.setVisible(bool(people))
        self.person.setVisible(bool(people))
        self.record_button.setVisible(bool(people))
        self.certification_button.setVisible(bool(people))
        if people:
            ids = [p.id for p in people]
            self.list.setCurrentRow(ids.index(kept) if kept in ids else 0)
        self.list.blockSignals(False)
        self._show_current()

    def _request_record(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.peer_review_requested.emit(str(item.data(NAME)))

    def _request_certification(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.certification_requested.emit(str(item.data(NAME)))

    def _current_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show_current(self) -> None:
        """Read the selected person's record; one read at a time (moving through the list
        with the arrow keys asks again only for whoever is selected when an answer comes)."""
        person = self._current_id()
        if person is None or self._history is None or self._link is None:
            self.person.clear()
            self.summary.clear()
            return
        if self._asked is not None:
            return
        history = self._history
        try:
            self._link.request(
                lambda: history.person_history(person),
                partial(self._answered, person),
                partial(self._answered, person),
            )
        except RuntimeError:  # the worker has stopped: the app is closing
            return
        self._asked = person

    def _answered(self, person: str, answer: PersonHistory | BaseException) -> None:
        self._asked = None
        item = self.list.currentItem()
        if item is None or self._current_id() != person:
            self._show_current()  # selected someone else meanwhile
            return
        if isinstance(answer, BaseException) and not isinstance(answer, UserError):
            report(answer)
            return
        self.person.setText(str(item.data(NAME)))
        self.summary.setText(str(answer) if isinstance(answer, UserError) else history_text(answer))


def history_text(h: PersonHistory) -> str:
    """A person's record in a few plain lines: the figures of their peer-review record."""
    # Here, not at the top: they load pydantic, which the store's opening loads meanwhile,
    # and the start screen must not wait for that to show the sessions.
    from hotdash_roleplay.clock import format_duration
    from hotdash_roleplay.figures import roles_text

    if not h.rounds_by_role:
        return "No rounds played yet."
    lines = [f"Sessions: {h.sessions}. Rounds played: {roles_text(h.rounds_by_role)}"]
    d = h.decision_figures
    if d.decisions:
        line = f"Decisions as operator: {d.decisions}"
        if d.judged:
            line += f", {d.matched_text} matched the expert"
        if d.average_seconds is not None:
            line += f", average {format_duration(d.average_seconds)} to decide"
        lines.append(line + ".")
    received = h.criteria_received
    if received.checklists:
        lines.append(
            f"Feedback received: {_plural(received.checklists, 'checklist')}, "
            f"{received.met_text} criteria met."
        )
    if h.checklists_given:
        lines.append(f"Feedback given as observer: {_plural(h.checklists_given, 'checklist')}.")
    return "\n".join(lines)


class StartScreen(QWidget):
    new_session_requested = Signal()
    open_requested = Signal(int)
    export_requested = Signal(int, str)  # session id, "debrief" | "data"
    peer_review_requested = Signal(str)
    import_requested = Signal()

    """Built before the store is open, listing a first glance at the sessions with their
    actions waiting; `attach` gives it the services and makes it whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: Services | None = None
        self._link: StoreLink | None = None  # the lists' reads, once the store is open
        self._focused: QWidget | None = None  # where focus_first put the focus
        self._certification: CertificationWindows | None = None
        self.setObjectName("startScreen")

        title = text_label("HotDash Role-Play", self, role="title", wrap=False)
        subtitle = text_label(
            "Live role-play practice for the Advanced Operator Training (Module 4).",
            self,
            role="muted",
            wrap=False,
        )
        self.new_button = QPushButton("New session…", self)
        self.new_button.setProperty("role", "primary")
        self.new_button.setAccessibleName("New session")
        self.new_button.setToolTip("Plan a new session (Ctrl+N)")
        self.new_button.clicked.connect(self.new_session_requested)
        self.import_button = QPushButton("Import session…", self)
        self.import_button.setAccessibleName("Import a session exported as JSON")
        self.import_button.setToolTip("Merge a colleague's exported session (JSON) into this store")
        self.import_button.clicked.connect(self.import_requested)
        self.team_button = QPushButton("Certification overview…", self)
        self.team_button.setAccessibleName("Open the team's certification overview")
        self.team_button.setToolTip(
            "Everyone against the Expert Operator Certification's requirements"
        )
        self.team_button.clicked.connect(self.open_team_overview)

        self.in_progress = SessionList(
            "Sessions in progress",
            "Resume",
            "No session in progress. Plan one with “New session…” (Ctrl+N): pick a plan, add "
            f"{MIN_PEOPLE} to {MAX_PEOPLE} people, check the rotation, and create it.",
            True,
            self,
        )
        self.in_progress.activated.connect(self.open_requested)
        self.past = SessionList("Past sessions", "Open", "No finished sessions yet.", False, self)
        self.past.activated.connect(self.open_requested)
        for listing in (self.in_progress, self.past):
            listing.export_requested.connect(self.export_requested)
        self.people = PeoplePanel(parent=self)
        self.people.peer_review_requested.connect(self.peer_review_requested)
        self.people.certification_requested.connect(self._open_certification)
        for button in (self.new_button, self.import_button, self.team_button):
            button.setEnabled(False)
        # In the heading row, its place kept: a message never pushes the lists and buttons.
        self.message = NoticeSlot(self)
        self.message.setProperty("role", "error")

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(subtitle)
        head.addLayout(titles)
        head.addWidget(self.message, 1)
        head.addWidget(self.team_button, 0, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)

        lists = QVBoxLayout()
        lists.addWidget(self.in_progress, 1)
        lists.addWidget(self.past, 1)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(lists, 3)
        body.addWidget(self.people, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(head)
        layout.addLayout(body, 1)

    def attach(self, services: Services) -> None:
        """The store is open: everything works from here."""
        self._services = services
        self._link = StoreLink(services.worker, self)
        self.people.set_history(services.worker, services.history)
        for button in (self.new_button, self.import_button, self.team_button):
            button.setEnabled(True)
        for listing in (self.in_progress, self.past):
            listing.set_ready()

    @property
    def certification(self) -> CertificationWindows:
        """The certification pages (loaded on first use: they are not needed to start)."""
        if self._certification is None:
            from ui.certification.windows import CertificationWindows

            assert self._services is not None, "the store is not open yet"
            self._certification = CertificationWindows(
                self._services.certification, self._services.worker, self
            )
        return self._certification

    def refresh(self, focus: bool = False) -> None:
        """Read the sessions and the people again on the store worker and list them when they
        come (the lists show what they had meanwhile); with `focus`, the focus then goes to
        the first thing to do, unless the trainer has moved it."""
        assert self._services is not None and self._link is not None, "the store is not open"
        sessions, people = self._services.sessions, self._services.people
        with suppress(RuntimeError):  # the worker has stopped: the app is closing
            self._link.request(
                lambda: (sessions.glance_sessions(), people.list_people()),
                partial(self._refreshed, focus),
                self._refresh_failed,
            )

    def _refreshed(self, focus: bool, found: tuple[list[SessionGlance], list[PersonView]]) -> None:
        self.message.hide()
        sessions, people = found
        self.show_sessions(sessions)
        self.people.set_people(people)
        # The window's focus, not the app's: the pause question may still hold the keyboard.
        if focus and self._focused is not None and self.window().focusWidget() is self._focused:
            self.focus_first()

    def _refresh_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            report(exc)
            return
        self.message.setText(str(exc))
        self.message.show()

    def title_of(self, session_id: int) -> str | None:
        """The session's title as listed here, if it is."""
        return self.in_progress.title_of(session_id) or self.past.title_of(session_id)

    def show_sessions(self, sessions: list[SessionGlance]) -> None:
        # Live sessions first: a restarted app offers the one that was running at the top.
        order = {SessionStatus.LIVE: 0, SessionStatus.PLANNED: 1}
        running = sorted(
            (s for s in sessions if s.status != SessionStatus.FINISHED),
            key=lambda s: order.get(s.status, 2),
        )
        self.in_progress.set_sessions(running)
        self.past.set_sessions([s for s in sessions if s.status == SessionStatus.FINISHED])

    def _open_certification(self, name: str) -> None:
        self.certification.open_person(name)

    def open_team_overview(self) -> None:
        self.certification.open_overview()

    def focus_first(self) -> None:
        if self.in_progress.tree.topLevelItemCount():
            self._focused = self.in_progress.button
        else:
            self._focused = self.new_button
        self._focused.setFocus()
