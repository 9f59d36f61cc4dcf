"""Who may do and see what: roles, recusal and confidentiality (rules.md §2).

Every service that reads or changes a complaint calls into this module, so no screen,
CLI command, report or export can get round it.
"""
from __future__ import annotations

import re
import time

from peewee import SQL, NodeList, fn

from models.base import rows_written
from models.db import database, is_postgres
from models.entities import Complaint, ComplaintAccess, Department, User
from services.errors import NotYours, PermissionDenied, ValidationError, tr_join
from services.i18n import N_

ROLES = ("receiver", "handler", "head", "manager", "owner")
ROLE_NAMES = {
    "receiver": N_("Receiver"),
    "handler": N_("Handler"),
    "head": N_("Department head"),
    "manager": N_("Manager"),
    "owner": N_("Owner"),
}


_ROLE_SEPARATORS = re.compile(r"[,\s]+")


def parse_roles(value) -> list[str]:
    """The role codes in a ``User.roles`` text (comma- or space-separated) or in a list, in
    the order given. The only place that reads that text: everyone else asks here."""
    items = _ROLE_SEPARATORS.split(value) if isinstance(value, str) else (value or ())
    out: list[str] = []
    for item in items:
        role = str(item).strip()
        if role and role not in out:
            out.append(role)
    return out


def clean_roles(value) -> str:
    """Roles as a person or a script gave them, checked, as the ``User.roles`` text."""
    roles = parse_roles(value)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationError(N_("Unknown role: {role}."), field="roles", role=unknown[0])
    if not roles:
        raise ValidationError(N_("Give the user at least one role."), field="roles")
    return ",".join(r for r in ROLES if r in roles)


def roles_of(user: User) -> set[str]:
    return set(parse_roles(user.roles))


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_senior(user: User) -> bool:
    return has_role(user, "manager", "owner")


def is_hr(user: User) -> bool:
    return user.department_id is not None and bool(
        Department.select(Department.is_hr).where(Department.id == user.department_id).scalar())


