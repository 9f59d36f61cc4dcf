"""People: users and departments, log-in, roles, recusal and confidentiality (docs/rules.md §2).

One import for callers (``from services import people``); the parts:
- ``permissions``: who may do and see what; the only place that reads a user's roles;
- ``users``: accounts, departments and log-in.
"""
from __future__ import annotations

from services.people import users
from services.people.permissions import (
    ROLE_NAMES,
    ROLES,
    can_see,
    clean_roles,
    grant,
    has_role,
    is_respondent,
    is_senior,
    not_respondent,
    parse_roles,
    require_role,
    require_visible,
    roles_of,
    sees_only_involved,
    visible_candidates,
    visible_filter,
)
from services.people.users import (
    NO_DEPARTMENT,
    list_users,
)


