"""Small charts of the monthly summary, drawn with QPainter (no chart library: rules.md §10).

Each chart holds plain numbers and labels the Reports view gives it (already translated);
``set_texts`` changes the titles on a language switch without touching the data.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from services.i18n import format_number

BAR = QColor("#3f7cc4")
LINE = QColor("#2e7d32")
AXIS = QColor("#555555")
GRID = QColor("#dddddd")
MARGIN = 8
HEIGHT = 240


def _nice_top(value: float) -> float:
    """The axis end: 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


class Chart(QWidget):
    """A title on top, an axis label, and a message instead of the chart when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = ""
        self.axis_label = ""
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(260)
        self.setAutoFillBackground(True)

    def set_texts(self, title: str, axis_label: str, empty_text: str) -> None:
        self.title, self.axis_label, self.empty_text = title, axis_label, empty_text
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(340, self.needed_height())

    def needed_height(self) -> int:
        """The height that shows everything without crowding (the view gives all its charts
        the tallest one's)."""
        return HEIGHT

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(260, 240)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        p.setPen(GRID)
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.setFont(self._title_font())
        p.setPen(self.palette().text().color())
        title_h = QFontMetrics(p.font()).height()
        p.drawText(QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, title_h),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        p.setFont(self.font())
        area = QRectF(MARGIN, MARGIN + title_h + 6, self.width() - 2 * MARGIN,
                      self.height() - 2 * MARGIN - title_h - 6)
        if self.is_empty():
            p.setPen(AXIS)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        else:
            self.draw(p, area)
        p.end()

    def is_empty(self) -> bool:
        raise NotImplementedError

    def draw(self, p: QPainter, area: QRectF) -> None:
        raise NotImplementedError


class BarChart(Chart):
    """Horizontal bars, one per label, the value at the bar's end; the axis below counts
    from 0 to a round number (or to ``fixed_top``, e.g. 100 for percentages)."""

    def __init__(self, parent: QWidget | None = None, *, fixed_top: float | None = None,
                 labels_above: bool = False,
                 value_text: Callable[[float], str] = format_number):
        super().__init__(parent)
        self.fixed_top = fixed_top
        self.labels_above = labels_above  # long names: each on its own line over its bar
        self.value_text = value_text
        self.bars: list[tuple[str, float | None]] = []

    def set_bars(self, bars: Sequence[tuple[str, float | None]]) -> None:
        self.bars = list(bars)
        self.update()

    def is_empty(self) -> bool:
        return not any(v for _label, v in self.bars)

    def needed_height(self) -> int:
        line = QFontMetrics(self.font()).height()
        per_bar = 2 * line + 6 if self.labels_above else line + 4
        return max(HEIGHT, 2 * MARGIN + 6 + 3 * line + 6 + per_bar * len(self.bars))

    def draw(self, p: QPainter, area: QRectF) -> None:
        fm = QFontMetrics(p.font())
        line = fm.height()
        bars = self.bars
        top = self.fixed_top or _nice_top(max(v or 0 for _l, v in bars))
        label_w = 0.0 if self.labels_above else min(
            max(fm.horizontalAdvance(label) for label, _v in bars) + 8, area.width() * 0.45)
        value_w = max(fm.horizontalAdvance(self.value_text(v)) for _l, v in bars
                      if v is not None) + 6 if any(v is not None for _l, v in bars) else 0
        plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - value_w,
                      area.height() - 2 * line - 6)
        # the axis: 0, half, top, with a faint grid, and its label under it
        for fraction in (0.0, 0.5, 1.0):
            x = plot.left() + plot.width() * fraction
            p.setPen(GRID)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(AXIS)
            text = format_number(round(top * fraction, 1) if top * fraction % 1 else
                                 int(top * fraction))
            w = fm.horizontalAdvance(text)
            p.drawText(QPointF(min(max(x - w / 2, area.left()), area.right() - w),
                               plot.bottom() + line), text)
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        p.drawText(QRectF(plot.left(), plot.bottom() + line + 2, plot.width(), line),
                   Qt.AlignmentFlag.AlignCenter, self.axis_label)
        slot = plot.height() / len(bars)
        bar_h = max(3.0, min(slot * 0.7, line * 1.2))
        if self.labels_above:
            bar_h = max(3.0, min(slot - line - 6, line * 0.9))
        for i, (label, value) in enumerate(bars):
            y = plot.top() + slot * i + (slot - bar_h) / 2
            p.setPen(self.palette().text().color())
            if self.labels_above:
                y = plot.top() + slot * i + line + 2
                shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(area.width()))
                p.drawText(QRectF(plot.left() + 2, plot.top() + slot * i, area.width(), line),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            else:
                shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
                p.drawText(QRectF(area.left(), plot.top() + slot * i, label_w - 6, slot),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            if value is None:
                continue
            w = plot.width() * min(float(value), top) / top
            p.fillRect(QRectF(plot.left(), y, w, bar_h), BAR)
            p.setPen(AXIS)
            p.drawText(QRectF(plot.left() + w + 4, y - (slot - bar_h) / 2, value_w + 8, slot),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.value_text(value))


class LineChart(Chart):
    """Daily values as a line with dots; days along the bottom (every fifth labelled),
    counts up the side."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[tuple[str, float]] = []  # (day label, value)
        self.y_label = ""

    def set_points(self, points: Sequence[tuple[str, float]]) -> None:
        self.points = list(points)
        self.update()

    def set_y_label(self, text: str) -> None:
        self.y_label = text
        self.update()

    def is_empty(self) -> bool:
        return not any(v for _d, v in self.points)

    def draw(self, p: QPainter, area: QRectF) -> None:
        fm = QFontMetrics(p.font())
        line = fm.height()
        top = _nice_top(max(v for _d, v in self.points))
        ticks = [top * f for f in (0.0, 0.5, 1.0)]
        tick_texts = [format_number(int(t) if t == int(t) else round(t, 1)) for t in ticks]
        y_label_w = fm.horizontalAdvance(self.y_label)
        left_w = max(fm.horizontalAdvance(t) for t in tick_texts) + 6
        plot = QRectF(area.left() + left_w, area.top() + 1.5 * line + 4,
                      area.width() - left_w - 4, area.height() - 3.5 * line - 10)
        p.setPen(AXIS)
        p.drawText(QPointF(area.left(), area.top() + line - fm.descent()),
                   fm.elidedText(self.y_label, Qt.TextElideMode.ElideRight,
                                 int(min(y_label_w + 4, area.width()))))
        for t, text in zip(ticks, tick_texts, strict=True):
            y = plot.bottom() - plot.height() * t / top
            p.setPen(GRID)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS)
            p.drawText(QRectF(area.left(), y - line / 2, left_w - 4, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        n = len(self.points)
        step = plot.width() / max(n - 1, 1)
        polygon = QPolygonF([QPointF(plot.left() + step * i,
                                     plot.bottom() - plot.height() * v / top)
                             for i, (_d, v) in enumerate(self.points)])
        for i, (day, _v) in enumerate(self.points):
            if i % 5 == 0 or i == n - 1:
                x = plot.left() + step * i
                w = fm.horizontalAdvance(day)
                p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
                if i == n - 1 or x + w / 2 < plot.left() + step * (n - 1) - w:
                    p.drawText(QPointF(min(x - w / 2, area.right() - w),
                                       plot.bottom() + line + 1), day)
        p.drawText(QRectF(plot.left(), plot.bottom() + line + 4, plot.width(), line),
                   Qt.AlignmentFlag.AlignCenter, self.axis_label)
        p.setPen(QPen(LINE, 2))
        p.drawPolyline(polygon)
        p.setBrush(LINE)
        for point in polygon:
            p.drawEllipse(point, 2.2, 2.2)
