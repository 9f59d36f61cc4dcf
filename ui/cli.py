"""The command line: set up a firm, compute a time limit, walk a complaint from a script.

Every command calls services only, so roles, recusal and confidentiality (SPEC §2) apply here
exactly as in the window. Exit status: 0 done, 2 bad input or refused (one line on stderr),
1 anything unexpected.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from services import clock, complaints, setup, timelimits, users, workcalendar, workflow
from services.complaints import ComplaintFilter, ComplaintInput
from services.deadlines import compute_due, describe_limit, parse_limit
from services.errors import DomainError, tr_param
from services.i18n import (
    LANGUAGES,
    N_,
    _,
    current_language,
    format_date,
    format_datetime,
    language,
    normalize,
    set_language,
)
from services.permissions import ROLE_NAMES, ROLES
from services.profiles import (
    CHANNEL_NAMES,
    CHANNELS,
    EXTERNAL_ROUTE_NAMES,
    KIND_NAMES,
    KINDS,
    PROFILE_NAMES,
    PROFILES,
    REMEDY_NAMES,
    RULES,
    SEVERITIES,
    SEVERITY_NAMES,
)
from services.workcalendar import WorkCalendar

# Global options that take a value: main.py skips them when looking for the command word.
VALUE_OPTIONS = ("--db", "--lang", "--user")
ENV_USER = "COMPLAINTDESK_USER"
ENV_PASSWORD = "COMPLAINTDESK_PASSWORD"

CLOCK_STATUS_NAMES = {
    "running": N_("running"), "paused": N_("stopped"), "met": N_("met"),
    "cancelled": N_("cancelled"),
}
DUE_STATUS_NAMES = {
    "overdue": N_("OVERDUE"), "due_soon": N_("due soon"), "ok": N_("on time"),
    "paused": N_("clock stopped"), "none": "",
}
DAY_KIND_NAMES = {"holiday": N_("Holiday"), "workday": N_("Make-up working day")}
SATISFACTION_NAMES = {"satisfied": N_("Satisfied"), "dissatisfied": N_("Dissatisfied")}
# Labels for what a timeline event records (its data keys), for the human output of `show`.
EVENT_DATA_LABELS = {
    "to_name": N_("To"), "contact": N_("Contact"), "answer": N_("What was said"),
    "decision": N_("Decision"), "reasons": N_("Reasons"), "remedy": N_("Remedy"),
    "amount": N_("Amount"), "responsibility": N_("Responsibility"),
    "firm_share": N_("Firm's share (%)"), "findings": N_("Findings"), "text": N_("Reply"),
    "method": N_("Reply method"), "satisfied": N_("Satisfied"), "route": N_("External route"),
    "outcome": N_("Outcome"), "result": N_("Visit result"), "root_cause": N_("Root cause"),
    "level": N_("Level"), "review_level": N_("Review level"), "attendees": N_("Attendees"),
    "meeting": N_("Meeting"), "changes": N_("Changes"), "new_limit": N_("New limit"),
    "new_due": N_("New due"), "ticket": N_("Ticket"), "channel": N_("Channel"),
}
_EVENT_DATA_HIDDEN = {"to", "from_handler", "year", "clocks", "old_limit", "old_due", "rule",
                      "provisional", "kind", "language", "sha256"}


class UsageError(DomainError):
    """Bad command-line input (exit status 2), translated like the services' errors."""


