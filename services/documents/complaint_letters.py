"""The complaint's own documents (SPEC §8 items 1–4): receipt, transfer slip, reply, notice.

Each builder reads only through services (``complaints.detail`` checks recusal and
confidentiality, SPEC §2/§10) and returns the PDF bytes; call it inside
``with language(lang):`` so the text comes out in the document's language.
"""
from __future__ import annotations

from datetime import datetime

import services.complaints.register as complaints
import services.firm.settings as settings
from services import clock
from services.complaints.register import ComplaintDetail, EventView
from services.documents.base import Letterhead, Page, field_table, list_table, signature_lines
from services.errors import StateError, ValidationError
from services.firm.profiles import CHANNEL_NAMES, REMEDY_NAMES
from services.i18n import N_, _, current_language, format_datetime, format_money
from services.timelimits.arithmetic import describe_limit

TITLES = {
    "receipt": N_("Acknowledgement receipt"),
    "transfer_slip": N_("Customer complaint transfer slip"),
    "reply": N_("Written reply"),
    "extension_notice": N_("Extension notice"),
}
# A written reply tells a decision; before one is made (or approved) there is nothing to send.
_REPLY_STATES = ("decided", "approved", "replied", "visited", "archived")


def _dt(value: datetime | None) -> str:
    return format_datetime(value, current_language())


def _page(d: ComplaintDetail, kind: str) -> Page:
    firm = settings.firm_info()
    return Page(Letterhead(firm.name, firm.address, firm.phone, d.complaint.ticket, clock.now()),
                _(TITLES[kind]))


def _latest(d: ComplaintDetail, action: str) -> EventView | None:
    return next((e for e in d.events if e.action == action), None)  # events are newest first


def _complainant_rows(d: ComplaintDetail) -> list[tuple[str, str]]:
    c, person = d.complaint, d.complainant
    rows = [(_("Ticket no."), c.ticket), (_("Received at"), _dt(c.received_at)),
            (_("Complainant"), c.complainant_name)]
    if c.complainant_phone:
        rows.append((_("Phone"), c.complainant_phone))
    if person.address:
        rows.append((_("Address"), person.address))
    if c.contract_no:
        rows.append((_("Contract / order no."), c.contract_no))
    rows.append((_("Channel"), _(CHANNEL_NAMES.get(c.channel, c.channel))
                 + (f" ({c.channel_detail})" if c.channel_detail else "")))
    rows.append((_("Category"), d.category_name))
    return rows


def _facts_rows(d: ComplaintDetail, *, respondent: bool) -> list[tuple[str, str]]:
    c = d.complaint
    rows = []
    if c.occurred_at:
        rows.append((_("Happened at"), _dt(c.occurred_at)))
    if c.location:
        rows.append((_("Place"), c.location))
    if respondent and d.respondent:
        rows.append((_("Respondent"), d.respondent))
    rows.append((_("What happened"), c.description))
    if c.request:
        rows.append((_("Request"), c.request))
    return rows


def receipt(ticket, *, actor) -> bytes:
    """受理回执: what was received, the time limit(s) and when the reply is due, a contact."""
    d = complaints.detail(ticket, actor=actor)
    page = _page(d, "receipt")
    s, w = page.styles, page.width
    c = d.complaint
    story = [s.p(_("Dear {name},").format(name=c.complainant_name)),
             s.p(_("We have received your complaint and registered it under ticket number "
                   "{ticket}. Please quote this number whenever you contact us about it.")
                 .format(ticket=c.ticket)),
             s.p(_("What we received"), s.heading),
             field_table(s, _complainant_rows(d) + _facts_rows(d, respondent=False), w)]
    if d.attachments:
        story.append(s.p(_("Documents and evidence received: {names}.").format(
            names=", ".join(a.filename for a in d.attachments))))
    story.append(s.p(_("Time limits"), s.heading))
    clocks = [k for k in d.clocks if k.status in ("running", "paused")] or list(d.clocks)
    if clocks:
        story.append(list_table(
            s, [_("Time limit"), _("Length of the limit"), _("Due by")],
            [[k.rule_name, k.limit + (" " + _("(provisional)") if k.provisional else ""),
              _dt(k.due_at) if k.status != "paused" else _("clock stopped")]
             for k in clocks], w, [0.44, 0.22, 0.34]))
        story.append(s.p(_("If we need more time we will tell you why and by when, in "
                           "writing."), s.small))
    else:
        story.append(s.p(_("No time limit applies to this complaint.")))
    ack = _latest(d, "acknowledge")
    person = ack.actor if ack else d.registered_by
    contact = ack.data.get("contact", "") if ack else ""
    if not any(ch.isdigit() for ch in contact):  # the acknowledger gave a name, not a number
        contact = settings.firm_info().phone
    story += [s.p(_("Contact"), s.heading),
              field_table(s, [(_("Contact person"), person)]
                          + ([(_("Phone"), contact)] if contact else []), w),
              signature_lines(s, [_("Received by (for the firm)")], w * 0.5)]
    return page.render(story)


