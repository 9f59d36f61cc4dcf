"""Documents 8–9 of SPEC §8 (issue 6): the owners' monthly summary, the yearly register (台账)
and the bank profile's half-year statistics report.

Every figure of the monthly summary comes from ``services.reports.monthly_summary`` and its
``sheet_tables``, so the Reports screen and the paper never disagree. Each ``render_*`` takes
the document's language itself and returns the PDF's bytes; who may see what is decided by the
services (SPEC §2: owner and manager, and only the complaints the actor may see).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import services.complaints.register as complaints
import services.firm.settings as settings
import services.reports.summary as reports
from services import clock
from services.complaints.path import STATE_NAMES
from services.documents.base import MARGIN_MM, Letterhead, Page, list_table
from services.documents.fonts import cjk_font
from services.errors import Cancelled, ValidationError
from services.firm.profiles import KIND_NAMES
from services.i18n import (
    N_,
    _,
    babel_locale,
    current_language,
    format_date,
    format_money,
    format_number,
    language,
)
from services.people.permissions import require_role

TITLES = {
    "monthly_summary": N_("Monthly complaint summary"),
    "yearly_register": N_("Yearly complaint register"),
    "half_year_report": N_("Half-year complaint statistics report"),
}
REGISTER_PAGE = 500  # complaints read per query for the yearly register
DASH = "—"
MONEY_FIELDS = {"fines_approved_total"}
CHART_HEIGHT = 150
BAR_COLOR = "#4A78B5"
LINE_COLOR = "#C0504D"


# --- formatting -------------------------------------------------------------------------------


def _lang() -> str:
    return current_language()


def fmt(value, *, money: bool = False) -> str:
    """A figure as printed: locale digits, money in CNY, a dash for no data."""
    if value is None:
        return DASH
    if money:
        return format_money(Decimal(value), _lang())
    if isinstance(value, datetime):
        return format_date(value.date(), _lang())
    if isinstance(value, date):
        return format_date(value, _lang())
    if isinstance(value, Decimal) and value.as_tuple().exponent == -1:  # rates, hours
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0.0", locale=babel_locale(_lang()))
    if isinstance(value, Decimal | int | float):
        return format_number(value, _lang())
    return str(value)


def fmt_change(value, *, money: bool = False) -> str:
    """A change from the previous month, signed: "+3", "-1.5", "0"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + fmt(abs(value), money=money)


def _page(reference: str, kind: str, label: str, *, landscape: bool = False) -> Page:
    firm = settings.firm_info()
    page = Page(Letterhead(firm.name, firm.address, firm.phone, reference, clock.now(), label),
                _(TITLES[kind]))
    if landscape:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.pagesizes import landscape as turned
        from reportlab.lib.units import mm

        page.pagesize = turned(A4)
        page.width = page.pagesize[0] - 2 * MARGIN_MM * mm - 12
    return page


# --- charts (reportlab.graphics) -------------------------------------------------------------


def _short(text: str, size: int = 10) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def _drawing(width: float, title: str):
    from reportlab.graphics.shapes import Drawing, String

    drawing = Drawing(width, CHART_HEIGHT + 40)
    drawing.initialFontName = cjk_font()  # else the renderer sets an unembedded Helvetica
    drawing.add(String(0, CHART_HEIGHT + 26, title, fontName=cjk_font(), fontSize=10.5))
    return drawing


def bar_chart(title: str, labels: list[str], values: list[float], width: float, *,
              value_max: float | None = None):
    """A vertical bar chart with its title, labels in the CJK font."""
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


# --- 8. the monthly summary --------------------------------------------------------------------