class _ArgError(Exception):
    """argparse found bad syntax; carries argparse's own one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage and exits; we want one line
        raise _ArgError(f"{self.prog}: {message}")


# --- argument types: each failure names the value and what was expected ----------------------


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a date and time like 2026-09-25T10:00').format(text=text)) from None
    if value.tzinfo is not None:
        # All times are the firm's local wall-clock time (models.entities).
        raise argparse.ArgumentTypeError(
            _('"{text}": give the local time without a time zone').format(text=text))
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a date like 2026-09-25').format(text=text)) from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a whole number of zero or more').format(text=text))
    return value


def _year(text: str) -> int:
    value = _count(text)
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a year between 2000 and 2100').format(text=text))
    return value


def _choice(choices: Sequence[str], *, dashes: bool = False) -> Callable[[str], str]:
    def convert(text: str) -> str:
        value = text.strip().replace("-", "_") if dashes else text.strip()
        if value not in choices:
            raise argparse.ArgumentTypeError(
                _('unknown choice "{value}"; choose from {choices}').format(
                    value=text, choices=", ".join(choices)))
        return value

    return convert


def _lang(text: str) -> str:
    try:
        return normalize(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('unknown language "{value}"; choose from {choices}').format(
                value=text, choices=", ".join(LANGUAGES))) from None


_YES = ("yes", "y", "true", "1", "是", "满意")
_NO = ("no", "n", "false", "0", "否", "不满意")


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES or value in _NO:
        return value in _YES
    raise argparse.ArgumentTypeError(_('"{text}": answer yes or no').format(text=text))


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            _('"{text}" is not key=value').format(text=text))
    return key.strip().replace("-", "_"), value


# --- the parser --------------------------------------------------------------------------------

# complaints act: convenience flags → workflow.act keyword params (only those given are passed).
ACT_FLAGS = (
    ("--to", "to", str, "LOGIN", N_("transfer/escalate: the person it goes to")),
    ("--contact", "contact", str, "TEXT", N_("acknowledge: the contact given to the complainant")),
    ("--answer", "answer", str, "TEXT", N_("answer_on_spot: what was said")),
    ("--findings", "findings", str, "TEXT", N_("record_findings: what the investigation found")),
    ("--decision", "decision", str, "TEXT", N_("decide/hold_meeting: the decision")),
    ("--reasons", "reasons", str, "TEXT", N_("decide/hold_meeting: its reasons")),
    ("--remedy", "remedy", str, "|".join(REMEDY_NAMES), N_("decide: the remedy")),
    ("--amount", "amount", str, "YUAN", N_("decide: compensation amount")),
    ("--responsibility", "responsibility", str, "TEXT", N_("who or what is responsible")),
    ("--firm-share", "firm_share", str, "PERCENT", N_("decide: the firm's share in percent")),
    ("--attendees", "attendees", str, "A,B", N_("hold_meeting: who attended")),
    ("--text", "text", str, "TEXT", N_("reply: the reply (default: the decision)")),
    ("--satisfied", "satisfied", _yes_no, "yes|no",
     N_("record_satisfaction/visit: is the complainant satisfied")),
    ("--route", "route", str, "|".join(EXTERNAL_ROUTE_NAMES), N_("external_route: which route")),
    ("--outcome", "outcome", str, "TEXT", N_("external_route: its outcome")),
    ("--result", "result", str, "TEXT", N_("visit: the visit's result")),
    ("--limit", "limit", str, "LIMIT", N_('extend: the new total limit, e.g. "30 working days"')),
    ("--root-cause", "root_cause", str, "TAG", N_("archive: the root-cause tag")),
    ("--level", "level", _count, "1|2", N_("escalate: 1 department head, 2 top management")),
)


def _common() -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command word.

    Defaults are SUPPRESS so that a subcommand's copy of an option never overwrites a value
    given before the command word (argparse fills defaults per subparser).
    """
    common = _Parser(add_help=False, allow_abbrev=False)
    group = common.add_argument_group(_("common options"))
    group.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
                       help=_("database file or postgresql:// URL (default: the database in "
                              "your data folder)"))
    group.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                       help=_("print JSON instead of text"))
    group.add_argument("--lang", type=_lang, metavar="zh_CN|en", default=argparse.SUPPRESS,
                       help=_("language of messages"))
    group.add_argument("--user", metavar="LOGIN", default=argparse.SUPPRESS,
                       help=_("acting user (default: ${env})").format(env=ENV_USER))
    group.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                       help=_("read the password from the first line of standard input "
                              "(otherwise ${env}, otherwise a prompt)").format(env=ENV_PASSWORD))
    group.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help=_("show the traceback of an unexpected error"))
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; built after --lang is known so help texts are translated."""
    common = _common()
    parser = _Parser(prog="main.py", parents=[common], allow_abbrev=False,
                     description=_("ComplaintDesk from the command line. Without a command the "
                                   "window opens."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(group, name: str, help_text: str, func=None, **kwargs) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=help_text, description=help_text, parents=[common],
                             allow_abbrev=False, **kwargs)
        if func is not None:
            p.set_defaults(func=func)
        return p

    p = command(commands, "init", _("set up a new firm in a new database"), cmd_init)
    p.add_argument("--profile", required=True, type=_choice(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile: presets for categories and time limits"))
    p.add_argument("--firm", required=True, metavar="NAME", help=_("the firm's name"))
    p.add_argument("--owner", required=True, metavar="LOGIN", help=_("the owner's login"))
    p.add_argument("--owner-name", metavar="NAME", default="", help=_("the owner's name"))
    p.add_argument("--address", default="", help=_("the firm's address"))
    p.add_argument("--phone", default="", help=_("the firm's phone"))

    p = command(commands, "demo", _("fill a new database with realistic sample data"), cmd_demo)
    p.add_argument("--profile", required=True, type=_choice(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile"))
    p.add_argument("--complaints", type=_count, default=200, metavar="N",
                   help=_("how many complaints (default: 200)"))
    p.add_argument("--seed", type=_count, default=1, metavar="N",
                   help=_("random seed, for the same data every time (default: 1)"))

    p = command(commands, "deadline", _("when a time limit falls due"), cmd_deadline)
    p.add_argument("--start", required=True, type=_moment, metavar="DATETIME",
                   help=_("when the clock starts, e.g. 2026-09-25T10:00"))
    p.add_argument("--limit", metavar="LIMIT",
                   help=_('"30 minutes", "24 hours", "3 days", "15 working days" (default: the '
                          "profile's reply limit)"))
    p.add_argument("--profile", type=_choice(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile whose usual limit to use when --limit is not given"))

    _complaint_commands(command, commands)
    _user_commands(command, commands)
    _calendar_commands(command, commands)
    from ui import cli_warranty  # SPEC §6 commands, in their own module

    cli_warranty.add_commands(command, commands)
    from ui import cli_penalties  # SPEC §7 commands, in their own module

    cli_penalties.add_commands(command, commands)
    return parser


def _complaint_commands(command, commands) -> None:
    group = command(commands, "complaints", _("the complaint register and its workflow"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    p = command(sub, "list", _("list complaints (the register)"), cmd_list)
    p.add_argument("--state", type=_choice(("open", "closed") + workflow.STATES),
                   metavar="STATE|open|closed", help=_("only this state, or all open/closed"))
    p.add_argument("--kind", type=_choice(KINDS), metavar="|".join(KINDS))
    p.add_argument("--category", metavar="CODE", help=_("only this category"))
    p.add_argument("--search", metavar="TEXT",
                   help=_("ticket, complainant, phone, contract no. or description"))
    p.add_argument("--overdue", action="store_true", help=_("only overdue complaints"))
    p.add_argument("--handler", metavar="LOGIN", help=_("only those this user handles"))
    p.add_argument("--from", dest="date_from", type=_day, metavar="DATE",
                   help=_("received on or after"))
    p.add_argument("--to", dest="date_to", type=_day, metavar="DATE",
                   help=_("received on or before"))
    p.add_argument("--limit", type=_count, default=50, metavar="N",
                   help=_("at most N rows (default: 50)"))

    p = command(sub, "show", _("one complaint: facts, time limits, timeline, next actions"),
                cmd_show)
    p.add_argument("ticket", metavar="TICKET")

    p = command(sub, "register", _("register a new complaint"), cmd_register)
    p.add_argument("--kind", type=_choice(KINDS), default="customer", metavar="|".join(KINDS))
    p.add_argument("--channel", required=True, type=_choice(CHANNELS),
                   metavar="|".join(CHANNELS))
    p.add_argument("--channel-detail", default="", metavar="TEXT",
                   help=_("e.g. which authority forwarded it"))
    p.add_argument("--name", required=True, help=_("complainant's name"))
    p.add_argument("--phone", default="")
    p.add_argument("--address", default="")
    p.add_argument("--email", default="")
    p.add_argument("--contract", default="", help=_("contract / order no."))
    p.add_argument("--department", default="", metavar="CODE",
                   help=_("employee complaints: the employee's department"))
    p.add_argument("--respondent-user", default="", metavar="LOGIN",
                   help=_("the staff member complained about"))
    p.add_argument("--respondent-department", default="", metavar="CODE",
                   help=_("the department complained about"))
    p.add_argument("--respondent-text", default="", metavar="TEXT",
                   help=_("the respondent, in words"))
    p.add_argument("--received", type=_moment, metavar="DATETIME", help=_("default: now"))
    p.add_argument("--occurred", type=_moment, metavar="DATETIME", help=_("when it happened"))
    p.add_argument("--location", default="", help=_("where it happened"))
    p.add_argument("--description", required=True, help=_("what happened"))
    p.add_argument("--request", default="", help=_("what the complainant asks for"))
    p.add_argument("--category", required=True, metavar="CODE")
    p.add_argument("--severity", type=_choice(SEVERITIES), default="normal",
                   metavar="|".join(SEVERITIES))
    p.add_argument("--note", default="", help=_("a note on the timeline"))

    p = command(sub, "act", _("take one step on a complaint"), cmd_act,
                epilog=_("Actions: {actions}").format(actions=", ".join(workflow.ACTIONS)))
    p.add_argument("ticket", metavar="TICKET")
    p.add_argument("action", type=_choice(workflow.ACTIONS, dashes=True), metavar="ACTION",
                   help=_("e.g. acknowledge, transfer, start-investigation, decide, approve"))
    p.add_argument("--note", default="", help=_("a note on the timeline (the reason, for "
                                                "extend/pause/withdraw/reopen)"))
    p.add_argument("--at", type=_moment, metavar="DATETIME", help=_("when it happened (default: "
                                                                    "now)"))
    p.add_argument("--param", action="append", type=_key_value, default=[], metavar="KEY=VALUE",
                   help=_("any other input of the action; may be repeated"))
    for flag, key, kind, metavar, help_text in ACT_FLAGS:
        p.add_argument(flag, dest=f"param_{key}", type=kind, metavar=metavar, help=_(help_text))

    command(sub, "due", _("what is due next on every open complaint"), cmd_due)


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


# --- the session: database, acting user, stdin, output ----------------------------------------


@dataclass
class Session:
    args: argparse.Namespace
    stdin_used: int = 0
    opened: bool = False
    _actor: object = field(default=None, repr=False)

    def opt(self, name: str, default=None):
        return getattr(self.args, name, default)

    @property
    def as_json(self) -> bool:
        return bool(self.opt("json", False))

    def location(self) -> str:
        return self.opt("db") or default_location()

    def open_db(self, *, need_firm: bool = False, create: bool = False) -> None:
        """Open (and migrate) the database; only init and demo may create a new file."""
        location = self.location()
        if not create and not exists(location):
            raise UsageError(N_("There is no database at {path}; set one up with 'init' or "
                                "give --db."), field="db", path=location)
        setup.open_database(location)
        self.opened = True
        initialized = setup.is_initialized()
        if initialized and self.opt("lang") is None:
            set_language(workflow.firm().language)  # the firm's chosen language (SPEC §9)
        if need_firm and not initialized:
            workflow.firm()  # raises NotFound: "no firm yet: run 'init'"

    def stdin_line(self, what: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise UsageError(N_("Standard input ended before {what}."), what=tr_param(what))
        self.stdin_used += 1
        return line.rstrip("\r\n")

    def actor(self):
        """The acting user, logged in with their password (SPEC §2: no way around it)."""
        if self._actor is None:
            login = self.opt("user") or os.environ.get(ENV_USER, "")
            if not login:
                raise UsageError(N_("Say who is acting: --user LOGIN or the {env} environment "
                                    "variable."), env=ENV_USER)
            if self.opt("password_stdin"):
                password = self.stdin_line(N_("the password"))
            elif ENV_PASSWORD in os.environ:
                password = os.environ[ENV_PASSWORD]
            else:
                password = _ask(_("Password for {login}: ").format(login=login))
            self._actor = users.authenticate(login, password)
        return self._actor

    def new_password(self, login: str, *, from_stdin: bool) -> str:
        if from_stdin:
            password = self.stdin_line(N_("the new password"))
        else:
            password = _ask(_("New password for {login}: ").format(login=login))
            again = _ask(_("The same password again: "))
            if password != again:
                raise UsageError(N_("The two passwords are not the same."), field="password")
        users.validate_password(password)
        return password

    def emit(self, data, text: Callable[[], str]) -> None:
        """JSON of ``data`` with --json, else the human text (built only when needed)."""
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
        else:
            out = text()
            if out:
                print(out)


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError(N_("No password was given."), field="password") from None


def exists(location: str) -> bool:
    """Whether a database is there: a file that exists, or any server URL (asked on open)."""
    return "://" in location or Path(location).expanduser().exists()


def default_location() -> str:
    # models/ is off-limits to ui/; services.setup should re-export this (see the report).
    return setup.default_location()


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- text layout ----------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch)
               else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [_width(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    return "\n".join(lines)


def fields_block(pairs: Sequence[tuple[str, str]]) -> str:
    pairs = [(label, value) for label, value in pairs if value not in ("", None)]
    width = max((_width(label) for label, _v in pairs), default=0)
    return "\n".join(f"{_pad(label + ':', width + 1)} {value}" for label, value in pairs)


def _name(names: dict[str, str], code: str) -> str:
    return _(names[code]) if code in names else code


def _value_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


# --- commands: set-up and time limits -------------------------------------------------------


def cmd_init(s: Session) -> int:
    a = s.args
    s.open_db(create=True)
    if setup.is_initialized():
        raise UsageError(N_("This database already belongs to a firm."), field="db")
    password = s.new_password(a.owner, from_stdin=bool(s.opt("password_stdin")))
    firm = setup.init_firm(setup.FirmSetup(
        profile=a.profile, firm_name=a.firm, owner_login=a.owner, owner_password=password,
        owner_name=a.owner_name, address=a.address, phone=a.phone,
        language=s.opt("lang") or current_language()))
    data = {"firm": firm.name, "profile": firm.profile, "owner": a.owner,
            "database": s.location()}
    s.emit(data, lambda: _("Set up {firm} ({profile}) in {database}; the owner logs in as "
                           "{owner}.").format(firm=firm.name,
                                              profile=_name(PROFILE_NAMES, firm.profile),
                                              database=s.location(), owner=a.owner))
    return 0


def cmd_demo(s: Session) -> int:
    from services import demo
    a = s.args
    s.open_db(create=True)
    if setup.is_initialized():
        # Never mix sample data into a firm's real register.
        raise UsageError(N_("Demo data goes into a new, empty database; this one already "
                            "belongs to a firm."), field="db")
    summary = demo.generate_all(profile=a.profile, complaints=a.complaints, seed=a.seed,
                                progress=_progress_printer())
    data = _plain(summary)
    s.emit(data, lambda: "\n".join([_("Demo data for {profile} in {database}:").format(
        profile=_name(PROFILE_NAMES, a.profile), database=s.location()),
        fields_block([(_(DEMO_LABELS.get(k, k)), _value_text(v)) for k, v in data.items()])]))
    return 0


DEMO_LABELS = {
    "firm_name": N_("Firm name"), "profile": N_("Firm profile"), "complaints": N_("Complaints"),
    "by_state": N_("By state"), "overdue": N_("Overdue"), "extended": N_("Extended"),
    "archived": N_("Archived"), "users": N_("Users"), "password": N_("Password"),
    "seconds": N_("Seconds"), "vehicles": N_("Vehicles"),
    "warranty_claims": N_("Warranty claims"), "penalty_entries": N_("Penalty proposals"),
}


def _plain(obj) -> dict:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if hasattr(obj, "_asdict"):
        return dict(obj._asdict())
    return dict(vars(obj))


def _progress_printer() -> Callable[[float], None] | None:
    if not sys.stderr.isatty():
        return None

    def progress(fraction: float) -> None:
        sys.stderr.write(f"\r{int(fraction * 100):3d}%")
        if fraction >= 1:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


def _profile_limit(profile: str) -> str:
    """The profile's first customer time limit from registration, as text."""
    for rule in RULES[profile]:
        if rule.active and rule.start_on == "register" and rule.kind in ("any", "customer"):
            with language("en"):
                return describe_limit(rule.length, rule.unit)
    raise UsageError(N_("Give the time limit with --limit."), field="limit")


