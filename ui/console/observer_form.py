"""One observer's checklist in the app: the criteria, what went well, what could improve;
saved as a draft as it changes, submitted when complete.

Every store call runs on the store worker. Drafts are written at most once per autosave window
while the trainer types, each conditional on the version the form started from: a write made
while an earlier one of this form is still on its way starts from that one's result (the worker
runs them in order), never from something another device stored, so a browser's change is
refused, shown, and never overwritten unseen. An answer never puts text back into the fields:
only a read the trainer did not type over does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.checklist import (
    MAX_ITEM_CHARS,
    ChecklistAnswers,
    ListRule,
    Mark,
    submission_problems,
)
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.feedback import (
    ChangedElsewhere,
    FeedbackService,
    NotSubmitted,
    SubmissionView,
)
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.status import ChecklistState
from ui.autosave import Autosave
from ui.background import report
from ui.console.checklist_words import when_text
from ui.widgets.keep_space import KeepSpace, keep_space
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice

MARKS = (Mark.MET, Mark.NOT_MET, Mark.NOT_OBSERVED)
# Why "specific" matters, said where the observer types (the counts come from the checklist file).
WENT_WELL_HINT = 'what the operator did and when, e.g. "Checked the purchase date first"'
COULD_IMPROVE_HINT = 'what to do differently next time, e.g. "Offer the repair option first"'


class _Chain:
    """The version this form's last write left stored. Read and written on the worker only,
    where the form's writes run one after the other."""

    seen = 0


@dataclass(frozen=True)
class _Written:
    """A write's outcome: what is stored after it (None if it was refused before writing) and
    why it was refused, if it was."""

    generation: int
    submit: bool
    view: SubmissionView | None
    refusal: UserError | None


