"""A person's Certification page: the verdict and what is left, the six requirements with
their status, evidence and what is missing, the weekly metrics (chart and week-by-week table),
the evidence with its forms, and the process steps. Everything comes from, and goes through,
the certification service, on the store worker: the page shows what the worker read last."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.certification.evidence import AIReport, Attachment, Contribution, Mentorship
from hotdash_roleplay.certification.metrics import WeekCheck
from hotdash_roleplay.certification.program import (
    APPROVAL_CAUTION,
    CONSECUTIVE_WEEKS,
    ESCALATION_BAND,
    METRIC_UNITS,
    MODULES,
    THRESHOLDS,
    CertificationState,
    Metric,
    RequirementKey,
    RequirementStatus,
    Step,
    number,
)
from hotdash_roleplay.certification.views import PersonCertification
from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.certification import CertificationService, EvidenceKind
from hotdash_roleplay.services.worker import StoreWorker
from ui import theme
from ui.autosave import StoreLink
from ui.background import report as report_failure
from ui.certification.evidence_forms import (
    ContributionForm,
    GraduationForm,
    MentorshipForm,
    ModuleForm,
    ReportForm,
    ReviewerForm,
)
from ui.certification.forms import RecordForm
from ui.certification.metrics_chart import MetricsChart
from ui.certification.metrics_forms import ImportForm, WeekForm
from ui.certification.steps_panel import StepsPanel
from ui.widgets.enter_key import press_focused_button
from ui.widgets.notices import show_notice
from ui.widgets.scroll import scrolled
from ui.widgets.steady import NoticeSlot
from ui.widgets.style import set_role

STATUS_ROLE = {
    RequirementStatus.MET: "ok",
    RequirementStatus.IN_PROGRESS: "notice",
    RequirementStatus.NOT_STARTED: "muted",
}
STATE_ROLE = {
    CertificationState.CERTIFIED: "ok",
    CertificationState.ELIGIBLE: "ok",
    CertificationState.RECERTIFICATION_DUE: "notice",
    CertificationState.RECERTIFICATION_OVERDUE: "error",
    CertificationState.REVOKED: "error",
}
# Short headers so a week fits the window; each header's tooltip has the full label and rule.
SHORT_METRICS = {
    Metric.APPROVAL_RATE: "Approval",
    Metric.AVG_REVIEW_SECONDS: "Review time",
    Metric.CSAT: "CSAT",
    Metric.FIRST_CONTACT_RESOLUTION: "FCR",
    Metric.DECISION_ACCURACY: "Accuracy",
}
WEEK_COLUMNS = ("Week of", *(SHORT_METRICS[t.metric] for t in THRESHOLDS), "Escalation",
                "Result", "Notes")  # fmt: skip
ESCALATION_COLUMN = len(THRESHOLDS) + 1
ID = Qt.ItemDataRole.UserRole


def _tree(columns: tuple[str, ...], accessible: str, parent: QWidget) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(list(columns))
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


def _fit_height(tree: QTreeWidget, rows: int) -> None:
    """As tall as its rows (at least one), so the page scrolls, not each list in it."""
    row = tree.sizeHintForRow(0) if tree.topLevelItemCount() else tree.fontMetrics().height() + 8
    header = tree.header().sizeHint().height()
    tree.setFixedHeight(header + max(rows, 1) * max(row, 1) + 2 * tree.frameWidth() + 4)


class RequirementCard(QFrame):
    """One requirement: its status, its evidence line by line, what is missing, and the door
    to the form that records its evidence."""

    def __init__(self, key: RequirementKey, action: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName(f"requirement_{key.value}")
        self.key = key
        self.title = QLabel(key.label, self)
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("requirementStatus")
        self.evidence = QLabel(self)
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing = QLabel(self)
        self.missing.setWordWrap(True)
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        self.missing.setObjectName("requirementMissing")
        self.button = QPushButton(action, self) if action else None
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout = self.body = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.evidence)
        layout.addWidget(self.missing)
        if self.button is not None:
            self.button.setAccessibleName(f"{action.rstrip('…')} ({key.label})")
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            layout.addLayout(row)

    def show_result(self, record: PersonCertification) -> None:
        result = record.requirement(self.key)
        self.status.setText(result.status.label)
        self.status.setAccessibleName(f"{self.key.label}: {result.status.label}")
        set_role(self.status, STATUS_ROLE[result.status])
        self.evidence.setText("\n".join(f"• {line}" for line in result.evidence))
        self.evidence.setVisible(bool(result.evidence))
        self.missing.setText(f"Missing: {result.missing}" if result.missing else "")
        self.missing.setVisible(bool(result.missing))


Read = tuple[PersonCertification, IssuedCredential | None]


def read_page(certification: CertificationService, person: str) -> Read:
    """What the page shows (run on the store worker): the record and the latest certificate."""
    record = certification.person(person)
    return record, certification.credentials.latest(str(record.person_id))


class CertificationPage(QWidget):
    """The page in its own window, beside the start screen; it re-reads the service after
    every change it makes."""

    changed = Signal()
    closed = Signal()

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        export: Callable[[QWidget, str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("certificationPage")
        self._certification = certification
        self._worker = worker
        self._link = StoreLink(worker, self)
        self.asked = person  # as the start screen named the person (the record may rename)
        self._person = person
        self._export = export  # called with (page, person name) to write the record PDF
        self.record: PersonCertification | None = None
        self.dialog: QWidget | None = None  # the form open now (tests answer it)
        self.resize(1150, 820)

        self.name = QLabel(self)
        self.name.setProperty("role", "title")
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.state = QLabel(self)
        self.state.setObjectName("certificationState")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)  # a revocation's reason is typed text
        self.verdict.setWordWrap(True)
        self.verdict.setProperty("role", "heading")
        self.recertification = QLabel(self)
        self.recertification.setObjectName("recertificationNote")
        self.export_button = QPushButton("Certification record…", self)
        self.export_button.setAccessibleName("Export the certification record (PDF)")
        self.export_button.setToolTip("The certification record, as a PDF")
        self.export_button.clicked.connect(self._export_record)
        self.export_button.setEnabled(export is not None)
        self.message = NoticeSlot(self)
        self.message.setObjectName("pageMessage")

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.name)
        line = QHBoxLayout()
        line.addWidget(self.state)
        line.addWidget(self.verdict, 1)
        titles.addLayout(line)
        titles.addWidget(self.recertification)
        head.addLayout(titles, 1)
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Requirements, weekly metrics, evidence and process")
        self.tabs.addTab(scrolled(self._requirements_page(), self), "Requirements")
        self.tabs.addTab(scrolled(self._metrics_page(), self), "Weekly metrics")
        self.tabs.addTab(scrolled(self._evidence_page(), self), "Evidence")
        self.steps = StepsPanel(certification, worker, self)
        self.steps.changed.connect(lambda _record: self.refresh())
        self.tabs.addTab(scrolled(self.steps, self), "Process")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _requirements_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.left = QLabel(page)
        self.left.setObjectName("whatIsLeft")
        self.left.setWordWrap(True)
        self.left.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.left)
        actions = {
            RequirementKey.MODULES: ("Record a module…", self.open_module_form),
            RequirementKey.METRICS: ("Type a week…", self.open_week_form),
            RequirementKey.SCENARIOS: ("", None),
            RequirementKey.AI_REPORT: ("Submit the report…", self.open_report_form),
            RequirementKey.MENTORING: ("Add a mentee…", self.open_mentorship_form),
            RequirementKey.CONTRIBUTION: ("Add a contribution…", self.open_contribution_form),
        }
        self.cards: dict[RequirementKey, RequirementCard] = {}
        for key, (text, slot) in actions.items():
            card = RequirementCard(key, text, page)
            if card.button is not None and slot is not None:
                card.button.clicked.connect(slot)
            self.cards[key] = card
            layout.addWidget(card)
        hint = QLabel(
            "The scenario assessment is a certification-assessment session: the assessor marks "
            "each decision in the console's Assessment tab, and the result shows here.",
            page,
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        self.cards[RequirementKey.SCENARIOS].body.addWidget(hint)
        layout.addStretch(1)
        return page

    def _metrics_page(self) -> QWidget:
        page = QWidget(self)
        self.runs = QLabel(page)
        self.runs.setObjectName("runs")
        self.runs.setWordWrap(True)
        self.chart = MetricsChart(page)
        self.weeks = QTableWidget(0, len(WEEK_COLUMNS), page)
        self.weeks.setObjectName("weeksTable")
        self.weeks.setAccessibleName("Weekly metrics, week by week")
        self.weeks.setHorizontalHeaderLabels(list(WEEK_COLUMNS))
        tip = Qt.ItemDataRole.ToolTipRole
        for col, threshold in enumerate(THRESHOLDS, start=1):
            self.weeks.model().setHeaderData(
                col, Qt.Orientation.Horizontal, f"{threshold.label} ({threshold.rule})", tip
            )
        low, high = ESCALATION_BAND
        self.weeks.model().setHeaderData(
            ESCALATION_COLUMN,
            Qt.Orientation.Horizontal,
            f"Escalation rate: {number(low)}–{number(high)} % optimal, for information",
            tip,
        )
        self.weeks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.weeks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.weeks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.weeks.verticalHeader().setVisible(False)
        header = self.weeks.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.weeks.setMinimumHeight(240)
        self.weeks.itemSelectionChanged.connect(self._sync_buttons)
        self.weeks.doubleClicked.connect(lambda _index: self.open_week_form(selected=True))
        low, high = ESCALATION_BAND
        notes = QLabel(
            f"Approval above 90 % still qualifies, with the program's caution: "
            f"“{APPROVAL_CAUTION}”. The escalation rate, when given, is shown against the "
            f"{number(low)}–{number(high)} % band for information only.",
            page,
        )
        notes.setWordWrap(True)
        notes.setProperty("role", "muted")
        self.add_week_button = QPushButton("Type a week…", page)
        self.add_week_button.setAccessibleName("Type one week's figures")
        self.add_week_button.clicked.connect(lambda: self.open_week_form())
        self.edit_week_button = QPushButton("Correct the selected week…", page)
        self.edit_week_button.clicked.connect(lambda: self.open_week_form(selected=True))
        self.import_button = QPushButton("Import CSV…", page)
        self.import_button.setAccessibleName("Import weekly metrics from a CSV file")
        self.import_button.clicked.connect(self.open_import_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_week_button)
        buttons.addWidget(self.edit_week_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        self.changes = _tree(
            ("Week of", "Changed", "By", "Source", "Old → new"), "Changed weeks", page
        )
        layout = QVBoxLayout(page)
        layout.addWidget(self.runs)
        layout.addWidget(self.chart)
        layout.addLayout(buttons)
        layout.addWidget(self.weeks, 1)
        layout.addWidget(notes)
        self.changes_box = QGroupBox("Changes to stored weeks", page)
        box = QVBoxLayout(self.changes_box)
        box.addWidget(self.changes)
        layout.addWidget(self.changes_box)
        return page

    def _evidence_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)

        def group(title: str, tree: QTreeWidget, *buttons: QPushButton) -> None:
            box = QGroupBox(title, page)
            inner = QVBoxLayout(box)
            inner.addWidget(tree)
            row = QHBoxLayout()
            row.addStretch(1)
            for button in buttons:
                row.addWidget(button)
            inner.addLayout(row)
            layout.addWidget(box)

        def button(text: str, slot: Callable[[], object]) -> QPushButton:
            made = QPushButton(text, page)
            made.clicked.connect(slot)
            return made

        self.modules = _tree(("Module", "Completed", "Confirmed by"), "Modules", page)
        self.played = _tree(("Practice session", "Played", "Rounds"), "Practice sessions", page)
        group("Advanced modules", self.modules, button("Record a module…", self.open_module_form))
        group("Practice sessions played in this app (Module 4)", self.played)
        self.assessments = _tree(
            ("Scenario", "Decision", "Expert decision", "Mark", "Reason"),
            "Certification assessments, round by round",
            page,
        )
        self.assessments.setRootIsDecorated(True)
        group("Scenario assessment", self.assessments)
        self.reports = _tree(("Report", "Submitted", "Reviewer", "Content"), "Reports", page)
        self.reviewer_button = button("Set the reviewer…", self.open_reviewer_form)
        self.report_file_button = button(
            "Save the attached file…", lambda: self._save_file("report")
        )
        group(
            "AI improvement report",
            self.reports,
            self.reviewer_button,
            self.report_file_button,
            button("Submit a report…", self.open_report_form),
        )
        self.mentorships = _tree(
            ("Mentee", "Started", "Graduated", "Feedback (peer review)"), "Mentees", page
        )
        self.graduation_button = button("Graduated…", self.open_graduation_form)
        group(
            "Mentoring",
            self.mentorships,
            self.graduation_button,
            button("Add a mentee…", self.open_mentorship_form),
        )
        self.contributions = _tree(("Kind", "Title", "Date", "Content"), "Contributions", page)
        self.contribution_file_button = button(
            "Save the attached file…", lambda: self._save_file("contribution")
        )
        group(
            "Contributions to training materials",
            self.contributions,
            self.contribution_file_button,
            button("Add a contribution…", self.open_contribution_form),
        )
        for tree in (self.reports, self.mentorships, self.contributions):
            tree.itemSelectionChanged.connect(self._sync_buttons)
        layout.addStretch(1)
        return page

    # -- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the person again on the store worker; the page shows it when it comes."""
        self._link.request(
            partial(read_page, self._certification, self._person), self._show, self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report_failure(exc)

    def _show(self, read: Read) -> None:
        record, issued = read
        self.record = record
        self._person = record.name
        self.setWindowTitle(f"Certification — {record.name} — {theme.APPLICATION}")
        self.name.setText(record.name)
        self.state.setText(record.state.label)
        set_role(self.state, STATE_ROLE.get(record.state, "notice"))
        self.verdict.setText(record.verdict)
        self.recertification.setText(record.recertification_note)
        self.recertification.setVisible(bool(record.recertification_note))
        set_role(self.recertification, STATE_ROLE.get(record.state, "muted"))
        self.left.setText(what_is_left(record))
        self.left.setVisible(bool(self.left.text()))
        for card in self.cards.values():
            card.show_result(record)
        self._show_metrics(record)
        self._show_evidence(record)
        self.steps.set_record(record, issued)
        self._sync_buttons()

    def _show_metrics(self, record: PersonCertification) -> None:
        m = record.metrics
        run = m.qualifying_run
        qualifying = (
            f"qualifying run: weeks of {short_date(run.first_week)} to "
            f"{short_date(run.last_week)} ({run.weeks} weeks)"
            if run
            else f"no run of {CONSECUTIVE_WEEKS} weeks yet"
        )
        self.runs.setText(
            f"{len(m.weeks)} weeks on record · longest run {m.longest_run_weeks} · current run "
            f"{m.current_run_weeks} · {qualifying}"
        )
        self.chart.set_summary(m)
        self.weeks.setRowCount(0)
        for week in reversed(m.weeks):  # the latest week first
            self._add_week_row(week)
        self.changes.clear()
        for change in reversed(record.metric_changes):
            differing = [
                f"{Metric(k).value}: {_figure(change.old.get(k))} → {_figure(v)}"
                for k, v in change.new.items()
                if change.old.get(k) != v
            ]
            self.changes.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        short_date(change.week_start),
                        change.changed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                        change.changed_by,
                        change.source,
                        "; ".join(differing),
                    ]
                )
            )
        self.changes_box.setVisible(bool(record.metric_changes))
        _fit_height(self.changes, min(len(record.metric_changes), 8))

    def _add_week_row(self, week: WeekCheck) -> None:
        row = self.weeks.rowCount()
        self.weeks.insertRow(row)
        first = QTableWidgetItem(short_date(week.week_start))
        first.setData(ID, week.week_start.toordinal())
        if week.in_qualifying_run:
            first.setText(f"{short_date(week.week_start)} ★")
            first.setToolTip("In the qualifying run")
        self.weeks.setItem(row, 0, first)
        bad = QBrush(theme.color("error_text"))
        for col, check in enumerate(week.checks, start=1):
            unit = METRIC_UNITS[check.metric]
            cell = QTableWidgetItem(f"{number(check.value)}{unit}")
            shown = number(check.value) if check.met else check.text
            cell.setToolTip(f"{check.label}: {shown} (needs {check.rule})")
            if not check.met:
                cell.setForeground(bad)
                cell.setText(f"{number(check.value)}{unit} ✗")
            elif check.metric is Metric.APPROVAL_RATE and week.caution:
                cell.setText(f"{number(check.value)}{unit} ⚠")
                cell.setToolTip(week.caution)
            self.weeks.setItem(row, col, cell)
        escalation = week.figures.escalation_rate
        unit = METRIC_UNITS[Metric.ESCALATION_RATE]
        esc = QTableWidgetItem("—" if escalation is None else f"{number(escalation)}{unit}")
        esc.setToolTip(week.escalation)
        self.weeks.setItem(row, ESCALATION_COLUMN, esc)
        result = QTableWidgetItem("Qualifies" if week.qualifies else f"Missed: {week.missed}")
        if not week.qualifies:
            result.setForeground(bad)
        self.weeks.setItem(row, ESCALATION_COLUMN + 1, result)
        notes = "; ".join(n for n in (week.caution, week.escalation) if n)
        note_item = QTableWidgetItem(notes)
        note_item.setToolTip(notes)
        self.weeks.setItem(row, ESCALATION_COLUMN + 2, note_item)

    def _show_evidence(self, record: PersonCertification) -> None:
        done = {m.module: m for m in record.modules}
        self.modules.clear()
        for number_, title in MODULES.items():
            completion = done.get(number_)
            self.modules.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        title,
                        short_date(completion.completed_on) if completion else "not completed",
                        completion.confirmed_by if completion else "",
                    ]
                )
            )
        self.played.clear()
        for p in record.played_sessions:
            self.played.addTopLevelItem(
                QTreeWidgetItem([p.title, short_date(p.played_on), str(p.rounds_played)])
            )
        self.assessments.clear()
        for a in record.assessments:
            top = QTreeWidgetItem(
                [f"{a.title} ({short_date(a.held_on)}, assessor {a.assessor})", "", "", a.verdict]
            )
            for r in a.rounds:
                mark = "—" if r.correct is None else ("Correct" if r.correct else "Not correct")
                if r.overridden:
                    mark += " (overridden)"
                top.addChild(
                    QTreeWidgetItem(
                        [
                            f"{r.number}. {r.scenario_title}",
                            _decision(r.decision),
                            r.expert_decision,
                            mark,
                            r.reason,
                        ]
                    )
                )
            self.assessments.addTopLevelItem(top)
            top.setExpanded(True)
        self.reports.clear()
        for report in record.reports:
            item = QTreeWidgetItem(
                [report.title, short_date(report.submitted_on), report.reviewer or "not yet",
                 _content(report.text, report.file_name, report.file_size)]
            )  # fmt: skip
            item.setData(0, ID, report.id)
            self.reports.addTopLevelItem(item)
        feedback = {
            s.record.by.casefold(): s.record.note
            for s in record.steps
            if s.step is Step.PEER_REVIEW and s.record is not None
        }
        self.mentorships.clear()
        for m in record.mentorships:
            item = QTreeWidgetItem(
                [m.mentee, short_date(m.started_on),
                 short_date(m.graduated_on) if m.graduated_on else "not yet",
                 feedback.get(m.mentee.casefold(), "")]
            )  # fmt: skip
            item.setData(0, ID, m.id)
            self.mentorships.addTopLevelItem(item)
        self.contributions.clear()
        for c in record.contributions:
            item = QTreeWidgetItem(
                [c.kind.label, c.title, short_date(c.contributed_on),
                 _content(c.text, c.file_name, c.file_size)]
            )  # fmt: skip
            item.setData(0, ID, c.id)
            self.contributions.addTopLevelItem(item)
        for tree in (self.modules, self.played, self.reports, self.mentorships,
                     self.contributions):  # fmt: skip
            _fit_height(tree, tree.topLevelItemCount())
        rounds = sum(1 + len(a.rounds) for a in record.assessments)
        _fit_height(self.assessments, rounds)

    def _sync_buttons(self) -> None:
        report = self._selected_report()
        self.reviewer_button.setEnabled(report is not None)
        self.report_file_button.setEnabled(report is not None and bool(report.file_name))
        self.graduation_button.setEnabled(self._selected_mentorship() is not None)
        contribution = self._selected_contribution()
        self.contribution_file_button.setEnabled(
            contribution is not None and bool(contribution.file_name)
        )
        self.edit_week_button.setEnabled(self.weeks.currentRow() >= 0)

    def _selected_id(self, tree: QTreeWidget) -> int | None:
        item = tree.currentItem()
        return None if item is None else int(item.data(0, ID))

    def _selected_report(self) -> AIReport | None:
        wanted = self._selected_id(self.reports)
        pool = self.record.reports if self.record else ()
        return next((r for r in pool if r.id == wanted), None)

    def _selected_mentorship(self) -> Mentorship | None:
        wanted = self._selected_id(self.mentorships)
        pool = self.record.mentorships if self.record else ()
        return next((m for m in pool if m.id == wanted), None)

    def _selected_contribution(self) -> Contribution | None:
        wanted = self._selected_id(self.contributions)
        pool = self.record.contributions if self.record else ()
        return next((c for c in pool if c.id == wanted), None)

    # -- forms ------------------------------------------------------------------------------

    def _open(self, form: RecordForm, done: str = "") -> RecordForm:
        form.saved.connect(lambda result: self._saved(result, done))
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = form
        form.open()  # window-modal, not exec(): the app's asyncio work keeps running
        return form

    def _saved(self, result: object, done: str) -> None:
        self.refresh()
        text = done or getattr(result, "message", "")
        if text:
            show_notice(self.message, text, "ok")
        else:
            self.message.hide()
        self.changed.emit()

    def open_module_form(self) -> None:
        r = self.record
        if r is not None:
            self._open(ModuleForm(self._certification, self._worker, r.name, r.today,
                                  r.played_sessions, r.modules, self))  # fmt: skip

    def open_week_form(self, selected: bool = False) -> None:
        r = self.record
        if r is None:
            return
        known = None
        row = self.weeks.currentRow()
        if selected and row >= 0:
            known = list(reversed(r.metrics.weeks))[row].figures
        self._open(WeekForm(self._certification, self._worker, r.name, r.today, known, self))

    def open_import_form(self) -> None:
        self._open(ImportForm(self._certification, self._worker, self))

    def open_report_form(self) -> None:
        r = self.record
        if r is not None:
            self._open(ReportForm(self._certification, self._worker, r.name, r.today, self))

    def open_reviewer_form(self) -> None:
        report = self._selected_report()
        if report is not None:
            self._open(ReviewerForm(self._certification, self._worker, report, self))

    def open_mentorship_form(self) -> None:
        r = self.record
        if r is not None:
            self._open(MentorshipForm(self._certification, self._worker, r.name, r.today, self))

    def open_graduation_form(self) -> None:
        m = self._selected_mentorship()
        if m is not None and self.record is not None:
            form = GraduationForm(self._certification, self._worker, m, self.record.today, self)
            self._open(form)

    def open_contribution_form(self) -> None:
        r = self.record
        if r is not None:
            self._open(ContributionForm(self._certification, self._worker, r.name, r.today, self))

    def _save_file(self, kind: EvidenceKind) -> None:
        record = self._selected_report() if kind == "report" else self._selected_contribution()
        if record is None:
            return
        record_id = record.id
        dialog = QFileDialog(self, "Save the attached file", str(Path.home() / record.file_name))
        dialog.setObjectName("attachmentDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(
            lambda chosen: self.save_attachment(kind, record_id, Path(chosen))
        )
        self.dialog = dialog
        dialog.open()

    def save_attachment(self, kind: EvidenceKind, record_id: int, target: Path) -> None:
        """Read the file from the store and write it, on the store worker."""
        certification = self._certification

        def write() -> Attachment:
            attachment = certification.attachment(kind, record_id)
            try:
                target.write_bytes(attachment.data)
            except OSError as exc:
                raise UserError(f"{target}: cannot be written ({exc.strerror or exc}).") from None
            return attachment

        self._link.request(
            write,
            lambda a: show_notice(self.message, f"Saved {a.name} as {target}.", "ok"),
            self._failed,
        )

    def _export_record(self) -> None:
        if self._export is not None and self.record is not None:
            self._export(self, self.record.name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a focused button presses it, as in the main window."""
        if not press_focused_button(event, self.focusWidget()):
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.close()
        self.closed.emit()
        super().closeEvent(event)


def what_is_left(record: PersonCertification) -> str:
    """The requirements not met and the next step, in plain lines."""
    if record.awarded_on is not None:
        return ""
    lines = [f"• {r.label}: {r.missing}" for r in record.requirements if not r.met]
    step = next((s for s in record.steps if not s.done), None)
    if step is not None:
        lines.append(
            f"Next step: {step.refusal}"
            if step.refusal
            else f"Next step: {step.step.label} can be recorded now."
        )
    return "What is left:\n" + "\n".join(lines)


def _figure(value: float | None) -> str:
    return "—" if value is None else number(value)


def _decision(value: str | None) -> str:
    if value is None:
        return "not decided"
    try:
        return Decision(value).label
    except ValueError:
        return value


def _content(text: str, file_name: str, size: int) -> str:
    parts = []
    if file_name:
        parts.append(f"file {file_name} ({max(1, size // 1024)} KB)")
    if text.strip():
        first = " ".join(text.split())
        parts.append(first[:80] + ("…" if len(first) > 80 else ""))
    return " · ".join(parts)