def cmd_deadline(s: Session) -> int:
    a = s.args
    if a.limit:
        limit = a.limit
    elif a.profile:
        limit = _profile_limit(a.profile)
    else:
        raise UsageError(N_("Give the time limit with --limit (or --profile for its usual "
                            "limit)."), field="limit")
    length, unit = parse_limit(limit)
    # Answering a question must not create a database: open one only if it is there.
    if s.opt("db") or exists(default_location()):
        s.open_db()
    if s.opened and setup.is_initialized() and timelimits.calendar().known_years():
        due, provisional = timelimits.due_at_from(a.start, limit)
        cal, source = timelimits.calendar(), "database"
    else:
        cal, source = WorkCalendar.builtin(), "builtin"
        result = compute_due(a.start, length, unit, cal, now=clock.now())
        due, provisional = result.due, result.provisional
    unofficial = [y for y in range(a.start.year, due.year + 1) if not cal.is_official(y)]
    data = {"start": _iso(a.start), "limit": describe_limit(length, unit), "length": length,
            "unit": unit, "due": _iso(due), "provisional": provisional, "calendar": source}

    def text() -> str:
        lines = [_("Due: {due} ({limit} from {start})").format(
            due=format_datetime(due), limit=describe_limit(length, unit),
            start=format_datetime(a.start))]
        if provisional:
            lines.append(_("Provisional: the official holidays of {years} are not published "
                           "yet; counted with weekends and the statutory holidays only.")
                         .format(years=", ".join(str(y) for y in unofficial)))
        return "\n".join(lines)

    s.emit(data, text)
    return 0


