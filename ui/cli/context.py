"""What one command run works with: its arguments, the database, the acting user, stdin and
the output (JSON or text)."""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from services.complaints import path as workflow
from services.errors import PasswordNeeded, tr_param
from services.firm import credentials, setup
from services.i18n import N_, _, set_language
from services.people import users
from ui.cli.args import ENV_PASSWORD, ENV_USER, UsageError
from ui.cli.output import print_json

ENV_DB_PASSWORD = "COMPLAINTDESK_DB_PASSWORD"  # the database server's password (never --db)


@dataclass
class CliContext:
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

    def shown_location(self) -> str:
        """The location as printed: a server URL's password as *** (docs/design.md)."""
        return credentials.redact(self.location())

    def open_db(self, *, need_firm: bool = False, create: bool = False) -> None:
        """Open (and migrate) the database; only init and demo may create a new file."""
        location = self.location()
        if not create and not exists(location):
            raise UsageError(N_("There is no database at {path}; set one up with 'init' or "
                                "give --db."), field="db", path=location)
        self._open_server_or_file(location)
        self.opened = True
        initialized = setup.is_initialized()
        if initialized and self.opt("lang") is None:
            set_language(workflow.firm().language)  # the firm's chosen language (docs/rules.md)
        if need_firm and not initialized:
            workflow.firm()  # raises NotFound: "no firm yet: run 'init'"

    def _open_server_or_file(self, location: str) -> None:
        """docs/design.md, Credentials: a server's password comes from the URL, the
        COMPLAINTDESK_DB_PASSWORD variable or the keyring, else it is asked for once."""
        _log_to_file()
        try:
            credentials.open_database(location, os.environ.get(ENV_DB_PASSWORD) or None)
        except PasswordNeeded as exc:
            if os.environ.get(ENV_DB_PASSWORD) or not sys.stdin.isatty():
                raise
            print(exc.message(), file=sys.stderr)
            password = _ask(_("Database password: "))
            credentials.open_database(credentials.without_password(location), password)

    def log_in(self):
        """Open the firm's database and log the acting user in: how most commands start."""
        self.open_db(need_firm=True)
        return self.actor()

    def stdin_line(self, what: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise UsageError(N_("Standard input ended before {what}."), what=tr_param(what))
        self.stdin_used += 1
        return line.rstrip("\r\n")

    def actor(self):
        """The acting user, logged in with their password (docs/rules.md: no way around it)."""
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
            print_json(data)
        else:
            out = text()
            if out:
                print(out)

    def close(self) -> None:
        """Close the database if this run opened it."""
        if self.opened:
            setup.close_database()


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError(N_("No password was given."), field="password") from None


def _log_to_file() -> None:
    """Failed log-ins on the command line go to the program's log too (docs/rules.md §10)."""
    logger = logging.getLogger("complaintdesk")
    if not logger.handlers:
        logger.addHandler(_AppLog())
        logger.setLevel(logging.INFO)


class _AppLog(logging.Handler):
    """Appends a line to complaintdesk.log in the data folder of the moment (no password)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = credentials.redact_text(
                f"{record.levelname} {record.name} (command line): {record.getMessage()}")
            with open(Path(setup.data_folder()) / "complaintdesk.log", "a",
                      encoding="utf-8") as f:
                f.write(f"{self.formatTime(record)} {line}\n")
        except Exception:  # noqa: BLE001 - logging must never stop a command
            self.handleError(record)

    def formatTime(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return logging.Formatter().formatTime(record)


def exists(location: str) -> bool:
    """Whether a database is there: a file that exists, or any server URL (asked on open)."""
    return "://" in location or Path(location).expanduser().exists()


def default_location() -> str:
    """The database in the user's data folder (ui/ reaches models/ only through services)."""
    return setup.default_location()
