"""半年度投诉统计报告, the bank profile's half-year statistics report (docs/rules.md §8.9), due
30 July and 30 January, in the regulator's layout: customer complaints only, by business line
and by cause, the complaints forwarded by an authority and their results, the hot spots and
the corrective measures, the time limits, the contact, and the signatures of the person in
charge (负责人) and the person who prepared it (填报人). While the half has not ended the
report says, above everything, that it is provisional. The figures come from
``reports.half_year_totals``."""
from __future__ import annotations

from services import reports
from services.complaints import STATE_NAMES
from services.documents.base import firm_page, list_table, signature_lines
from services.documents.common import fmt_change, fmt_figure
from services.documents.monthly_summary import figure_table
from services.i18n import N_, _, current_language, format_date, language

TITLE = N_("Half-year complaint statistics report")
PROVISIONAL = N_("Provisional report — the period has not ended")
FORWARDED_LISTED = 20  # forwarded complaints listed one by one: the latest closed
SATISFACTION_NAMES = {"satisfied": N_("Satisfied"), "dissatisfied": N_("Dissatisfied")}


def _breakdown(s, title: str, rows, width: float) -> list:
    if not rows:
        return [s.p(_("None in the period."))]
    return [figure_table(s, [title, _("This half-year"), _("Previous half-year"), _("Change")],
                         [[b.name, fmt_figure(b.count), fmt_figure(b.previous),
                           fmt_change(b.change)] for b in rows], width, numbers_from=1)]


def render_half_year_report(year: int, half: int, *, actor, lang: str) -> bytes:
    """The first (``half`` 1) or second half of ``year`` in ``lang``. Bank branches only;
    owner and manager only."""
    # ReportLab loads on first use.
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    with language(lang):
        h = reports.half_year_totals(year, half, actor=actor)
        page = firm_page(f"{h.year}-H{h.half}", TITLE, _("Period"))
        s, w = page.styles, page.width
        lang_now = current_language()
        story = []
        if not h.ended:
            banner = ParagraphStyle("banner", parent=s.heading, alignment=TA_CENTER,
                                    textColor="#B00000", borderColor="#B00000",
                                    borderWidth=0.8, borderPadding=4, spaceAfter=10)
            story.append(s.p(_(PROVISIONAL), banner))
        story += [
            s.p(_("Period: {first} to {last}. To be filed by {due}.").format(
                first=h.months[0], last=h.months[-1], due=format_date(h.due, lang_now))),
            s.p(_("Customer complaints only; complaints by employees are not counted."),
                s.small),
            s.p(_("1. Totals"), s.heading),
            figure_table(s, [_("Figure"), _("Six months")],
                         [[_("Received in the six months"), fmt_figure(h.received)],
                          [_("Closed in the six months"), fmt_figure(h.closed)],
                          [_("Forwarded by an authority"), fmt_figure(len(h.forwarded))]],
                         w, numbers_from=1),
            s.p(_("2. By business line"), s.heading),
            *_breakdown(s, _("Business line"), h.by_line, w),
            s.p(_("3. By cause"), s.heading),
            *_breakdown(s, _("Cause"), h.by_cause, w),
            s.p(_("4. Complaints forwarded by an authority and their results"), s.heading),
        ]
        if h.forwarded:
            story.append(figure_table(
                s, [_("Forwarded by"), _("Number of complaints"), _("Closed"), _("Satisfied"),
                    _("Dissatisfied")],
                [[f.source or _("Not recorded"), fmt_figure(f.received), fmt_figure(f.closed),
                  fmt_figure(f.satisfied), fmt_figure(f.dissatisfied)] for f in h.forwarded_by],
                w, numbers_from=1))
            # the latest closed ones one by one, with their results; a busy branch has
            # thousands (the yearly register lists every one)
            listed = [f for f in h.forwarded if f.closed_at is not None][-FORWARDED_LISTED:][::-1]
            story.append(s.p(_("The latest {shown} closed of {total}, newest first:").format(
                shown=fmt_figure(len(listed)), total=fmt_figure(len(h.forwarded))),
                ParagraphStyle("lead", parent=s.body, keepWithNext=1)))
            story.append(list_table(
                s, [_("Ticket no."), _("Received on"), _("Forwarded by"), _("State"),
                    _("Result of handling"),
                    _("Satisfaction")],
                [[f.ticket, fmt_figure(f.received), f.source or _("Not recorded"),
                  _(STATE_NAMES.get(f.state, f.state)), f.result or "—",
                  _(SATISFACTION_NAMES[f.satisfaction]) if f.satisfaction in SATISFACTION_NAMES
                  else "—"] for f in listed],
                w, [0.15, 0.14, 0.17, 0.12, 0.28, 0.14]))
        else:
            story.append(s.p(_("None in the period.")))
        story += [s.p(_("5. Hot spots"), s.heading),
                  *_breakdown(s, _("Cause or business line"), h.hot_spots, w),
                  s.p(_("6. Corrective measures"), s.heading)]
        if h.measures:
            story += [s.p(_("{n}. {measure} (recorded {count} times)").format(
                n=i, measure=text, count=fmt_figure(count)))
                for i, (text, count) in enumerate(h.measures, start=1)]
        else:
            story.append(s.p(_("None recorded in the period.")))
        story += [
            s.p(_("7. Time limits"), s.heading),
            figure_table(s, [_("Time limit"), _("On time"), _("Due in the period"),
                             _("On-time rate (%)")],
                         [[n, fmt_figure(on), fmt_figure(due), fmt_figure(rate)]
                          for _c, n, on, due, rate in h.on_time], w, numbers_from=1),
            s.p(_("8. Contact"), s.heading),
            s.p(_("Contact person: {name}   Phone: {phone}").format(
                name=h.contact, phone=h.contact_phone or "—")),
            signature_lines(s, [_("Person in charge"), _("Prepared by")], w),
        ]
        return page.render(story)