# --- commands: complaints --------------------------------------------------------------------


def cmd_list(s: Session) -> int:
    a = s.args
    s.open_db(need_firm=True)
    actor = s.actor()
    f = ComplaintFilter(text=a.search or "", kind=a.kind or "", category=a.category or "",
                        state=a.state or "", handler=a.handler or "", received_from=a.date_from,
                        received_to=a.date_to, overdue_only=a.overdue)
    total = complaints.count(actor, f)
    found = complaints.rows(actor, complaints.ids(actor, f, limit=a.limit))
    data = [{"ticket": r.ticket, "kind": r.kind, "state": r.state, "category": r.category_code,
             "category_name": r.category, "received": _iso(r.received),
             "next_due": _iso(r.next_due), "next_due_rule": r.next_due_rule,
             "overdue": r.overdue, "complainant": r.complainant, "respondent": r.respondent,
             "handler": r.handler, "severity": r.severity} for r in found]

    def text() -> str:
        headers = [_("Ticket"), _("Received"), _("Kind"), _("Complainant"), _("Category"),
                   _("State"), _("Handler"), _("Next due")]
        body = [[r.ticket, format_datetime(r.received), _name(KIND_NAMES, r.kind),
                 r.complainant + (" " + _("(major)") if r.severity == "major" else ""),
                 r.category, _name(workflow.STATE_NAMES, r.state), r.handler,
                 format_datetime(r.next_due) + (" " + _("OVERDUE") if r.overdue else "")]
                for r in found]
        return "\n".join([table(headers, body),
                          _("{shown} of {total}").format(shown=len(found), total=total)])

    s.emit(data, text)
    return 0


