"""受理回执, the acknowledgement receipt (docs/rules.md §8.1): what was received, the time
limit(s) and when the reply is due, a contact. An outgoing letter: what the complainant said,
never the category or the staff's notes (docs/rules.md §8).

The builder reads only through services (``complaints.detail`` checks recusal and
confidentiality, docs/rules.md §2, §10); call it inside ``with language(lang):``.
"""
from __future__ import annotations

from services import settings
from services.complaints import register as complaints
from services.documents.base import field_table, firm_page, list_table, signature_lines
from services.documents.common import complainant_rows, facts_rows, fmt_datetime, latest
from services.i18n import N_, _
from services.timelimits import CLOCK_PAUSED

TITLE = N_("Acknowledgement receipt")


def receipt(ticket, *, actor) -> bytes:
    d = complaints.detail(ticket, actor=actor)
    c = d.complaint
    page = firm_page(c.ticket, TITLE)
    s, w = page.styles, page.width
    story = [s.p(_("Dear {name},").format(name=c.complainant_name)),
             s.p(_("We have received your complaint and registered it under ticket number "
                   "{ticket}. Please quote this number whenever you contact us about it.")
                 .format(ticket=c.ticket)),
             s.p(_("What we received"), s.heading),
             field_table(s, complainant_rows(d, category=False)
                         + facts_rows(d, respondent=False), w)]
    if d.attachments:
        story.append(s.p(_("Documents and evidence received: {names}.").format(
            names=", ".join(a.filename for a in d.attachments))))
    story.append(s.p(_("Time limits"), s.heading))
    clocks = [k for k in d.clocks if k.status in ("running", "paused")] or list(d.clocks)
    if clocks:
        story.append(list_table(
            s, [_("Time limit"), _("Length of the limit"), _("Due by")],
            [[k.rule_name, k.limit + (" " + _("(provisional)") if k.provisional else ""),
              fmt_datetime(k.due_at) if k.status != "paused" else _(CLOCK_PAUSED)]
             for k in clocks], w, [0.44, 0.22, 0.34]))
        story.append(s.p(_("If we need more time we will tell you why and by when, in "
                           "writing."), s.small))
    else:
        story.append(s.p(_("No time limit applies to this complaint.")))
    ack = latest(d, "acknowledge")
    person = ack.actor if ack else d.registered_by
    contact = ack.data.get("contact", "") if ack else ""
    if not any(ch.isdigit() for ch in contact):  # the acknowledger gave a name, not a number
        contact = settings.firm_info().phone
    story += [s.p(_("Contact"), s.heading),
              field_table(s, [(_("Contact person"), person)]
                          + ([(_("Phone"), contact)] if contact else []), w),
              signature_lines(s, [_("Received by (for the firm)")], w * 0.5)]
    return page.render(story)
