"""书面答复, the written reply (docs/rules.md §8.3, §4 "Reply"): the facts, the reply as it was
given, the remedy and amount, and the routes if the customer disagrees. Call the builder inside
``with language(lang):``.

An outgoing letter (docs/rules.md §8): it prints the text the ``reply`` step recorded (an
answer on the spot: what was said), dated that step's day — never the findings, the
responsibility, internal measures, the category or notes. Before the reply is given, it shows
the decision and its reasons as the reply dialog prefills them.
"""
from __future__ import annotations

from datetime import datetime

from services import settings
from services.complaints import ComplaintDetail
from services.complaints import register as complaints
from services.documents.base import (
    closing,
    field_table,
    firm_page,
    letter_paragraphs,
    salutation,
)
from services.documents.common import dated, facts_rows, fmt_datetime
from services.errors import StateError, ValidationError
from services.firm import REMEDY_NAMES
from services.i18n import N_, _, current_language, format_money

TITLE = N_("Written reply")
# A written reply tells a decision; before one is made (or approved) there is nothing to send.
REPLY_STATES = ("decided", "approved", "replied", "visited", "archived")
# States in which the reply has not been given yet: the letter previews it.
_BEFORE_REPLY = ("decided", "approved")


def reply(ticket, *, actor) -> bytes:
    d = complaints.detail(ticket, actor=actor)
    c = d.complaint
    firm = settings.firm_info()
    if not c.decision or c.state not in REPLY_STATES:
        raise ValidationError(N_("There is no decision to reply with yet."), field="kind")
    if c.state == "decided" and firm.approval_required:
        raise StateError(N_("The decision must be approved before the reply goes out "
                            "(no promise before a decision is approved)."))
    text, at = reply_text(d)
    page = dated(firm_page(c.ticket, TITLE, letter=True, firm=firm), at)
    s, w = page.styles, page.width
    story = [salutation(s, c.complainant_name),
             s.p(_("Thank you for your complaint of {date} (ticket number {ticket}). We have "
                   "looked into it and reply as follows.").format(
                       date=fmt_datetime(c.received_at), ticket=c.ticket), s.letter),
             s.p(_("The facts"), s.heading),
             field_table(s, facts_rows(d, respondent=False), w),
             s.p(_("Our reply"), s.heading), *letter_paragraphs(s, text)]
    remedy_rows = []
    if c.remedy and c.remedy != "none":
        remedy_rows.append((_("Remedy"), _(REMEDY_NAMES.get(c.remedy, c.remedy))))
    if c.compensation is not None:
        remedy_rows.append((_("Amount"), format_money(c.compensation, current_language())))
    if remedy_rows:
        story += [s.p(_("What we will do"), s.heading), field_table(s, remedy_rows, w)]
    routes = [r for r in (route_text(r) for r in settings.reply_routes()) if r]
    if routes:
        # docs/rules.md §8.3: where the customer may turn if they disagree, per firm.
        story += [s.p(_("If you disagree"), s.heading),
                  s.p(_("If you do not accept this decision you may:"), s.letter)]
        story += [s.p(f"{n}. {route}", s.letter) for n, route in enumerate(routes, start=1)]
    story += [s.p(_("For any question about this reply please contact us, quoting ticket "
                    "number {ticket}.").format(ticket=c.ticket), s.letter),
              closing(s, firm.name, page.letterhead.date)]
    return page.render(story)


def reply_text(d: ComplaintDetail) -> tuple[str, datetime | None]:
    """The reply as the complainant got it and the moment it was given: the ``reply`` step's
    text (an answer on the spot: what was said). Before the reply, the decision and its
    reasons as the reply dialog prefills them, and no moment (the letter is dated today)."""
    c = d.complaint
    if c.state not in _BEFORE_REPLY:
        given = next((e for e in d.events if e.action in ("reply", "answer_on_spot")), None)
        if given is not None:
            text = given.data.get("text" if given.action == "reply" else "answer") or c.decision
            return text, given.at
    return prefill(c.decision, c.decision_reasons), None


def prefill(decision: str, reasons: str) -> str:
    """The reply's text before anyone edits it: the decision, then its reasons."""
    text = decision
    if reasons:
        text += "\n" + _("Reasons: {text}").format(text=reasons)
    return text


def route_text(route: dict) -> str:
    """A route in the letter's language, or in the other one when it has only that."""
    first, second = ("zh", "en") if current_language() == "zh_CN" else ("en", "zh")
    return (route.get(first) or route.get(second) or "").strip()
