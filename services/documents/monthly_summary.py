"""月度投诉情况汇总, the owners' monthly summary (docs/rules.md §8.8): the headline figures
against the previous month, every breakdown of ``reports.sheet_tables`` (the daily intake as
a chart), and three charts.

Every figure comes from ``reports.monthly_summary``, so the Reports screen, the spreadsheet
and the paper never disagree.
"""
from __future__ import annotations

import re
from datetime import date

from services import reports
from services.documents.base import break_lines, firm_page, list_table
from services.documents.common import fmt_change, fmt_figure
from services.documents.fonts import cjk_font
from services.i18n import N_, _, current_language, format_date, language

TITLE = N_("Monthly complaint summary")
CHART_HEIGHT = 150
BAR_COLOR = "#4A78B5"
PREVIOUS_COLOR = "#B8C7DD"
LINE_COLOR = "#C0504D"
CHART_FONT_SIZE = 8
PADDING = 4  # a table cell's padding on each side (base._grid_style)
MAX_HEADER_LINE = 60  # points: a figure column's header up to this wide stays on one line
MIN_FIGURE_WIDTH = 44  # points: a figure column no narrower, when the page has the room


# --- tables with figures ---------------------------------------------------------------------


def _widest_word(text: str, font: str, size: float) -> float:
    """The widest piece of ``text`` a line cannot break inside: a Latin word or number, or
    one Chinese character."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # ReportLab loads on first use

    return max((stringWidth(w, font, size) for w in re.findall(r"[\x21-\u2e7f]+|\S", text)),
               default=0.0)


def figure_table(s, header: list[str], rows: list[list[str]], width: float, *,
                 numbers_from: int, text_shares: list[float] | None = None):
    """A table whose columns from ``numbers_from`` on hold figures: those are right-aligned and
    as wide as their widest header word or figure needs (measured with the font's widths),
    the text columns before them share what is left (``text_shares``, by default evenly).
    The header repeats on every page (base.list_table)."""
    # ReportLab loads on first use.
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import TableStyle

    right_label = ParagraphStyle("figure_label", parent=s.label, alignment=TA_RIGHT)
    need = []
    for col in range(numbers_from, len(header)):
        whole = stringWidth(header[col], s.label.fontName, s.label.fontSize)
        widest = max([_widest_word(header[col], s.label.fontName, s.label.fontSize),
                      whole if whole <= MAX_HEADER_LINE else 0]
                     + [stringWidth(str(r[col]), s.cell.fontName, s.cell.fontSize)
                        for r in rows])
        need.append(max(widest + 2 * PADDING + 1, MIN_FIGURE_WIDTH))
    texts = numbers_from
    shares = text_shares or [1 / texts] * texts
    room = width - sum(need)
    floor = [_widest_word(h, s.label.fontName, s.label.fontSize) + 2 * PADDING + 1
             for h in header[:texts]]
    text_widths = [max(room * share, least) for share, least in zip(shares, floor,
                                                                     strict=True)]
    if sum(text_widths) + sum(need) > width:  # too narrow: the figures give way evenly
        spare = (width - sum(text_widths)) / max(sum(need), 1)
        need = [n * spare for n in need]
    table = list_table(s, header, rows, width, [x / width for x in text_widths + need])
    # The figures as plain strings: one line each, nothing to wrap, and a paragraph per
    # figure was most of a summary's time (docs/rules.md §10).
    for r, row in enumerate(table._cellvalues):
        for c in range(numbers_from, len(row)):
            if r == 0:
                row[c].style = right_label
            else:
                row[c] = str(rows[r - 1][c])
    if rows:
        table.setStyle(TableStyle([
            ("FONT", (numbers_from, 1), (-1, -1), s.cell.fontName, s.cell.fontSize,
             s.cell.leading),
            ("ALIGN", (numbers_from, 1), (-1, -1), "RIGHT")]))
    return table


# --- charts (reportlab.graphics) -------------------------------------------------------------


def _drawing(width: float, height: float, title: str):
    from reportlab.graphics.shapes import Drawing, String  # ReportLab loads on first use

    drawing = Drawing(width, height)
    drawing.initialFontName = cjk_font()  # else the renderer sets an unembedded Helvetica
    drawing.add(String(0, height - 14, title, fontName=cjk_font(), fontSize=10.5))
    return drawing


def wrap_label(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` points, broken where a line may break
    (base.break_lines: Chinese between characters, Latin between words): whole, never cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # ReportLab loads on first use

    chars = list(text)
    lines = break_lines(chars, [stringWidth(c, font, size) for c in chars], [width], set())
    return ["".join(chars[a:b]).strip() for a, b, _next, _used in lines] or [""]


def bar_chart(title: str, labels: list[str], values: list[float], width: float, *,
              previous: list[float] | None = None, value_max: float | None = None,
              fmt=None):
    """Horizontal bars, one per label: the label whole (wrapped in its column), this month's
    bar with its value, and under it a lighter bar for the month before with that value
    beside it."""
    # ReportLab loads on first use.
    from reportlab.graphics.shapes import Rect, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font, size = cjk_font(), CHART_FONT_SIZE
    fmt = fmt or fmt_figure
    previous = previous if previous is not None else [None] * len(values)
    label_w = min(max([stringWidth(x, font, size) for x in labels] + [20]) + 2, width * 0.36)
    wrapped = [wrap_label(x, label_w, font, size) for x in labels]
    last_text = _("Previous month")
    texts = [f"{fmt(v)}  ({last_text} {fmt(p)})" for v, p in zip(values, previous, strict=True)]
    text_w = max([stringWidth(t, font, size) for t in texts] + [0]) + 6
    bar_x = label_w + 8
    bar_room = max(width - bar_x - text_w, 40)
    top = value_max if value_max is not None else max(
        [float(v or 0) for v in (*values, *previous)] + [1])
    line_h = size + 2
    rows_h = [max(len(lines) * line_h, 20) + 6 for lines in wrapped]
    legend_h = 16
    height = 20 + legend_h + sum(rows_h) + 4
    drawing = _drawing(width, height, title)
    # what it shows, for tests (a Drawing refuses attributes it does not know)
    vars(drawing).update(bars=list(zip(labels, values, previous, strict=True)),
                         label_lines=wrapped)
    # the legend: this month, the month before
    y = height - 20 - 10
    x = 0
    for color, text in ((BAR_COLOR, _("This month")), (PREVIOUS_COLOR, last_text)):
        drawing.add(Rect(x, y, 10, 7, fillColor=colors.HexColor(color), strokeColor=None))
        drawing.add(String(x + 13, y, text, fontName=font, fontSize=size))
        x += 13 + stringWidth(text, font, size) + 14
    y = height - 20 - legend_h
    for lines, value, before, text, row_h in zip(wrapped, values, previous, texts, rows_h,
                                                 strict=True):
        block = len(lines) * line_h
        ty = y - (row_h - block) / 2 - size
        for line in lines:
            drawing.add(String(label_w, ty, line, fontName=font, fontSize=size,
                               textAnchor="end"))
            ty -= line_h
        mid = y - row_h / 2
        w_now = bar_room * min(float(value or 0), top) / top
        w_before = bar_room * min(float(before or 0), top) / top
        drawing.add(Rect(bar_x, mid, max(w_now, 0.01), 8,
                         fillColor=colors.HexColor(BAR_COLOR), strokeColor=None))
        drawing.add(Rect(bar_x, mid - 5, max(w_before, 0.01), 4,
                         fillColor=colors.HexColor(PREVIOUS_COLOR), strokeColor=None))
        drawing.add(String(bar_x + max(w_now, w_before) + 4, mid - 1, text, fontName=font,
                           fontSize=size))
        y -= row_h
    drawing.add(Rect(bar_x, y + 2, 0.6, height - 20 - legend_h - y - 2,
                     fillColor=colors.HexColor("#777777"), strokeColor=None))
    return drawing


def line_chart(title: str, days: list[date], values: list[int], width: float):
    """Complaints received per day of the month, as a line."""
    # ReportLab loads on first use.
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.lib import colors

    drawing = _drawing(width, CHART_HEIGHT + 40, title)
    plot = LinePlot()
    plot.x, plot.y = 36, 24
    plot.width, plot.height = width - 50, CHART_HEIGHT - 14
    plot.data = [[(d.day, v) for d, v in zip(days, values, strict=True)] or [(1, 0)]]
    plot.lines[0].strokeColor = colors.HexColor(LINE_COLOR)
    plot.lines[0].strokeWidth = 1.5
    font = cjk_font()
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 1, max(len(days), 2)
    plot.xValueAxis.valueSteps = [d.day for d in days if d.day == 1 or d.day % 5 == 0]
    plot.xValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = 7.5
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = max(4, max([*values, 0]) * 1.15)
    plot.yValueAxis.labels.fontName = font
    plot.yValueAxis.labels.fontSize = 7.5
    drawing.add(plot)
    return drawing


def charts(summary: reports.MonthlySummary, width: float) -> list:
    """The summary's three charts: received by category, daily intake, on-time rate per rule;
    the bars against the month before."""
    return [
        bar_chart(_("Complaints received by category"),
                  [r.name for r in summary.by_category],
                  [r.count for r in summary.by_category], width,
                  previous=[r.previous for r in summary.by_category]),
        line_chart(_("Complaints received per day"), [d.day for d in summary.daily_intake],
                   [d.count for d in summary.daily_intake], width),
        bar_chart(_("On-time rate per time limit (%)"), [r.name for r in summary.on_time],
                  [r.rate for r in summary.on_time], width, value_max=100,
                  previous=[r.previous_rate for r in summary.on_time]),
    ]


# --- the document ------------------------------------------------------------------------------


def render_monthly_summary(month: str, *, actor, lang: str) -> bytes:
    """The summary of ``month`` (YYYY-MM) in ``lang``. Owner and manager only."""
    with language(lang):
        summary = reports.monthly_summary(actor=actor, month=month)
        tables = reports.sheet_tables(summary)
        page = firm_page(summary.month, TITLE, _("Month"))
        s, w = page.styles, page.width
        s.heading.keepWithNext = 1  # never a heading alone at the foot of a page
        story = [s.p(_("Month {month}, compared with {previous}. Made {made}.").format(
            month=summary.month, previous=summary.previous_month,
            made=format_date(summary.made_at.date(), current_language())))]
        _title, headers, _rows = tables[0]
        rows = []
        for key, label, figure in summary.headline():
            money = key in reports.MONEY_FIELDS
            rows.append([label, fmt_figure(figure.current, money=money),
                         fmt_figure(figure.previous, money=money),
                         fmt_change(figure.change, money=money)])
        story += [s.p(tables[0][0], s.heading),
                  figure_table(s, list(headers), rows, w, numbers_from=1)]
        story.append(s.p(_("Charts"), s.heading))
        story += charts(summary, w)
        by_title = {t: (h, r) for t, h, r in tables[1:]}
        for _attr, title in summary.count_tables():
            headers, rows = by_title[_(title)]
            story.append(s.p(_(title), s.heading))
            if rows:  # names only: a code is the program's, not the reader's
                story.append(figure_table(
                    s, list(headers[1:]),
                    [[r[1], fmt_figure(r[2]), fmt_figure(r[3]), fmt_change(r[4])] for r in rows],
                    w, numbers_from=1))
            else:
                story.append(s.p(_("None in the month.")))
        headers, rows = by_title[_("Time limits")]
        story += [s.p(_("Time limits"), s.heading),
                  figure_table(s, list(headers[1:]),
                               [[r[1], *(fmt_figure(v) for v in r[2:8]), fmt_change(r[8])]
                                for r in rows], w, numbers_from=1)]
        return page.render(story)
