"""延期告知书, the extension notice (docs/rules.md §8.4, §4 "Extend"): the old and new
limit, the new due date and what the complainant is told of the reason (the step's ``told``,
never its internal note). Call the builder inside ``with language(lang):``."""
from __future__ import annotations

from datetime import datetime

from services import settings
from services.complaints import actions
from services.documents.base import (
    closing,
    field_table,
    firm_page,
    letter_paragraphs,
    salutation,
)
from services.documents.common import dated, fmt_datetime, made_from
from services.i18n import N_, _, current_language
from services.timelimits import describe_limit

TITLE = N_("Extension notice")


def extension_notice(ticket, *, actor) -> bytes:
    d, extend = made_from(ticket, actor, "extend", N_(
        "There is no extension notice: the time limit of this complaint has not been extended."))
    c, data = d.complaint, extend.data
    names = {k.rule_code: k.rule_name for k in d.clocks}
    unit = data.get("unit")
    old_limit = describe_limit(data["old_length"], unit) if unit else data.get("old_limit", "")
    new_limit = describe_limit(data["new_length"], unit) if unit else data.get("new_limit", "")
    page = dated(firm_page(c.ticket, TITLE, letter=True), extend.at)
    s, w = page.styles, page.width
    story = [salutation(s, c.complainant_name),
             s.p(_("About your complaint of {date} (ticket number {ticket}): we need more time "
                   "to handle it properly, and extend the time limit as follows.")
                 .format(date=fmt_datetime(c.received_at), ticket=c.ticket), s.letter),
             field_table(s, [(_("Time limit"), names.get(data.get("rule"), data.get("rule", ""))),
                             (_("Previous limit"), old_limit),
                             (_("Previously due by"), fmt_datetime(_iso(data.get("old_due")))),
                             (_("New limit"), new_limit),
                             (_("Now due by"), fmt_datetime(_iso(data.get("new_due")))),
                             (_("Extended on"), fmt_datetime(extend.at))], w),
             s.p(_("Reason for the extension"), s.heading), *letter_paragraphs(s, _told(data))]
    if data.get("provisional"):
        story.append(s.p(_("The new due date is provisional: the official holiday calendar "
                           "for that year is not published yet."), s.small))
    story += [s.p(_("We apologise for the delay and will keep you informed. Please quote ticket "
                    "number {ticket} when you contact us.").format(ticket=c.ticket), s.letter),
              closing(s, settings.firm_info().name, extend.at)]
    return page.render(story)


def _iso(value) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _told(data: dict) -> str:
    """What the step recorded for the complainant; an extension recorded before there was
    such a text gets the neutral sentence, in the letter's language — never the note."""
    told = (data.get("told") or "").strip()
    if told:
        return told
    if data.get("unit") and data.get("new_length") is not None:
        return actions.extension_told(data["new_length"], data["unit"], current_language())
    return actions.extension_told(lang=current_language())
