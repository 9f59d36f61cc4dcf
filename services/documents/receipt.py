"""受理回执, the acknowledgement receipt (docs/rules.md §8.1): what was received, the time
limit(s) and when the reply is due, a contact. An outgoing letter: what the complainant said,
never the category or the staff's notes (docs/rules.md §8).

The builder reads only through services (``complaints.detail`` checks recusal and
confidentiality, docs/rules.md §2, §10); call it inside ``with language(lang):``.
"""
from __future__ import annotations

from services import settings
from services.complaints import register as complaints
from services.documents.base import (
    closing,
    field_table,
    firm_page,
    list_table,
    salutation,
)
from services.documents.common import complainant_rows, dated, facts_rows, fmt_datetime, latest
from services.i18n import N_, _
from services.timelimits import CLOCK_PAUSED

TITLE = N_("Acknowledgement receipt")


def receipt(ticket, *, actor) -> bytes:
    d = complaints.detail(ticket, actor=actor)
    c = d.complaint
    ack = latest(d, "acknowledge")
    # Dated the day it was acknowledged (or registered), whenever it is printed.
    at = ack.at if ack else c.received_at
    s_firm = settings.firm_info()

    def story():
        s, w = page.styles, page.width
        parts = [salutation(s, c.complainant_name),
                 s.p(_("We have received your complaint and registered it under ticket number "
                       "{ticket}. Please quote this number whenever you contact us about it.")
                     .format(ticket=c.ticket), s.letter),
                 s.p(_("What we received"), s.heading),
                 field_table(s, complainant_rows(d, category=False)
                             + facts_rows(d, respondent=False), w)]
        if d.attachments:
            parts.append(s.p(_("Documents and evidence received: {names}.").format(
                names=", ".join(a.filename for a in d.attachments))))
        parts.append(s.p(_("Time limits"), s.heading))
        clocks = [k for k in d.clocks if k.status in ("running", "paused")] or list(d.clocks)
        if clocks:
            parts.append(list_table(
                s, [_("Time limit"), _("Length of the limit"), _("Due by")],
                [[k.rule_name, k.limit + (" " + _("(provisional)") if k.provisional else ""),
                  fmt_datetime(k.due_at) if k.status != "paused" else _(CLOCK_PAUSED)]
                 for k in clocks], w, [0.44, 0.22, 0.34]))
            parts.append(s.p(_("If we need more time we will tell you why and by when, in "
                               "writing."), s.small))
        else:
            parts.append(s.p(_("No time limit applies to this complaint.")))
        person = ack.actor if ack else d.registered_by
        contact = ack.data.get("contact", "") if ack else ""
        if not any(ch.isdigit() for ch in contact):  # the acknowledger gave a name, not a number
            contact = s_firm.phone
        parts += [s.p(_("Contact"), s.heading),
                  field_table(s, [(_("Contact person"), person)]
                              + ([(_("Phone"), contact)] if contact else []), w),
                  closing(s, s_firm.name, at)]
        return parts

    page = dated(firm_page(c.ticket, TITLE, letter=True), at)
    return page.render_fitted(story)
