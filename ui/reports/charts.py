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
PREVIOUS = QColor("#b8c7dd")  # the month before, under each bar
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
    """Horizontal bars, one per label, the value at the bar's end; with the month before
    (``set_bars`` of (label, value, previous)), a thinner, lighter bar under each and its value
    beside. Labels are whole, wrapped over lines (never cut); the axis below counts from 0 to
    a round number (or to ``fixed_top``, e.g. 100 for percentages)."""

    def __init__(self, parent: QWidget | None = None, *, fixed_top: float | None = None,
                 labels_above: bool = False,
                 value_text: Callable[[float], str] = format_number):
        super().__init__(parent)
        self.fixed_top = fixed_top
        self.labels_above = labels_above  # long names: each over its bar, the whole width
        self.value_text = value_text
        self.previous_label = ""  # "Previous month", before the previous value
        self.bars: list[tuple[str, float | None, float | None]] = []

    def set_bars(self, bars: Sequence[tuple]) -> None:
        """(label, value) or (label, value, the month before's value)."""
        self.bars = [(b[0], b[1], b[2] if len(b) > 2 else None) for b in bars]
        self.update()

    def set_previous_label(self, text: str) -> None:
        self.previous_label = text
        self.update()

    def is_empty(self) -> bool:
        return not any(v or p for _label, v, p in self.bars)

    def _text(self, value, previous) -> str:
        text = self.value_text(value) if value is not None else "—"
        if previous is not None:
            text += f"  ({self.previous_label} {self.value_text(previous)})"
        return text

    def _label_width(self, fm: QFontMetrics, width: float) -> float:
        if self.labels_above:
            return width
        return min(max((fm.horizontalAdvance(b[0]) for b in self.bars), default=0) + 8,
                   width * 0.4)

    def _label_height(self, fm: QFontMetrics, label: str, width: float) -> float:
        flags = int(Qt.TextFlag.TextWordWrap)
        return fm.boundingRect(0, 0, max(int(width), 10), 10_000, flags, label).height()

    def _slots(self, fm: QFontMetrics, width: float) -> list[tuple[float, float]]:
        """(label height, slot height) per bar."""
        line = fm.height()
        label_w = self._label_width(fm, width)
        bars_h = line * (1.5 if any(p is not None for _l, _v, p in self.bars) else 1.0)
        out = []
        for label, _v, _p in self.bars:
            h = self._label_height(fm, label, label_w - 6)
            out.append((h, (h + 2 + bars_h if self.labels_above else max(h, bars_h)) + 6))
        return out

    def needed_height(self) -> int:
        fm = QFontMetrics(self.font())
        line = fm.height()
        width = max(self.width(), 260) - 2 * MARGIN
        return max(HEIGHT, int(2 * MARGIN + 6 + 3 * line + 6
                               + sum(slot for _h, slot in self._slots(fm, width))))

    def draw(self, p: QPainter, area: QRectF) -> None:
        fm = QFontMetrics(p.font())
        line = fm.height()
        bars = self.bars
        values = [float(x) for _l, v, pr in bars for x in (v, pr) if x is not None]
        top = self.fixed_top or _nice_top(max(values, default=0))
        label_w = 0.0 if self.labels_above else self._label_width(fm, area.width())
        texts = [self._text(v, pr) for _l, v, pr in bars]
        value_w = max(fm.horizontalAdvance(t) for t in texts) + 6
        plot = QRectF(area.left() + label_w, area.top(),
                      max(area.width() - label_w - value_w, 40), area.height() - 2 * line - 6)
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
        # the axis title under the plot, but never cut by it: a narrow plot (long category
        # names) lends it the room beside, inside the chart
        title_w = min(max(plot.width(), fm.horizontalAdvance(self.axis_label) + 4), area.width())
        title_x = min(max(plot.center().x() - title_w / 2, area.left()), area.right() - title_w)
        p.drawText(QRectF(title_x, plot.bottom() + line + 2, title_w, line),
                   Qt.AlignmentFlag.AlignCenter, self.axis_label)
        slots = self._slots(fm, area.width())
        scale = min(1.0, plot.height() / max(sum(slot for _h, slot in slots), 1))
        bar_h = max(3.0, line * 0.8 * scale)
        y0 = plot.top()
        wrap = Qt.TextFlag.TextWordWrap
        for (label, value, before), text, (label_h, slot) in zip(bars, texts, slots,
                                                                  strict=True):
            slot *= scale
            p.setPen(self.palette().text().color())
            if self.labels_above:
                p.drawText(QRectF(plot.left() + 2, y0, area.width() - 4, label_h),
                           Qt.AlignmentFlag.AlignLeft | wrap, label)
                y = y0 + label_h + 2
            else:
                p.drawText(QRectF(area.left(), y0, label_w - 6, slot),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | wrap,
                           label)
                y = y0 + (slot - bar_h * (1.5 if before is not None else 1)) / 2
            w = plot.width() * min(float(value or 0), top) / top
            p.fillRect(QRectF(plot.left(), y, w, bar_h), BAR)
            right = w
            if before is not None:
                wb = plot.width() * min(float(before), top) / top
                p.fillRect(QRectF(plot.left(), y + bar_h + 1, wb, bar_h * 0.45), PREVIOUS)
                right = max(w, wb)
            p.setPen(AXIS)
            p.drawText(QRectF(plot.left() + right + 4, y - line / 2, value_w + 8,
                              bar_h * 1.5 + line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y0 += slot


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
