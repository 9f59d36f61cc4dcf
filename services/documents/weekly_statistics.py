"""每周分类统计, the weekly classification statistics (docs/rules.md §8.8): the complaints
received in one week by category, against the week before. The figures come from
``reports.weekly_statistics``; the same table as the Reports screen and the command line."""
from __future__ import annotations

from services import reports
from services.documents.base import firm_page, list_table
from services.documents.common import fmt_figure
from services.i18n import N_, _, current_language, format_date, language

TITLE = N_("Weekly classification statistics")


def render_weekly_statistics(week, *, actor, lang: str) -> bytes:
    """``week`` as "2026-W05" or a day in it, in ``lang``. Owner and manager only; only the
    complaints ``actor`` may see."""
    with language(lang):
        w = reports.weekly_statistics(actor=actor, week=week)
        page = firm_page(w.week, TITLE, _("Week"))
        s, width = page.styles, page.width
        headers, rows = w.table()
        lang_now = current_language()
        story = [
            s.p(_("{first} to {last}, compared with {previous}").format(
                first=format_date(w.first_day, lang_now), last=format_date(w.last_day, lang_now),
                previous=w.previous_week)),
            # the screen's table without its code column: a page is read by people
            list_table(s, list(headers[1:]),
                       [[name, kind, fmt_figure(n), fmt_figure(before),
                         f"{change:+d}" if change else "0"]
                        for _code, name, kind, n, before, change in rows],
                       width, [0.4, 0.15, 0.15, 0.15, 0.15]),
        ]
        return page.render(story)