def render_monthly_summary(month: str, *, actor, lang: str) -> bytes:
    """月度投诉情况汇总 for owners (SPEC §8.8): the headline figures against the previous month,
    every breakdown of ``reports.sheet_tables`` (the daily intake as a chart), and three
    charts. Owner and manager only."""
    with language(lang):
        summary = reports.monthly_summary(actor=actor, month=month)
        tables = reports.sheet_tables(summary)
        page = _page(summary.month, "monthly_summary", _("Month"))
        s, w = page.styles, page.width
        s.heading.keepWithNext = 1  # never a heading alone at the foot of a page
        story = [s.p(_("Month {month}, compared with {previous}. Made {made}.").format(
            month=summary.month, previous=summary.previous_month,
            made=format_date(summary.made_at.date(), _lang())))]
        _title, headers, _rows = tables[0]
        rows = []
        for key, label, figure in summary.headline():
            money = key in MONEY_FIELDS
            rows.append([label, fmt(figure.current, money=money),
                         fmt(figure.previous, money=money), fmt_change(figure.change, money=money)])
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
                    [[r[1], fmt(r[2]), fmt(r[3]), fmt_change(r[4])] for r in rows],
                    w, [0.55, 0.15, 0.15, 0.15]))
            elif rows:
                story.append(list_table(
                    s, list(headers),
                    [[r[0], r[1], fmt(r[2]), fmt(r[3]), fmt_change(r[4])] for r in rows],
                    w, [0.24, 0.31, 0.15, 0.15, 0.15]))
            else:
                story.append(s.p(_("None in the month.")))
        headers, rows = by_title[_("Time limits")]
        story += [s.p(_("Time limits"), s.heading),
                  list_table(s, list(headers),
                             [[r[0], r[1], *(fmt(v) for v in r[2:8]), fmt_change(r[8])]
                              for r in rows],
                             w, [0.14, 0.24, 0.07, 0.08, 0.09, 0.09, 0.1, 0.1, 0.09])]
        return page.render(story)


# --- 9a. the yearly register -------------------------------------------------------------------


def _closed_at(ids: list[int]) -> dict[int, datetime | None]:
    from models.entities import Complaint

    return dict(Complaint.select(Complaint.id, Complaint.closed_at)
                .where(Complaint.id.in_(ids)).tuples())


def register_rows(year: int, *, actor, progress=None, cancelled=None) -> list[list[str]]:
    """The register's lines (in the current language): every complaint the actor may see
    received in ``year``, oldest first, read in pages of REGISTER_PAGE. ``progress(f)`` and
    ``cancelled()`` let a window show a progress bar with Cancel (a year can be thousands
    of complaints)."""
    f = complaints.ComplaintFilter(received_from=date(year, 1, 1),
                                   received_to=date(year, 12, 31))
    total = complaints.count(actor, f) if progress else 0
    out, offset = [], 0
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled(N_("Cancelled."))
        if progress and total:
            progress(0.8 * offset / total)
        page_ids = complaints.ids(actor, f, sort="received", descending=False,
                                  offset=offset, limit=REGISTER_PAGE)
        if not page_ids:
            break
        closed = _closed_at(page_ids)
        for r in complaints.rows(actor, page_ids):
            out.append([r.ticket, fmt(r.received), _(KIND_NAMES.get(r.kind, r.kind)),
                        r.complainant, r.category, r.respondent, r.handler,
                        _(STATE_NAMES.get(r.state, r.state)), fmt(closed.get(r.id))
                        if closed.get(r.id) else ""])
        if len(page_ids) < REGISTER_PAGE:
            break
        offset += REGISTER_PAGE
    return out


def _clean_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= 2100:
        raise ValidationError(N_("The year must be a number such as 2026."), field="year")
    return value


REGISTER_COLUMNS = (N_("Ticket no."), N_("Received"), N_("Kind"), N_("Complainant"),
                    N_("Category"), N_("Respondent"), N_("Handler"), N_("State"), N_("Closed"))


def render_yearly_register(year: int, *, actor, lang: str, progress=None,
                           cancelled=None) -> bytes:
    """投诉台账 (SPEC §8.9): every complaint the actor may see received in ``year``, the header
    repeated on every page. Owner and manager only."""
    require_role(actor, "owner", "manager")
    year = _clean_year(year)
    with language(lang):
        rows = register_rows(year, actor=actor, progress=progress, cancelled=cancelled)
        page = _page(str(year), "yearly_register", _("Year"), landscape=True)
        s, w = page.styles, page.width
        story = [s.p(_("Complaints received in {year}: {count}.").format(
            year=year, count=format_number(len(rows), _lang())))]
        if rows:
            story.append(list_table(s, [_(h) for h in REGISTER_COLUMNS], rows, w,
                                    [0.1, 0.11, 0.09, 0.11, 0.12, 0.13, 0.1, 0.12, 0.12]))
        else:
            story.append(s.p(_("No complaints.")))
        return page.render(story)


