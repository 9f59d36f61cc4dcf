"""`main.py report …`: the owners' summaries as PDF, the monthly summary made on a schedule,
the weekly classification statistics, and (bank branches) the half-year report due next
(docs/rules.md §8.8, §8.9)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from services import clock, reports, settings
from services.i18n import _, format_date, normalize
from ui.cli.args import parse_count, parse_language, parse_year
from ui.cli.context import CliContext
from ui.cli.output import fields_block, table


def add_commands(command, commands) -> None:
    """The `report` command: `report monthly|register|half-year|schedule|run-scheduled|weekly|
    due|filed`."""
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

    q = command(reports, "weekly", _("the weekly classification statistics: complaints "
                                     "received per category"), cmd_weekly)
    q.add_argument("week", nargs="?", default="", metavar="YYYY-Www|YYYY-MM-DD",
                   help=_("the ISO week, or a day in it (default: last week)"))
    command(reports, "due", _("the half-year statistics report due next (bank branches)"),
            cmd_due)
    q = command(reports, "filed", _("record that a half-year statistics report was sent to "
                                    "the regulator (bank branches)"), cmd_filed)
    q.add_argument("year", type=parse_year, metavar="YYYY", help=_("the year"))
    q.add_argument("half", type=int, choices=(1, 2), metavar="1|2",
                   help=_("the first or the second half"))
    q.add_argument("--undo", action="store_true", help=_("take the record back"))


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


def cmd_weekly(s: CliContext) -> int:
    s.open_db(need_firm=True)
    week = s.args.week or reports.recent_weeks(clock.now().date(), 1)[0]
    stats = reports.weekly_statistics(actor=s.actor(), week=week)
    headers, rows = stats.table()
    data = {"week": stats.week, "first_day": stats.first_day, "last_day": stats.last_day,
            "previous_week": stats.previous_week, "received": stats.received,
            "previous_received": stats.previous_received,
            "by_category": [{"code": r.code, "name": r.name, "kind": r.kind, "count": r.count,
                             "previous": r.previous, "change": r.change}
                            for r in stats.by_category]}

    def text() -> str:
        title = _("Weekly classification statistics {week} ({first} to {last})").format(
            week=stats.week, first=format_date(stats.first_day),
            last=format_date(stats.last_day))
        return title + "\n\n" + table(headers, [[str(v) for v in row] for row in rows])

    s.emit(data, text)
    return 0


def _due_data(d) -> dict | None:
    if d is None:
        return None
    return {"period": d.period, "year": d.year, "half": d.half, "due": d.due,
            "days_left": d.days_left, "status": d.status}


def cmd_due(s: CliContext) -> int:
    s.open_db(need_firm=True)
    d = reports.half_year_due(actor=s.actor())
    s.emit({"half_year_report": _due_data(d)},
           lambda: reports.describe_due(d) if d else _("No report is due: the half-year "
                                                       "statistics report is for bank "
                                                       "branches."))
    return 0


def cmd_filed(s: CliContext) -> int:
    s.open_db(need_firm=True)
    a = s.args
    d = reports.mark_half_year_filed(a.year, a.half, actor=s.actor(), filed=not a.undo)
    s.emit({"half_year_report": _due_data(d)}, lambda: reports.describe_due(d))
    return 0
