"""投诉台账, the yearly register (docs/rules.md §8.9): every complaint the actor may see received
in a year, the header repeated on every page. The lines come from
``reports.yearly_register``."""
from __future__ import annotations

from services import reports
from services.complaints import STATE_NAMES
from services.documents.base import firm_page, list_table
from services.documents.common import fmt_figure
from services.firm import KIND_NAMES
from services.i18n import N_, _, current_language, format_number, language

TITLE = N_("Yearly complaint register")
COLUMNS = (N_("Ticket no."), N_("Received"), N_("Kind"), N_("Complainant"), N_("Category"),
           N_("Respondent"), N_("Handler"), N_("State"), N_("Closed"))


def _row(line: reports.RegisterLine) -> list[str]:
    return [line.ticket, fmt_figure(line.received), _(KIND_NAMES.get(line.kind, line.kind)),
            line.complainant, line.category, line.respondent, line.handler,
            _(STATE_NAMES.get(line.state, line.state)),
            fmt_figure(line.closed_at) if line.closed_at else ""]


def render_yearly_register(year: int, *, actor, lang: str, progress=None,
                           cancelled=None) -> bytes:
    """The register of ``year`` in ``lang``, landscape. Owner and manager only;
    ``progress`` and ``cancelled`` as for ``reports.yearly_register``."""
    with language(lang):
        register = reports.yearly_register(year, actor=actor, progress=progress,
                                           cancelled=cancelled)
        rows = [_row(line) for line in register.lines]
        page = firm_page(str(register.year), TITLE, _("Year"), landscape=True)
        s, w = page.styles, page.width
        story = [s.p(_("Complaints received in {year}: {count}.").format(
            year=register.year, count=format_number(len(rows), current_language())))]
        if rows:
            story.append(list_table(s, [_(h) for h in COLUMNS], rows, w,
                                    [0.1, 0.11, 0.09, 0.11, 0.12, 0.13, 0.1, 0.12, 0.12]))
        else:
            story.append(s.p(_("No complaints.")))
        return page.render(story)