def _clock_json(k) -> dict:
    return {"rule": k.rule_code, "rule_name": k.rule_name, "limit": k.limit,
            "started": _iso(k.started_at), "due": _iso(k.due_at), "status": k.status,
            "provisional": k.provisional, "overdue": k.overdue, "due_soon": k.due_soon,
            "late": k.late, "responsible": k.responsible}


def _clock_text(k) -> str:
    marks = [_(CLOCK_STATUS_NAMES.get(k.status, k.status))]
    if k.overdue:
        marks.append(_("OVERDUE"))
    elif k.due_soon:
        marks.append(_("due soon"))
    if k.late:
        marks.append(_("late"))
    if k.provisional:
        marks.append(_("provisional"))
    return _("{rule} ({limit}): due {due} — {marks}").format(
        rule=k.rule_name, limit=k.limit, due=format_datetime(k.due_at), marks=", ".join(marks))


def _change(before: str, after: str) -> str:
    """"Registered → Acknowledged", or just the state when it did not change."""
    names = workflow.STATE_NAMES
    if not before or before == after:
        return _name(names, after)
    return f"{_name(names, before)} → {_name(names, after)}"


def _event_json(e) -> dict:
    return {"id": e.id, "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
            "actor": e.actor, "at": _iso(e.at), "recorded_at": _iso(e.recorded_at),
            "note": e.note, "data": e.data}