# --- 9b. the half-year report (bank profile) ----------------------------------------------------


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int
    months: tuple[str, ...]
    due: date  # 30 July for the first half, 30 January of the next year for the second
    received: int
    closed: int
    on_time: tuple[tuple[str, str, int, int, Decimal | None], ...]  # code, name, on time, due
    by_category: tuple[tuple[str, str, int], ...]
    by_channel: tuple[tuple[str, str, int], ...]


def _sum_rows(summaries, attr: str) -> tuple[tuple[str, str, int], ...]:
    names, counts = {}, {}
    for summary in summaries:
        for r in getattr(summary, attr):
            names.setdefault(r.code, r.name)
            counts[r.code] = counts.get(r.code, 0) + r.count
    return tuple((code, names[code], counts[code]) for code in names)


def _rate(part: int, whole: int) -> Decimal | None:
    """Percent with one decimal, as the monthly summary rounds it (None: nothing was due)."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def half_year(year: int, half: int, *, actor) -> HalfYear:
    """The six months' totals, summed from the monthly summaries (so they agree with them)."""
    year = _clean_year(year)
    if half not in (1, 2):
        raise ValidationError(N_("The half must be 1 or 2."), field="half")
    if settings.firm_info().profile != "bank":
        raise ValidationError(N_("The half-year report is for bank branches only."),
                              field="profile")
    require_role(actor, "owner", "manager")
    months = tuple(f"{year:04d}-{m:02d}" for m in range(6 * half - 5, 6 * half + 1))
    summaries = [reports.monthly_summary(actor=actor, month=m) for m in months]
    rules, names = {}, {}
    for summary in summaries:
        for r in summary.on_time:
            names.setdefault(r.code, r.name)
            slot = rules.setdefault(r.code, [0, 0])
            slot[0] += r.on_time
            slot[1] += r.due
    on_time = tuple((code, names[code], n, due, _rate(n, due))
                    for code, (n, due) in rules.items())
    return HalfYear(year, half, months,
                    date(year, 7, 30) if half == 1 else date(year + 1, 1, 30),
                    sum(x.received.current or 0 for x in summaries),
                    sum(x.closed.current or 0 for x in summaries), on_time,
                    _sum_rows(summaries, "by_category"), _sum_rows(summaries, "by_channel"))


def render_half_year_report(year: int, half: int, *, actor, lang: str) -> bytes:
    """半年度投诉统计报告 for the bank profile (SPEC §8.9): due 30 July and 30 January."""
    with language(lang):
        h = half_year(year, half, actor=actor)
        reference = f"{h.year}-H{h.half}"
        page = _page(reference, "half_year_report", _("Period"))
        s, w = page.styles, page.width
        story = [
            s.p(_("Period: {first} to {last}. To be filed by {due}.").format(
                first=h.months[0], last=h.months[-1], due=format_date(h.due, _lang()))),
            s.p(_("Totals"), s.heading),
            list_table(s, [_("Figure"), _("Six months")],
                       [[_("Received in the six months"), fmt(h.received)],
                        [_("Closed in the six months"), fmt(h.closed)]], w, [0.6, 0.4]),
            s.p(_("Time limits"), s.heading),
            list_table(s, [_("Code"), _("Time limit"), _("On time"), _("Due in the period"),
                           _("On-time rate (%)")],
                       [[c, n, fmt(on), fmt(due), fmt(rate)] for c, n, on, due, rate in h.on_time],
                       w, [0.2, 0.34, 0.12, 0.17, 0.17]),
        ]
        for title, rows in ((_("Categories"), h.by_category), (_("Channels"), h.by_channel)):
            story += [s.p(title, s.heading),
                      list_table(s, [_("Code"), _("Name"), _("Complaints received")],
                                 [[c, n, fmt(count)] for c, n, count in rows],
                                 w, [0.2, 0.55, 0.25])]
        return page.render(story)
