"""奖惩台账（月度）, a month's penalty ledger (docs/rules.md §7, §8): the approved and deducted
entries counted in the month, with the totals per person and per department, as exported for
payroll."""
from __future__ import annotations

from services import penalties
from services.documents.base import firm_page, list_table, signature_lines
from services.documents.common import fmt_money, status_name
from services.i18n import N_, _, language
from services.people import is_senior

TITLE = N_("Penalty ledger (monthly)")


def _department(name: str) -> str:
    return name or _("No department")


def render_month_ledger(month: str, *, actor, lang: str) -> bytes:
    """The entries counted in ``month`` (YYYY-MM). Managers and the owner get the whole
    ledger, anyone else the entries about them."""
    month = penalties.clean_month(month)
    with language(lang):
        entries = penalties.month_entries(actor, month)
        totals = penalties.month_totals(actor, month)
        page = firm_page(month, TITLE, _("Month"))
        s, w = page.styles, page.width
        story = [s.p(_("Approved and deducted entries counted in {month}: {count}.").format(
            month=month, count=len(entries)))]
        if not is_senior(actor):
            story.append(s.p(_("Only the entries about {name}.").format(name=actor.name),
                             s.small))
        story.append(s.p(_("Entries"), s.heading))
        if entries:
            story.append(list_table(
                s, [_("No."), _("Person or unit"), _("Department"), _("Rule"), _("Ticket no."),
                    _("Status"), _("Amount")],
                [[str(e.id), e.person, _department(e.department), e.rule_name, e.ticket,
                  status_name(e.status), fmt_money(e.total)] for e in entries],
                w, [0.06, 0.13, 0.13, 0.28, 0.13, 0.12, 0.15]))
        else:
            story.append(s.p(_("No entries.")))
        story += [
            s.p(_("Totals per person"), s.heading),
            list_table(s, [_("Person or unit"), _("Department"), _("Entries"), _("Fines"),
                           _("Rewards"), _("Total")],
                       [[p.name, _department(p.department), str(p.entries), fmt_money(p.fines),
                         fmt_money(p.rewards), fmt_money(p.total)] for p in totals.per_person],
                       w, [0.22, 0.18, 0.1, 0.17, 0.16, 0.17]),
            s.p(_("Totals per department"), s.heading),
            list_table(s, [_("Department"), _("People"), _("Entries"), _("Fines"), _("Rewards"),
                           _("Total")],
                       [[_department(d.department), str(d.people), str(d.entries),
                         fmt_money(d.fines), fmt_money(d.rewards), fmt_money(d.total)]
                        for d in totals.per_department]
                       + [[_("All"), str(len(totals.per_person)), str(totals.entries),
                           fmt_money(totals.fines), fmt_money(totals.rewards),
                           fmt_money(totals.total)]],
                       w, [0.22, 0.1, 0.1, 0.2, 0.18, 0.2]),
            signature_lines(s, [_("Prepared by"), _("Approved by")], w),
        ]
        return page.render(story)