def _event_text(e) -> str:
    lines = [f"{format_datetime(e.at)}  {e.actor}  {_name(workflow.ACTION_NAMES, e.action)}"
             f"  [{_change(e.from_state, e.to_state)}]"]
    if e.note:
        lines.append(f"    {e.note}")
    for key, value in (e.data or {}).items():
        if key in _EVENT_DATA_HIDDEN or value in (None, "", [], {}):
            continue
        if key == "remedy":
            value = _name(REMEDY_NAMES, value)
        elif key == "route":
            value = _name(EXTERNAL_ROUTE_NAMES, value)
        elif key == "channel":
            value = _name(CHANNEL_NAMES, value)
        label = _(EVENT_DATA_LABELS[key]) if key in EVENT_DATA_LABELS else key
        lines.append(f"    {label}: {_value_text(value)}")
    return "\n".join(lines)


def cmd_show(s: Session) -> int:
    s.open_db(need_firm=True)
    actor = s.actor()
    d = complaints.detail(s.args.ticket, actor=actor)
    c, person = d.complaint, d.complainant
    row = next(iter(complaints.rows(actor, [c.id])), None)
    departments = {dept.id: dept.code for dept in users.list_departments()}
    data = {
        "ticket": c.ticket, "kind": c.kind, "state": c.state, "channel": c.channel,
        "channel_detail": c.channel_detail, "category": row.category_code if row else None,
        "category_name": d.category_name, "severity": c.severity,
        "complainant": {"name": person.name, "phone": person.phone, "address": person.address,
                        "email": person.email, "contract_no": person.contract_no,
                        "department": departments.get(person.department_id)},
        "respondent": d.respondent, "handler": d.handler, "registered_by": d.registered_by,
        "received": _iso(c.received_at), "occurred": _iso(c.occurred_at),
        "location": c.location, "description": c.description, "request": c.request,
        "decision": c.decision, "decision_reasons": c.decision_reasons, "remedy": c.remedy,
        "compensation": c.compensation, "responsibility": c.responsibility,
        "satisfaction": c.satisfaction, "external_route": c.external_route,
        "root_cause": c.root_cause, "level": c.level, "review_level": c.review_level,
        "next_due": _iso(c.next_due_at), "overdue": row.overdue if row else False,
        "closed": _iso(c.closed_at),
        "clocks": [_clock_json(k) for k in d.clocks],
        "timeline": [_event_json(e) for e in d.events],
        "attachments": [{"filename": x.filename, "size": x.size, "sha256": x.sha256,
                         "added_by": x.added_by, "added_at": _iso(x.added_at)}
                        for x in d.attachments],
        "allowed": d.allowed,
    }

    def text() -> str:
        facts = fields_block([
            (_("Ticket"), c.ticket), (_("State"), _name(workflow.STATE_NAMES, c.state)),
            (_("Kind"), _name(KIND_NAMES, c.kind)),
            (_("Channel"), " ".join(x for x in (_name(CHANNEL_NAMES, c.channel),
                                                c.channel_detail) if x)),
            (_("Category"), d.category_name), (_("Severity"), _name(SEVERITY_NAMES, c.severity)),
            (_("Complainant"), " / ".join(x for x in (person.name, person.phone, person.address,
                                                      person.email) if x)),
            (_("Contract / order no."), person.contract_no),
            (_("Respondent"), d.respondent), (_("Received"), format_datetime(c.received_at)),
            (_("Happened at"), format_datetime(c.occurred_at)), (_("Place"), c.location),
            (_("What happened"), c.description), (_("Request"), c.request),
            (_("Registered by"), d.registered_by), (_("Handler"), d.handler),
            (_("Decision"), c.decision), (_("Reasons"), c.decision_reasons),
            (_("Remedy"), _name(REMEDY_NAMES, c.remedy) if c.remedy else ""),
            (_("Amount"), str(c.compensation) if c.compensation is not None else ""),
            (_("Responsibility"), c.responsibility),
            (_("Satisfaction"), _name(SATISFACTION_NAMES, c.satisfaction)),
            (_("External route"), _name(EXTERNAL_ROUTE_NAMES, c.external_route)
             if c.external_route else ""),
            (_("Root cause"), c.root_cause),
        ])
        parts = [facts, "", _("Time limits:")]
        parts += [f"  {_clock_text(k)}" for k in d.clocks] or ["  " + _("none")]
        if d.attachments:
            parts += ["", _("Attachments:")]
            parts += [f"  {x.filename} ({x.size} B, {x.added_by}, {format_datetime(x.added_at)})"
                      for x in d.attachments]
        parts += ["", _("Timeline (newest first):")]
        parts += ["  " + _event_text(e).replace("\n", "\n  ") for e in d.events]
        parts += ["", _("You may now: {actions}").format(
            actions=", ".join(f"{a} ({_name(workflow.ACTION_NAMES, a)})" for a in d.allowed)
            or _("nothing"))]
        return "\n".join(parts)

    s.emit(data, text)
    return 0


