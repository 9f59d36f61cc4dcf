"""Users, departments and log-in (rules.md §2)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from peewee import JOIN

from models.db import database
from models.entities import Department, User
from services import clock
from services.errors import NotFound, PermissionDenied, ValidationError
from services.i18n import N_
from services.people.logins import check as check_login
from services.people.logins import record_failure, record_success, refusal_after
from services.people.permissions import ROLES, clean_roles, require_role, roles_of
from services.validation import clean_phone, clean_text

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# How a person or a total with no department is shown (ledger, reports, exports).
NO_DEPARTMENT = N_("(no department)")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def validate_password(password: str) -> None:
    if len(password or "") < 6:
        raise ValidationError(N_("The password must have at least 6 characters."),
                              field="password")


def create_user(*, login: str, name: str, password: str, roles, department: str | None = None,
                phone: str = "", actor: User | None = None, password_hash: str | None = None
                ) -> User:
    """Create a user. ``actor`` None only while setting up the firm (the first owner)."""
    if actor is not None:
        require_role(actor, "owner")  # rules.md §2: users are the owner's
    login = clean_text(login, field="login", label=N_("Login"), max_length=50)
    if not login.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ValidationError(N_("A login may contain letters, digits, '.', '-' and '_' only."),
                              field="login")
    name = clean_text(name, field="name", label=N_("Full name"), max_length=100)
    if password_hash is None:
        validate_password(password)
        password_hash = hash_password(password)
    role_text = clean_roles(roles)
    phone = clean_phone(phone)
    dept = None
    if department:
        dept = Department.get_or_none(Department.code == department)
        if dept is None:
            raise ValidationError(N_("Unknown department: {code}."), field="department",
                                  code=department)
    with database.atomic():
        if User.select().where(User.login == login).exists():
            raise ValidationError(N_("The login {login} is taken."), field="login", login=login)
        return User.create(login=login, name=name, password_hash=password_hash, roles=role_text,
                           department=dept, phone=phone, created_at=clock.now())


def authenticate(login: str, password: str) -> User:
    # docs/rules.md §10: failed log-ins are logged and slowed down per login; while a login
    # waits or is locked even the right password is refused (services/people/logins.py).
    login = (login or "").strip()
    check_login(login)
    user = User.get_or_none((User.login == login) & (User.active == True))  # noqa: E712
    if user is None or not check_password(password or "", user.password_hash):
        refusal = refusal_after(record_failure(login))
        raise refusal or PermissionDenied(N_("Wrong login or password."))
    record_success(login)
    return user


def get_user(login: str) -> User:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(N_("No user with the login {login}."), login=login)
    return user


@dataclass(frozen=True)
class UserInfo:
    """A member of staff as the screens list them: login, name, roles, department."""
    id: int
    login: str
    name: str
    roles: tuple[str, ...]
    department: str
    active: bool
    department_code: str = ""
    phone: str = ""


def list_users(*, role: str | None = None, active_only: bool = True) -> list[UserInfo]:
    q = User.select(User, Department).join(Department, on=(User.department == Department.id),
                                           join_type=JOIN.LEFT_OUTER).order_by(User.login)
    if active_only:
        q = q.where(User.active == True)  # noqa: E712
    out = []
    for u in q:
        roles = tuple(roles_of(u))
        if role and role not in roles:
            continue
        out.append(UserInfo(u.id, u.login, u.name, tuple(r for r in ROLES if r in roles),
                            u.department.name if u.department_id else "", u.active,
                            u.department.code if u.department_id else "", u.phone))
    return out


def create_department(*, code: str, name: str, is_hr: bool = False,
                      actor: User | None = None) -> Department:
    if actor is not None:
        require_role(actor, "owner")
    code = clean_text(code, field="code", label=N_("Code"), max_length=30)
    name = clean_text(name, field="name", label=N_("Name"), max_length=100)
    with database.atomic():
        if Department.select().where(Department.code == code).exists():
            raise ValidationError(N_("The department code {code} is taken."), field="code",
                                  code=code)
        return Department.create(code=code, name=name, is_hr=is_hr)


@dataclass(frozen=True)
class DepartmentInfo:
    """A department as the screens list it."""
    id: int
    code: str
    name: str
    is_hr: bool
    active: bool


def list_departments(*, include_inactive: bool = False) -> list[DepartmentInfo]:
    q = Department.select().order_by(Department.code)
    if not include_inactive:
        q = q.where(Department.active == True)  # noqa: E712
    return [DepartmentInfo(d.id, d.code, d.name, d.is_hr, d.active) for d in q]
