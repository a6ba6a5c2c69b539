"""New session: plan, phases, roster, the generated rotation (swap by hand, rules checked in
place), a scenario per round, then Create."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import clean_name, names_in_line
from hotdash_roleplay.rotation import (
    MAX_PEOPLE,
    MIN_PEOPLE,
    RULES,
    RoundRoles,
    Violation,
    check_rotation,
    swap,
)
from ui import theme
from ui.tables import fit_columns
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

if TYPE_CHECKING:
    from hotdash_roleplay.plans import SessionPlan
    from hotdash_roleplay.scenarios import ScenarioLibrary
    from hotdash_roleplay.services.people import PeopleService
    from hotdash_roleplay.services.sessions import SessionService

MAX_TITLE = 200  # the core's session-title limit (services.sessions.MAX_TITLE)
SESSION_MINUTES = 90  # the program's Module 4 session, introduction and close included
COLUMNS = ("Scenario", "Operator", "AI System", "Facilitator", "Observers")
ROLE_COLUMN = {"operator": 1, "ai_system": 2, "facilitator": 3, "observer": 4}
WARN = "⚠"  # with the highlight, so a flagged cell does not rely on colour alone


def split_names(text: str) -> list[str]:
    """Names typed into one field: commas, semicolons or new lines separate them."""
    for sep in (";", "\n"):
        text = text.replace(sep, ",")
    return [" ".join(part.split()) for part in text.split(",") if part.strip()]


def is_certification(plan: SessionPlan) -> bool:
    return str(plan.mode) == "certification"


def roster_limits(plan: SessionPlan) -> tuple[int, int]:
    return (1, 1) if is_certification(plan) else (MIN_PEOPLE, MAX_PEOPLE)


class RosterEditor(QGroupBox):
    """Participants: typed or picked from the people remembered; 3–12 (one for certification)."""

    changed = Signal()

    def __init__(self, remembered: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("Participants", parent)
        self.remembered = list(remembered)
        self.limits = (MIN_PEOPLE, MAX_PEOPLE)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("Type a name (or several, separated by commas)")
        self.name_edit.setAccessibleName("Participant name")
        self.name_edit.setMaxLength(2000)
        completer = QCompleter(self.remembered, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name_edit.setCompleter(completer)
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
        self.known.addItem("Pick a person…")
        self.known.addItems([n for n in self.remembered if n.casefold() not in taken])
        self.known.setEnabled(self.known.count() > 1)
        self.add_known_button.setEnabled(self.known.count() > 1)
        low, high = self.limits
        allowed = "one candidate" if low == high else f"{low} to {high} people"
        self.count.setText(f"{len(names)} on the list · {allowed}")


class PlanPanel(QGroupBox):
    """The plan and the session's own settings."""

    plan_changed = Signal()

    def __init__(self, plans: Sequence[SessionPlan], parent: QWidget | None = None) -> None:
        super().__init__("Session", parent)
        self.plans = list(plans)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Session plan")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(24)
        for plan in self.plans:
            self.combo.addItem(plan.title, plan.id)
        self.description = text_label("", self, role="muted", wrap=False)
        self.description.setWordWrap(True)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Session title")
        self.title_edit.setMaxLength(MAX_TITLE)
        self.title_edit.setToolTip(f"Up to {MAX_TITLE} characters")
        self.title_edit.setAccessibleDescription(f"Up to {MAX_TITLE} characters")
        # The field shows its limit: "n / 200" beside it once the title gets long.
        self.title_count = text_label("", self, role="muted", wrap=False)
        self.title_count.setObjectName("titleCount")
        self.title_edit.textChanged.connect(self._count_title)
        self.trainer_edit = QLineEdit(self)
        self.trainer_edit.setAccessibleName("Trainer name")
        self.trainer_edit.setMaxLength(120)
        self.anonymous = QCheckBox("Anonymous feedback in the debrief report", self)
        self.anonymous.setAccessibleName("Anonymous feedback")

        # Qt draws a mnemonic label in pieces, losing kerning ("T&rainer" lost its "r" to the
        # field): the letter sits where no kerning pair breaks (Alt+R was Remembered's too) and
        # the label column gets a character of slack.
        title_row = QHBoxLayout()
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.title_count)
        form = QGridLayout(self)
        form.setHorizontalSpacing(14)
        form.setColumnStretch(1, 1)
        form.addWidget(text_label("&Plan", self, buddy=self.combo, wrap=False, plain=False), 0, 0)
        form.addWidget(self.combo, 0, 1)
        form.addWidget(self.description, 1, 0, 1, 2)
        form.addWidget(
            text_label("&Title", self, buddy=self.title_edit, wrap=False, plain=False), 2, 0
        )
        form.addLayout(title_row, 2, 1)
        trainer_label = text_label(
            "Tra&iner", self, buddy=self.trainer_edit, wrap=False, plain=False
        )
        form.addWidget(trainer_label, 3, 0)
        form.addWidget(self.trainer_edit, 3, 1)
        form.addWidget(self.anonymous, 4, 0, 1, 2)
        form.setRowStretch(5, 1)
        self.ensurePolished()
        metrics = trainer_label.fontMetrics()
        form.setColumnMinimumWidth(
            0, metrics.horizontalAdvance("Trainer") + metrics.averageCharWidth()
        )
        self.combo.currentIndexChanged.connect(self._plan_selected)
        self._plan_selected()
        self._count_title()

    def _count_title(self) -> None:
        count = len(self.title_edit.text())
        self.title_count.setText(f"{count} / {MAX_TITLE}")
        self.title_count.setVisible(count >= MAX_TITLE * 0.8)

    @property
    def plan(self) -> SessionPlan:
        return self.plans[max(self.combo.currentIndex(), 0)]

    def _plan_selected(self) -> None:
        plan = self.plan
        self.description.setText(plan.description)
        self.title_edit.setPlaceholderText(plan.title)
        self.plan_changed.emit()