def cmd_register(s: Session) -> int:
    a = s.args
    s.open_db(need_firm=True)
    actor = s.actor()
    result = complaints.register(ComplaintInput(
        kind=a.kind, channel=a.channel, channel_detail=a.channel_detail,
        complainant_name=a.name, complainant_phone=a.phone, complainant_address=a.address,
        complainant_email=a.email, contract_no=a.contract, complainant_department=a.department,
        respondent_user=a.respondent_user, respondent_department=a.respondent_department,
        respondent_text=a.respondent_text, received_at=a.received, occurred_at=a.occurred,
        location=a.location, description=a.description, request=a.request,
        category=a.category, severity=a.severity), actor=actor, note=a.note)
    _report_step(s, actor, result, _("Registered complaint {ticket}.").format(
        ticket=result.ticket))
    return 0


def _report_step(s: Session, actor, result: workflow.ActionResult, headline: str) -> None:
    row = next(iter(complaints.rows(actor, [result.complaint_id])), None)
    data = {"ticket": result.ticket, "state": result.state, "action": result.action,
            "from_state": result.from_state, "event_id": result.event_id, "data": result.data,
            "next_due": _iso(row.next_due) if row else None}

    def text() -> str:
        lines = [headline]
        if row is not None and row.next_due is not None:
            lines.append(_("Next due: {due}").format(due=format_datetime(row.next_due))
                         + (" " + _("OVERDUE") if row.overdue else ""))
        return "\n".join(lines)

    s.emit(data, text)


