"""客户投诉转交处理联系单, the transfer slip (docs/rules.md §8 item 2, §4): the facts, who hands
over to whom, signed by both. Call the builder inside ``with language(lang):``."""
from __future__ import annotations

from services.documents.base import field_table, firm_page, signature_lines
from services.documents.common import complainant_rows, facts_rows, fmt_datetime, made_from
from services.i18n import N_, _

TITLE = N_("Customer complaint transfer slip")


def transfer_slip(ticket, *, actor) -> bytes:
    d, transfer = made_from(ticket, actor, "transfer", N_(
        "There is no transfer slip: the complaint has not been transferred to a handler."))
    page = firm_page(d.complaint.ticket, TITLE)
    return page.render_fitted(lambda: _story(page.styles, page.width, d, transfer))


def _story(s, w, d, transfer) -> list:
    return [s.p(_("Complaint"), s.heading),
             field_table(s, complainant_rows(d) + facts_rows(d, respondent=True), w),
             s.p(_("Transfer"), s.heading),
             field_table(s, [(_("From (receiver)"), transfer.actor),
                             (_("To (handler)"), transfer.data.get("to_name", "")),
                             (_("Transferred at"), fmt_datetime(transfer.at))]
                         + ([(_("Note"), transfer.note)] if transfer.note else []), w),
             s.p(_("The handler investigates and reports the result to the receiver; the "
                   "receiver keeps a copy of this slip."), s.small),
             signature_lines(s, [_("Handed over by (receiver)"), _("Received by (handler)")],
                             w)]