def transfer_slip(ticket, *, actor) -> bytes:
    """客户投诉转交处理联系单: the facts, who hands over to whom, signed by both (SPEC §4)."""
    d = complaints.detail(ticket, actor=actor)
    transfer = _latest(d, "transfer")
    if transfer is None:
        raise ValidationError(N_("There is no transfer slip: the complaint has not been "
                                 "transferred to a handler."), field="kind")
    page = _page(d, "transfer_slip")
    s, w = page.styles, page.width
    story = [s.p(_("Complaint"), s.heading),
             field_table(s, _complainant_rows(d) + _facts_rows(d, respondent=True), w),
             s.p(_("Transfer"), s.heading),
             field_table(s, [(_("From (receiver)"), transfer.actor),
                             (_("To (handler)"), transfer.data.get("to_name", "")),
                             (_("Transferred at"), _dt(transfer.at))]
                         + ([(_("Note"), transfer.note)] if transfer.note else []), w),
             s.p(_("The handler investigates and reports the result to the receiver; the "
                   "receiver keeps a copy of this slip."), s.small),
             signature_lines(s, [_("Handed over by (receiver)"), _("Received by (handler)")],
                             w)]
    return page.render(story)


def reply(ticket, *, actor) -> bytes:
    """书面答复: facts, decision and its reasons, remedy, and the routes if the customer
    disagrees (SPEC §4 Reply)."""
    d = complaints.detail(ticket, actor=actor)
    c = d.complaint
    firm = settings.firm_info()
    if not c.decision or c.state not in _REPLY_STATES:
        raise ValidationError(N_("There is no decision to reply with yet."), field="kind")
    if c.state == "decided" and firm.approval_required:
        raise StateError(N_("The decision must be approved before the reply goes out "
                            "(no promise before a decision is approved)."))
    page = _page(d, "reply")
    s, w = page.styles, page.width
    story = [s.p(_("Dear {name},").format(name=c.complainant_name)),
             s.p(_("Thank you for your complaint of {date} (ticket number {ticket}). We have "
                   "looked into it and reply as follows.").format(date=_dt(c.received_at),
                                                                  ticket=c.ticket)),
             s.p(_("The facts"), s.heading),
             field_table(s, _facts_rows(d, respondent=False), w)]
    findings = _latest(d, "record_findings")
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
        # SPEC §4: a repair shop tells the customer where to turn if they disagree.
        story += [s.p(_("If you disagree"), s.heading),
                  s.p(_("If you do not accept this decision you may:")),
                  s.p("1. " + _("apply for arbitration under your contract;")),
                  s.p("2. " + _("bring a lawsuit before the people's court;")),
                  s.p("3. " + _("for a repair still under its quality warranty, ask the road "
                                "transport authority to mediate."))]
    story += [s.p(_("For any question about this reply please contact us, quoting ticket "
                    "number {ticket}.").format(ticket=c.ticket)),
              signature_lines(s, [_("For {firm} (signature and seal)").format(firm=firm.name)],
                              w * 0.6)]
    return page.render(story)


def extension_notice(ticket, *, actor) -> bytes:
    """延期告知书: the old and new limit, the new due date and the reason (SPEC §4 Extend)."""
    d = complaints.detail(ticket, actor=actor)
    extend = _latest(d, "extend")
    if extend is None:
        raise ValidationError(N_("There is no extension notice: the time limit of this "
                                 "complaint has not been extended."), field="kind")
    c, data = d.complaint, extend.data
    names = {k.rule_code: k.rule_name for k in d.clocks}
    unit = data.get("unit")
    old_limit = describe_limit(data["old_length"], unit) if unit else data.get("old_limit", "")
    new_limit = describe_limit(data["new_length"], unit) if unit else data.get("new_limit", "")
    page = _page(d, "extension_notice")
    s, w = page.styles, page.width
    story = [s.p(_("Dear {name},").format(name=c.complainant_name)),
             s.p(_("About your complaint of {date} (ticket number {ticket}): we need more time "
                   "to handle it properly, and extend the time limit as follows.")
                 .format(date=_dt(c.received_at), ticket=c.ticket)),
             field_table(s, [(_("Time limit"), names.get(data.get("rule"), data.get("rule", ""))),
                             (_("Previous limit"), old_limit),
                             (_("Previously due by"), _dt(_iso(data.get("old_due")))),
                             (_("New limit"), new_limit),
                             (_("Now due by"), _dt(_iso(data.get("new_due")))),
                             (_("Extended on"), _dt(extend.at))], w),
             s.p(_("Reason for the extension"), s.heading), s.p(extend.note)]
    if data.get("provisional"):
        story.append(s.p(_("The new due date is provisional: the official holiday calendar "
                           "for that year is not published yet."), s.small))
    story += [s.p(_("We apologise for the delay and will keep you informed. Please quote ticket "
                    "number {ticket} when you contact us.").format(ticket=c.ticket)),
              signature_lines(s, [_("For {firm} (signature and seal)")
                                  .format(firm=settings.firm_info().name)], w * 0.6)]
    return page.render(story)


def _iso(value) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


BUILDERS = {"receipt": receipt, "transfer_slip": transfer_slip, "reply": reply,
            "extension_notice": extension_notice}
