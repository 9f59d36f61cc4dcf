"""Firm settings shared by every PC: firm details, categories, time-limit rules, staff
(rules.md §1 presets stay editable; rules.md §2 settings and users are the owner's).

It sits above the features whose settings it edits (people, time limits, the path's steps),
so it is a module of its own rather than part of ``services.firm`` (docs/design.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import time

from models.base import compiled
from models.db import database
from models.entities import Category, DeadlineRule, Department, Firm, Setting, User
from services.complaints import TRANSITIONS
from services.errors import NotFound, ValidationError
from services.firm import RulePreset, profiles
from services.i18n import LANGUAGES, N_, BilingualName, normalize
from services.people import clean_roles, parse_roles, require_role, roles_of, users
from services.timelimits import UNITS, check_limit, describe_limit
from services.validation import clean_choice, clean_phone, clean_text


@dataclass(frozen=True)
class FirmInfo:
    """The firm's details as Settings shows them."""
    name: str
    address: str
    phone: str
    profile: str
    language: str
    document_language: str
    approval_required: bool
    office_start: str
    office_end: str
    due_soon_minutes: int


def _firm_row() -> Firm | None:
    # Read for every document and status line: compiled once (models.base.compiled).
    found = compiled(("settings.firm",), lambda: Firm.select().order_by(Firm.id).limit(1))
    return found[0] if found else None


def firm_info() -> FirmInfo:
    f = _firm_row()
    if f is None:
        raise NotFound(N_("This database has no firm yet."))
    return FirmInfo(f.name, f.address, f.phone, f.profile, f.language, f.document_language,
                    f.approval_required, f.office_start, f.office_end, f.due_soon_minutes)


_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def update_firm(*, actor: User, name: str | None = None, address: str | None = None,
                phone: str | None = None, approval_required: bool | None = None,
                office_start: str | None = None, office_end: str | None = None,
                due_soon_minutes: int | None = None, language: str | None = None,
                document_language: str | None = None,
                reply_routes: list[dict] | None = None, logo: str | None = None) -> FirmInfo:
    """Change the firm's details; an argument left out (None) stays as it is.
    ``reply_routes``: as ``save_reply_routes`` takes them, ``logo``: as ``set_firm_logo``;
    saved in the same transaction."""
    require_role(actor, "owner")
    cur = firm_info()
    name = cur.name if name is None else name
    address = cur.address if address is None else address
    phone = cur.phone if phone is None else phone
    approval_required = cur.approval_required if approval_required is None else approval_required
    office_start = cur.office_start if office_start is None else office_start
    office_end = cur.office_end if office_end is None else office_end
    due_soon_minutes = cur.due_soon_minutes if due_soon_minutes is None else due_soon_minutes
    language = cur.language if language is None else language
    document_language = cur.document_language if document_language is None else document_language
    name = clean_text(name, field="name", label=N_("Firm name"), max_length=200)
    address = clean_text(address, field="address", label=N_("Address"), max_length=300,
                         required=False)
    phone = clean_phone(phone, field="phone")
    for field, value in (("office_start", office_start), ("office_end", office_end)):
        if not _HHMM.fullmatch(value or ""):
            raise ValidationError(N_("Give the time as HH:MM, e.g. 09:00."), field=field)
    if time.fromisoformat(office_end) <= time.fromisoformat(office_start):
        raise ValidationError(N_("The office day must end after it starts."), field="office_end")
    if not 0 <= int(due_soon_minutes) <= 7 * 24 * 60:
        raise ValidationError(N_("The warning must come at most a week before the due time."),
                              field="due_soon_minutes")
    langs = []
    for field, value in (("language", language), ("document_language", document_language)):
        try:
            langs.append(normalize(value))
        except ValueError:
            raise ValidationError(N_("Unknown language: {lang}."), field=field,
                                  lang=value) from None
    assert all(lang in LANGUAGES for lang in langs)
    routes = None if reply_routes is None else clean_reply_routes(reply_routes)
    if logo is not None:
        logo = clean_text(logo, field="firm_logo", label=N_("Logo"), max_length=1000,
                          required=False, multiline=False)
    with database.atomic():
        if routes is not None:
            _store_reply_routes(routes)
        if logo is not None:
            _store_logo(logo)
        Firm.update(name=name, address=address, phone=phone,
                    approval_required=bool(approval_required), office_start=office_start,
                    office_end=office_end, due_soon_minutes=int(due_soon_minutes),
                    language=langs[0], document_language=langs[1]).execute()
    return firm_info()


