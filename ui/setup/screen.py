"""New session: plan, phases, roster, the generated rotation (swap by hand, rules checked in
place), a scenario per round, then Create."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.plans import PRACTICE_SESSION_MINUTES, PlanMode
from hotdash_roleplay.rotation import RULES, RoundRoles, Violation, check_rotation, swap
from ui.background import report, run_in_background
from ui.setup.phases_panel import PhasesPanel
from ui.setup.plan_panel import PlanPanel
from ui.setup.roster_editor import RosterEditor
from ui.setup.rotation_table import RotationTable
from ui.setup.rules import WARN, is_certification, roster_limits
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

if TYPE_CHECKING:
    from hotdash_roleplay.scenarios import ScenarioLibrary
    from hotdash_roleplay.services.people import PeopleService
    from hotdash_roleplay.services.sessions import SessionService
    from hotdash_roleplay.services.views import SessionDetail
    from hotdash_roleplay.services.worker import StoreWorker


CREATE = "Create session"
CREATING = "Creating…"  # while the store stores it


class SetupScreen(QWidget):
    created = Signal(int)
    cancelled = Signal()

    def __init__(
        self,
        sessions: SessionService,
        people: PeopleService,
        library: ScenarioLibrary,
        parent: QWidget | None = None,
        *,
        worker: StoreWorker,
    ) -> None:
        """The store is read and written on `worker`, by default the window's (`parent`'s)."""
        super().__init__(parent)
        self._worker = worker
        self._sessions = sessions
        self._library = library
        self.setObjectName("setupScreen")
        self.seed = 0
        self.rounds: list[RoundRoles] = []
        self.violations: list[Violation] = []
        self.scenario_boxes: list[QComboBox] = []
        self.edited = False  # hand swaps since the last generation
        self.creating = False  # Create was pressed and the store has not answered yet

        title = text_label("New session", self, role="title", wrap=False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel and go back to the start screen")
        self.cancel_button.clicked.connect(self.cancelled)
        self.create_button = QPushButton(CREATE, self)
        self.create_button.setProperty("role", "primary")
        self.create_button.setAccessibleName("Create the session and open the console")
        self.create_button.clicked.connect(self.create_session)
        # Beside Create, whose refusals it gives, in a place of its own: nothing moves.
        self.message = NoticeSlot(self)
        self.message.setProperty("role", "error")
        self.message.setAccessibleName("Set-up message")

        self.plan_panel = PlanPanel(sessions.plans, self)
        self.phases = PhasesPanel(self)
        self.roster = RosterEditor(self)
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
        self.scroll_area = scroll
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
        run_in_background(
            self._worker,
            self,
            lambda: [p.name for p in people.list_people()],
            self.roster.set_remembered,
        )

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
        # Only Module 4's practice session has a fixed length.
        practice = plan.mode == PlanMode.PRACTICE
        self.phases.show_total(rounds, PRACTICE_SESSION_MINUTES if practice else None)

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
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # deletion waits for the event loop; do not show meanwhile
                widget.deleteLater()
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

    def create_session(self) -> None:
        if self.creating:
            return
        if self.roster.problem():
            self.message.hide()
            self.roster.insist()  # said under the list, and gone once the list is right
            self.scroll_area.ensureWidgetVisible(self.roster.message)
            self.roster.name_edit.setFocus()
            return
        if not self.rounds:
            show_notice(self.message, "There is no rotation yet.")
            return
        panel = self.plan_panel
        create = partial(
            self._sessions.create_session,
            panel.plan.id,
            self.roster.names(),
            trainer=panel.trainer_edit.text(),
            title=panel.title_edit.text(),
            seed=self.seed,
            rotation=list(self.rounds),
            scenario_ids=self.scenario_ids(),
            anonymous_feedback=panel.anonymous.isChecked(),
            phase_seconds=self.phases.seconds() if self.phases.changed() else None,
        )
        self._set_creating(True)
        run_in_background(self._worker, self, create, self._on_created, self._on_refused)

    def _set_creating(self, creating: bool) -> None:
        """While the store creates the session, neither Create nor Cancel can be pressed."""
        self.creating = creating
        self.message.hide()
        # As wide as it was while it says "Creating…": the buttons beside it do not move.
        self.create_button.setMinimumWidth(self.create_button.width() if creating else 0)
        self.create_button.setText(CREATING if creating else CREATE)
        self.create_button.setEnabled(not creating)
        self.cancel_button.setEnabled(not creating)

    def _on_created(self, detail: SessionDetail) -> None:
        self._set_creating(False)
        self.created.emit(detail.id)

    def _on_refused(self, exc: BaseException) -> None:
        self._set_creating(False)
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report(exc)

    def focus_first(self) -> None:
        self.roster.name_edit.setFocus()
