"""Tamper evidence: every timeline event, attachment, complaint link, penalty entry and entry
status, complaint-access row and version of a user's log-in data is sealed into a keyed hash
chain as it is written, and can be checked (docs/design.md, Tamper evidence; docs/rules.md §10).

One import for callers (``from services import integrity``); the parts:
- ``sealing``: the write hook the models call (registered here, at import), the key;
- ``checking``: ``verify(full=…)``, ``recent_problems()`` (the cheap check at start),
  ``complaint_problems(id)`` (a banner on a complaint's window);
- ``problems``: what a check found, in plain words;
- ``roles``: PostgreSQL, the program's role kept to adding rows (``restrict_role``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from models.base import on_rows_written
from models.entities import User
from services import later_parts
from services.integrity.sealing import SealsAhead, on_written, seal_unsealed, seal_written
from services.people import require_role

# The checks load when first used: the register's first paint needs only the sealing
# (docs/design.md, Start-up).
__getattr__ = later_parts(__name__, {"checking": ("complaint_problems", "recent_problems"),
                                     "problems": ("WHAT", "Problem", "Report"), "roles": ()})
if TYPE_CHECKING:
    from services.integrity.checking import complaint_problems, recent_problems
    from services.integrity.problems import WHAT, Problem, Report

# Sealing happens in the models layer: every save()/create() of a protected row, and every
# query-level update of users and access rows (services/settings.py edits users that way).
on_rows_written(on_written, updates_of=("user", "complaint_access"))


def verify(*, actor: User | None = None, full: bool = True, progress=None,
           cancelled=None) -> Report:
    """Check the records (owner or manager: the report names complaints and users). ``actor``
    None: the program itself, at start."""
    if actor is not None:
        require_role(actor, "owner", "manager")
    from services.integrity.checking import verify as check

    return check(full, progress=progress, cancelled=cancelled)


def restrict_role(*, actor: User, app_role: str, owner_role: str | None = None) -> str:
    """PostgreSQL: hand the tables to an owner role and keep ``app_role`` to what the program
    needs (roles.py); the owner's, over an administrator's connection."""
    require_role(actor, "owner")
    from services.integrity.roles import restrict_role as restrict

    return restrict(app_role, owner_role=owner_role)


__all__ = ["WHAT", "Problem", "Report", "SealsAhead", "complaint_problems", "recent_problems",
           "restrict_role", "seal_unsealed", "seal_written", "verify"]