class PhasesPanel(QGroupBox):
    """Minutes per phase, filled from the plan; the trainer may adjust them for this session."""

    changed_minutes = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Phase minutes", parent)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.total = text_label("", self, role="", wrap=False)
        self.total.setObjectName("planTotal")
        self.total.setWordWrap(True)
        self.total.setAccessibleName("Total time of the plan")
        outer.addLayout(self.form)
        outer.addWidget(self.total)
        self.boxes: dict[str, QDoubleSpinBox] = {}
        self.defaults: dict[str, int] = {}

    def set_plan(self, plan: SessionPlan) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.boxes = {}
        self.defaults = {str(p.key): round(p.minutes * 60) for p in plan.phases}
        for phase in plan.phases:
            box = QDoubleSpinBox(self)
            box.setRange(0.5, 60.0)
            box.setSingleStep(0.5)
            box.setDecimals(1)
            box.setSuffix(" min")
            box.setValue(phase.minutes)
            box.setAccessibleName(f"{phase.title} minutes")
            box.setMaximumWidth(120)
            box.valueChanged.connect(self.changed_minutes)
            self.boxes[str(phase.key)] = box
            self.form.addRow(text_label(phase.title, self, buddy=box, wrap=False, plain=False), box)

    def seconds(self) -> dict[str, int]:
        return {key: round(box.value() * 60) for key, box in self.boxes.items()}

    def round_minutes(self) -> float:
        return sum(box.value() for box in self.boxes.values())

    def show_total(self, rounds: int, session_minutes: int | None) -> None:
        """Rounds × the (possibly edited) minutes of a round; over the session's length it
        says so in words, with the role's colour only as a second cue."""
        per_round = self.round_minutes()
        if rounds <= 0:
            self.total.setText(f"Each round: {per_round:g} min")
            set_role(self.total, "muted")
            return
        total = rounds * per_round
        noun = "round" if rounds == 1 else "rounds"
        text = f"{rounds} {noun} × {per_round:g} min = {total:g} min"
        if session_minutes is not None and total > session_minutes:
            text += (
                f"\n{WARN} Longer than the {session_minutes}-minute session: "
                "consider fewer rounds or shorter phases."
            )
            set_role(self.total, "notice")
        else:
            set_role(self.total, "muted")
        self.total.setText(text)

    def changed(self) -> bool:
        return self.seconds() != self.defaults


