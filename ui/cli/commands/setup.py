"""Command line: set up a firm (`init`), sample data (`demo`), when a time limit falls due
(`deadline`), and the firm's time limits (`time-limit`)."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass

from services import clock, settings
from services.firm import PROFILE_NAMES, PROFILES, RULES, setup
from services.i18n import N_, _, current_language, format_datetime, language
from services.timelimits import WorkCalendar, compute_due, describe_limit, parse_limit
from services.timelimits import clocks as timelimits
from ui.cli.args import UsageError, one_of, parse_count, parse_moment, parse_yes_no
from ui.cli.context import CliContext, default_location, exists
from ui.cli.output import (
    DEMO_LABELS,
    display_name,
    fields_block,
    iso,
    progress_printer,
    value_text,
)


def add_commands(command, commands) -> None:
    p = command(commands, "init", _("set up a new firm in a new database"), cmd_init)
    p.add_argument("--profile", required=True, type=one_of(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile: presets for categories and time limits"))
    p.add_argument("--firm", required=True, metavar="NAME", help=_("the firm's name"))
    p.add_argument("--owner", required=True, metavar="LOGIN", help=_("the owner's login"))
    p.add_argument("--owner-name", metavar="NAME", default="", help=_("the owner's name"))
    p.add_argument("--address", default="", help=_("the firm's address"))
    p.add_argument("--phone", default="", help=_("the firm's phone"))

    p = command(commands, "demo", _("fill a new database with realistic sample data"), cmd_demo)
    p.add_argument("--profile", required=True, type=one_of(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile"))
    p.add_argument("--complaints", type=parse_count, default=200, metavar="N",
                   help=_("how many complaints (default: 200)"))
    p.add_argument("--seed", type=parse_count, default=1, metavar="N",
                   help=_("random seed, for the same data every time (default: 1)"))

    p = command(commands, "deadline", _("when a time limit falls due"), cmd_deadline)
    p.add_argument("--start", required=True, type=parse_moment, metavar="DATETIME",
                   help=_("when the clock starts, e.g. 2026-09-25T10:00"))
    p.add_argument("--limit", metavar="LIMIT",
                   help=_('"30 minutes", "24 hours", "3 days", "15 working days" (default: the '
                          "profile's reply limit)"))
    p.add_argument("--profile", type=one_of(PROFILES), metavar="|".join(PROFILES),
                   help=_("firm profile whose usual limit to use when --limit is not given"))

    p = command(commands, "time-limit", _("add or change a time limit (the owner)"),
                cmd_time_limit)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name-zh", metavar="TEXT", help=_("the Chinese name"))
    p.add_argument("--name-en", metavar="TEXT", help=_("the English name"))
    p.add_argument("--start", metavar="STEP,…", help=_("the steps that start the clock"))
    p.add_argument("--stop", metavar="STEP,…", help=_("the steps that meet the limit"))
    p.add_argument("--limit", metavar="LIMIT",
                   help=_('"30 minutes", "24 hours", "3 days", "15 working days"'))
    p.add_argument("--kind", type=one_of(_KINDS), metavar="|".join(_KINDS),
                   help=_("the kind of complaint it applies to"))
    p.add_argument("--severity", type=one_of(_SEVERITIES), metavar="|".join(_SEVERITIES),
                   help=_("the severity it applies to"))
    p.add_argument("--max-total", metavar="N|none",
                   help=_("the longest total with extensions, in the limit's unit"))
    p.add_argument("--senior-above", metavar="N|none",
                   help=_("extending past this total needs a manager or the owner"))
    p.add_argument("--roll", type=parse_yes_no, metavar="yes|no",
                   help=_("calendar days: a last day that is a rest day moves on to the next "
                          "working day"))
    p.add_argument("--category", metavar="CODE|any",
                   help=_("one category only, replacing the limit for every category between "
                          "the same steps; any: every category"))
    p.add_argument("--active", type=parse_yes_no, metavar="yes|no",
                   help=_("whether it is in use"))


_KINDS = ("customer", "employee", "any")
_SEVERITIES = ("normal", "major", "any")


def cmd_init(s: CliContext) -> int:
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
            "database": s.shown_location()}
    s.emit(data, lambda: _("Set up {firm} ({profile}) in {database}; the owner logs in as "
                           "{owner}.").format(firm=firm.name,
                                              profile=display_name(PROFILE_NAMES, firm.profile),
                                              database=s.shown_location(), owner=a.owner))
    return 0


def cmd_demo(s: CliContext) -> int:
    from services import demo  # lazy: the sample-data generator loads only for `demo` (start-up)

    a = s.args
    s.open_db(create=True)
    if setup.is_initialized():
        # Never mix sample data into a firm's real register.
        raise UsageError(N_("Demo data goes into a new, empty database; this one already "
                            "belongs to a firm."), field="db")
    summary = demo.generate_all(profile=a.profile, complaints=a.complaints, seed=a.seed,
                                progress=progress_printer())
    data = _plain(summary)
    s.emit(data, lambda: "\n".join([_("Demo data for {profile} in {database}:").format(
        profile=display_name(PROFILE_NAMES, a.profile), database=s.shown_location()),
        fields_block([(_(DEMO_LABELS.get(k, k)), value_text(v)) for k, v in data.items()])]))
    return 0


def _plain(obj) -> dict:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if hasattr(obj, "_asdict"):
        return dict(obj._asdict())
    return dict(vars(obj))


def _profile_limit(profile: str) -> str:
    """The profile's first customer time limit from registration, as text."""
    for rule in RULES[profile]:
        if rule.active and rule.start_on == "register" and rule.kind in ("any", "customer"):
            with language("en"):
                return describe_limit(rule.length, rule.unit)
    raise UsageError(N_("Give the time limit with --limit."), field="limit")


