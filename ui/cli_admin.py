"""Command line: users and the holiday calendar."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import services.people.users as users
import services.timelimits.clocks as timelimits
import services.timelimits.workcalendar as workcalendar
from services import clock
from services.i18n import N_, _, format_date
from services.people.permissions import ROLE_NAMES, ROLES
from ui.cli import (
    DAY_KIND_NAMES,
    Session,
    UsageError,
    _choice,
    _day,
    _iso,
    _name,
    _year,
    table,
)


def _user_commands(command, commands) -> None:
    group = command(commands, "users", _("users and their roles"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    p = command(sub, "add", _("add a user"), cmd_user_add)
    p.add_argument("--login", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--roles", required=True, metavar="A,B",
                   help=_("comma-separated: {roles}").format(roles=", ".join(ROLES)))
    p.add_argument("--department", metavar="CODE")
    p.add_argument("--phone", default="")
    p.add_argument("--new-password-stdin", action="store_true",
                   help=_("read the new user's password from standard input (after the acting "
                          "user's, if that comes from there too)"))
    command(sub, "list", _("list the active users"), cmd_user_list)


def _calendar_commands(command, commands) -> None:
    group = command(commands, "calendar", _("the working-day calendar (holidays, 调休)"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    p = command(sub, "import", _("replace whole years from a file (date,holiday|workday,name)"),
                cmd_calendar_import)
    p.add_argument("file", metavar="FILE")
    p = command(sub, "export", _("write one year in the import format"), cmd_calendar_export)
    p.add_argument("year", type=_year, metavar="YEAR")
    p.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE (default: stdout)"))
    p = command(sub, "show", _("one year's holidays and make-up working days"),
                cmd_calendar_show)
    p.add_argument("year", type=_year, metavar="YEAR")
    p = command(sub, "set", _("make one day a holiday, a make-up working day, or ordinary"),
                cmd_calendar_set)
    p.add_argument("day", type=_day, metavar="DATE")
    p.add_argument("kind", type=_choice(("holiday", "workday", "normal")),
                   metavar="holiday|workday|normal")
    p.add_argument("--name", default="", help=_("e.g. National Day"))


# --- commands: users ---------------------------------------------------------------------------


def cmd_user_add(s: Session) -> int:
    a = s.args
    s.open_db(need_firm=True)
    actor = s.actor()
    password = s.new_password(a.login, from_stdin=a.new_password_stdin)
    user = users.create_user(login=a.login, name=a.name, password=password, roles=a.roles,
                             department=a.department, phone=a.phone, actor=actor)
    roles = [r for r in ROLES if r in user.roles.split(",")]
    s.emit({"login": user.login, "name": user.name, "roles": roles,
            "department": a.department or None},
           lambda: _("Added {name} ({login}): {roles}.").format(
               name=user.name, login=user.login,
               roles=", ".join(_(ROLE_NAMES[r]) for r in roles)))
    return 0


def cmd_user_list(s: Session) -> int:
    s.open_db(need_firm=True)
    found = users.list_users()
    s.emit([{"login": u.login, "name": u.name, "roles": list(u.roles),
             "department": u.department, "active": u.active} for u in found],
           lambda: table([_("Login"), _("Name"), _("Roles"), _("Department")],
                         [[u.login, u.name, ", ".join(_(ROLE_NAMES[r]) for r in u.roles),
                           u.department] for u in found]))
    return 0


# --- commands: calendar ------------------------------------------------------------------------


def cmd_calendar_import(s: Session) -> int:
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


def cmd_calendar_export(s: Session) -> int:
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


def cmd_calendar_show(s: Session) -> int:
    year = s.args.year
    s.open_db()
    official = timelimits.calendar().is_official(year)
    days = [{"date": _iso(row.day), "kind": row.kind, "name": row.name}
            for row in workcalendar.year_days(year)]
    statutory = [] if official else [{"date": _iso(d), "kind": "holiday", "name": name}
                                     for d, name in workcalendar.statutory_holidays(year)]
    data = {"year": year, "official": official, "days": days,
            "provisional_holidays": statutory}

    def rows_of(entries):
        return [[e["date"], format_date(date.fromisoformat(e["date"]), style="EEE"),
                 _name(DAY_KIND_NAMES, e["kind"]), _(e["name"]) if e["name"] else ""]
                for e in entries]

    def text() -> str:
        headers = [_("Date"), _("Day"), _("Kind"), _("Name")]
        if official:
            return "\n".join([_("{year}: official calendar").format(year=year),
                              table(headers, rows_of(days))])
        # SPEC §5: never pass computed holidays off as official.
        lines = [_("{year}: no official calendar yet; limits ending this year are "
                   "provisional.").format(year=year)]
        if days:
            lines += [_("Entered by hand:"), table(headers, rows_of(days))]
        lines += [_("Statutory holidays assumed (no make-up working days):"),
                  table(headers, rows_of(statutory))]
        return "\n".join(lines)

    s.emit(data, text)
    return 0


def cmd_calendar_set(s: Session) -> int:
    a = s.args
    s.open_db(need_firm=True)
    kind = None if a.kind == "normal" else a.kind
    workcalendar.set_day(a.day, kind, name=a.name, now=clock.now(), actor=s.actor())
    s.emit({"date": _iso(a.day), "kind": kind, "name": a.name.strip()},
           lambda: _("{day} is now: {kind}.").format(
               day=format_date(a.day), kind=_name(DAY_KIND_NAMES, kind) if kind
               else _("an ordinary day")))
    return 0


def add_commands(command, commands) -> None:
    _user_commands(command, commands)
    _calendar_commands(command, commands)