class RotationTable(QTableWidget):
    """Rounds × roles, read-only; cells breaking a rule are highlighted, marked and explained."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setAccessibleName("Rotation: rounds by roles")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        fit_columns(self)  # long names are elided with a tooltip, never push columns away

    def show_rounds(
        self,
        rounds: Sequence[RoundRoles],
        scenarios: Sequence[str],
        violations: Sequence[Violation],
    ) -> None:
        self.setRowCount(len(rounds))
        self.setVerticalHeaderLabels([f"Round {i + 1}" for i in range(len(rounds))])
        flagged: dict[tuple[int, int], list[str]] = {}
        rows_flagged: dict[int, list[str]] = {}
        for v in violations:
            if v.round_index is None or v.round_index >= len(rounds):
                continue
            rnd = rounds[v.round_index]
            role = rnd.role_of(v.person) if v.person else None
            if role is None:
                rows_flagged.setdefault(v.round_index, []).append(v.message)
            else:
                flagged.setdefault((v.round_index, ROLE_COLUMN[str(role)]), []).append(v.message)
        for r, rnd in enumerate(rounds):
            cells = [
                scenarios[r] if r < len(scenarios) else "",
                rnd.operator or "Trainer",
                rnd.ai_system or "Trainer",
                rnd.facilitator or "Trainer",
                names_in_line(rnd.observers) or "—",
            ]
            for c, text in enumerate(cells):
                self.setItem(r, c, self._cell(text, flagged.get((r, c))))
            head = QTableWidgetItem(
                f"{WARN} Round {r + 1}" if r in rows_flagged else f"Round {r + 1}"
            )
            if r in rows_flagged:
                head.setToolTip("\n".join(rows_flagged[r]))
            self.setVerticalHeaderItem(r, head)

    @staticmethod
    def _cell(text: str, problems: list[str] | None) -> QTableWidgetItem:
        if not problems:
            item = QTableWidgetItem(text)
            if text == "Trainer":
                font = QFont()
                font.setItalic(True)
                item.setFont(font)
            return item
        item = QTableWidgetItem(f"{WARN} {text}")
        item.setBackground(theme.color("error_bg"))
        item.setForeground(theme.color("error_text"))
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        item.setToolTip("\n".join([text, *problems]))  # the full name too: it may be elided
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, " ".join(problems))
        return item


class SetupScreen(QWidget):
    created = Signal(int)
    cancelled = Signal()

    def __init__(
        self,
        sessions: SessionService,
        people: PeopleService,
        library: ScenarioLibrary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._library = library
        self.setObjectName("setupScreen")
        self.seed = 0
        self.rounds: list[RoundRoles] = []
        self.violations: list[Violation] = []
        self.scenario_boxes: list[QComboBox] = []
        self.edited = False  # hand swaps since the last generation

        title = text_label("New session", self, role="title", wrap=False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel and go back to the start screen")
        self.cancel_button.clicked.connect(self.cancelled)
        self.create_button = QPushButton("Create session", self)
        self.create_button.setProperty("role", "primary")
        self.create_button.setAccessibleName("Create the session and open the console")
        self.create_button.clicked.connect(self.create)
        # Beside Create, whose refusals it gives, in a place of its own: nothing moves.
        self.message = NoticeSlot(self)
        self.message.setProperty("role", "error")
        self.message.setAccessibleName("Set-up message")

        self.plan_panel = PlanPanel(sessions.plans, self)
        self.phases = PhasesPanel(self)
        remembered = [p.name for p in people.list_people()]
        self.roster = RosterEditor(remembered, self)
        self.rotation_box = self._build_rotation()
        self.scenario_box = QGroupBox("Scenario per round", self)
        self.scenario_grid = QGridLayout(self.scenario_box)
        self.scenario_grid.setColumnStretch(1, 1)
        self.scenario_grid.setColumnStretch(3, 1)

        head = QHBoxLayout()
        head.setSpacing(16)
        head.addWidget(title)
        head.addWidget(self.message, 1)
        head.addWidget(self.cancel_button)
        head.addWidget(self.create_button)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.plan_panel, 1)
        top.addWidget(self.roster, 1)
        content = QWidget(self)
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 8, 0)
        body.setSpacing(14)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.scenario_box, 2, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.phases, 1, Qt.AlignmentFlag.AlignTop)
        body.addLayout(top)
        body.addWidget(self.rotation_box)
        body.addLayout(bottom)
        body.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

        self.plan_panel.plan_changed.connect(self._plan_changed)
        # A refusal of Create no longer applies once the form changes.
        for edit in (self.plan_panel.title_edit, self.plan_panel.trainer_edit):
            edit.textChanged.connect(self.message.hide)
        self.roster.changed.connect(self.generate)
        self.phases.changed_minutes.connect(self._show_total)
        self._plan_changed()

    def _build_rotation(self) -> QGroupBox:
        box = QGroupBox("Rotation", self)
        self.table = RotationTable(box)
        self.table.itemSelectionChanged.connect(self._row_selected)
        self.placeholder = text_label("", box, role="muted", wrap=False)
        self.placeholder.setWordWrap(True)

        self.swap_round = QComboBox(box)
        self.swap_round.setAccessibleName("Round to change")
        self.swap_round.currentIndexChanged.connect(self._fill_swap_people)
        self.swap_a = QComboBox(box)
        self.swap_a.setAccessibleName("First person to swap")
        self.swap_b = QComboBox(box)
        self.swap_b.setAccessibleName("Second person to swap")
        for combo in (self.swap_a, self.swap_b):
            combo.currentIndexChanged.connect(self._sync_swap_button)
        for combo in (self.swap_a, self.swap_b):
            # Not sized to the longest name: a 70-character one pushed the row off the box.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.swap_button = QPushButton("Swap", box)
        self.swap_button.setAccessibleName("Swap the two people's roles in the round")
        self.swap_button.clicked.connect(self.swap_selected)
        self.regenerate_button = QPushButton("Regenerate", box)
        self.regenerate_button.setAccessibleName("Generate another rotation")
        self.regenerate_button.setToolTip("A new rotation from another seed; hand swaps are lost.")
        self.regenerate_button.clicked.connect(self.regenerate)
        round_label = QLabel("In r&ound", box)
        round_label.setBuddy(self.swap_round)
        a_label = QLabel("s&wap", box)
        a_label.setBuddy(self.swap_a)
        b_label = QLabel("wit&h", box)
        b_label.setBuddy(self.swap_b)
        self.seed_label = text_label("", box, role="muted", wrap=False)

        controls = QHBoxLayout()
        for w in (round_label, self.swap_round, a_label, self.swap_a, b_label, self.swap_b):
            controls.addWidget(w)
        controls.addWidget(self.swap_button)
        controls.addStretch(1)
        controls.addWidget(self.seed_label)
        controls.addWidget(self.regenerate_button)
        self.rules = QLabel(box)
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.rules.setAccessibleName("Rotation rules")
        layout = QVBoxLayout(box)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.table)
        layout.addLayout(controls)
        layout.addWidget(self.rules)
        return box

    # -- generating ----------------------------------------------------------------------------

    def _plan_changed(self) -> None:
        plan = self.plan_panel.plan
        self.phases.set_plan(plan)
        self.roster.set_limits(*roster_limits(plan))  # emits changed → generate()

    def regenerate(self) -> None:
        self.seed += 1
        self.generate()

    def generate(self) -> None:
        """A fresh rotation for the plan and roster (hand swaps are dropped)."""
        self.edited = False
        self.message.hide()
        problem = self.roster.problem()
        if problem:
            self.rounds, self.violations = [], []
        else:
            try:
                self.rounds = self._sessions.preview(
                    self.plan_panel.plan.id, self.roster.names(), seed=self.seed
                )
            except UserError as exc:
                problem, self.rounds = str(exc), []
            self.violations = self._check(self.rounds)
        self.placeholder.setText(problem or "")
        self._build_scenarios()
        self._show_rotation()
        self._show_total()

    def _show_total(self) -> None:
        plan = self.plan_panel.plan
        rounds = len(self.rounds) or (plan.rounds or 0)
        # The 90-minute frame is Module 4's practice session; other plans have no fixed length.
        practice = str(plan.mode) == "practice"
        self.phases.show_total(rounds, SESSION_MINUTES if practice else None)

    def _check(self, rounds: Sequence[RoundRoles]) -> list[Violation]:
        if not rounds or is_certification(self.plan_panel.plan):
            return []  # one candidate: there is no rotation to judge
        return check_rotation(rounds, self.roster.names())

    def _show_rotation(self) -> None:
        has = bool(self.rounds)
        self.table.setVisible(has)
        self.placeholder.setVisible(not has)
        self.table.show_rounds(self.rounds, self._scenario_titles(), self.violations)
        self.table.setFixedHeight(self._table_height())
        can_swap = has and not is_certification(self.plan_panel.plan)
        for w in (self.swap_round, self.swap_a, self.swap_b, self.swap_button):
            w.setEnabled(can_swap)
        self.regenerate_button.setEnabled(can_swap)
        self.seed_label.setText(f"Seed {self.seed}" if has else "")
        keep = self.swap_round.currentIndex()
        self.swap_round.blockSignals(True)
        self.swap_round.clear()
        self.swap_round.addItems([f"Round {i + 1}" for i in range(len(self.rounds))])
        self.swap_round.setCurrentIndex(min(max(keep, 0), len(self.rounds) - 1))
        self.swap_round.blockSignals(False)
        self._fill_swap_people()
        self._sync_swap_button()
        self._show_rules()

    def _table_height(self) -> int:
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        return rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4

    def _show_rules(self) -> None:
        if not self.rounds or is_certification(self.plan_panel.plan):
            self.rules.hide()
            return
        self.rules.show()
        if not self.violations:
            set_role(self.rules, "ok")
            self.rules.setText("✓ The rotation follows every rule.")
        else:
            set_role(self.rules, "error")
            count = len(self.violations)
            problems = "1 problem" if count == 1 else f"{count} problems"
            lines = [f"{WARN} {problems} with this rotation — swap again or regenerate:"]
            lines += [f"• {v.message}" for v in self.violations]
            rules = dict.fromkeys(v.rule for v in self.violations)
            lines += [f"Rule: {RULES[r]}" for r in rules if r in RULES]
            self.rules.setText("\n".join(lines))

    def refresh_colors(self) -> None:
        """Item backgrounds are not styled by the sheet: repaint them after a theme switch."""
        self.table.show_rounds(self.rounds, self._scenario_titles(), self.violations)

    # -- swapping ------------------------------------------------------------------------------

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.swap_round.setCurrentIndex(rows[0].row())

    def _fill_swap_people(self) -> None:
        index = self.swap_round.currentIndex()
        for box in (self.swap_a, self.swap_b):
            box.clear()
        if not 0 <= index < len(self.rounds):
            return
        rnd = self.rounds[index]
        for name in rnd.people():
            role = rnd.role_of(name)
            text = f"{name} ({role.label})" if role else name
            self.swap_a.addItem(text, name)
            self.swap_b.addItem(text, name)
        self.swap_b.setCurrentIndex(min(1, self.swap_b.count() - 1))

    def _sync_swap_button(self) -> None:
        """Swap only two different people: the button says so instead of refusing afterwards."""
        a, b = self.swap_a.currentData(), self.swap_b.currentData()
        can = self.swap_round.isEnabled() and bool(a) and bool(b) and a != b
        self.swap_button.setEnabled(can)
        self.swap_button.setToolTip("" if can else "Pick two different people to swap.")

    def swap_selected(self) -> None:
        index = self.swap_round.currentIndex()
        a, b = self.swap_a.currentData(), self.swap_b.currentData()
        if index < 0 or not a or not b:
            return
        try:
            self.rounds, self.violations = swap(self.rounds, index, a, b, self.roster.names())
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self.message.hide()
        self.edited = True
        self._show_rotation()
        self.table.selectRow(index)

    # -- scenarios -----------------------------------------------------------------------------

    def _build_scenarios(self) -> None:
        while self.scenario_grid.count():
            item = self.scenario_grid.takeAt(0)
            if item.widget():
                item.widget().hide()  # deletion waits for the event loop; do not show meanwhile
                item.widget().deleteLater()
        self.scenario_boxes = []
        plan = self.plan_panel.plan
        ids = list(plan.scenarios) or self._library.ids[:1]
        library = self._library.scenarios
        for i in range(len(self.rounds)):
            box = QComboBox(self.scenario_box)
            box.setAccessibleName(f"Scenario for round {i + 1}")
            # Long titles must not widen the page: the list shows them in full when opened.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(18)
            for s in library:
                box.addItem(f"{s.title}  (Module {s.module})", s.id)
            box.setCurrentIndex(max(box.findData(ids[i % len(ids)]), 0))
            box.currentIndexChanged.connect(self._scenarios_changed)
            label = QLabel(f"Round &{i + 1}" if i < 9 else f"Round {i + 1}", self.scenario_box)
            label.setBuddy(box)
            row, col = divmod(i, 2)
            self.scenario_grid.addWidget(label, row, col * 2)
            self.scenario_grid.addWidget(box, row, col * 2 + 1)
            self.scenario_boxes.append(box)
        if not self.rounds:
            self.scenario_grid.addWidget(
                text_label(
                    "Add participants to plan the rounds.",
                    self.scenario_box,
                    role="muted",
                    wrap=False,
                ),
                0,
                0,
            )

    def scenario_ids(self) -> list[str]:
        return [str(box.currentData()) for box in self.scenario_boxes]

    def _scenario_titles(self) -> list[str]:
        lib = self._library
        return [lib[sid].title if sid in lib else sid for sid in self.scenario_ids()]

    def _scenarios_changed(self) -> None:
        self.message.hide()
        self.table.show_rounds(self.rounds, self._scenario_titles(), self.violations)

    # -- creating ------------------------------------------------------------------------------

    def create(self) -> None:
        if self.roster.problem():
            self.message.hide()
            self.roster.insist()  # said under the list, and gone once the list is right
            self.scroll.ensureWidgetVisible(self.roster.message)
            self.roster.name_edit.setFocus()
            return
        if not self.rounds:
            show_notice(self.message, "There is no rotation yet.")
            return
        panel = self.plan_panel
        try:
            detail = self._sessions.create_session(
                panel.plan.id,
                self.roster.names(),
                trainer=panel.trainer_edit.text(),
                title=panel.title_edit.text(),
                seed=self.seed,
                rotation=self.rounds,
                scenario_ids=self.scenario_ids(),
                anonymous_feedback=panel.anonymous.isChecked(),
                phase_seconds=self.phases.seconds() if self.phases.changed() else None,
            )
        except UserError as exc:
            show_notice(self.message, str(exc))
            return
        self.created.emit(detail.id)

    def focus_first(self) -> None:
        self.roster.name_edit.setFocus()
