"""Command line: the working-day calendar, holidays and make-up working days
(`calendar import|export|show|set`)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from services import clock
from services.i18n import N_, _, format_date
from services.timelimits import clocks as timelimits
from services.timelimits import workcalendar
from ui.cli.args import UsageError, one_of, parse_day, parse_year
from ui.cli.context import CliContext
from ui.cli.output import display_name, iso, table


def add_commands(command, commands) -> None:
    group = command(commands, "calendar", _("the working-day calendar (holidays, 调休)"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    p = command(sub, "import", _("replace whole years from a file (date,holiday|workday,name)"),
                cmd_calendar_import)
    p.add_argument("file", metavar="FILE")
    p = command(sub, "export", _("write one year in the import format"), cmd_calendar_export)
    p.add_argument("year", type=parse_year, metavar="YEAR")
    p.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE (default: stdout)"))
    p = command(sub, "show", _("one year's holidays and make-up working days"),
                cmd_calendar_show)
    p.add_argument("year", type=parse_year, metavar="YEAR")
    p = command(sub, "set", _("make one day a holiday, a make-up working day, or ordinary"),
                cmd_calendar_set)
    p.add_argument("day", type=parse_day, metavar="DATE")
    p.add_argument("kind", type=one_of(("holiday", "workday", "normal")),
                   metavar="holiday|workday|normal")
    p.add_argument("--name", default="", help=_("e.g. National Day"))


def cmd_calendar_import(s: CliContext) -> int:
    path = Path(s.args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(N_("Cannot read {path}: {reason}"), field="file", path=str(path),
                         reason=getattr(exc, "strerror", None) or str(exc)) from None
    s.open_db(need_firm=True)
    result = workcalendar.import_calendar(text, now=clock.now(), actor=s.actor())
    s.emit({"years": list(result.years), "days": result.days},
           lambda: _("Imported {days} days for {years}; those years are now official.").format(
               days=result.days, years=", ".join(str(y) for y in result.years)))
    return 0


def cmd_calendar_export(s: CliContext) -> int:
    s.open_db()
    text = workcalendar.export_calendar(s.args.year)
    if s.args.output:
        try:
            Path(s.args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(N_("Cannot write {path}: {reason}"), field="output",
                             path=s.args.output, reason=exc.strerror or str(exc)) from None
    else:
        sys.stdout.write(text)  # the file format itself, also with --json
    return 0


def cmd_calendar_show(s: CliContext) -> int:
    year = s.args.year
    s.open_db()
    official = timelimits.calendar().is_official(year)
    days = [{"date": iso(row.day), "kind": row.kind, "name": row.name}
            for row in workcalendar.year_days(year)]
    statutory = [] if official else [{"date": iso(d), "kind": "holiday", "name": name}
                                     for d, name in workcalendar.statutory_holidays(year)]
    data = {"year": year, "official": official, "days": days,
            "provisional_holidays": statutory}

    def rows_of(entries):
        return [[e["date"], format_date(date.fromisoformat(e["date"]), style="EEE"),
                 display_name(workcalendar.DAY_KIND_NAMES, e["kind"]),
                 _(e["name"]) if e["name"] else ""]
                for e in entries]

    def text() -> str:
        headers = [_("Date"), _("Day"), _("Kind"), _("Name")]
        if official:
            return "\n".join([_("{year}: official calendar").format(year=year),
                              table(headers, rows_of(days))])
        # Computed holidays are never passed off as official (docs/rules.md, time limits).
        lines = [_("{year}: no official calendar yet; limits ending this year are "
                   "provisional.").format(year=year)]
        if days:
            lines += [_("Entered by hand:"), table(headers, rows_of(days))]
        lines += [_("Statutory holidays assumed (no make-up working days):"),
                  table(headers, rows_of(statutory))]
        return "\n".join(lines)

    s.emit(data, text)
    return 0


def cmd_calendar_set(s: CliContext) -> int:
    a = s.args
    s.open_db(need_firm=True)
    kind = None if a.kind == "normal" else a.kind
    workcalendar.set_day(a.day, kind, name=a.name, now=clock.now(), actor=s.actor())
    s.emit({"date": iso(a.day), "kind": kind, "name": a.name.strip()},
           lambda: _("{day} is now: {kind}.").format(
               day=format_date(a.day), kind=display_name(workcalendar.DAY_KIND_NAMES, kind) if kind
               else _("an ordinary day")))
    return 0
