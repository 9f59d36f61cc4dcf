"""半年度投诉统计报告, the bank profile's half-year statistics report (docs/rules.md §8.9), due
30 July and 30 January. The figures come from ``reports.half_year_totals``."""
from __future__ import annotations

from services import reports
from services.documents.base import firm_page, list_table
from services.documents.common import fmt_figure
from services.i18n import N_, _, current_language, format_date, language

TITLE = N_("Half-year complaint statistics report")


def render_half_year_report(year: int, half: int, *, actor, lang: str) -> bytes:
    """The first (``half`` 1) or second half of ``year`` in ``lang``. Bank branches only;
    owner and manager only."""
    with language(lang):
        h = reports.half_year_totals(year, half, actor=actor)
        page = firm_page(f"{h.year}-H{h.half}", TITLE, _("Period"))
        s, w = page.styles, page.width
        story = [
            s.p(_("Period: {first} to {last}. To be filed by {due}.").format(
                first=h.months[0], last=h.months[-1],
                due=format_date(h.due, current_language()))),
            s.p(_("Totals"), s.heading),
            list_table(s, [_("Figure"), _("Six months")],
                       [[_("Received in the six months"), fmt_figure(h.received)],
                        [_("Closed in the six months"), fmt_figure(h.closed)]], w, [0.6, 0.4]),
            s.p(_("Time limits"), s.heading),
            list_table(s, [_("Code"), _("Time limit"), _("On time"), _("Due in the period"),
                           _("On-time rate (%)")],
                       [[c, n, fmt_figure(on), fmt_figure(due), fmt_figure(rate)]
                        for c, n, on, due, rate in h.on_time],
                       w, [0.2, 0.34, 0.12, 0.17, 0.17]),
        ]
        for title, rows in ((_("Categories"), h.by_category), (_("Channels"), h.by_channel)):
            story += [s.p(title, s.heading),
                      list_table(s, [_("Code"), _("Name"), _("Complaints received")],
                                 [[c, n, fmt_figure(count)] for c, n, count in rows],
                                 w, [0.2, 0.55, 0.25])]
        return page.render(story)
