"""奖惩通知单, the penalty notice (docs/rules.md §7, §8): who, which rule, how much and why, the
complaint and time limit it is about, its status and who approved it; signed by the person
concerned."""
from __future__ import annotations

from services import penalties
from services.documents.base import field_table, firm_page, list_table, signature_lines
from services.documents.common import fmt_datetime, fmt_money, status_name
from services.i18n import N_, _, language
from services.penalties import APPLIES_TO_NAMES

TITLE = N_("Penalty notice")


def _who(name: str) -> str:
    return name or _("the program")


def render_penalty_notice(entry_id, *, actor, lang: str) -> bytes:
    """Managers and the owner may print any entry, anyone else only those about them
    (``penalties.entry_detail``)."""
    with language(lang):
        detail = penalties.entry_detail(actor, entry_id)
        row, rule = detail.row, detail.rule
        if row.ticket:
            page = firm_page(row.ticket, TITLE)
        else:
            page = firm_page(str(row.id), TITLE, _("Entry no."))
        kind = _("Reward") if row.reward else _("Fine")
        if rule.fixed:
            allowed = fmt_money(rule.min_amount)
        else:
            allowed = _("{low} to {high}").format(low=fmt_money(rule.min_amount),
                                                  high=fmt_money(rule.max_amount))
        if rule.plus_loss:
            allowed += " " + _("plus the loss")
        who = row.person if not row.unit else _("{unit} (dealer or store)").format(unit=row.unit)
        rows = [(_("Entry no."), str(row.id)), (_("Person or unit"), who),
                (_("Department"), row.department or _("None")),
                (_("Rule"), row.rule_name),
                (_("Applies to"), _(APPLIES_TO_NAMES.get(rule.applies_to, rule.applies_to))),
                (_("Amount allowed by the rule"), allowed),
                (_("Kind"), kind), (_("Amount"), fmt_money(row.amount))]
        if row.loss:
            rows += [(_("Loss"), fmt_money(row.loss)), (_("Total"), fmt_money(row.total))]
        rows.append((_("Reason"), row.reason))
        if row.reverses is not None:
            rows.append((_("Reverses entry"), str(row.reverses)))
        if row.reversed_by is not None:
            rows.append((_("Reversed by entry"), str(row.reversed_by)))
        link = [(_("Complaint ticket"), row.ticket or _("None"))]
        if detail.clock is not None:
            k = detail.clock
            link += [(_("Time limit"), k.rule_name), (_("Due by"), fmt_datetime(k.due_at)),
                     (_("Done at"), fmt_datetime(k.stopped_at) if k.stopped_at
                      else _("Not done"))]
        approved = [h for h in detail.history if h.status == "approved"]
        status_rows = [(_("Status"), status_name(row.status)),
                       (_("Proposed by"), _who(row.proposed_by)),
                       (_("Proposed at"), fmt_datetime(row.proposed_at)),
                       (_("Approved by"), approved[-1].actor if approved else _("Not approved")),
                       ]
        if approved:
            status_rows.append((_("Approved at"), fmt_datetime(approved[-1].at)))
        if row.status == "deducted":
            status_rows.append((_("Payroll month"), row.month))
        history = [[status_name(h.status), _who(h.actor), fmt_datetime(h.at),
                    fmt_money(h.amount + h.loss), h.note] for h in detail.history]

        def story():
            s, w = page.styles, page.width
            return [
                s.p(_("The entry"), s.heading), field_table(s, rows, w),
                s.p(_("What it is about"), s.heading), field_table(s, link, w),
                s.p(_("Approval"), s.heading), field_table(s, status_rows, w),
                s.p(_("History"), s.heading),
                list_table(s, [_("Status"), _("By"), _("At"), _("Amount"), _("Note")], history,
                           w, [0.14, 0.16, 0.22, 0.16, 0.32]),
                s.p(_("An entry is carried out only after the general manager has approved it "
                      "(经总经理审批后执行). A mistake is corrected by a reversing entry."),
                    s.small),
                signature_lines(s, [_("The person concerned"), _("Approved by")], w)]

        return page.render_fitted(story)
