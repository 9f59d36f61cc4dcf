"""`main.py document KIND --ticket N --out FILE.pdf`: printed documents (SPEC §8).

A complaint's document is produced through services.documents, so it is recorded on the
complaint's timeline with its hash, and who may produce it is decided there, as in the window.
The penalty notice (``--entry ID``) and a month's ledger (``--month YYYY-MM``) belong to no
complaint: they are rendered and saved, and the penalty services decide who may see them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from services.i18n import N_, _, normalize
from ui.cli import UsageError, _count, _lang, fields_block

# The command's names for the documents (issue 6) and the services' kinds.
KINDS = {"receipt": "receipt", "transfer": "transfer_slip", "reply": "reply",
         "extension": "extension_notice", "memo": "memo", "warranty-claim": "warranty_claim",
         "warranty-card": "warranty_card"}
# Not about one complaint: what each needs instead of --ticket.
LEDGER_KINDS = {"penalty-notice": "entry", "penalty-ledger": "month"}


def add_commands(command, commands) -> None:
    """Called by ui.cli.build_parser: the `document` command."""
    p = command(commands, "document", _("produce a printed document for a complaint (PDF)"),
                cmd_document)
    names = (*KINDS, *LEDGER_KINDS)
    p.add_argument("kind", choices=names, metavar="|".join(names))
    p.add_argument("--ticket", metavar="NNNNNNNNN", help=_("the ticket number"))
    p.add_argument("--entry", type=_count, metavar="ID",
                   help=_("the ledger entry (penalty-notice)"))
    p.add_argument("--month", metavar="YYYY-MM", help=_("the month (penalty-ledger)"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("where to save the PDF"))
    p.add_argument("--doc-lang", dest="doc_lang", type=_lang, metavar="zh_CN|en",
                   help=_("the document's language (default: the firm's document language)"))


def _needs(a, option: str) -> None:
    if getattr(a, option) in (None, ""):
        raise UsageError(N_("The document {kind} needs --{option}."), field=option,
                         kind=a.kind, option=option)


def cmd_document(s) -> int:
    s.open_db(need_firm=True)
    a = s.args
    if a.kind in LEDGER_KINDS:
        return _ledger_document(s)
    _needs(a, "ticket")
    from services.documents.produce import produce  # ReportLab only when a document is made

    made = produce(KINDS[a.kind], a.ticket, actor=s.actor(),
                   language=a.doc_lang or s.opt("lang") or None, out_path=a.out)
    data = {"kind": a.kind, "ticket": a.ticket, "language": made.language, "out": a.out,
            "sha256": made.sha256, "event_id": made.event_id}
    s.emit(data, lambda: fields_block([(_("Document"), a.kind), (_("Language"), made.language),
                                       (_("Saved as"), a.out), ("SHA-256", made.sha256)]))
    return 0


def _entry_of_ticket(s, ticket: str) -> int:
    """The penalty entry linked to a complaint, when there is exactly one."""
    import services.complaints.register as complaints
    from services import penalties

    complaint = complaints.find(ticket, actor=s.actor())
    found = penalties.ids(s.actor(), penalties.LedgerFilter(complaint_id=complaint.id))
    if len(found) != 1:
        raise UsageError(N_("Complaint {ticket} has {count} ledger entries; name one with "
                            "--entry."), field="entry", ticket=ticket, count=len(found))
    return found[0]


def _ledger_document(s) -> int:
    import services.documents.record_docs as more_docs
    import services.firm.settings as settings

    a = s.args
    option = LEDGER_KINDS[a.kind]
    if a.kind == "penalty-notice" and not a.entry and a.ticket:
        a.entry = _entry_of_ticket(s, a.ticket)  # issue 6: `document KIND --ticket N`
    _needs(a, option)
    lang = normalize(a.doc_lang or s.opt("lang") or settings.firm_info().document_language)
    if a.kind == "penalty-notice":
        pdf = more_docs.render_penalty_notice(a.entry, actor=s.actor(), lang=lang)
    else:
        pdf = more_docs.render_month_ledger(a.month, actor=s.actor(), lang=lang)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    data = {"kind": a.kind, option: getattr(a, option), "language": lang, "out": a.out,
            "sha256": sha}
    s.emit(data, lambda: fields_block([(_("Document"), a.kind), (_("Language"), lang),
                                       (_("Saved as"), a.out), ("SHA-256", sha)]))
    return 0


# --- `main.py report …`: the owners' summaries (SPEC §8 items 8–9, issue 6) ------------------


def add_report_commands(command, commands) -> None:
    """Called by ui.cli.build_parser: `report monthly|register|half-year`."""
    p = command(commands, "report", _("print the monthly summary, the yearly register or the "
                                      "half-year report (PDF)"))
    reports = p.add_subparsers(dest="report", required=True, metavar="REPORT")

    def sub(name: str, help_text: str):
        q = command(reports, name, help_text, cmd_report)
        q.add_argument("--out", required=True, metavar="FILE.pdf",
                       help=_("where to save the PDF"))
        q.add_argument("--doc-lang", dest="doc_lang", type=_lang, metavar="zh_CN|en",
                       help=_("the document's language (default: --lang, else the firm's "
                              "document language)"))
        return q

    sub("monthly", _("the owners' monthly summary")).add_argument(
        "month", metavar="YYYY-MM", help=_("the month"))
    sub("register", _("the yearly register (台账)")).add_argument(
        "year", type=_count, metavar="YYYY", help=_("the year"))
    q = sub("half-year", _("the half-year statistics report (bank branches)"))
    q.add_argument("year", type=_count, metavar="YYYY", help=_("the year"))
    q.add_argument("half", type=int, choices=(1, 2), metavar="1|2",
                   help=_("the first or the second half"))

    q = command(reports, "schedule", _("produce the monthly summary automatically each month "
                                       "(owner)"), cmd_schedule)
    q.add_argument("--day", type=_count, required=True, metavar="1-28",
                   help=_("the day of the month it is made for the month before"))
    q.add_argument("--folder", default="", metavar="FOLDER", help=_("where it is saved"))
    q.add_argument("--doc-lang", dest="doc_lang", type=_lang, default="zh_CN",
                   metavar="zh_CN|en", help=_("the document's language"))
    q.add_argument("--off", action="store_true", help=_("stop making it"))
    command(reports, "run-scheduled", _("make the scheduled monthly summary if it is due "
                                        "(for the Windows Task Scheduler)"), cmd_run_scheduled)


def cmd_schedule(s) -> int:
    import services.reports.schedule as report_schedule

    s.open_db(need_firm=True)
    a = s.args
    sch = report_schedule.set_schedule(actor=s.actor(), enabled=not a.off, day=a.day,
                                       folder=a.folder, language=a.doc_lang)
    data = {"enabled": sch.enabled, "day": sch.day, "folder": sch.folder,
            "language": sch.language}
    s.emit(data, lambda: fields_block([(_("Enabled"), _("yes") if sch.enabled else _("no")),
                                       (_("Day of the month"), str(sch.day)),
                                       (_("Folder"), sch.folder),
                                       (_("Language"), sch.language)]))
    return 0


def cmd_run_scheduled(s) -> int:
    import services.reports.schedule as report_schedule

    s.open_db(need_firm=True)
    path = report_schedule.run_due(actor=s.actor())
    s.emit({"saved": str(path) if path else None},
           lambda: (_("Saved {path}").format(path=path) if path
                    else _("No monthly summary is due.")))
    return 0


def cmd_report(s) -> int:
    import services.documents.report_docs as summary_docs  # ReportLab only when a report is made
    import services.firm.settings as settings

    s.open_db(need_firm=True)
    a = s.args
    lang = normalize(a.doc_lang or s.opt("lang") or settings.firm_info().document_language)
    if a.report == "monthly":
        pdf = summary_docs.render_monthly_summary(a.month, actor=s.actor(), lang=lang)
        what = {"month": a.month}
    elif a.report == "register":
        pdf = summary_docs.render_yearly_register(a.year, actor=s.actor(), lang=lang)
        what = {"year": a.year}
    else:
        pdf = summary_docs.render_half_year_report(a.year, a.half, actor=s.actor(), lang=lang)
        what = {"year": a.year, "half": a.half}
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    data = {"report": a.report, **what, "language": lang, "out": a.out, "sha256": sha}
    s.emit(data, lambda: fields_block([(_("Report"), a.report), (_("Language"), lang),
                                       (_("Saved as"), a.out), ("SHA-256", sha)]))
    return 0
