"""The trainer's debrief of the current round.

The scenario's debrief questions one at a time (the projector follows
`live.round.debrief_question`), notes per question saved as typed (on the store worker, at most
once per autosave window), takeaways and action items saved on every change, then the expert
approach, shown only once the trainer reveals it. What the panel shows of the store is read on
the worker when the round or the question changes, never on a clock key.

Theme hooks: objectName `debriefPanel` (children `debrief*` / `expert*`); labels carry the
theme's `role` property (`heading`, `muted`, `notice`, `error`), the expert box a dynamic
property `revealed` ("true"/"false").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.checklist import Aggregate
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.debrief import MAX_NOTE, DebriefService
from hotdash_roleplay.services.feedback import FeedbackService
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.views import DebriefView, RoundView
from hotdash_roleplay.services.worker import StoreWorker
from ui.autosave import Autosave
from ui.background import report
from ui.console import follow
from ui.console.checklist_words import agenda_hint
from ui.console.decision_panel import limited_box
from ui.widgets.keep_space import KeepSpace, keep_space
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.style import set_style_property


class _ItemList(QListWidget):
    """Delete (or Backspace) removes the current item; an open in-place editor keeps its keys."""

    def __init__(self, on_delete: Callable[[], None]) -> None:
        super().__init__()
        self._on_delete = on_delete

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._on_delete()
            return
        super().keyPressEvent(event)


class EditableList(QWidget):
    """A list of short texts: add (Enter), edit in place (F2 / double-click), remove (Delete).

    `on_change` gets the whole list after every change; the caller saves it."""

    def __init__(
        self, noun: str, on_change: Callable[[list[str]], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self._loading = False
        self.setObjectName(f"{noun.replace(' ', '')}List")

        self.list = _ItemList(self.remove_selected)
        self.list.setAccessibleName(f"{noun.capitalize()}s")
        self.list.setEditTriggers(
            QListWidget.EditTrigger.DoubleClicked
            | QListWidget.EditTrigger.EditKeyPressed
            | QListWidget.EditTrigger.SelectedClicked
        )
        self.list.setMinimumHeight(70)
        self.list.setMaximumHeight(140)
        self.list.itemChanged.connect(lambda _item: self._changed())

        self.entry = QLineEdit()
        # Short enough to show whole in a half-width box; the how-to is in the tooltip.
        placeholder = f"New {noun}"
        self.entry.setPlaceholderText(placeholder)
        self.entry.setToolTip(f"Type a {noun}, then press Enter or Add")
        self.entry.setAccessibleName(f"New {noun}")
        self.entry.setMaxLength(MAX_NOTE)  # the core's limit for one item
        width = self.entry.fontMetrics().horizontalAdvance(placeholder)
        self.entry.setMinimumWidth(width + 32)  # padding and frame: the placeholder never cuts
        self.entry.returnPressed.connect(self.add_entry)
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName(f"Add {noun}")
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove selected {noun}")
        self.remove_button.clicked.connect(self.remove_selected)

        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)

    def items(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_items(self, items: Sequence[str]) -> None:
        """Show stored items without saving them back."""
        if list(items) == self.items():
            return  # keeps selection and an edit in progress
        self._loading = True
        try:
            self.list.clear()
            for text in items:
                self._append(text)
        finally:
            self._loading = False

    def set_enabled(self, enabled: bool) -> None:
        for w in (self.list, self.entry, self.add_button, self.remove_button):
            w.setEnabled(enabled)

    def add_entry(self) -> None:
        text = " ".join(self.entry.text().split())
        if not text:
            return
        self._append(text)
        self.entry.clear()
        self._changed()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        self._changed()

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def _changed(self) -> None:
        if not self._loading:
            self._on_change(self.items())


@dataclass(frozen=True)
class _Loaded:
    """What the panel shows of a round, read on the store worker in one go."""

    round_id: int
    scenario: Scenario
    summary: Aggregate
    debrief: DebriefView


class DebriefPanel(QWidget):
    def __init__(
        self,
        worker: StoreWorker,
        sessions: SessionService,
        feedback: FeedbackService,
        debrief: DebriefService,
        live: LiveSession,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("debriefPanel")
        self._sessions = sessions
        self._feedback = feedback
        self._debrief = debrief
        self._live = live
        self._round: RoundView | None = None
        self._scenario: Scenario | None = None
        self._question = 0
        self._loading = False
        self._loaded: _Loaded | None = None  # of the round shown, once read
        self._notes: dict[int, str] = {}  # the round's notes per question, as last saved here
        self.autosave: Autosave[None] = Autosave(
            worker, self, self._note_job, on_failed=self._failed
        )

        self.heading = text_label(role="heading")
        self.heading.setObjectName("debriefHeading")
        self.agenda = text_label(role="notice")
        self.agenda.setObjectName("debriefAgenda")
        self.agenda.setAccessibleName("Debrief agenda from the checklists")
        self.message = text_label(role="error")
        self.message.setObjectName("debriefMessage")
        self.message.hide()

        # -- one question at a time ------------------------------------------------------------
        self.question_count = text_label(role="muted")
        self.question_count.setObjectName("debriefQuestionCount")
        self.question = text_label(role="heading")
        self.question.setObjectName("debriefQuestion")
        self.question.setAccessibleName("Debrief question")
        self.prev_button = QPushButton("◀ &Previous question")
        self.prev_button.setObjectName("debriefPrevious")
        self.prev_button.setAccessibleName("Previous debrief question")
        self.prev_button.clicked.connect(lambda: self._go(self._question - 1))
        self.next_button = QPushButton("&Next question ▶")
        self.next_button.setObjectName("debriefNext")
        self.next_button.setAccessibleName("Next debrief question")
        self.next_button.clicked.connect(lambda: self._go(self._question + 1))
        self.note = QPlainTextEdit()
        self.note.setObjectName("debriefNote")
        self.note.setPlaceholderText("Your notes on this question (saved as you type)")
        self.note.setAccessibleName("Notes on this question")
        self.note.setTabChangesFocus(True)  # Tab leaves the box: the panel stays keyboard-usable
        self.note.setMinimumHeight(70)
        self.note.setMaximumHeight(130)
        # Cut at the core's limit as typed; connected before the save, so every save fits.
        note_holder, self.note_limit = limited_box(self.note, MAX_NOTE, self)
        self.note.textChanged.connect(self._save_note)
        note_label = text_label("Notes on this &question")
        note_label.setBuddy(self.note)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.question_count, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next_button)
        questions = QGroupBox("Debrief questions (shown on the projector)")
        questions.setObjectName("debriefQuestions")
        q_layout = QVBoxLayout(questions)
        q_layout.addLayout(nav)
        q_layout.addWidget(self.question)
        q_layout.addWidget(note_label)
        q_layout.addWidget(note_holder)

        # -- takeaways and action items ---------------------------------------------------------
        self.takeaways = EditableList("takeaway", self._save_takeaways)
        self.action_items = EditableList("action item", self._save_actions)
        lists = QHBoxLayout()
        for title, widget in (("Takeaways", self.takeaways), ("Action items", self.action_items)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            lists.addWidget(box, 1)

        # -- the expert approach, last ----------------------------------------------------------
        self.reveal_button = QPushButton("Reveal expert approach")
        self.reveal_button.setObjectName("revealExpert")
        self.reveal_button.setProperty("role", "primary")
        self.reveal_button.setAccessibleName("Reveal the expert approach to the room")
        self.reveal_button.clicked.connect(self._reveal)
        self.expert_state = text_label(role="muted")
        self.expert_state.setObjectName("expertState")
        self.expert_decision = text_label(role="heading")
        self.expert_decision.setObjectName("expertDecision")
        self.expert_decision.setAccessibleName("Expert decision")
        self.expert_text = text_label()
        self.expert_text.setObjectName("expertApproach")
        self.expert_text.setAccessibleName("Expert approach")
        self.expert_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expert_box = QGroupBox("Expert approach")
        self.expert_box.setObjectName("expertBox")
        e_layout = QVBoxLayout(self.expert_box)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.expert_state, 1)
        reveal_row.addWidget(self.reveal_button)
        e_layout.addLayout(reveal_row)
        e_layout.addWidget(self.expert_decision)
        e_layout.addWidget(self.expert_text)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.heading)
        body_layout.addWidget(self.agenda)
        body_layout.addWidget(self.message)
        body_layout.addWidget(questions)
        body_layout.addLayout(lists)
        body_layout.addWidget(self.expert_box)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        keep_space(self, KeepSpace(self))

        # The round or its question: read again. The reveal: from memory. The checklists'
        # agenda: read again when the tab comes forward (showEvent).
        follow(live, self, self.refresh, {Change.ROUND, Change.DEBRIEF})
        follow(live, self, self._expert_changed, {Change.DECISION})
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        rnd = self._live.round
        changed = rnd is None or self._round is None or rnd.id != self._round.id
        if changed:
            self.autosave.flush()  # the note typed last goes to its own round
        self._round = rnd
        if rnd is None:
            self._loaded = None
            self._scenario = None
            self.heading.setText("Debrief — no round in progress")
            self.agenda.setText("")
            self._show_question([], 0)
            self.takeaways.set_items([])
            self.action_items.set_items([])
            self._show_expert()
            self._set_enabled(False)
            return
        if changed:
            show_notice(self.message, "")
            self._loaded, self._scenario, self._notes = None, None, {}
            self._question = -1  # another round: its notes replace whatever the box held
            self.heading.setText(f"Debrief — round {rnd.number}")
            self._set_enabled(False)  # until its notes are read: typing would be overwritten
        self._show_current()
        self._show_expert()
        sessions, feedback, debrief, round_id = (
            self._sessions,
            self._feedback,
            self._debrief,
            rnd.id,
        )
        self.autosave.request(
            lambda: _Loaded(
                round_id,
                sessions.round_scenario(round_id),
                feedback.summary(round_id),
                debrief.get(round_id),
            ),
            self._show_loaded,
            self._failed,
        )

    def showEvent(self, event: QShowEvent) -> None:
        """The debrief tab comes forward (the debrief phase began): the agenda follows the
        checklists submitted meanwhile, read on the worker."""
        super().showEvent(event)
        if self._loaded is not None:
            self.refresh()

    def _show_loaded(self, loaded: _Loaded) -> None:
        rnd = self._round
        if rnd is None or rnd.id != loaded.round_id:
            return  # the round moved on while it was read: its own read follows
        self._loaded, self._scenario = loaded, loaded.scenario
        self.heading.setText(f"Debrief — round {rnd.number}: {loaded.scenario.title}")
        self.agenda.setText(agenda_hint(loaded.summary))
        notes = dict(loaded.debrief.question_notes)
        if self.autosave.busy and self._question in self._notes:
            notes[self._question] = self._notes[self._question]  # typed since it was read
        self._notes = notes
        self._set_enabled(True)
        self._show_current()
        self.takeaways.set_items(loaded.debrief.takeaways)
        self.action_items.set_items(loaded.debrief.actions)
        self._show_expert()

    def _show_current(self) -> None:
        """The live round's current question with its note, from what is loaded."""
        rnd = self._round
        if rnd is None:
            return
        questions = list(self._scenario.debrief_questions) if self._scenario else []
        self._show_question(questions, rnd.debrief_question, self._notes)

    def _expert_changed(self) -> None:
        rnd = self._live.round
        if self._round is not None and rnd is not None and rnd.id == self._round.id:
            self._round = rnd
            self._show_expert()

    def _show_question(
        self, questions: list[str], index: int, notes: dict[int, str] | None = None
    ) -> None:
        moved = index != self._question
        if moved:
            self.autosave.flush()  # the note typed goes to the question it was typed for
        self._question = index
        count = len(questions)
        if self._round is not None and self._loaded is None:
            self.question_count.setText("")
            self.question.setText("")
        elif count == 0:
            self.question_count.setText("No debrief questions")
            self.question.setText("")
        else:
            self.question_count.setText(f"Question {index + 1} of {count}")
            self.question.setText(questions[index])
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        stored = (notes or {}).get(index, "")
        # Never overwrite the box while the trainer types in it, unless the question changed.
        typing = self.note.hasFocus() or self.autosave.pending
        if moved or (stored != self.note.toPlainText() and not typing):
            self._loading = True
            try:
                self.note.setPlainText(stored)
            finally:
                self._loading = False

    def _show_expert(self) -> None:
        rnd = self._round
        revealed = bool(rnd and rnd.expert_revealed)
        set_style_property(self.expert_box, "revealed", "true" if revealed else "false")
        self.reveal_button.setEnabled(rnd is not None and not revealed)
        if not revealed:
            self.reveal_button.setText("Reveal expert approach")
            self.expert_state.setText(
                "Hidden from the room. Reveal it after the debrief questions: the projector "
                "shows it at the same moment."
            )
            for hidden in (self.expert_decision, self.expert_text):
                hidden.setText("")
                hidden.hide()
            return
        self.reveal_button.setText("Expert approach revealed")
        self.expert_state.setText("Revealed: the room can see it on the projector.")
        decision, details = _expert_text(self._scenario)
        self.expert_decision.setText(decision)
        self.expert_text.setText(details)
        self.expert_decision.show()
        self.expert_text.setVisible(bool(details))

    # -- writing ------------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        # The live session clamps and notifies; refresh() then shows the question it settled on.
        self.autosave.flush()
        self._call(lambda: self._live.set_debrief_question(index))

    def _save_note(self) -> None:
        if not self._loading and self._loaded is not None:
            self.autosave.changed()

    def _note_job(self) -> Callable[[], None] | None:
        if self._loaded is None or self._question < 0:
            return None
        text = self.note.toPlainText()
        round_id, index, debrief = self._loaded.round_id, self._question, self._debrief
        self._notes[index] = text
        return lambda: debrief.set_question_note(round_id, index, text)

    def _save_takeaways(self, items: list[str]) -> None:
        if self._loaded is not None:
            round_id, debrief = self._loaded.round_id, self._debrief
            self.autosave.request(
                lambda: debrief.set_takeaways(round_id, items), None, self._failed
            )

    def _save_actions(self, items: list[str]) -> None:
        if self._loaded is not None:
            round_id, debrief = self._loaded.round_id, self._debrief
            self.autosave.request(lambda: debrief.set_actions(round_id, items), None, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report(exc)

    def _reveal(self) -> None:
        if self._call(self._live.reveal_expert):
            # The button just went disabled: keep keyboard focus and the view on what appeared.
            self.expert_text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.expert_text.setFocus()
            QTimer.singleShot(
                0, lambda: self.scroll_area.ensureWidgetVisible(self.expert_box, 0, 0)
            )

    def _call(self, action: Callable[[], object]) -> bool:
        """Run a service call; a refusal is shown in the panel, never raised to Qt."""
        try:
            action()
        except UserError as exc:
            show_notice(self.message, str(exc))
            return False
        show_notice(self.message, "")
        return True

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.note, self.prev_button, self.next_button, self.reveal_button):
            w.setEnabled(enabled)
        self.takeaways.set_enabled(enabled)
        self.action_items.set_enabled(enabled)


def _expert_text(scenario: Scenario | None) -> tuple[str, str]:
    """The decision line and the rationale with the approach."""
    if scenario is None or scenario.expert is None:
        return (
            "The training program gives no expert decision for this scenario.",
            "Close the debrief with the group's own reasoning and the takeaways above.",
        )
    expert = scenario.expert
    return (
        f"Expert decision: {expert.wording}",
        f"Why:\n{expert.rationale}\n\nExpert approach:\n{expert.approach}",
    )