def cmd_deadline(s: CliContext) -> int:
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
    data = {"start": iso(a.start), "limit": describe_limit(length, unit), "length": length,
            "unit": unit, "due": iso(due), "provisional": provisional, "calendar": source}

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


def _none_or(text: str | None) -> str | None:
    """A number given on the command line; "none" clears it (an empty value)."""
    return "" if text is not None and text.strip().lower() == "none" else text


def cmd_time_limit(s: CliContext) -> int:
    """Add a time limit, or change what is given of an existing one (the rest stays as it
    is); services.settings.save_rule checks the owner and the values (rules.md §5)."""
    a = s.args
    actor = s.log_in()
    current = next((r for r in settings.rules() if r.code == a.code.strip()), None)

    def pick(given, attr: str, default=""):
        if given is not None:
            return given
        return getattr(current, attr) if current is not None else default

    if a.limit is not None:
        length, unit = parse_limit(a.limit)
    elif current is not None:
        length, unit = current.length, current.unit
    else:
        raise UsageError(N_("Give the time limit with --limit."), field="limit")
    category = None if a.category is None else (
        "" if a.category.strip().lower() == "any" else a.category)
    saved = settings.save_rule(
        actor=actor, code=a.code, name_zh=pick(a.name_zh, "name_zh"),
        name_en=pick(a.name_en, "name_en"), start_on=pick(a.start, "start_on"),
        stop_on=pick(a.stop, "stop_on"), length=length, unit=unit,
        kind=pick(a.kind, "kind", "any"), severity=pick(a.severity, "severity", "any"),
        max_total=pick(_none_or(a.max_total), "max_total", None),
        senior_above=pick(_none_or(a.senior_above), "senior_above", None),
        roll_to_workday=pick(a.roll, "roll_to_workday", True),
        category=pick(category, "category"), active=pick(a.active, "active", True))
    data = {**asdict(saved), "limit": saved.limit}
    s.emit(data, lambda: _("Saved the time limit {code}: {name}, {limit}.").format(
        code=saved.code, name=saved.name, limit=saved.limit))
    return 0