# --- routes if the customer disagrees (rules.md §8.3) ---------------------------------------

MAX_ROUTES = 12
ROUTE_LANGUAGES = ("zh", "en")


def reply_routes() -> list[dict[str, str]]:
    """Where a customer who does not accept the decision may turn, as the written reply
    prints them: a list of {"zh": …, "en": …}. The firm's own list once set up or saved,
    else (a firm set up before routes were stored) its profile's preset."""
    row = _setting(profiles.REPLY_ROUTES_KEY)
    if row is not None and isinstance(row.value, list):
        return [{lang: str(r.get(lang, "")) for lang in ROUTE_LANGUAGES}
                for r in row.value if isinstance(r, dict)]
    f = _firm_row()
    return profiles.preset_reply_routes((f.profile or "") if f is not None else "")


def _setting(key: str) -> Setting | None:
    """The setting row of ``key`` (None when it was never saved); read for every letter."""
    found = compiled(("settings.value",), lambda k: Setting.select().where(Setting.key == k),
                     key)
    return found[0] if found else None


def clean_reply_routes(routes) -> list[dict[str, str]]:
    """Each route's Chinese and English wording, trimmed; a route with neither is dropped, one
    with only one of them prints that one in either language. At least one route."""
    cleaned = []
    for route in routes or ():
        if not isinstance(route, dict):
            raise ValidationError(N_("Give each route as its Chinese and English wording."),
                                  field="reply_routes")
        values = {lang: clean_text(route.get(lang, ""), field="reply_routes",
                                   label=N_("Route"), max_length=300, required=False,
                                   multiline=False)
                  for lang in ROUTE_LANGUAGES}
        if any(values.values()):
            cleaned.append(values)
    if not cleaned:
        raise ValidationError(N_("Name at least one route the customer may take."),
                              field="reply_routes")
    if len(cleaned) > MAX_ROUTES:
        raise ValidationError(N_("Name at most {n} routes."), field="reply_routes",
                              n=MAX_ROUTES)
    return cleaned


def save_reply_routes(*, actor: User, routes) -> list[dict[str, str]]:
    """Replace the firm's routes (the owner's, as the firm's details are)."""
    require_role(actor, "owner")
    routes = clean_reply_routes(routes)
    with database.atomic():
        _store_reply_routes(routes)
    return reply_routes()


def _store_reply_routes(routes: list[dict[str, str]]) -> None:
    key = profiles.REPLY_ROUTES_KEY
    (Setting.insert(key=key, value=routes)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: routes}).execute())


# --- the firm's logo on its letterhead (rules.md §8) ----------------------------------------

FIRM_LOGO_KEY = "firm_logo"


def firm_logo() -> str:
    """The image file printed beside the firm's name on its documents ("" for none). A file
    missing on this PC is left out of the letterhead (services.documents.base)."""
    row = _setting(FIRM_LOGO_KEY)
    return str(row.value) if row is not None and isinstance(row.value, str) else ""


def set_firm_logo(*, actor: User, path: str) -> str:
    """Set (or with "" clear) the logo file: the owner's, as the firm's details are."""
    require_role(actor, "owner")
    path = clean_text(path, field="firm_logo", label=N_("Logo"), max_length=1000,
                      required=False, multiline=False)
    with database.atomic():
        _store_logo(path)
    return firm_logo()


def _store_logo(path: str) -> None:
    (Setting.insert(key=FIRM_LOGO_KEY, value=path)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: path}).execute())


# --- categories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryInfo(BilingualName):
    """A complaint category as Settings lists it, in both languages."""
    code: str
    name_zh: str
    name_en: str
    kind: str
    simple: bool
    active: bool


def categories(*, kind: str | None = None, include_inactive: bool = False
               ) -> list[CategoryInfo]:
    q = Category.select().order_by(Category.sort, Category.id)
    if not include_inactive:
        q = q.where(Category.active == True)  # noqa: E712
    if kind:
        q = q.where(Category.kind.in_((kind, "any")))
    return [CategoryInfo(c.code, c.name_zh, c.name_en, c.kind, c.simple, c.active) for c in q]