def cmd_act(s: Session) -> int:
    a = s.args
    params = dict(a.param)
    for _flag, key, _kind, _metavar, _help in ACT_FLAGS:
        value = getattr(a, f"param_{key}")
        if value is None:
            continue
        if key in params:
            raise UsageError(N_("{name} is given twice (as a flag and with --param)."),
                             field=key, name=key)
        params[key] = value
    s.open_db(need_firm=True)
    actor = s.actor()
    complaint = complaints.find(a.ticket, actor=actor)
    result = workflow.act(complaint.id, a.action, actor=actor, note=a.note, at=a.at, **params)
    _report_step(s, actor, result, _("{ticket}: {action} [{change}]").format(
        ticket=result.ticket, action=_name(workflow.ACTION_NAMES, result.action),
        change=_change(result.from_state, result.state)))
    return 0


def cmd_due(s: Session) -> int:
    s.open_db(need_firm=True)
    items = complaints.next_due(s.actor())
    data = [{"ticket": n.ticket, "rule": n.rule, "due": _iso(n.due), "status": n.status}
            for n in items]
    s.emit(data, lambda: table(
        [_("Ticket"), _("Time limit"), _("Due"), _("Status")],
        [[n.ticket, n.rule, format_datetime(n.due), _name(DUE_STATUS_NAMES, n.status)]
         for n in items]) if items else _("Nothing is due."))
    return 0


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


# --- entry point -----------------------------------------------------------------------------


def wants_cli(argv: Sequence[str]) -> bool:
    """Whether main.py should run a command (else it opens the window)."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in ("-h", "--help"):
            return True
        if token == "--":
            return i + 1 < len(argv)
        if token.startswith("-"):
            i += 2 if token in VALUE_OPTIONS else 1
            continue
        return True  # the first word is the command; argparse rejects unknown ones
    return False


def _prescan(argv: Sequence[str]) -> tuple[str | None, bool]:
    """--lang and --debug before parsing, so help and parse errors already use them."""
    pre = _Parser(add_help=False, allow_abbrev=False)
    pre.add_argument("--lang")
    try:
        known, _rest = pre.parse_known_args(list(argv))
        lang = normalize(known.lang) if known.lang else None
    except (_ArgError, ValueError):
        lang = None  # the real parser reports it
    return lang, "--debug" in argv


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(message: str) -> None:
    print(_("error: {message}").format(message=_one_line(message)), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 done, 2 bad input/refused, 1 unexpected)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = current_language()
    lang, debug = _prescan(argv)
    session = None
    try:
        if lang:
            set_language(lang)
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return exc.code if isinstance(exc.code, int) else 0
        session = Session(args)
        return args.func(session)
    except _ArgError as exc:
        _fail(str(exc))
        return 2
    except DomainError as exc:  # ValidationError, PermissionDenied, StateError, SchemaError…
        _fail(exc.message())
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place the unexpected is reported
        if debug:
            traceback.print_exc()
        _fail(_("unexpected {kind}: {detail} (run again with --debug for details)").format(
            kind=type(exc).__name__, detail=exc))
        return 1
    finally:
        if session is not None and session.opened:
            setup.close_database()
        set_language(previous)
