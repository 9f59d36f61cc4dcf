"""Building the parser: the common options, the argument types shared by every command group,
and ``UsageError`` for bad input (exit status 2)."""
from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from types import ModuleType

from services.errors import DomainError
from services.i18n import LANGUAGES, _, normalize
from ui.cli.streams import program_name

# Global options that take a value: main.py skips them when looking for the command word.
VALUE_OPTIONS = ("--db", "--lang", "--user")
ENV_USER = "COMPLAINTDESK_USER"
ENV_PASSWORD = "COMPLAINTDESK_PASSWORD"


class UsageError(DomainError):
    """Bad command-line input (exit status 2), translated like the services' errors."""


class ArgError(Exception):
    """argparse found bad syntax; carries argparse's own one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage and exits; we want one line
        raise ArgError(f"{self.prog}: {message}")


# --- argument types: each failure names the value and what was expected ----------------------


def parse_moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a date and time like 2026-09-25T10:00').format(text=text)) from None
    if value.tzinfo is not None:
        # All times are the firm's local wall-clock time (models.entities).
        raise argparse.ArgumentTypeError(
            _('"{text}": give the local time without a time zone').format(text=text))
    return _in_years(value, text)


def _in_years(value, text: str):
    """Dates the user gives are in 2000–2100 (services.validation): year 9999 overflows."""
    if not 2000 <= value.year <= 2100:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not in the years 2000 to 2100').format(text=text))
    return value


def parse_day(text: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a date like 2026-09-25').format(text=text)) from None
    return _in_years(value, text)


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a whole number of zero or more').format(text=text))
    if value > 2**31 - 1:  # what an integer column or an id holds on PostgreSQL
        raise argparse.ArgumentTypeError(
            _('"{text}" is too large (at most 2147483647)').format(text=text))
    return value


def parse_year(text: str) -> int:
    value = parse_count(text)
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not a year between 2000 and 2100').format(text=text))
    return value


def one_of(choices: Sequence[str], *, dashes: bool = False) -> Callable[[str], str]:
    """An argument type accepting one of ``choices`` (with ``dashes``, "a-b" means "a_b")."""
    def convert(text: str) -> str:
        value = text.strip().replace("-", "_") if dashes else text.strip()
        if value not in choices:
            raise argparse.ArgumentTypeError(
                _('unknown choice "{value}"; choose from {choices}').format(
                    value=text, choices=", ".join(choices)))
        return value

    return convert


def parse_language(text: str) -> str:
    try:
        return normalize(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('unknown language "{value}"; choose from {choices}').format(
                value=text, choices=", ".join(LANGUAGES))) from None


_YES = ("yes", "y", "true", "1", "是", "满意")
_NO = ("no", "n", "false", "0", "否", "不满意")


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES or value in _NO:
        return value in _YES
    raise argparse.ArgumentTypeError(_('"{text}": answer yes or no').format(text=text))


def parse_key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            _('"{text}" is not key=value').format(text=text))
    return key.strip().replace("-", "_"), value


# --- the parser --------------------------------------------------------------------------------


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
    group.add_argument("--lang", type=parse_language, metavar="zh_CN|en",
                       default=argparse.SUPPRESS, help=_("language of messages"))
    group.add_argument("--user", metavar="LOGIN", default=argparse.SUPPRESS,
                       help=_("acting user (default: ${env})").format(env=ENV_USER))
    group.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                       help=_("read the password from the first line of standard input "
                              "(otherwise ${env}, otherwise a prompt)").format(env=ENV_PASSWORD))
    group.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help=_("show the traceback of an unexpected error"))
    return common


def build_parser(groups: Iterable[ModuleType]) -> argparse.ArgumentParser:
    """The whole command tree; built after --lang is known so help texts are translated.

    Each of ``groups`` (the modules of ui.cli.commands) adds its commands through
    ``add_commands(command, commands)``, in the order given (the order of --help).
    """
    common = _common()
    parser = _Parser(prog=program_name(), parents=[common], allow_abbrev=False,
                     description=_("ComplaintDesk from the command line. Without a command the "
                                   "window opens."))
    parser.add_argument("--version", action="version", version=version_line(),
                        help=_("print the program's version and exit"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(group, name: str, help_text: str, func=None, **kwargs) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=help_text, description=help_text, parents=[common],
                             allow_abbrev=False, **kwargs)
        if func is not None:
            p.set_defaults(func=func)
        return p

    for module in groups:
        module.add_commands(command, commands)
    return parser


def wants_cli(argv: Sequence[str]) -> bool:
    """Whether main.py should run a command (else it opens the window)."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in ("-h", "--help", "--version"):
            return True
        if token == "--":
            return i + 1 < len(argv)
        if token.startswith("-"):
            i += 2 if token in VALUE_OPTIONS else 1
            continue
        return True  # the first word is the command; argparse rejects unknown ones
    return False


def version_requested(argv: Sequence[str]) -> bool:
    """``--version`` before any command: print it and exit, without Qt or a database."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--version":
            return True
        if token == "--" or not token.startswith("-"):
            return False
        i += 2 if token in VALUE_OPTIONS else 1
    return False


def version_line() -> str:
    import services

    return f"ComplaintDesk {services.__version__}"


def prescan(argv: Sequence[str]) -> tuple[str | None, bool]:
    """--lang and --debug before parsing, so help and parse errors already use them."""
    pre = _Parser(add_help=False, allow_abbrev=False)
    pre.add_argument("--lang")
    try:
        known, _rest = pre.parse_known_args(list(argv))
        lang = normalize(known.lang) if known.lang else None
    except (ArgError, ValueError):
        lang = None  # the real parser reports it
    return lang, "--debug" in argv