def save_category(*, actor: User, code: str, name_zh: str, name_en: str, kind: str = "customer",
                  simple: bool = False, active: bool = True) -> CategoryInfo:
    """Create or change a category. Categories are never deleted (complaints keep theirs);
    an unused one is made inactive."""
    require_role(actor, "owner", "manager")
    code = clean_text(code, field="code", label=N_("Code"), max_length=40)
    if not re.fullmatch(r"[a-z0-9_]+", code):
        raise ValidationError(N_("A code may contain lower-case letters, digits and '_' only."),
                              field="code")
    values = dict(
        name_zh=clean_text(name_zh, field="name_zh", label=N_("Chinese name"), max_length=60),
        name_en=clean_text(name_en, field="name_en", label=N_("English name"), max_length=80),
        kind=clean_choice(kind, ("customer", "employee", "any"), field="kind",
                          label=N_("Kind")),
        simple=bool(simple), active=bool(active))
    with database.atomic():
        existing = Category.get_or_none(Category.code == code)
        if existing is None:
            last = Category.select().count()
            Category.create(code=code, sort=last, **values)
        else:
            Category.update(**values).where(Category.id == existing.id).execute()
    return next(c for c in categories(include_inactive=True) if c.code == code)


# --- time-limit rules ----------------------------------------------------------------------

# Steps a rule may start or stop on: the workflow's actions, the two escalation levels,
# and a warranty claim's registration (rules.md §6 memo clock).
# Escalation goes to the department head first, then to the top (docs/rules.md).
LEVEL_TRIGGER_NAMES = {
    "escalate:1": N_("Escalate to department head"),
    "escalate:2": N_("Escalate to the top"),
    "warranty_claim": N_("Register a warranty claim"),
    # the path adds this trigger to a reply on a complaint an authority forwarded
    "reply:authority": N_("Reply to a complaint forwarded by an authority"),
}
TRIGGERS = tuple(sorted(set(TRANSITIONS) | set(LEVEL_TRIGGER_NAMES)))


@dataclass(frozen=True)
class RuleInfo(RulePreset, BilingualName):
    """A time-limit rule as saved: what a preset gives (rules.md §5), since edited."""

    @property
    def limit(self) -> str:
        return describe_limit(self.length, self.unit)


def rules(*, include_inactive: bool = True) -> list[RuleInfo]:
    q = DeadlineRule.select().order_by(DeadlineRule.sort, DeadlineRule.id)
    if not include_inactive:
        q = q.where(DeadlineRule.active == True)  # noqa: E712
    return [RuleInfo(**{f.name: getattr(r, f.name) for f in fields(RuleInfo)}) for r in q]


def _triggers(value: str, field: str) -> str:
    items = [t.strip() for t in (value or "").split(",") if t.strip()]
    if not items:
        raise ValidationError(N_("Name at least one step."), field=field)
    for t in items:
        if t not in TRIGGERS:
            raise ValidationError(N_("Unknown step: {step}."), field=field, step=t)
    return ",".join(items)


