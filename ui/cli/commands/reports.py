"""`main.py report …`: the owners' summaries as PDF, and the monthly summary made on a
schedule (docs/rules.md, reports)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from services import settings
from services.i18n import _, normalize
from ui.cli.args import parse_count, parse_language
from ui.cli.context import CliContext
from ui.cli.output import fields_block


def add_commands(command, commands) -> None:
    """The `report` command: `report monthly|register|half-year|schedule|run-scheduled`."""
    p = command(commands, "report", _("print the monthly summary, the yearly register or the "
                                      "half-year report (PDF)"))
    reports = p.add_subparsers(dest="report", required=True, metavar="REPORT")

    def sub(name: str, help_text: str):
        q = command(reports, name, help_text, cmd_report)
        q.add_argument("--out", required=True, metavar="FILE.pdf",
                       help=_("where to save the PDF"))
        q.add_argument("--doc-lang", dest="doc_lang", type=parse_language, metavar="zh_CN|en",
                       help=_("the document's language (default: --lang, else the firm's "
                              "document language)"))
        return q

    sub("monthly", _("the owners' monthly summary")).add_argument(
        "month", metavar="YYYY-MM", help=_("the month"))
    sub("register", _("the yearly register (台账)")).add_argument(
        "year", type=parse_count, metavar="YYYY", help=_("the year"))
    q = sub("half-year", _("the half-year statistics report (bank branches)"))
    q.add_argument("year", type=parse_count, metavar="YYYY", help=_("the year"))
    q.add_argument("half", type=int, choices=(1, 2), metavar="1|2",
                   help=_("the first or the second half"))

    q = command(reports, "schedule", _("produce the monthly summary automatically each month "
                                       "(owner)"), cmd_schedule)
    q.add_argument("--day", type=parse_count, required=True, metavar="1-28",
                   help=_("the day of the month it is made for the month before"))
    q.add_argument("--folder", default="", metavar="FOLDER", help=_("where it is saved"))
    q.add_argument("--doc-lang", dest="doc_lang", type=parse_language, default="zh_CN",
                   metavar="zh_CN|en", help=_("the document's language"))
    q.add_argument("--off", action="store_true", help=_("stop making it"))
    command(reports, "run-scheduled", _("make the scheduled monthly summary if it is due "
                                        "(for the Windows Task Scheduler)"), cmd_run_scheduled)


def cmd_schedule(s: CliContext) -> int:
    # lazy: the schedule lives with the PDF modules, loaded only for `report` (CLI start-up)
    from services import documents

    s.open_db(need_firm=True)
    a = s.args
    sch = documents.schedule.set_schedule(actor=s.actor(), enabled=not a.off, day=a.day,
                                       folder=a.folder, language=a.doc_lang)
    data = {"enabled": sch.enabled, "day": sch.day, "folder": sch.folder,
            "language": sch.language}
    s.emit(data, lambda: fields_block([(_("Enabled"), _("yes") if sch.enabled else _("no")),
                                       (_("Day of the month"), str(sch.day)),
                                       (_("Folder"), sch.folder),
                                       (_("Language"), sch.language)]))
    return 0


def cmd_run_scheduled(s: CliContext) -> int:
    # lazy: the schedule lives with the PDF modules, loaded only for `report` (CLI start-up)
    from services import documents

    s.open_db(need_firm=True)
    path = documents.schedule.run_due(actor=s.actor())
    s.emit({"saved": str(path) if path else None},
           lambda: (_("Saved {path}").format(path=path) if path
                    else _("No monthly summary is due.")))
    return 0


def cmd_report(s: CliContext) -> int:
    # lazy: the PDF modules load only when a report is made (CLI start-up stays fast)
    from services import documents

    s.open_db(need_firm=True)
    a = s.args
    lang = normalize(a.doc_lang or s.opt("lang") or settings.firm_info().document_language)
    if a.report == "monthly":
        pdf = documents.render_monthly_summary(a.month, actor=s.actor(), lang=lang)
        what = {"month": a.month}
    elif a.report == "register":
        pdf = documents.render_yearly_register(a.year, actor=s.actor(), lang=lang)
        what = {"year": a.year}
    else:
        pdf = documents.render_half_year_report(a.year, a.half, actor=s.actor(), lang=lang)
        what = {"year": a.year, "half": a.half}
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    data = {"report": a.report, **what, "language": lang, "out": a.out, "sha256": sha}
    s.emit(data, lambda: fields_block([(_("Report"), a.report), (_("Language"), lang),
                                       (_("Saved as"), a.out), ("SHA-256", sha)]))
    return 0
