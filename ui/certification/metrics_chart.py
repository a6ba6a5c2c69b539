"""The weekly metrics as small charts against the thresholds: one strip per required metric,
weeks on the x axis, the threshold as a dashed line, a failing week's point marked in the
error colour, the qualifying run shaded."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from hotdash_roleplay.certification.metrics import MetricsSummary, WeekCheck
from hotdash_roleplay.certification.program import THRESHOLDS, Threshold
from hotdash_roleplay.dates import day_month
from ui import theme

STRIP = 54
LABEL_W = 190
PAD = 8
AXIS = 22
MAX_WEEKS = 26  # the chart shows the latest half year; the table below has every week


class MetricsChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricsChart")
        self.setAccessibleName("Weekly metrics against the thresholds")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._weeks: tuple[WeekCheck, ...] = ()

    def set_summary(self, summary: MetricsSummary) -> None:
        self._weeks = summary.weeks[-MAX_WEEKS:]
        failing = sum(1 for w in self._weeks if not w.qualifies)
        self.setAccessibleDescription(
            f"{len(self._weeks)} weeks shown, {failing} below a threshold; "
            f"longest run {summary.longest_run_weeks}, current run {summary.current_run_weeks}."
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, len(THRESHOLDS) * STRIP + AXIS + PAD)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), theme.color("surface"))
        plot_w = self.width() - LABEL_W - 2 * PAD
        if not self._weeks:
            painter.setPen(theme.color("muted"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No weekly metrics yet.")
            return
        n = len(self._weeks)

        def x_of(i: int) -> float:
            return LABEL_W + PAD + (plot_w * (i + 0.5) / n)

        # The qualifying run, shaded behind every strip.
        run = [i for i, w in enumerate(self._weeks) if w.in_qualifying_run]
        if run:
            shade = QColor(theme.color("ok_bg"))
            left = x_of(run[0]) - plot_w / n / 2
            right = x_of(run[-1]) + plot_w / n / 2
            painter.fillRect(QRectF(left, 0, right - left, len(THRESHOLDS) * STRIP), shade)
        for row, threshold in enumerate(THRESHOLDS):
            self._strip(painter, row, threshold, x_of, plot_w)
        # Week labels: the first, the last and a few between.
        painter.setPen(theme.color("muted"))
        step = max(1, n // 6)
        y = len(THRESHOLDS) * STRIP + 4
        for i in range(0, n, step):
            self._label_at(painter, x_of(i), y, day_month(self._weeks[i].week_start))
        if (n - 1) % step:
            self._label_at(painter, x_of(n - 1), y, day_month(self._weeks[-1].week_start))

    def _label_at(self, painter: QPainter, x: float, y: float, text: str) -> None:
        width = painter.fontMetrics().horizontalAdvance(text)
        painter.drawText(QPointF(x - width / 2, y + painter.fontMetrics().ascent()), text)

    def _strip(
        self,
        painter: QPainter,
        row: int,
        threshold: Threshold,
        x_of: Callable[[int], float],
        plot_w: float,
    ) -> None:
        top = row * STRIP + 4
        height = STRIP - 12
        index = [t.metric for t in THRESHOLDS].index(threshold.metric)
        values = [w.figures.figures()[index] for w in self._weeks]
        lo = min([*values, threshold.value])
        hi = max([*values, threshold.value])
        margin = (hi - lo) * 0.15 or abs(threshold.value) * 0.05 or 1.0
        lo, hi = lo - margin, hi + margin

        def y_of(value: float) -> float:
            return top + height - (value - lo) / (hi - lo) * height

        painter.setPen(theme.color("text"))
        metrics = painter.fontMetrics()
        painter.drawText(QPointF(PAD, top + metrics.ascent()), threshold.label)
        painter.setPen(theme.color("muted"))
        painter.drawText(QPointF(PAD, top + metrics.ascent() + metrics.height()), threshold.rule)
        # The threshold line, dashed.
        pen = QPen(theme.color("muted"), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        ty = y_of(threshold.value)
        painter.drawLine(QPointF(LABEL_W + PAD, ty), QPointF(LABEL_W + PAD + plot_w, ty))
        # The figures: a line, each week a dot; a failing week's dot in the error colour.
        painter.setPen(QPen(theme.color("accent"), 1.5))
        points = [QPointF(x_of(i), y_of(v)) for i, v in enumerate(values)]
        for a, b in itertools.pairwise(points):
            painter.drawLine(a, b)
        for point, week in zip(points, self._weeks, strict=True):
            met = week.checks[index].met
            colour = theme.color("accent") if met else theme.color("error_text")
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            radius = 3.0 if met else 4.5
            painter.drawEllipse(point, radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(theme.color("border"))
        painter.drawLine(
            QPointF(LABEL_W + PAD, row * STRIP + STRIP - 2),
            QPointF(LABEL_W + PAD + plot_w, row * STRIP + STRIP - 2),
        )
