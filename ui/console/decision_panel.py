"""The operator's decision: the four choices, the edited reply, the program's note templates,
the time to decide, and (trainer only) whether it matched the expert."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.clock import compare_to_benchmark, format_duration
from hotdash_roleplay.decisions import MAX_REPLY, Decision, DecisionDraft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.decisions import (
    DecisionChangedElsewhere,
    DecisionService,
    LeftoverDraft,
    decision_problem,
)
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.views import DecisionView, RoundView
from hotdash_roleplay.services.worker import StoreWorker
from ui.autosave import Autosave
from ui.background import report
from ui.console import follow
from ui.console.decision_correction import DecisionCorrectionBox, FormDecision
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot, fit_texts
from ui.widgets.style import set_role

NoteT = TypeVar("NoteT", RejectionNote, EscalationNote)
FieldWidget = QLineEdit | QPlainTextEdit | QComboBox
SHORT_LIMIT = 500  # the notes' one-line fields (max_length) get a line edit, the rest a text box


COUNTER_FROM = 0.8  # the "n / max" counter appears once a box is this full
NO_CHOICE = "Choose one of the four decisions first."
RECORD, RECORD_AGAIN = "&Record decision", "&Record again (replaces)"


def _max_length(field: Any) -> int | None:
    for meta in field.metadata:
        if getattr(meta, "max_length", None) is not None:
            return int(meta.max_length)
    return None


def _utf16(text: str, index: int) -> int:
    """Qt cursor positions count UTF-16 units; Python (and the core's limits) count code points."""
    return len(text[:index].encode("utf-16-le")) // 2


def _code_points(text: str, position: int) -> int:
    return len(text.encode("utf-16-le")[: position * 2].decode("utf-16-le", errors="ignore"))


class TextLimit(QObject):
    """A maxLength for QPlainTextEdit: what goes past the limit is cut where it was typed or
    pasted (the rest of the text and the cursor stay), and a "n / max" counter shows near it.

    The core refuses longer text; cutting as typed means nothing typed is later refused."""

    def __init__(self, edit: QPlainTextEdit, limit: int, counter: QLabel) -> None:
        super().__init__(edit)
        self.edit = edit
        self.limit = limit
        self.counter = counter
        counter.setObjectName(f"{edit.objectName() or 'text'}Counter")
        counter.setProperty("role", "muted")
        counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        counter.hide()
        edit.textChanged.connect(self._changed)

    def _changed(self) -> None:
        text = self.edit.toPlainText()
        excess = len(text) - self.limit
        if excess > 0:
            cursor = self.edit.textCursor()
            end = _code_points(text, cursor.position())
            start = max(0, end - excess)
            if end - start < excess:  # the cursor sits too near the start: cut the tail instead
                start, end = self.limit, len(text)
            # An edit through the cursor keeps undo, the caret, and re-enters here only once.
            cut = QTextCursor(self.edit.document())
            cut.setPosition(_utf16(text, start))
            cut.setPosition(_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
            cut.removeSelectedText()
            return
        self.show_count(len(text))

    def show_count(self, count: int) -> None:
        near = count >= self.limit * COUNTER_FROM
        self.counter.setText(f"{count:,} / {self.limit:,}")
        self.counter.setVisible(near)
        if near:
            set_role(self.counter, "notice" if count >= self.limit else "muted")


def limited_box(edit: QPlainTextEdit, limit: int, parent: QWidget) -> tuple[QWidget, TextLimit]:
    """The box with its counter underneath, as one widget for a form row."""
    holder = QWidget(parent)
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(edit)
    counter = QLabel(holder)
    counter.setToolTip(f"Characters used of the {limit:,} this box holds")
    box.addWidget(counter, 0, Qt.AlignmentFlag.AlignRight)  # small, under the box's right edge
    return holder, TextLimit(edit, limit, counter)


def plain_error(title: str, err: ErrorDetails) -> str:
    """A refusal a trainer can act on, never pydantic's wording."""
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind == "string_too_long":
        return f"{title} can be at most {ctx.get('max_length')} characters long; shorten it."
    if kind in ("enum", "literal_error"):
        return f"{title}: choose one of the listed options."
    if kind in ("string_type", "missing"):
        return f"{title} needs to be filled in."
    return f"{title} could not be used as written; check it and record again."


class NoteForm(QWidget, Generic[NoteT]):
    """A form generated from a note model, so it always follows the program's template."""

    def __init__(self, model: type[NoteT], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: type[NoteT] = model
        self.fields: dict[str, FieldWidget] = {}
        self.limits: dict[str, TextLimit] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, info in model.model_fields.items():
            title = str(info.title)
            widget = self._make(info.annotation, info)
            widget.setObjectName(f"{model.__name__}_{name}")
            widget.setAccessibleName(title)
            required = name in model.REQUIRED
            label = QLabel(f"{title} *" if required else title, self)
            label.setBuddy(widget)
            limit = _max_length(info)
            if isinstance(widget, QPlainTextEdit) and limit is not None:
                holder, self.limits[name] = limited_box(widget, limit, self)
                form.addRow(label, holder)
            else:
                form.addRow(label, widget)
            self.fields[name] = widget

    def _make(self, annotation: Any, info: Any) -> FieldWidget:
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            box = QComboBox(self)
            for member in annotation:
                box.addItem(getattr(member, "label", str(member.value)), member.value)
            box.setCurrentIndex(box.findData(info.default.value))
            return box
        limit = _max_length(info)
        if limit is not None and limit <= SHORT_LIMIT:
            line = QLineEdit(self)
            line.setMaxLength(limit)  # Qt counts UTF-16 units: never more code points than this
            return line
        edit = QPlainTextEdit(self)
        edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        return edit

    def connect_changes(self, slot: Any) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(slot)
            else:
                widget.textChanged.connect(slot)

    def data(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                out[name] = str(widget.currentData())
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text()
            else:
                out[name] = widget.toPlainText()
        return out

    def note(self) -> NoteT:
        try:
            return self._model.model_validate(self.data())
        except ValidationError as exc:
            err = exc.errors()[0]
            info = self._model.model_fields.get(str(err["loc"][0])) if err["loc"] else None
            title = str(info.title) if info is not None else "A field of the note"
            raise UserError(plain_error(title, err)) from None

    def set_data(self, values: dict[str, Any]) -> None:
        for name, widget in self.fields.items():
            value = values.get(name)
            if isinstance(widget, QComboBox):
                if value is not None:
                    widget.setCurrentIndex(max(0, widget.findData(str(value))))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value or ""))
            else:
                widget.setPlainText(str(value or ""))


@dataclass(frozen=True)
class _Loaded:
    """What the panel shows of a round, read on the store worker in one go."""

    round_id: int | None
    scenario: Scenario | None
    decision: DecisionView | None
    draft: DecisionDraft | None
    leftovers: list[LeftoverDraft]


def _read(
    decisions: DecisionService, sessions: SessionService, round_id: int | None, session_id: int
) -> _Loaded:
    if round_id is None:
        return _Loaded(None, None, None, None, decisions.leftover_drafts(session_id))
    return _Loaded(
        round_id,
        sessions.round_scenario(round_id),
        decisions.get(round_id),
        decisions.draft(round_id),
        decisions.leftover_drafts(session_id),
    )


def _scroll(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class DecisionPanel(QWidget):
    recorded = Signal(object)  # DecisionView

    def __init__(
        self,
        worker: StoreWorker,
        decisions: DecisionService,
        sessions: SessionService,
        live: LiveSession,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._decisions = decisions
        self._sessions = sessions
        self._live = live
        self._round: RoundView | None = None
        self._shown = False  # nothing asked of the store yet
        self._loaded: _Loaded | None = None  # of the round shown, once read
        self._decision: DecisionView | None = None
        self._loading = False  # filling the form from the store is not the trainer's draft
        # The draft is written on the store worker, at most once per window while typing.
        self.autosave: Autosave[None] = Autosave(
            worker, self, self._draft_job, on_failed=self._draft_failed
        )
        self._refused = False  # a refusal is shown: it follows the form until it no longer applies

        self.operator_label = QLabel(self)
        self.operator_label.setProperty("role", "heading")
        self.time_label = QLabel(self)
        self.time_label.setObjectName("decisionTime")
        head = QHBoxLayout()
        head.addWidget(self.operator_label, 1)
        head.addWidget(self.time_label)

        self.group = QButtonGroup(self)
        self.choices: dict[Decision, QRadioButton] = {}
        choice_row = QHBoxLayout()
        for i, decision in enumerate(Decision):
            button = QRadioButton(decision.label.replace("&", "&&"), self)  # no mnemonic
            button.setObjectName(f"decision_{decision.value}")
            button.setAccessibleName(f"Decision: {decision.label}")
            self.group.addButton(button, i)
            choice_row.addWidget(button)
            self.choices[decision] = button
        choice_row.addStretch(1)
        self.group.idToggled.connect(self._choice_changed)

        self.stack = QStackedWidget(self)
        hint = QLabel("Choose the operator's decision above.", self)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        hint.setProperty("role", "muted")
        approve = QLabel("Approve: the AI draft goes to the customer as written.", self)
        approve.setWordWrap(True)
        approve.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.reply_edit = QPlainTextEdit(self)
        self.reply_edit.setObjectName("finalReply")
        self.reply_edit.setAccessibleName("Edited reply")
        self.reply_edit.setTabChangesFocus(True)
        reply_page = QWidget(self)
        reply_box = QVBoxLayout(reply_page)
        reply_box.setContentsMargins(0, 0, 0, 0)
        reply_label = QLabel("&Edited reply (what the customer receives) *", reply_page)
        reply_label.setBuddy(self.reply_edit)
        reply_holder, self.reply_limit = limited_box(self.reply_edit, MAX_REPLY, reply_page)
        reply_box.addWidget(reply_label)
        reply_box.addWidget(reply_holder)
        self.rejection_form = NoteForm(RejectionNote, self)
        self.escalation_form = NoteForm(EscalationNote, self)
        self._pages = {
            None: self.stack.addWidget(hint),
            Decision.APPROVE: self.stack.addWidget(approve),
            Decision.EDIT_APPROVE: self.stack.addWidget(reply_page),
            Decision.REJECT: self.stack.addWidget(
                self._titled("Rejection note", self.rejection_form)
            ),
            Decision.ESCALATE: self.stack.addWidget(
                self._titled("Escalation note", self.escalation_form)
            ),
        }

        self.record_button = QPushButton(RECORD, self)
        self.record_button.setObjectName("recordDecision")
        self.record_button.setProperty("role", "primary")
        self.record_button.setAccessibleName("Record the operator's decision")
        self.record_button.clicked.connect(self.record)
        fit_texts(self.record_button, RECORD, RECORD_AGAIN)
        # Full-width rows just above the button, each keeping its height while hidden: the
        # button stays at the panel's foot, where the first click found it, whatever is said.
        self.message = NoticeSlot(self)
        self.message.setObjectName("decisionMessage")
        self.expert_label = NoticeSlot(self)
        self.expert_label.setObjectName("matchedExpert")
        self.benchmark_label = NoticeSlot(self, lines=1, keep_place=live.detail.drill)
        self.benchmark_label.setObjectName("drillBenchmark")
        # Drafts left on rounds that closed undecided: shown, never silently kept. It sits
        # under the form, which gives up the height, so no control moves when it appears.
        self.leftover_label = QLabel(self)
        self.leftover_label.setObjectName("leftoverDrafts")
        self.leftover_label.setWordWrap(True)
        self.leftover_label.setTextFormat(Qt.TextFormat.PlainText)
        self.leftover_label.setMinimumWidth(1)
        self.leftover_label.hide()
        # The operator's own decision, from their device: corrected with a reason, not replaced.
        self.correction = DecisionCorrectionBox(worker, decisions, live, self._form_decision, self)
        self.correction.arrived.connect(self._decision_arrived)
        self.correction.corrected.connect(self._decision_arrived)
        bottom = QHBoxLayout()
        bottom.addWidget(self.record_button)
        bottom.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(choice_row)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.leftover_label)
        layout.addWidget(self.message)
        layout.addWidget(self.expert_label)
        layout.addWidget(self.benchmark_label)
        layout.addWidget(self.correction)
        layout.addLayout(bottom)
        self.reply_edit.textChanged.connect(self._remember_draft)
        self.rejection_form.connect_changes(self._remember_draft)
        self.escalation_form.connect_changes(self._remember_draft)
        follow(live, self, self.refresh, {Change.ROUND})
        self.refresh()

    def _titled(self, title: str, form: QWidget) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        head = QLabel(f"{title} — the program's template (* required)", page)
        head.setProperty("role", "heading")
        box.addWidget(head)
        box.addWidget(_scroll(form, page), 1)
        return page

    # -- state --------------------------------------------------------------------------------

    def selected(self) -> Decision | None:
        button = self.group.checkedButton()
        return next((d for d, b in self.choices.items() if b is button), None)

    def choose(self, decision: Decision) -> None:
        self.choices[decision].setChecked(True)

    def _choice_changed(self, _id: int, checked: bool) -> None:
        if checked:
            self.stack.setCurrentIndex(self._pages[self.selected()])
            self._remember_draft()

    @property
    def decided(self) -> bool:
        """The live round has a recorded decision (as last read or recorded here)."""
        return self._decision is not None

    def _form_state(self) -> DecisionDraft:
        return DecisionDraft(
            decision=self.selected(),
            final_reply=self.reply_edit.toPlainText(),
            rejection=self.rejection_form.data(),
            escalation=self.escalation_form.data(),
        )

    def _remember_draft(self, *_: object) -> None:
        """Kept in the store (not recorded), so neither a phase change nor a crash loses it."""
        if self._loading or self._loaded is None or self._round is None:
            return
        self.autosave.changed()
        if self._refused:
            self._recheck()

    def _draft_job(self) -> Callable[[], None] | None:
        if self._loaded is None or self._loaded.round_id is None:
            return None
        round_id, decisions = self._loaded.round_id, self._decisions
        try:
            draft = self._form_state()
        except ValidationError as exc:
            self._draft_failed(exc)
            return None
        return lambda: decisions.save_draft(round_id, draft)

    def _draft_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError | ValidationError):
            show_notice(self.message, f"The draft could not be kept: {exc}", "error")
        else:
            report(exc)

    def _problem(self) -> str | None:
        """What recording the form as it stands would be refused for (the core's rule), or None."""
        decision = self.selected()
        if decision is None:
            return NO_CHOICE
        try:
            rejection = self.rejection_form.note() if decision is Decision.REJECT else None
            escalation = self.escalation_form.note() if decision is Decision.ESCALATE else None
        except UserError as exc:
            return str(exc)
        return decision_problem(decision, self.reply_edit.toPlainText(), rejection, escalation)

    def _recheck(self) -> None:
        """After a refusal: say what is still missing as fields are filled, and nothing once
        nothing is (the trainer should not have to press Record to find out)."""
        problem = self._problem()
        if problem is None:
            self._refused = False
            self.message.hide()
        else:
            show_notice(self.message, problem, "error")

    def refresh(self) -> None:
        """Follow the live session: a new round gets a fresh form (or its stored decision),
        read on the store worker; the same round only updates what is in memory."""
        rnd = self._live.round
        self.operator_label.setText(
            f"Operator: {rnd.operator or 'Trainer'}" if rnd else "No round is running."
        )
        if self._shown and (rnd.id if rnd else None) == (self._round.id if self._round else None):
            self._round = rnd
            self.refresh_time()
            return
        self.autosave.flush()  # what was typed for the round before goes to that round
        self._shown = True
        self._round = rnd
        self._loaded = None
        self._decision = None
        self.setEnabled(False)  # until the round's form is read: typing would be overwritten
        decisions, sessions = self._decisions, self._sessions
        round_id, session_id = (rnd.id if rnd else None), self._live.session_id
        self.autosave.request(
            lambda: _read(decisions, sessions, round_id, session_id), self._show_loaded
        )
        self.refresh_time()

    def _show_loaded(self, loaded: _Loaded) -> None:
        if loaded.round_id != (self._round.id if self._round else None):
            return  # the round moved on while it was read: its own read follows
        self._loaded = loaded
        self._decision = loaded.decision
        self._reset_form()
        self.setEnabled(self._round is not None)
        self._show_recorded()
        if loaded.draft is not None:
            show_notice(
                self.message, "Your draft for this round is back: it is not recorded yet.", "notice"
            )
        self._show_leftovers(loaded.leftovers)
        self.refresh_time()

    def _show_leftovers(self, leftovers: list[LeftoverDraft]) -> None:
        self.leftover_label.setText("\n".join(x.notice for x in leftovers))
        self.leftover_label.setVisible(bool(leftovers))
        if leftovers:
            set_role(self.leftover_label, "notice")

    def _reset_form(self) -> None:
        self._loading = True
        try:
            self._fill_form()
        finally:
            self._loading = False

    def _fill_form(self) -> None:
        self.group.setExclusive(False)
        for button in self.choices.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.stack.setCurrentIndex(self._pages[None])
        self.message.hide()
        self._refused = False
        loaded = self._loaded
        scenario = loaded.scenario if loaded else None
        ai_draft = scenario.ai_draft.text if scenario else ""
        # The templates start from what the room saw: the customer's words and the AI draft.
        self.reply_edit.setPlainText(ai_draft)
        self.rejection_form.set_data(
            {
                "customer_question": scenario.customer_message if scenario else "",
                "ai_response": ai_draft,
            }
        )
        self.escalation_form.set_data({})
        stored = self._decision
        if stored is not None:
            self.choose(Decision(stored.decision))
            if stored.final_reply:
                self.reply_edit.setPlainText(stored.final_reply)
            if stored.rejection_note:
                self.rejection_form.set_data(stored.rejection_note)
            if stored.escalation_note:
                self.escalation_form.set_data(stored.escalation_note)
        draft = loaded.draft if loaded else None
        if draft is None:
            return
        # What was typed and not recorded wins over the template and the stored decision.
        if draft.decision is not None:
            self.choose(draft.decision)
        self.reply_edit.setPlainText(draft.final_reply)
        self.rejection_form.set_data(draft.rejection)
        self.escalation_form.set_data(draft.escalation)

    def refresh_time(self) -> None:
        """Cheap: called on every repaint while the clock runs."""
        if self._decision is not None and self._decision.seconds_to_decide is not None:
            taken = format_duration(self._decision.seconds_to_decide)
            self.time_label.setText(f"Time to decision: {taken} (recorded)")
        elif self._round is not None:
            taken = format_duration(self._live.decision_seconds())
            self.time_label.setText(f"Time to decision: {taken} (since the role-play began)")

    # -- recording ----------------------------------------------------------------------------

    def record(self) -> None:
        """Recorded on the store worker; the button waits for the answer."""
        rnd = self._round
        decision = self.selected()
        try:
            if rnd is None or self._loaded is None:
                raise UserError("There is no round to record a decision for.")
            if decision is None:
                raise UserError(NO_CHOICE)
            reply = self.reply_edit.toPlainText()
            rejection = self.rejection_form.note() if decision is Decision.REJECT else None
            escalation = self.escalation_form.note() if decision is Decision.ESCALATE else None
            # The core's rule, asked here first: what is missing is said at once.
            problem = decision_problem(decision, reply, rejection, escalation)
            if problem is not None:
                raise UserError(problem)
        except UserError as exc:
            self._record_refused(exc)
            return
        seconds = self._live.decision_seconds()
        seen = self._decision.version if self._decision else 0  # the decision this form knows
        round_id, decisions = rnd.id, self._decisions
        self.autosave.flush()  # the draft as typed lands first; recording then clears it
        self.record_button.setEnabled(False)
        self.autosave.request(
            lambda: decisions.record(
                round_id,
                decision,
                final_reply=reply,
                rejection_note=rejection,
                escalation_note=escalation,
                seconds_to_decide=seconds,
                seen=seen,
            ),
            lambda view: self._recorded(round_id, view),
            self._record_refused,
        )

    def _recorded(self, round_id: int, view: DecisionView) -> None:
        self.record_button.setEnabled(True)
        if self._round is not None and self._round.id == round_id:
            self._refused = False
            self._decision = view
            self._show_recorded()
            self.refresh_time()
        self.recorded.emit(view)

    def _record_refused(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        if isinstance(exc, DecisionChangedElsewhere):
            # Another device recorded first: show theirs, keep the form; a second press of
            # Record (now based on theirs) replaces it knowingly.
            self._decision = exc.stored
            self._show_recorded()
            show_notice(self.message, str(exc), "error")
            self._refused = False
            self.recorded.emit(exc.stored)
            return
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc), "error")  # the form (and its draft) stays as typed
        elif isinstance(exc, ValidationError):
            show_notice(self.message, plain_error("The decision", exc.errors()[0]), "error")
        else:
            report(exc)
            return
        self._refused = True

    def _form_decision(self) -> FormDecision:
        """The decision the form holds, for a correction; refused in words while incomplete."""
        decision = self.selected()
        if decision is None:
            raise UserError(NO_CHOICE)
        return FormDecision(
            decision,
            self.reply_edit.toPlainText(),
            self.rejection_form.note() if decision is Decision.REJECT else None,
            self.escalation_form.note() if decision is Decision.ESCALATE else None,
        )

    def _decision_arrived(self, view: DecisionView | None) -> None:
        """The round's decision changed elsewhere (the operator's device) or was corrected:
        the form shows it as stored (recording it cleared any draft)."""
        if view == self._decision:
            return
        self._decision = view
        if self._loaded is not None:  # a draft typed before it was recorded has served
            self._loaded = replace(self._loaded, decision=view, draft=None)
        self._reset_form()
        self._show_recorded()
        self.refresh_time()
        if view is not None:
            self.recorded.emit(view)

    def _show_recorded(self) -> None:
        view = self._decision
        self.correction.show_decision(view)
        self.record_button.setVisible(not self.correction.active)
        if view is None:
            self.expert_label.hide()
            self.benchmark_label.hide()
            self.record_button.setText(RECORD)
            return
        self.record_button.setText(RECORD_AGAIN)
        taken = format_duration(view.seconds_to_decide or 0)
        recorded = f"Recorded: {Decision(view.decision).label} after {taken}."
        show_notice(self.message, self.correction.recorded_text(view) or recorded, "ok")
        self.expert_label.setText(self._expert_verdict(view))
        set_role(
            self.expert_label, {True: "ok", False: "notice", None: "muted"}[view.matched_expert]
        )
        self.expert_label.show()
        if self._live.detail.drill and view.seconds_to_decide is not None:
            self.benchmark_label.setText(compare_to_benchmark(view.seconds_to_decide))
            self.benchmark_label.show()
        else:
            self.benchmark_label.hide()

    def _expert_verdict(self, view: DecisionView) -> str:
        scenario = self._loaded.scenario if self._loaded else None
        prefix = "Trainer only — "
        if view.matched_expert is None or scenario is None or scenario.expert is None:
            return prefix + "this scenario has no expert decision to compare with."
        expert = " → ".join(d.label for d in scenario.expert.decisions)
        if view.matched_expert:
            return prefix + f"✓ Matches the expert decision ({expert})."
        return prefix + f"✗ Differs from the expert decision ({expert})."
