"""Opening a database, and setting up a new firm from its profile's presets (rules.md §1)."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

import peewee as pw

from models import db as dbmod
from models import errors as models_errors
from models import migrations
from models.db import database
from models.entities import Category, DeadlineRule, Department, Firm
from models.migrations import current_version, latest_version, migrate
from services import __version__, backup, clock, hooks
from services.errors import (
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseRefused,
    DomainError,
    SchemaError,
    ValidationError,
)
from services.firm.profiles import (
    APPROVAL_REQUIRED,
    CATEGORIES,
    DEPARTMENTS,
    PROFILES,
    RULES,
    add_missing_presets,
)
from services.i18n import LANGUAGES, N_, normalize
from services.people import users
from services.timelimits import workcalendar
from services.validation import clean_choice, clean_text


def default_location() -> str:
    """The embedded SQLite file in the user's data folder (rules.md §1: one PC by default)."""
    return dbmod.default_location()


def absolute_location(location: str) -> str:
    """A SQLite path made absolute (a URL unchanged), as it is remembered for the next start."""
    return dbmod.absolute_location(location)


def data_folder():
    """The user's data folder (%APPDATA%\\ComplaintDesk on Windows): logs, exported files."""
    return dbmod.data_dir()


def location_label() -> str:
    return dbmod.location_label()




log = logging.getLogger("complaintdesk.database")
STATUS_LOGGER = "complaintdesk.database.status"  # a sentence for the user: read-only, damaged
status_log = logging.getLogger(STATUS_LOGGER)

# docs/design.md, Integrity and backups: what a SQLite file that cannot be used is, in words.
REFUSED = {
    "empty": N_("The file {path} is empty (0 bytes): it is not a ComplaintDesk database. It was "
                "left as it is; restore a backup, or choose another file."),
    "truncated": N_("The file {path} is cut short: it ends before its own data does (a copy "
                    "that did not finish?). It was not opened and not changed; restore a "
                    "backup, or copy the file again."),
    "not_sqlite": N_("The file {path} is not a database. It was not opened and not changed; "
                     "choose the ComplaintDesk database file."),
    "foreign": N_("The file {path} is a database of another program, not of ComplaintDesk. It "
                  "was not opened and not changed."),
    "unreadable": N_("The file {path} cannot be read (check its permissions). It was not "
                     "changed."),
}
DAMAGED = N_("The database {path} is damaged: SQLite's check found errors in it. It is open "
             "read-only so that nothing more is lost; restore the latest good backup.")
READ_ONLY = N_("The database {path} is read-only (the file, its folder or the disk cannot be "
               "written to): you can look, but nothing can be changed.")
UNREADABLE = N_("The database {path} is so damaged that it cannot be read. It was not "
                "changed; restore the latest good backup.")
DAMAGED_NOW = N_("The database {path} is damaged: SQLite found a broken page while reading "
                 "it. Nothing was changed; restore the latest good backup (Settings › "
                 "Backups, or 'restore --latest' on the command line).")
WRITE_REFUSED = N_("The database is open read-only; nothing was changed.")
# Copies before migrations go into the verified backup rotation (models.migrations).
migrations.copy_aside = backup.before_migration


@dataclass(frozen=True)
class OpenStatus:
    """How the open database was opened: ``read_only`` (a read-only file or medium, or a
    ``damaged`` one), and what SQLite's check found in a damaged one (``problems``)."""

    location: str = ""
    read_only: bool = False
    damaged: bool = False
    problems: tuple[str, ...] = field(default=())

    def warning(self) -> DomainError | None:
        """The sentence the window and the command line show, or None for a sound file."""
        if self.damaged:
            return DatabaseDamaged(DAMAGED, path=self.location)
        if self.read_only:
            return DatabaseReadOnly(READ_ONLY, path=self.location)
        return None


_status = OpenStatus()


DAILY_BACKUP_ENV = "COMPLAINTDESK_DAILY_BACKUP"


def daily_backups() -> bool:
    """Whether opening a sound SQLite file makes the day's first backup: yes, unless the
    COMPLAINTDESK_DAILY_BACKUP variable is 0 (the test suite, a script on a read-only share)."""
    return os.environ.get(DAILY_BACKUP_ENV, "1").strip().lower() not in ("0", "no", "false")


def open_status() -> OpenStatus:
    return _status


def _refuse_write(kind: str) -> DomainError:
    """The error SQLite's own becomes (models.db.AppSqliteDatabase): a write to a read-only
    file, or a page found damaged while reading or writing."""
    if kind == "damaged":
        return DatabaseDamaged(DAMAGED_NOW, path=_status.location)
    return DatabaseReadOnly(WRITE_REFUSED)


