"""Observers' checklists in the app, and the trainer's summary of them.

One tab per observer of the current round (names come from the round only), each with the eight
criteria, "What went well" and "What could improve"; every change is saved as a draft at once so
nothing typed is lost. A last tab aggregates the submitted checklists for the trainer.

A form saves from the version it loaded; when the observer's browser saved in between, the
feedback service refuses and the form offers Reload or Keep mine (nothing is overwritten unseen).

Theme hooks (resources/theme/base.qss): labels carry the dynamic property `role` (`heading`,
`muted`, `error`, `ok`, `notice`); the feedback state label has `state` ("open"/"closed"), each
observer form has `status` ("none"/"draft"/"submitted"); objectNames start with `checklist`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.checklist import (
    MAX_ITEM_CHARS,
    Aggregate,
    ChecklistAnswers,
    ListRule,
    Mark,
    submission_problems,
)
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.feedback import ChangedElsewhere, FeedbackService, SubmissionView
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.views import RoundView
from ui.console import follow
from ui.theme import color
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.style import set_role, set_style_property

MARKS = (Mark.MET, Mark.NOT_MET, Mark.NOT_OBSERVED)
# Why "specific" matters, said where the observer types (the counts come from the checklist file).
WENT_WELL_HINT = 'what the operator did and when, e.g. "Checked the purchase date first"'
COULD_IMPROVE_HINT = 'what to do differently next time, e.g. "Offer the repair option first"'
STATUS_TEXT = {"none": "not started", "draft": "draft", "submitted": "✔ submitted"}


class KeepSpace(QObject):
    """Lets a focused button keep Space (and Enter) for itself.

    The console binds Space to start/pause for all its children; without this, pressing Space
    on a checklist radio or a panel button would toggle the timer instead of ticking it."""

    KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self.KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()  # deliver it as a key press to the button, not to a shortcut
        return False


def keep_space(root: QWidget, guard: KeepSpace) -> None:
    for button in root.findChildren(QAbstractButton):
        button.installEventFilter(guard)


def agenda_hint(summary: Aggregate) -> str:
    """One line for the top of the debrief: the most-missed criteria first."""
    if summary.submissions == 0:
        return "Agenda: no checklist submitted yet: ask the observers what they saw."
    if not summary.agenda:
        return (
            f"Agenda: nothing marked not met in {summary.submissions} checklist(s): "
            "ask what made it work."
        )
    parts = [f"{c.name} (not met ×{c.not_met})" for c in summary.agenda[:3]]
    return "Agenda, most missed first: " + ", ".join(parts) + "."


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # the store keeps UTC without a zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M:%S")


class ObserverForm(QWidget):
    """One observer's checklist. Saves a draft at every change; `changed` tells the panel."""

    changed = Signal()

    def __init__(
        self,
        feedback: FeedbackService,
        round_id: int,
        observer: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checklistObserverForm")
        self._feedback = feedback
        self.round_id = round_id
        self.observer = observer
        self.status = "none"
        self._version = 0  # of the stored answers this form started from
        self._conflict: SubmissionView | None = None  # stored by another device, not shown
        self._loading = False
        self._read_only = False
        self.groups: dict[str, QButtonGroup] = {}
        self.radios: dict[str, dict[Mark, QRadioButton]] = {}
        self.notes: dict[str, QLineEdit] = {}

        layout = QVBoxLayout(self)
        self.closed_message = text_label(role="notice")
        self.closed_message.setObjectName("checklistClosedMessage")
        self.closed_message.hide()
        layout.addWidget(self.closed_message)
        layout.addWidget(self._conflict_bar())

        criteria_box = QGroupBox(f"{observer}'s checklist: was each criterion met?")
        criteria_box.setObjectName("checklistCriteria")
        grid = QGridLayout(criteria_box)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(4, 2)
        for row, crit in enumerate(feedback.checklist.criteria):
            name = text_label(f"{crit.name}: {crit.question}")
            name.setObjectName("checklistCriterion")
            grid.addWidget(name, row, 0)
            group = QButtonGroup(self)
            self.groups[crit.key] = group
            self.radios[crit.key] = {}
            for col, mark in enumerate(MARKS, start=1):
                radio = QRadioButton(mark.label)
                radio.setAccessibleName(f"{crit.name}: {mark.label}")
                radio.setAccessibleDescription(crit.question)
                group.addButton(radio)
                self.radios[crit.key][mark] = radio
                grid.addWidget(radio, row, col)
            group.buttonToggled.connect(self._on_toggled)
            note = QLineEdit()
            note.setPlaceholderText("Optional note")
            note.setAccessibleName(f"{crit.name} note")
            note.setMaxLength(MAX_ITEM_CHARS)
            note.textEdited.connect(lambda _t: self._autosave())
            self.notes[crit.key] = note
            grid.addWidget(note, row, 4)
        layout.addWidget(criteria_box)

        rules = feedback.checklist
        self.went_well = self._items_box(layout, rules.went_well, WENT_WELL_HINT)
        self.could_improve = self._items_box(layout, rules.could_improve, COULD_IMPROVE_HINT)

        self.status_label = text_label(role="muted")
        self.status_label.setObjectName("checklistSaveState")
        self.status_label.setAccessibleName(f"{observer}'s checklist status")
        self.submit_button = QPushButton(f"&Submit {observer}'s checklist")
        self.submit_button.setObjectName("checklistSubmit")
        self.submit_button.setProperty("role", "primary")
        self.submit_button.setAccessibleName(f"Submit {observer}'s checklist")
        self.submit_button.clicked.connect(self.submit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.submit_button)
        layout.addLayout(bottom)
        self.message = text_label(role="error")
        self.message.setObjectName("checklistMessage")
        self.message.setAccessibleName("Checklist message")
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)
        keep_space(self, KeepSpace(self))

    def _conflict_bar(self) -> QFrame:
        """Shown when a save was refused because the checklist changed on another device."""
        self.conflict_bar = QFrame()
        self.conflict_bar.setObjectName("checklistConflict")
        self.conflict_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.conflict_message = text_label(role="notice")
        self.conflict_message.setObjectName("checklistConflictMessage")
        self.conflict_message.setAccessibleName("Changed on another device")
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setObjectName("checklistConflictReload")
        self.reload_button.setAccessibleName(f"Reload {self.observer}'s checklist as stored")
        self.reload_button.clicked.connect(self.take_theirs)
        self.keep_button = QPushButton("&Keep mine")
        self.keep_button.setObjectName("checklistConflictKeep")
        self.keep_button.setAccessibleName(f"Keep my answers for {self.observer} and save them")
        self.keep_button.clicked.connect(self.keep_mine)
        column = QVBoxLayout(self.conflict_bar)
        column.addWidget(self.conflict_message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reload_button)
        row.addWidget(self.keep_button)
        column.addLayout(row)
        self.conflict_bar.hide()
        return self.conflict_bar

    def _items_box(self, layout: QVBoxLayout, rule: ListRule, hint: str) -> list[QLineEdit]:
        box = QGroupBox(rule.label)
        box.setObjectName("checklistItems")
        inner = QVBoxLayout(box)
        text = (
            f"Give {rule.min_items} to {rule.max_items} specific {rule.item_noun}s, "
            f"one per box: {hint}. General praise or blame does not count."
        )
        rule_label = text_label(text, role="muted")
        inner.addWidget(rule_label)
        edits: list[QLineEdit] = []
        for i in range(rule.max_items):
            edit = QLineEdit()
            edit.setPlaceholderText(f"{rule.item_noun.capitalize()} {i + 1}")
            edit.setAccessibleName(f"{rule.name} {i + 1}")
            edit.setAccessibleDescription(text)
            edit.setMaxLength(MAX_ITEM_CHARS)
            edit.textEdited.connect(lambda _t: self._autosave())
            inner.addWidget(edit)
            edits.append(edit)
        rule_label.setBuddy(edits[0])
        layout.addWidget(box)
        return edits

    # -- reading and showing ------------------------------------------------------------------

    def answers(self) -> ChecklistAnswers:
        marks: dict[str, Mark | None] = {}
        for key, radios in self.radios.items():
            marks[key] = next((m for m, r in radios.items() if r.isChecked()), None)
        # Kept as typed, box by box (blank boxes are not counted by the rules), so a reload
        # puts every item back where the observer wrote it.
        return ChecklistAnswers(
            marks=marks,
            notes={k: e.text() for k, e in self.notes.items() if e.text().strip()},
            went_well=_as_typed(self.went_well),
            could_improve=_as_typed(self.could_improve),
        )

    @property
    def conflicted(self) -> bool:
        """Holding answers the store refused because another device saved first."""
        return self._conflict is not None

    def load(self, view: SubmissionView) -> None:
        """Show what is stored, without saving it back (and without firing autosave)."""
        self._set_conflict(None)
        self._loading = True
        try:
            answers = view.answers
            for key, radios in self.radios.items():
                mark = answers.marks.get(key)
                group = self.groups[key]
                group.setExclusive(False)  # an exclusive group cannot go back to "no mark"
                for m, radio in radios.items():
                    radio.setChecked(m == mark)
                group.setExclusive(True)
                self.notes[key].setText(answers.notes.get(key, ""))
            _fill(self.went_well, answers.went_well)
            _fill(self.could_improve, answers.could_improve)
        finally:
            self._loading = False
        self._show_status(view)

    def _show_status(self, view: SubmissionView) -> None:
        self._version = view.version
        self.status = view.status
        self.setProperty("status", view.status)
        if view.status == "submitted":
            text = f"Status: submitted at {_when(view.submitted_at)}"
            # Submitting itself touches updated_at: only a later save is a revision.
            if (
                view.updated_at
                and view.submitted_at
                and (view.updated_at - view.submitted_at).total_seconds() > 1
            ):
                text += f"; revised and saved at {_when(view.updated_at)}"
        elif view.status == "draft":
            text = f"Status: draft, saved at {_when(view.updated_at)}. Submit when complete."
        else:
            text = "Status: not started. Every tick and keystroke is saved as you go."
        self.status_label.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for radios in self.radios.values():
            for radio in radios.values():
                radio.setEnabled(not read_only)
        for edit in (*self.notes.values(), *self.went_well, *self.could_improve):
            edit.setReadOnly(read_only)
        self.submit_button.setEnabled(not read_only)
        self.keep_button.setEnabled(not read_only)
        if read_only:
            show_notice(
                self.closed_message,
                "Feedback is closed: this checklist is read-only. "
                "Open feedback above to let observers change or submit it.",
                "notice",
            )
        else:
            self.closed_message.hide()

    # -- writing ------------------------------------------------------------------------------

    def _on_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:  # the un-toggle of the previous choice would save twice
            self._autosave()

    def _autosave(self) -> None:
        if self._loading or self._read_only or self.conflicted:
            return  # in a conflict the typing stays here until the trainer picks a side
        self._save_draft(self._version)

    def _save_draft(self, seen: int) -> None:
        try:
            view = self._feedback.save_draft(
                self.round_id, self.observer, self.answers(), seen=seen
            )
        except ChangedElsewhere as exc:
            self._set_conflict(exc)
            return
        except UserError as exc:
            show_notice(self.message, f"Not saved: {exc}")
            return
        self._set_conflict(None)
        self.message.hide()
        self._show_status(view)
        self.changed.emit()

    def take_theirs(self) -> None:
        """Drop this form's refused answers and show what is stored."""
        self.reload()
        self.changed.emit()

    def keep_mine(self) -> None:
        """Save this form's answers over the change it was shown (a newer one is refused
        again, with the banner brought up to date)."""
        if self._conflict is not None:
            self._save_draft(self._conflict.version)

    def _set_conflict(self, refusal: ChangedElsewhere | None) -> None:
        self._conflict = refusal.current if refusal is not None else None
        self.conflict_bar.setVisible(refusal is not None)
        if refusal is not None:
            self.conflict_message.setText(str(refusal))
            self.message.hide()
            self._bring_into_view(self.conflict_bar)

    def submit(self) -> None:
        if self.conflicted:
            return  # the banner asks first: reload theirs or keep mine
        try:
            view = self._feedback.submit(
                self.round_id, self.observer, self.answers(), seen=self._version
            )
        except ChangedElsewhere as exc:
            self._set_conflict(exc)
            return
        except UserError as exc:
            show_notice(self.message, self._missing(str(exc)))
            self._bring_into_view(self.message)
            # The draft was saved before the rules were checked: show that state too.
            self._refresh_status()
            self.changed.emit()
            return
        show_notice(
            self.message,
            f"{self.observer}'s checklist is submitted and counts in the summary.",
            "ok",
        )
        self._show_status(view)
        self.changed.emit()

    def reload(self, note: str = "") -> None:
        """Show the stored answers again, keeping the cursor where it was, with a short note."""
        focus = self.focusWidget()
        cursor = focus.cursorPosition() if isinstance(focus, QLineEdit) else None
        try:
            self.load(self._feedback.get(self.round_id, self.observer))
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        if isinstance(focus, QLineEdit) and cursor is not None:
            focus.setCursorPosition(min(cursor, len(focus.text())))
        if note:
            show_notice(self.message, note, "notice")

    def _bring_into_view(self, widget: QWidget) -> None:
        """Scroll the form so a message below the fold is seen (after it is laid out)."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            area = parent
            # The area as context: no call once it is gone (the console closed first).
            QTimer.singleShot(0, area, lambda: area.ensureWidgetVisible(widget))

    def _missing(self, refusal: str) -> str:
        """The refusal as a list, one missing thing per line, so it reads at a glance."""
        problems = submission_problems(self.answers(), self._feedback.checklist)
        if not problems:
            return refusal
        return "Not submitted yet:\n" + "\n".join(f"• {p}." for p in problems)

    def _refresh_status(self) -> None:
        try:
            self._show_status(self._feedback.get(self.round_id, self.observer))
        except UserError as exc:
            show_notice(self.message, str(exc))


def _as_typed(edits: list[QLineEdit]) -> list[str]:
    items = [e.text() for e in edits]
    while items and not items[-1].strip():
        items.pop()
    return items


def _fill(edits: list[QLineEdit], items: Sequence[str]) -> None:
    for i, edit in enumerate(edits):
        edit.setText(items[i] if i < len(items) else "")
    # More stored items than boxes (e.g. sent from a browser) are kept visible, not dropped.
    if len(items) > len(edits):
        edits[-1].setText("; ".join(items[len(edits) - 1 :]))


class AggregateView(QWidget):
    """The trainer's summary over submitted checklists: counts, disagreements, agenda."""

    def __init__(self, feedback: FeedbackService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistAggregate")
        self._feedback = feedback
        self.coverage = text_label()
        self.coverage.setObjectName("checklistCoverage")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("checklistAggregateTable")
        self.table.setAccessibleName("Checklist counts per criterion")
        self.table.setHorizontalHeaderLabels(
            ["Criterion", "Met", "Not met", "Not observed", "Observers agree?"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda = text_label()
        self.agenda.setObjectName("checklistAgenda")
        self.agenda.setAccessibleName("Debrief agenda")
        self.comments = text_label()
        self.comments.setObjectName("checklistComments")

        layout = QVBoxLayout(self)
        layout.addWidget(self.coverage)
        layout.addWidget(self.table)
        agenda_box = QGroupBox("Debrief agenda: most-missed criteria first")
        QVBoxLayout(agenda_box).addWidget(self.agenda)
        layout.addWidget(agenda_box)
        comments_box = QGroupBox("From the submitted checklists")
        QVBoxLayout(comments_box).addWidget(self.comments)
        layout.addWidget(comments_box)
        layout.addStretch(1)

    def show_round(self, round_id: int, statuses: Sequence[tuple[str, str]]) -> None:
        summary = self._feedback.summary(round_id)
        waiting = [f"{name} ({STATUS_TEXT[s]})" for name, s in statuses if s != "submitted"]
        text = f"Counts over {summary.submissions} submitted checklist(s) of {len(statuses)}."
        if waiting:
            text += " Not in yet: " + ", ".join(waiting) + "."
        self.coverage.setText(text)

        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.table.setRowCount(len(summary.criteria))
        for row, crit in enumerate(summary.criteria):
            cells = [crit.name, str(crit.met), str(crit.not_met), str(crit.not_observed)]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
            if crit.disagreement:
                flag = QTableWidgetItem(warn, "Disagree: calibrate")
                flag.setToolTip("Some observers marked it met and others not met.")
                # Style sheets cannot reach item backgrounds: take the theme's notice colour.
                brush = QBrush(color("notice_bg"))
                for col in range(4):
                    self.table.item(row, col).setBackground(brush)
                flag.setBackground(brush)
            else:
                flag = QTableWidgetItem("Agree" if summary.submissions > 1 else "–")
            self.table.setItem(row, 4, flag)
        self.table.setCurrentCell(-1, -1)  # no row looks selected before the trainer picks one
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + sum(
            self.table.rowHeight(r) for r in range(self.table.rowCount())
        )
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

        if summary.submissions == 0:
            self.agenda.setText("No checklist submitted yet.")
        elif not summary.agenda:
            self.agenda.setText("Nothing marked not met: ask what made this round work.")
        else:
            lines = []
            for i, crit in enumerate(summary.agenda, start=1):
                line = f"{i}. {crit.name}: not met ×{crit.not_met}, met ×{crit.met}"
                if crit.disagreement:
                    line += "  ⚠ observers disagree"
                lines.append(line)
            self.agenda.setText("\n".join(lines))

        well, improve = summary.went_well, summary.could_improve
        self.comments.setText(
            "What went well:\n"
            + ("\n".join(f"• {w}" for w in well) or "(nothing yet)")
            + "\n\nWhat could improve:\n"
            + ("\n".join(f"• {c}" for c in improve) or "(nothing yet)")
        )


class ChecklistPanel(QWidget):
    """The console's feedback page: open/close feedback, the observers' forms, the summary."""

    saved = Signal()  # a form here saved or submitted: counts elsewhere (projector) may change

    def __init__(self, feedback: FeedbackService, live: LiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self._feedback = feedback
        self._live = live
        self._round: RoundView | None = None
        self.forms: dict[str, ObserverForm] = {}
        self._pages: dict[str, QScrollArea] = {}

        self.heading = text_label(role="heading")
        self.heading.setObjectName("checklistHeading")
        self.feedback_state = text_label()
        self.feedback_state.setObjectName("checklistFeedbackState")
        self.feedback_state.setAccessibleName("Feedback state")
        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("checklistFeedbackToggle")
        self.toggle_button.clicked.connect(self._toggle_feedback)
        self.statuses = text_label()
        self.statuses.setObjectName("checklistStatuses")
        self.statuses.setAccessibleName("Observers' checklist status")
        self.message = text_label(role="error")
        self.message.setObjectName("checklistPanelMessage")
        self.message.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("checklistTabs")
        self.tabs.setAccessibleName("Observers' checklists and summary")
        self.aggregate = AggregateView(feedback)

        top = QHBoxLayout()
        top.addWidget(self.feedback_state, 1)
        top.addWidget(self.toggle_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.statuses)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        keep_space(self, KeepSpace(self))

        follow(live, self, self.refresh)
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        rnd = self._live.round
        if rnd is None:
            self._round = None
            self._rebuild([])
            self.heading.setText("Observer checklists: no round in progress")
            self.feedback_state.setText("")
            self.toggle_button.hide()
            self.statuses.setText("")
            return
        before = self._round
        self._round = rnd
        if before is None or (rnd.id, rnd.observers) != (before.id, before.observers):
            self._rebuild(rnd.observers)
        self.heading.setText(
            f"Observer checklists: round {rnd.number}, operator {rnd.operator or 'not set'}"
        )
        self._show_feedback_state(rnd.feedback_open)
        focus = self.focusWidget()
        for form in self.forms.values():
            # Reload stored answers (a browser may have changed them), except under the cursor
            # and in a form holding refused answers the trainer has not decided on yet.
            if not form.conflicted and (focus is None or not form.isAncestorOf(focus)):
                self._call(lambda f=form: f.load(self._feedback.get(rnd.id, f.observer)))
            form.set_read_only(not rnd.feedback_open)
        self._update_statuses()

    def _rebuild(self, observers: Sequence[str]) -> None:
        self.tabs.clear()
        for page in self._pages.values():
            page.deleteLater()
        self.forms, self._pages = {}, {}
        for name in observers:
            assert self._round is not None
            form = ObserverForm(self._feedback, self._round.id, name)
            form.changed.connect(self._form_changed)
            self.forms[name] = form
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(form)
            self._pages[name] = scroll
            self.tabs.addTab(scroll, name)
        if observers:
            self.tabs.addTab(self.aggregate, "Summary for the trainer")

    def reload_observers(self, names: Sequence[str]) -> None:
        """These observers' answers were written from their own browser: show what is stored,
        even in the form being edited (its own saves were all accepted before theirs, so
        nothing of the trainer's is lost), except a form waiting on Reload / Keep mine."""
        by_name = {n.casefold(): f for n, f in self.forms.items()}
        for name in names:
            form = by_name.get(name.casefold())
            if form is not None and not form.conflicted:
                form.reload(f"Updated from {name}'s browser at {_when(datetime.now(UTC))}.")
        self._update_statuses()

    def _form_changed(self) -> None:
        self._update_statuses()
        self.saved.emit()

    def _show_feedback_state(self, is_open: bool) -> None:
        self.toggle_button.show()
        if is_open:
            self.feedback_state.setText(
                "Feedback is OPEN: observers can fill in and submit their checklists."
            )
            self.toggle_button.setText("&Close feedback")
            self.toggle_button.setAccessibleName("Close feedback (checklists become read-only)")
        else:
            self.feedback_state.setText("Feedback is CLOSED: checklists are read-only.")
            self.toggle_button.setText("&Open feedback")
            self.toggle_button.setAccessibleName("Open feedback for this round")
        set_style_property(self.feedback_state, "state", "open" if is_open else "closed")
        set_role(self.feedback_state, "ok" if is_open else "notice")

    def _update_statuses(self) -> None:
        if self._round is None:
            return
        round_id = self._round.id
        try:
            pairs = [(s.observer, s.status) for s in self._feedback.statuses(round_id)]
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self.statuses.setText(
            "Checklists: " + " · ".join(f"{name}: {STATUS_TEXT[s]}" for name, s in pairs)
        )
        for name, status in pairs:
            index = self.tabs.indexOf(self._pages[name]) if name in self._pages else -1
            if index >= 0:
                self.tabs.setTabText(index, f"{name}: {STATUS_TEXT[status]}")
        self._call(lambda: self.aggregate.show_round(round_id, pairs))

    # -- writing ------------------------------------------------------------------------------

    def _toggle_feedback(self) -> None:
        if self._round is not None:
            is_open = self._round.feedback_open
            self._call(lambda: self._live.set_feedback_open(not is_open))

    def _call(self, action: Callable[[], object]) -> None:
        """A refusal from the core is shown in the panel, never raised into Qt."""
        try:
            action()
        except UserError as exc:
            show_notice(self.message, str(exc))
