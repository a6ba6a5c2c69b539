"""The operator's decision: the four choices, the edited reply, the program's note templates,
the time to decide, and (trainer only) whether it matched the expert."""

from __future__ import annotations

from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
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
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.views import DecisionView, RoundView
from ui.console import set_style_property
from ui.console.scenario_card import round_scenario

NoteT = TypeVar("NoteT", RejectionNote, EscalationNote)
FieldWidget = QLineEdit | QPlainTextEdit | QComboBox
SHORT_LIMIT = 500  # the notes' one-line fields (max_length) get a line edit, the rest a text box


def _max_length(field: Any) -> int | None:
    for meta in field.metadata:
        if getattr(meta, "max_length", None) is not None:
            return int(meta.max_length)
    return None


class NoteForm(QWidget, Generic[NoteT]):
    """A form generated from a note model, so it always follows the program's template."""

    def __init__(self, model: type[NoteT], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.fields: dict[str, FieldWidget] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, field in model.model_fields.items():
            title = str(field.title)
            widget = self._make(field.annotation, field)
            widget.setObjectName(f"{model.__name__}_{name}")
            widget.setAccessibleName(title)
            required = name in model.REQUIRED
            label = QLabel(f"{title} *" if required else title, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
            self.fields[name] = widget

    def _make(self, annotation: Any, field: Any) -> FieldWidget:
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            box = QComboBox(self)
            for member in annotation:
                box.addItem(getattr(member, "label", str(member.value)), member.value)
            box.setCurrentIndex(box.findData(field.default.value))
            return box
        limit = _max_length(field)
        if limit is not None and limit <= SHORT_LIMIT:
            return QLineEdit(self)
        edit = QPlainTextEdit(self)
        edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        return edit

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
            field = self._model.model_fields[str(err["loc"][0])].title
            raise UserError(f"{field}: {err['msg']}") from None

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


def _scroll(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class DecisionPanel(QWidget):
    recorded = Signal(object)  # DecisionView

    def __init__(self, services: Services, live: LiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._live = live
        self._round: RoundView | None = None
        self._decision: DecisionView | None = None

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
        reply_box.addWidget(reply_label)
        reply_box.addWidget(self.reply_edit)
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

        self.record_button = QPushButton("&Record decision", self)
        self.record_button.setObjectName("recordDecision")
        self.record_button.setProperty("role", "primary")
        self.record_button.setAccessibleName("Record the operator's decision")
        self.record_button.clicked.connect(self.record)
        self.message = QLabel(self)
        self.message.setObjectName("decisionMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self.expert_label = QLabel(self)
        self.expert_label.setObjectName("matchedExpert")
        self.expert_label.setWordWrap(True)
        self.expert_label.hide()
        self.benchmark_label = QLabel(self)
        self.benchmark_label.setObjectName("drillBenchmark")
        self.benchmark_label.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.record_button)
        bottom.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(choice_row)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.expert_label)
        layout.addWidget(self.benchmark_label)
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

    def refresh(self) -> None:
        """Follow the live session: a new round gets a fresh form (or its stored decision)."""
        rnd = self._live.round
        if rnd is not None and self._round is not None and rnd.id == self._round.id:
            self._round = rnd
            self.refresh_time()
            return
        self._round = rnd
        self._decision = self._services.decisions.get(rnd.id) if rnd else None
        self._reset_form()
        self.operator_label.setText(
            f"Operator: {rnd.operator or 'Trainer'}" if rnd else "No round is running."
        )
        self.setEnabled(rnd is not None)
        self._show_recorded()
        self.refresh_time()

    def _reset_form(self) -> None:
        self.group.setExclusive(False)
        for button in self.choices.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.stack.setCurrentIndex(self._pages[None])
        self.message.hide()
        scenario = round_scenario(self._services, self._round)
        draft = scenario.ai_draft.text if scenario else ""
        # The templates start from what the room saw: the customer's words and the AI draft.
        self.reply_edit.setPlainText(draft)
        self.rejection_form.set_data(
            {
                "customer_question": scenario.customer_message if scenario else "",
                "ai_response": draft,
            }
        )
        self.escalation_form.set_data({})
        stored = self._decision
        if stored is None:
            return
        self.choose(Decision(stored.decision))
        if stored.final_reply:
            self.reply_edit.setPlainText(stored.final_reply)
        if stored.rejection_note:
            self.rejection_form.set_data(stored.rejection_note)
        if stored.escalation_note:
            self.escalation_form.set_data(stored.escalation_note)

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
        rnd = self._round
        decision = self.selected()
        try:
            if rnd is None:
                raise UserError("There is no round to record a decision for.")
            if decision is None:
                raise UserError("Choose one of the four decisions first.")
            view = self._services.decisions.record(
                rnd.id,
                decision,
                final_reply=self.reply_edit.toPlainText(),
                rejection_note=self.rejection_form.note() if decision is Decision.REJECT else None,
                escalation_note=(
                    self.escalation_form.note() if decision is Decision.ESCALATE else None
                ),
                seconds_to_decide=self._live.decision_seconds(),
            )
        except UserError as exc:
            self._say(str(exc), "error")
            return
        self._decision = view
        self._show_recorded()
        self.refresh_time()
        self.recorded.emit(view)

    def _show_recorded(self) -> None:
        view = self._decision
        if view is None:
            self.expert_label.hide()
            self.benchmark_label.hide()
            self.record_button.setText("&Record decision")
            return
        self.record_button.setText("&Record again (replaces)")
        taken = format_duration(view.seconds_to_decide or 0)
        self._say(f"Recorded: {Decision(view.decision).label} after {taken}.", "ok")
        self.expert_label.setText(self._expert_verdict(view))
        set_style_property(
            self.expert_label,
            "role",
            {True: "ok", False: "notice", None: "muted"}[view.matched_expert],
        )
        self.expert_label.show()
        if self._live.detail.drill and view.seconds_to_decide is not None:
            self.benchmark_label.setText(compare_to_benchmark(view.seconds_to_decide))
            self.benchmark_label.show()
        else:
            self.benchmark_label.hide()

    def _expert_verdict(self, view: DecisionView) -> str:
        scenario = round_scenario(self._services, self._round)
        prefix = "Trainer only — "
        if view.matched_expert is None or scenario is None or scenario.expert is None:
            return prefix + "this scenario has no expert decision to compare with."
        expert = " → ".join(d.label for d in scenario.expert.decisions)
        if view.matched_expert:
            return prefix + f"✓ Matches the expert decision ({expert})."
        return prefix + f"✗ Differs from the expert decision ({expert})."

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_style_property(self.message, "role", role)
        self.message.show()