class ObserverForm(QWidget):
    """One observer's checklist. Saves a draft as it changes; `changed` tells the panel."""

    changed = Signal()

    def __init__(
        self,
        worker: StoreWorker,
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
        self.status = ChecklistState.NONE
        self._version = 0  # of the stored answers this form started from
        self._conflict: SubmissionView | None = None  # stored by another device, not shown
        self._loading = False
        self._read_only = False
        self._chain = _Chain()
        self._writes = 0  # writes asked for and not answered yet
        # Bumped when the trainer answers a conflict (or reloads): older refusals are old news.
        self._generation = 0
        self._typed_in_conflict = False
        self.autosave: Autosave[_Written] = Autosave(
            worker, self, self._draft_job, self._written, self._write_failed
        )
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
        if view.status == ChecklistState.SUBMITTED:
            text = f"Status: submitted at {when_text(view.submitted_at)}"
            # Submitting itself touches updated_at: only a later save is a revision.
            if (
                view.updated_at
                and view.submitted_at
                and (view.updated_at - view.submitted_at).total_seconds() > 1
            ):
                text += f"; revised and saved at {when_text(view.updated_at)}"
        elif view.status == ChecklistState.DRAFT:
            text = f"Status: draft, saved at {when_text(view.updated_at)}. Submit when complete."
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
        if self._loading or self._read_only:
            return
        if self.conflicted:  # the typing stays here until the trainer picks a side
            self._typed_in_conflict = True
            return
        self.autosave.changed()

    @property
    def busy(self) -> bool:
        """Typing not written yet, or a write or read still on its way."""
        return self.autosave.busy or self._writes > 0

    def _draft_job(self) -> Callable[[], _Written] | None:
        if self._read_only or self.conflicted:
            return None
        return self._write_job()

    def _write_job(self, submit: bool = False, seen: int | None = None) -> Callable[[], _Written]:
        """The answers as they stand, written on the worker from `seen`, or (None) from what
        this form last knew stored: its own earlier write when one is still on its way."""
        answers = self.answers()
        chained = seen is None and self._writes > 0
        start = self._version if seen is None else seen
        chain, feedback, generation = self._chain, self._feedback, self._generation
        round_id, observer = self.round_id, self.observer
        save = feedback.submit if submit else feedback.save_draft
        self._writes += 1

        def job() -> _Written:
            base = chain.seen if chained else start
            try:
                view = save(round_id, observer, answers, seen=base)
            except NotSubmitted as exc:  # the answers are kept as a draft all the same
                chain.seen = exc.current.version
                return _Written(generation, submit, exc.current, exc)
            except UserError as exc:
                chain.seen = base
                return _Written(generation, submit, None, exc)
            chain.seen = view.version
            return _Written(generation, submit, view, None)

        return job

    def _write(self, job: Callable[[], _Written]) -> None:
        self.autosave.request(job, self._written, self._write_failed)

    def _written(self, done: _Written) -> None:
        self._writes -= 1
        self.submit_button.setEnabled(not self._read_only)
        self.keep_button.setEnabled(not self._read_only)
        refusal, current = done.refusal, done.generation == self._generation
        if isinstance(refusal, ChangedElsewhere):
            if current:
                self._set_conflict(refusal)
            return
        if done.view is not None:
            self._show_status(done.view)
            if current and self.conflicted:  # Keep mine went through
                self._set_conflict(None)
                if self._typed_in_conflict:
                    self.autosave.changed()
            self.changed.emit()
        if isinstance(refusal, NotSubmitted):
            show_notice(self.message, self._missing(str(refusal)))
            self._bring_into_view(self.message)
        elif refusal is not None:
            show_notice(self.message, f"Not saved: {refusal}")
        elif done.submit:
            show_notice(
                self.message,
                f"{self.observer}'s checklist is submitted and counts in the summary.",
                "ok",
            )
        else:
            self.message.hide()

    def _write_failed(self, exc: BaseException) -> None:
        self._writes -= 1
        self.submit_button.setEnabled(not self._read_only)
        self.keep_button.setEnabled(not self._read_only)
        report(exc)

    def take_theirs(self) -> None:
        """Drop this form's refused answers and show what is stored."""
        self._generation += 1
        self.autosave.cancel()
        self.reload(force=True)

    def keep_mine(self) -> None:
        """Save this form's answers over the change it was shown (a newer one is refused
        again, with the banner brought up to date)."""
        if self._conflict is None:
            return
        self._generation += 1
        self._typed_in_conflict = False
        self.autosave.cancel()
        self.keep_button.setEnabled(False)
        self._write(self._write_job(seen=self._conflict.version))

    def _set_conflict(self, refusal: ChangedElsewhere | None) -> None:
        self._conflict = refusal.current if refusal is not None else None
        self.conflict_bar.setVisible(refusal is not None)
        if refusal is not None:
            self.conflict_message.setText(str(refusal))
            self.message.hide()
            self._bring_into_view(self.conflict_bar)

    def submit(self) -> None:
        """Submitted on the worker, after what was typed; the button waits for the answer."""
        if self.conflicted:
            return  # the banner asks first: reload theirs or keep mine
        self.autosave.cancel()  # the submit writes the same answers
        self.submit_button.setEnabled(False)
        self._write(self._write_job(submit=True))

    def reload(self, note: str = "", force: bool = False) -> None:
        """Show the stored answers again, keeping the cursor where it was, with a short note.
        Typing not written yet is written instead: if another device saved in between, that
        save is refused and the banner asks (nothing is overwritten either way)."""
        if not force and (self.autosave.pending or self._writes):
            self.autosave.flush()
            return
        generation, feedback = self._generation, self._feedback
        round_id, observer = self.round_id, self.observer

        def show(view: SubmissionView) -> None:
            typed = self.autosave.pending or self._writes > 0
            if generation != self._generation or (typed and not force):
                return  # typed over meanwhile: that write settles it
            focus = self.focusWidget()
            cursor = focus.cursorPosition() if isinstance(focus, QLineEdit) else None
            self.load(view)
            if isinstance(focus, QLineEdit) and cursor is not None:
                focus.setCursorPosition(min(cursor, len(focus.text())))
            if note:
                show_notice(self.message, note, "notice")
            if force:
                self.changed.emit()

        self.autosave.request(
            lambda: feedback.get(round_id, observer),
            show,
            lambda exc: (
                show_notice(self.message, str(exc)) if isinstance(exc, UserError) else report(exc)
            ),
        )

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
