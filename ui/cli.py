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

import services.complaints.path as workflow
import services.firm.setup as setup
import services.people.users as users
import services.timelimits.clocks as timelimits
from services import clock
from services.errors import DomainError, tr_param
from services.firm.profiles import (
    EXTERNAL_ROUTE_NAMES,
    PROFILE_NAMES,
    PROFILES,
    REMEDY_NAMES,
    RULES,
)
from services.i18n import (
    LANGUAGES,
    N_,
    _,
    current_language,
    format_datetime,
    language,
    normalize,
    set_language,
)
from services.timelimits.arithmetic import compute_due, describe_limit, parse_limit
from services.timelimits.workcalendar import WorkCalendar

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

    from ui import cli_admin, cli_complaints  # each group of commands in its own module

    cli_complaints.add_commands(command, commands)
    cli_admin.add_commands(command, commands)
    from ui import cli_warranty  # SPEC §6 commands, in their own module

    cli_warranty.add_commands(command, commands)
    from ui import cli_penalties  # SPEC §7 commands, in their own module

    cli_penalties.add_commands(command, commands)
    from ui import cli_documents  # SPEC §8 documents

    cli_documents.add_commands(command, commands)
    cli_documents.add_report_commands(command, commands)  # issue 6: `report monthly …`
    return parser


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