def require_role(user: User, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(N_("This needs the role: {roles}."),
                               roles=tr_join(" / ", (ROLE_NAMES[r] for r in roles)))


def is_respondent(user: User, complaint: Complaint) -> bool:
    return complaint.respondent_user_id is not None and complaint.respondent_user_id == user.id


def require_not_respondent(user: User, complaint: Complaint) -> None:
    # rules.md §2 recusal: the person complained about never handles, approves, reviews or opens
    # it, and is told no more than about a complaint that does not exist.
    if is_respondent(user, complaint):
        raise NotYours(complaint.ticket, rule="recusal")


def not_respondent(user: User):
    """Complaints that are not about ``user`` (recusal: never shown to the respondent)."""
    return (Complaint.respondent_user.is_null()) | (Complaint.respondent_user != user.id)


def sees_only_involved(user: User) -> bool:
    """True when ``user`` sees exactly the complaints they are involved in (no manager,
    owner, HR or department-head view), so queries may start from their access rows."""
    return not (is_senior(user) or is_hr(user)
                or (has_role(user, "head") and user.department_id is not None))


def visible_filter(user: User):
    """A peewee expression selecting the complaints ``user`` may see (used in every query),
    exactly as rules.md §2 says:
    - managers and the owner: every complaint not about them;
    - a customer complaint: the people involved in it (access rows: registered, handed,
      escalated to, acted), and a department head when it is assigned inside their department;
    - an employee complaint: the members of HR, and whoever registered it (who sees only its
      acknowledgement); nobody else, whatever they were handed before.
    It costs no query of its own: every part is SQL."""
    if is_senior(user):
        return not_respondent(user)
    # A correlated EXISTS walks the (user, complaint) index once per candidate row instead of
    # materialising the user's whole access list: 0.7 ms instead of 174 ms for a first page
    # of 100,000 complaints (rules.md §10). PostgreSQL may still choose to hash the whole
    # list first (at a million, 220,000 rows for a busy handler: most of a 77 ms page);
    # "OFFSET 0" rules that choice out (docs/design.md, "The register at a million").
    access = ComplaintAccess.select(SQL("1")).where((ComplaintAccess.complaint == Complaint.id)
                                                    & (ComplaintAccess.user == user.id))
    involved = fn.EXISTS(access.offset(0) if is_postgres() else access)
    customer = involved
    if has_role(user, "head") and user.department_id is not None:
        handler = User.alias()
        in_department = fn.EXISTS(handler.select(SQL("1")).where(
            (handler.id == Complaint.handler) & (handler.department == user.department_id)))
        customer = customer | in_department
    employee = Complaint.registered_by == user.id
    if user.department_id is not None:
        hr = fn.EXISTS(Department.select(SQL("1")).where(
            (Department.id == user.department_id) & (Department.is_hr == True)))  # noqa: E712
        employee = employee | hr
    # SQLite: "+kind" keeps the planner off the kind indexes (migration 13, for sorting and
    # filtering by kind): taken for this OR it would read every customer complaint and sort.
    kind = Complaint.kind if is_postgres() else NodeList((SQL("+"), Complaint.kind), glue="")
    return not_respondent(user) & (((kind == "customer") & customer)
                                   | ((kind == "employee") & employee))


# docs/design.md "The register at a million": a user who may see few complaints has them
# read from their own rows and sorted; one who sees many has the register's order index walked
# and each row checked by visible_filter. Either way the cost stays near this many rows.
FEW_VISIBLE = 15_000
_candidate_sizes: dict = {}  # (database, user id) -> (monotonic time, few or not)


def visible_candidates(user: User):
    """A subquery of complaint ids holding every complaint ``user`` may see (and maybe some
    more: always used with visible_filter), when they are at most FEW_VISIBLE; else None.
    The union of the user's access rows, the complaints they registered and, for a department
    head, those handled in the department: each an index range. Managers, the owner and HR
    members see too much for it (None). Whether a user's rows are few is kept for a minute."""
    if is_senior(user) or is_hr(user):
        return None
    parts = [ComplaintAccess.select(ComplaintAccess.complaint.alias("id"))
             .where(ComplaintAccess.user == user.id),
             Complaint.select(Complaint.id).where(Complaint.registered_by == user.id)]
    if has_role(user, "head") and user.department_id is not None:
        parts.append(Complaint.select(Complaint.id).where(Complaint.handler.in_(
            User.select(User.id).where(User.department == user.department_id))))
    key = (id(database.obj), user.id)
    known = _candidate_sizes.get(key)
    if known is None or time.monotonic() - known[0] > 60:
        size = 0
        for part in parts:
            size += (Complaint.select(fn.COUNT(SQL("1")))
                     .from_(part.limit(FEW_VISIBLE + 1).alias("part")).scalar())
            if size > FEW_VISIBLE:
                break
        known = _candidate_sizes[key] = (time.monotonic(), size <= FEW_VISIBLE)
    if not known[1]:
        return None
    union = parts[0]
    for part in parts[1:]:
        union = union | part
    return union


def can_see(user: User, complaint: Complaint) -> bool:
    return (Complaint.select(Complaint.id)
            .where((Complaint.id == complaint.id) & visible_filter(user)).exists())


def require_visible(user: User, complaint: Complaint) -> None:
    require_not_respondent(user, complaint)
    if not can_see(user, complaint):
        raise NotYours(complaint.ticket, rule="confidential")


def grant(complaint: Complaint, user: User | int | None, reason: str) -> None:
    """Record that a user is involved (idempotent)."""
    if user is None:
        return
    user_id = user if isinstance(user, int) else user.id
    added = (ComplaintAccess.insert(complaint=complaint.id, user=user_id, reason=reason)
             .on_conflict_ignore().as_rowcount().execute())
    if added:  # docs/design.md, Tamper evidence: a query-level insert reports itself
        row = ComplaintAccess.get((ComplaintAccess.complaint == complaint.id)
                                  & (ComplaintAccess.user == user_id))
        rows_written(ComplaintAccess, [row.id])


