"""Opening a database, and setting up a new firm from its profile's presets (rules.md §1)."""
from __future__ import annotations

from dataclasses import dataclass

from models import db as dbmod
from models import errors as models_errors
from models.db import database
from models.entities import Category, DeadlineRule, Department, Firm
from models.migrations import migrate
from services import __version__, clock, hooks
from services.errors import SchemaError, ValidationError
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


def data_folder():
    """The user's data folder (%APPDATA%\\ComplaintDesk on Windows): logs, exported files."""
    return dbmod.data_dir()


def location_label() -> str:
    return dbmod.location_label()




def open_database(location: str | None = None):
    """Bind the proxy to ``location`` (path or PostgreSQL URL) and migrate it."""
    db = dbmod.bind(location)
    db.connect(reuse_if_open=True)
    try:
        applied = migrate(db, app_version=__version__)
    except models_errors.SchemaError as exc:
        raise SchemaError(exc.msgid, **exc.params) from exc
    f = Firm.select().first()
    if f is not None:
        clock.set_timezone(f.timezone)
        if applied:  # an upgrade: presets added since the firm was set up (rules.md §1)
            add_missing_presets(f.profile)
    return db


def close_database() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def firm_profile() -> str:
    """The firm's profile (repair-shop, law-firm, company, bank), "" before set-up."""
    firm = Firm.select(Firm.profile).first()
    return firm.profile if firm else ""


def is_initialized() -> bool:
    return Firm.select().exists()


@dataclass(frozen=True)
class FirmSetup:
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