def open_database(location: str | None = None, *, read_only: bool = False):
    """Bind the proxy to ``location`` (path or PostgreSQL URL) and migrate it.

    A SQLite file is checked first (docs/design.md, Integrity and backups): one that is not a
    usable ComplaintDesk database is refused untouched (DatabaseRefused); one that fails
    SQLite's quick check, or cannot be written, or ``read_only``, is opened read-only
    (``open_status()`` says why). A sound, writable file is backed up on the first start of a
    day, before any migration."""
    global _status
    location = location or dbmod.default_location()
    sqlite_file = not dbmod.is_postgres_url(location) and location != ":memory:"
    damaged, problems = False, ()
    if sqlite_file:
        probe = dbmod.probe_sqlite(location)
        if probe.state in REFUSED:
            log.warning("Database %s refused (%s) %s", location, probe.state, probe.detail)
            raise DatabaseRefused(REFUSED[probe.state], field="db", path=location)
        damaged = probe.state == "damaged"
        problems = tuple(probe.detail.splitlines())
        read_only = read_only or probe.read_only or damaged
        if probe.state == "new" and read_only:
            raise DatabaseReadOnly(N_("A new database cannot be made at {path}: the folder "
                                      "cannot be written to."), field="db", path=location)
    else:
        read_only = False
    _status = OpenStatus(location=location, read_only=read_only, damaged=damaged,
                         problems=problems)
    db = dbmod.bind(location, read_only=read_only, refuse=_refuse_write)
    try:
        db.connect(reuse_if_open=True)
    except pw.DatabaseError as exc:
        if not damaged:
            raise
        # Too damaged even to read its schema: nothing can be shown; a backup can be restored.
        log.warning("Database %s unreadable: %s", location, exc)
        raise DatabaseDamaged(UNREADABLE, field="db", path=location) from exc
    if read_only:
        _check_read_only_schema(db, location)
        applied = []
        warning = _status.warning()
        if warning is not None:  # the command line prints these (ui/cli/commands/backups.py)
            status_log.warning("%s", warning.message())
    else:
        if sqlite_file and probe.state == "ok" and daily_backups():
            backup.automatic_backup(location, on_problem=lambda exc: log.warning(
                "No automatic backup of %s: %s", location, exc))
        try:
            applied = migrate(db, app_version=__version__)
        except models_errors.SchemaError as exc:
            raise SchemaError(exc.msgid, **exc.params) from exc
    try:
        f = Firm.select().first()
    except (pw.DatabaseError, DatabaseDamaged):
        if not damaged:
            raise
        f = None  # a damaged file: what can still be read is read, page by page
    if f is not None:
        clock.set_timezone(f.timezone)
        if applied:  # an upgrade: presets added since the firm was set up (rules.md §1)
            add_missing_presets(f.profile)
    return db


NEEDS_UPGRADE = N_("The database {path} needs an upgrade to this version of ComplaintDesk, "
                   "which cannot be written into a read-only file. Copy it where it can be "
                   "written, or restore a backup.")


def _check_read_only_schema(db, location: str) -> None:
    """A read-only file cannot be migrated: it is usable only at this program's schema."""
    try:
        version = current_version(db)
    except models_errors.SchemaError as exc:
        db.close()
        raise DatabaseRefused(REFUSED["foreign"], field="db", path=location) from exc
    except (pw.DatabaseError, DatabaseDamaged):
        return  # damaged where the history is: the rest may still be read
    if version > latest_version():
        db.close()
        raise SchemaError(N_("This database was written by a newer version of ComplaintDesk "
                             "(schema {found}, this program knows {known}). Please install the "
                             "newer version; the database was not changed."),
                          found=version, known=latest_version())
    if version < latest_version():
        db.close()
        raise DatabaseReadOnly(NEEDS_UPGRADE, field="db", path=location)


def close_database() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def firm_profile() -> str:
    """The firm's profile (repair-shop, law-firm, company, bank), "" before set-up."""
    firm = Firm.select(Firm.profile).first()
    return firm.profile if firm else ""


def is_initialized() -> bool:
    try:
        return Firm.select().exists()
    except DatabaseDamaged:
        if not _status.damaged:
            raise
        raise DatabaseDamaged(UNREADABLE, field="db", path=_status.location) from None


@dataclass(frozen=True)
class FirmSetup:
    """What the first-start wizard asks: the firm's profile and name, and its owner's log-in."""
    profile: str
    firm_name: str
    owner_login: str
    owner_password: str
    owner_name: str = ""
    address: str = ""
    phone: str = ""
    language: str = "zh_CN"


def init_firm(setup: FirmSetup) -> Firm:
    """Create the firm, its owner, and the profile's departments, categories, time limits and
    the holiday calendar, in one transaction."""
    profile = clean_choice(setup.profile, PROFILES, field="profile", label=N_("Firm profile"))
    name = clean_text(setup.firm_name, field="firm_name", label=N_("Firm name"), max_length=200)
    try:
        language = normalize(setup.language)
    except ValueError:
        raise ValidationError(N_("Unknown language: {lang}."), field="language",
                              lang=setup.language) from None
    assert language in LANGUAGES
    now = clock.now()
    with database.atomic():
        if is_initialized():
            raise ValidationError(N_("This database already belongs to a firm."), field="db")
        firm = Firm.create(name=name, address=setup.address, phone=setup.phone, profile=profile,
                           language=language, document_language=language,
                           approval_required=APPROVAL_REQUIRED[profile], created_at=now)
        for code, dept_name, is_hr in DEPARTMENTS[profile]:
            Department.create(code=code, name=dept_name, is_hr=is_hr)
        for i, c in enumerate(CATEGORIES[profile]):
            Category.create(code=c.code, name_zh=c.name_zh, name_en=c.name_en, kind=c.kind,
                            simple=c.simple, sort=i)
        for i, r in enumerate(RULES[profile]):
            DeadlineRule.create(code=r.code, name_zh=r.name_zh, name_en=r.name_en,
                                start_on=r.start_on, stop_on=r.stop_on, length=r.length,
                                unit=r.unit, kind=r.kind, severity=r.severity,
                                max_total=r.max_total, active=r.active, sort=i,
                                senior_above=r.senior_above, roll_to_workday=r.roll_to_workday,
                                category=r.category)
        users.create_user(login=setup.owner_login, name=setup.owner_name or setup.owner_login,
                          password=setup.owner_password, roles=["owner", "manager"])
        workcalendar.seed_from_package(now=now)
        hooks.firm_created.fire(firm, now)  # warranty and penalty presets subscribe
    return firm


def release_thread_connection() -> None:
    """Close this thread's connection (worker threads call it after each job)."""
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()
