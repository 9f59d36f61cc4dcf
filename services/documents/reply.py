"""书面答复, the written reply (docs/rules.md §8 item 3, §4 "Reply"): facts, decision and its
reasons, remedy, and the routes if the customer disagrees. Call the builder inside
``with language(lang):``."""
from __future__ import annotations

from services import settings
from services.complaints import register as complaints
from services.documents.base import field_table, firm_page, firm_signature, signature_lines
from services.documents.common import facts_rows, fmt_datetime, latest
from services.errors import StateError, ValidationError
from services.firm import REMEDY_NAMES
from services.i18n import N_, _, current_language, format_money

TITLE = N_("Written reply")
# A written reply tells a decision; before one is made (or approved) there is nothing to send.
REPLY_STATES = ("decided", "approved", "replied", "visited", "archived")


def reply(ticket, *, actor) -> bytes:
    d = complaints.detail(ticket, actor=actor)
    c = d.complaint
    firm = settings.firm_info()
    if not c.decision or c.state not in REPLY_STATES:
        raise ValidationError(N_("There is no decision to reply with yet."), field="kind")
    if c.state == "decided" and firm.approval_required:
        raise StateError(N_("The decision must be approved before the reply goes out "
                            "(no promise before a decision is approved)."))
    page = firm_page(c.ticket, TITLE)
    s, w = page.styles, page.width
    story = [s.p(_("Dear {name},").format(name=c.complainant_name)),
             s.p(_("Thank you for your complaint of {date} (ticket number {ticket}). We have "
                   "looked into it and reply as follows.").format(
                       date=fmt_datetime(c.received_at), ticket=c.ticket)),
             s.p(_("The facts"), s.heading),
             field_table(s, facts_rows(d, respondent=False), w)]
    findings = latest(d, "record_findings")
    if findings and findings.data.get("findings"):
        story += [s.p(_("What we found"), s.heading), s.p(findings.data["findings"])]
    story += [s.p(_("Our decision"), s.heading), s.p(c.decision)]
    if c.decision_reasons:  # an answer on the spot has none recorded
        story += [s.p(_("Reasons"), s.heading), s.p(c.decision_reasons)]
    remedy_rows = []
    if c.remedy and c.remedy != "none":
        remedy_rows.append((_("Remedy"), _(REMEDY_NAMES.get(c.remedy, c.remedy))))
    if c.compensation is not None:
        remedy_rows.append((_("Amount"), format_money(c.compensation, current_language())))
    if c.responsibility:
        remedy_rows.append((_("Responsibility"), c.responsibility))
    if remedy_rows:
        story += [s.p(_("What we will do"), s.heading), field_table(s, remedy_rows, w)]
    if firm.profile == "repair-shop":
        # docs/rules.md §4: a repair shop tells the customer where to turn if they disagree.
        story += [s.p(_("If you disagree"), s.heading),
                  s.p(_("If you do not accept this decision you may:")),
                  s.p("1. " + _("apply for arbitration under your contract;")),
                  s.p("2. " + _("bring a lawsuit before the people's court;")),
                  s.p("3. " + _("for a repair still under its quality warranty, ask the road "
                                "transport authority to mediate."))]
    story += [s.p(_("For any question about this reply please contact us, quoting ticket "
                    "number {ticket}.").format(ticket=c.ticket)),
              signature_lines(s, [firm_signature()], w * 0.6)]
    return page.render(story)
