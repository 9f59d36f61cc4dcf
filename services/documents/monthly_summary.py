"""月度投诉情况汇总, the owners' monthly summary (docs/rules.md §8.8): the headline figures
against the previous month, every breakdown of ``reports.sheet_tables`` (the daily intake as
a chart), and three charts.

Every figure comes from ``reports.monthly_summary``, so the Reports screen, the spreadsheet
and the paper never disagree.
"""
from __future__ import annotations

from datetime import date

from services import reports
from services.documents.base import firm_page, list_table
from services.documents.common import fmt_change, fmt_figure
from services.documents.fonts import cjk_font
from services.i18n import N_, _, current_language, format_date, language

TITLE = N_("Monthly complaint summary")
CHART_HEIGHT = 150
BAR_COLOR = "#4A78B5"
LINE_COLOR = "#C0504D"


# --- charts (reportlab.graphics) -------------------------------------------------------------


def _short(text: str, size: int = 10) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def _drawing(width: float, title: str):
    from reportlab.graphics.shapes import Drawing, String  # ReportLab loads on first use

    drawing = Drawing(width, CHART_HEIGHT + 40)
    drawing.initialFontName = cjk_font()  # else the renderer sets an unembedded Helvetica
    drawing.add(String(0, CHART_HEIGHT + 26, title, fontName=cjk_font(), fontSize=10.5))
    return drawing


def bar_chart(title: str, labels: list[str], values: list[float], width: float, *,
              value_max: float | None = None):
    """A vertical bar chart with its title, labels in the CJK font."""
    # ReportLab loads on first use.
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.lib import colors

    drawing = _drawing(width, title)
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 34
    chart.width, chart.height = width - 50, CHART_HEIGHT - 24
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [_short(x) for x in labels] or [""]
    font = cjk_font()
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.angle = 30 if len(labels) > 4 else 0
    if not chart.categoryAxis.labels.angle:
        chart.categoryAxis.labels.boxAnchor = "n"
    else:  # room below for the slanted labels
        chart.y, chart.height = 58, CHART_HEIGHT - 48
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max([*values, 0])
    chart.valueAxis.valueMax = value_max if value_max is not None else max(4, top * 1.15)
    chart.bars[0].fillColor = colors.HexColor(BAR_COLOR)
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%s"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def line_chart(title: str, days: list[date], values: list[int], width: float):
    """Complaints received per day of the month, as a line."""
    # ReportLab loads on first use.
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.lib import colors

    drawing = _drawing(width, title)
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
    """The summary's three charts: received by category, daily intake, on-time rate per rule."""
    return [
        bar_chart(_("Complaints received by category"),
                  [r.name for r in summary.by_category],
                  [r.count for r in summary.by_category], width),
        line_chart(_("Complaints received per day"), [d.day for d in summary.daily_intake],
                   [d.count for d in summary.daily_intake], width),
        bar_chart(_("On-time rate per time limit (%)"), [r.name for r in summary.on_time],
                  [float(r.rate or 0) for r in summary.on_time], width, value_max=110),
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
                  list_table(s, list(headers), rows, w, [0.46, 0.18, 0.18, 0.18])]
        if not summary.warranty_available:
            story.append(s.p(_("This firm keeps no warranty claims; their figures are zero."),
                             s.small))
        story.append(s.p(_("Charts"), s.heading))
        story += charts(summary, w)
        by_title = {t: (h, r) for t, h, r in tables[1:]}
        for attr, title in reports.COUNT_TABLES:
            headers, rows = by_title[_(title)]
            story.append(s.p(_(title), s.heading))
            if rows and attr == "root_causes":  # a root cause is its own name: no code
                story.append(list_table(
                    s, list(headers[1:]),
                    [[r[1], fmt_figure(r[2]), fmt_figure(r[3]), fmt_change(r[4])] for r in rows],
                    w, [0.55, 0.15, 0.15, 0.15]))
            elif rows:
                story.append(list_table(
                    s, list(headers),
                    [[r[0], r[1], fmt_figure(r[2]), fmt_figure(r[3]), fmt_change(r[4])]
                     for r in rows],
                    w, [0.24, 0.31, 0.15, 0.15, 0.15]))
            else:
                story.append(s.p(_("None in the month.")))
        headers, rows = by_title[_("Time limits")]
        story += [s.p(_("Time limits"), s.heading),
                  list_table(s, list(headers),
                             [[r[0], r[1], *(fmt_figure(v) for v in r[2:8]), fmt_change(r[8])]
                              for r in rows],
                             w, [0.14, 0.24, 0.07, 0.08, 0.09, 0.09, 0.1, 0.1, 0.09])]
        return page.render(story)