def _whole(value, field: str) -> int | None:
    """A whole number from a form or the command line; None when left empty."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(N_("Give a whole number."), field=field) from None


def _rule_category(code: str | None) -> str:
    """"" (every category) or the code of an existing category (rules.md §5)."""
    code = (code or "").strip()
    if code and not Category.select().where(Category.code == code).exists():
        raise ValidationError(N_("Unknown category: {code}."), field="category", code=code)
    return code


def save_rule(*, actor: User, code: str, name_zh: str, name_en: str, start_on: str,
              stop_on: str, length: int, unit: str, kind: str = "any", severity: str = "any",
              max_total: int | None = None, active: bool = True,
              senior_above: int | None = None, roll_to_workday: bool = True,
              category: str = "") -> RuleInfo:
    """Create or change a time-limit rule. Running clocks keep the length they started with.

    ``senior_above``: extending past this total needs a manager or the owner (between the
    limit and ``max_total``); ``roll_to_workday``: a calendar-day limit whose last day is a rest
    day ends on the next working day; ``category``: a category code, for a limit of that
    category only that replaces the general one between the same steps, or "" for every
    category (rules.md §5)."""
    require_role(actor, "owner")
    code = clean_text(code, field="code", label=N_("Code"), max_length=40)
    try:
        length = int(length)
    except (TypeError, ValueError):
        raise ValidationError(N_("The length must be a whole number."), field="length") from None
    unit = clean_choice(unit, UNITS, field="unit", label=N_("Unit"))
    check_limit(length, unit)
    max_total = _whole(max_total, "max_total")
    if max_total is not None:
        if max_total < length:
            raise ValidationError(N_("The longest extension cannot be shorter than the limit."),
                                  field="max_total")
        check_limit(max_total, unit)
    senior_above = _whole(senior_above, "senior_above")
    if senior_above is not None:
        if senior_above < length or (max_total is not None and senior_above > max_total):
            raise ValidationError(N_("The total past which an extension needs a manager or "
                                     "the owner must lie between the limit and the longest "
                                     "extension."), field="senior_above")
        check_limit(senior_above, unit)
    values = dict(
        name_zh=clean_text(name_zh, field="name_zh", label=N_("Chinese name"), max_length=100),
        name_en=clean_text(name_en, field="name_en", label=N_("English name"), max_length=120),
        start_on=_triggers(start_on, "start_on"), stop_on=_triggers(stop_on, "stop_on"),
        length=length, unit=unit, max_total=max_total, active=bool(active),
        senior_above=senior_above, roll_to_workday=bool(roll_to_workday),
        category=_rule_category(category),
        kind=clean_choice(kind, ("customer", "employee", "any"), field="kind",
                          label=N_("Kind")),
        severity=clean_choice(severity, ("normal", "major", "any"), field="severity",
                              label=N_("Severity")))
    with database.atomic():
        existing = DeadlineRule.get_or_none(DeadlineRule.code == code)
        if existing is None:
            DeadlineRule.create(code=code, sort=DeadlineRule.select().count(), **values)
        else:
            DeadlineRule.update(**values).where(DeadlineRule.id == existing.id).execute()
    return next(r for r in rules() if r.code == code)


# --- staff ---------------------------------------------------------------------------------


def update_user(*, actor: User, login: str, name: str | None = None, roles=None,
                department: str | None = None, phone: str | None = None,
                active: bool | None = None) -> users.UserInfo:
    require_role(actor, "owner")
    user = users.get_user(login)
    changes: dict = {}
    if name is not None:
        changes["name"] = clean_text(name, field="name", label=N_("Full name"), max_length=100)
    if roles is not None:
        changes["roles"] = clean_roles(roles)
    if department is not None:
        if department == "":
            changes["department"] = None
        else:
            dept = Department.get_or_none(Department.code == department)
            if dept is None:
                raise ValidationError(N_("Unknown department: {code}."), field="department",
                                      code=department)
            changes["department"] = dept.id
    if phone is not None:
        changes["phone"] = clean_phone(phone)
    if active is not None:
        changes["active"] = bool(active)
    with database.atomic():
        if user.id == actor.id and (changes.get("active") is False or (
                "roles" in changes and "owner" not in parse_roles(changes["roles"]))):
            raise ValidationError(N_("You cannot remove your own owner role or deactivate "
                                     "yourself."), field="roles")
        losing_owner = "owner" in roles_of(user) and (
            changes.get("active") is False
            or ("roles" in changes and "owner" not in parse_roles(changes["roles"])))
        if losing_owner:
            owners = [u for u in User.select().where(User.active == True)  # noqa: E712
                      if "owner" in roles_of(u)]
            if len(owners) <= 1:
                raise ValidationError(N_("The firm must keep at least one active owner."),
                                      field="roles")
        if changes:
            User.update(**changes).where(User.id == user.id).execute()
    return next(u for u in users.list_users(active_only=False) if u.login == login)


def reset_password(*, actor: User, login: str, password: str) -> None:
    if actor.login != login:
        require_role(actor, "owner")
    users.validate_password(password)
    user = users.get_user(login)
    User.update(password_hash=users.hash_password(password)).where(User.id == user.id).execute()


def save_department(*, actor: User, code: str, name: str, is_hr: bool = False,
                    active: bool = True) -> Department:
    require_role(actor, "owner")
    existing = Department.get_or_none(Department.code == (code or "").strip())
    if existing is None:
        return users.create_department(code=code, name=name, is_hr=is_hr, actor=actor)
    name = clean_text(name, field="name", label=N_("Name"), max_length=100)
    Department.update(name=name, is_hr=bool(is_hr), active=bool(active)).where(
        Department.id == existing.id).execute()
    return Department.get_by_id(existing.id)

