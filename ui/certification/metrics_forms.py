"""Weekly metrics in: one week typed in (a stored week with other figures is replaced, the
change kept), or a CSV file from the support tool imported whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QWidget,
)

from hotdash_roleplay.certification.metrics import (
    RANGES,
    WeekCheck,
    WeekFigures,
    check_week,
)
from hotdash_roleplay.certification.program import METRIC_LABELS, THRESHOLDS, Metric
from hotdash_roleplay.certification.views import MetricsImportResult
from hotdash_roleplay.dates import short_date, week_start
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.certification import CertificationService
from hotdash_roleplay.services.worker import StoreWorker
from hotdash_roleplay.validation import first_problem
from ui.certification.evidence_forms import FileField
from ui.certification.forms import (
    RecordForm,
    date_edit,
    name_edit,
    picked,
    remember_name,
    remembered_name,
)

DECIMALS = {Metric.CSAT: 2}
CSV_FILTER = "Weekly metrics (*.csv);;All files (*)"


def _spin(metric: Metric, parent: QWidget, optional: bool) -> QDoubleSpinBox:
    lo, hi = RANGES[metric]
    spin = QDoubleSpinBox(parent)
    spin.setDecimals(DECIMALS.get(metric, 1))
    spin.setSingleStep(0.1 if metric is Metric.CSAT else 1.0)
    # An optional figure below its range reads "not given" (Qt's special value).
    spin.setRange(lo - 1 if optional else lo, hi)
    if optional:
        spin.setSpecialValueText("not given")
    spin.setValue(spin.minimum() if optional else lo)
    spin.setAccessibleName(METRIC_LABELS[metric])
    return spin


class WeekForm(RecordForm):
    """One week's figures for one person, each against its threshold as it is typed."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        person: str,
        today: date,
        known: WeekFigures | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Weekly metrics — {person}",
            "Any day of the week names it (weeks start on Monday). A week already on record "
            "is replaced by these figures and the change is kept in the history.",
            worker,
            parent,
        )
        self._certification = certification
        self._person = person
        self.week = date_edit(
            today, self, "Week (any day in it)", known.week_start if known else None
        )
        self.week_label = QLabel(self)
        self.week_label.setProperty("role", "muted")
        self.row("&Week of:", self.week)
        self.form.addRow("", self.week_label)
        self.spins: dict[Metric, QDoubleSpinBox] = {}
        for i, threshold in enumerate(THRESHOLDS):
            spin = _spin(threshold.metric, self, optional=False)
            self.spins[threshold.metric] = spin
            self.row(f"&{i + 1} {threshold.label} ({threshold.rule}):", spin)
        escalation = _spin(Metric.ESCALATION_RATE, self, optional=True)
        self.spins[Metric.ESCALATION_RATE] = escalation
        self.row("&Escalation rate (optional, for information):", escalation)
        if known is not None:
            for metric, spin in self.spins.items():
                value = known.value(metric)
                spin.setValue(spin.minimum() if value is None else value)
        self.by = name_edit(self, "Typed by", remembered_name())
        self.row("&Typed by:", self.by)
        self.check = QLabel(self)
        self.check.setObjectName("weekCheck")
        self.check.setWordWrap(True)
        self.form.addRow("Check:", self.check)
        for spin in self.spins.values():
            spin.valueChanged.connect(self._preview)
        self.week.dateChanged.connect(self._preview)
        self._preview()

    def figures(self) -> WeekFigures:
        values: dict[str, float | None] = {m.value: s.value() for m, s in self.spins.items()}
        escalation = self.spins[Metric.ESCALATION_RATE]
        if escalation.value() == escalation.minimum():
            values[Metric.ESCALATION_RATE.value] = None
        try:
            return WeekFigures.model_validate({"week_start": picked(self.week), **values})
        except ValidationError as exc:
            raise UserError(first_problem(exc)) from None

    def _preview(self) -> None:
        monday = week_start(picked(self.week))
        self.week_label.setText(f"The week of Monday {short_date(monday)}")
        try:
            result = check_week(self.figures())
        except UserError as exc:
            self.check.setText(str(exc))
            return
        self.check.setText(week_text(result))

    def job(self) -> Callable[[], WeekCheck]:
        return partial(
            self._certification.record_week, self._person, self.figures(), self.by.text()
        )

    def stored(self, result: object) -> None:
        remember_name(self.by.text())


def week_text(check: WeekCheck) -> str:
    """A checked week in plain lines: qualifies or the figure that missed, then the notes."""
    lines = [
        f"Qualifies: every figure at expert level in the week of {short_date(check.week_start)}."
        if check.qualifies
        else f"Does not qualify: {check.missed}."
    ]
    lines += [note for note in (check.caution, check.escalation) if note]
    return "\n".join(lines)


class ImportForm(RecordForm):
    """A weekly metrics CSV from the support tool, for everyone in it, all or nothing."""

    def __init__(
        self,
        certification: CertificationService,
        worker: StoreWorker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Import weekly metrics",
            "A CSV exported by the support tool: person, week_start, approval_rate, "
            "avg_review_seconds, csat, first_contact_resolution, decision_accuracy and "
            "optionally escalation_rate. The file is imported whole or not at all.",
            worker,
            parent,
        )
        self.save_button.setText("Import")
        self._certification = certification
        self.file = FileField("Metrics CSV file", self)
        self.file.path.setPlaceholderText("The CSV file")
        self.file.choose.clicked.disconnect()
        self.file.choose.clicked.connect(self._choose)
        self.by = name_edit(self, "Imported by", remembered_name())
        self.create_people = QCheckBox("Add people the store does not know yet", self)
        self.row("&File:", self.file)
        self.row("Imported &by:", self.by)
        self.form.addRow("", self.create_people)

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Import weekly metrics", str(Path.home()), CSV_FILTER)
        dialog.setObjectName("metricsFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.file.path.setText)
        self.file.dialog = dialog
        dialog.open()

    def job(self) -> Callable[[], MetricsImportResult]:
        path = self.file.path.text().strip()
        if not path:
            raise UserError("Choose the CSV file to import.")
        return partial(
            self._certification.import_metrics,
            Path(path),
            self.by.text(),
            create_people=self.create_people.isChecked(),
        )

    def stored(self, result: object) -> None:
        remember_name(self.by.text())
