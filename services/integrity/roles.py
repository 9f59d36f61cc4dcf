"""PostgreSQL: the program's role may add to the append-only tables but never change them, nor
switch their triggers off (docs/design.md, Tamper evidence).

``restrict_role(app_role)`` is run once by an administrator (a superuser, or the role that
owns the tables), over a connection of theirs: every table, sequence and function moves to an
owner role that cannot log in; the program's role gets back only what it needs — SELECT and
INSERT on the append-only tables, SELECT/INSERT/UPDATE/DELETE on the others, the sequences —
and nothing else (no TRUNCATE, no TRIGGER, no ownership, so no ALTER TABLE … DISABLE TRIGGER).
"""
from __future__ import annotations

import re

from models.db import database, is_postgres
from models.penalties import APPEND_ONLY_TABLES as PENALTY_APPEND_ONLY
from services.errors import ValidationError
from services.i18n import N_

# Rows are only ever added to these (rules.md §3, §7; the seals; who was involved).
APPEND_ONLY = ("event", "attachment", "complaint_link", *PENALTY_APPEND_ONLY, "complaint_access",
               "seal", "schema_history")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def owner_role_name() -> str:
    return f"{database.obj.database}_owner"[:63]


def restrict_role(app_role: str, *, owner_role: str | None = None) -> str:
    """Hand the schema to ``owner_role`` (made if missing, NOLOGIN) and leave ``app_role``
    only what the program needs; returns the owner role's name."""
    if not is_postgres():
        raise ValidationError(N_("Roles exist on PostgreSQL only."), field="db")
    owner = owner_role or owner_role_name()
    for name in (app_role, owner):
        if not _NAME.match(name or ""):
            raise ValidationError(N_("Not a role name: {name}."), field="role", name=name)
    db = database.obj
    with db.atomic():
        exists = db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,)).fetchone()
        if not exists:
            db.execute_sql(f'CREATE ROLE "{owner}" NOLOGIN')
        if not db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s",
                              (app_role,)).fetchone():
            raise ValidationError(N_("There is no role {name} on this server."), field="role",
                                  name=app_role)
        tables = [r[0] for r in db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        for table in tables:
            db.execute_sql(f'ALTER TABLE "{table}" OWNER TO "{owner}"')
        for (sequence,) in db.execute_sql(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
                ).fetchall():
            db.execute_sql(f'ALTER SEQUENCE "{sequence}" OWNER TO "{owner}"')
        for (signature,) in db.execute_sql(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON "
                "n.oid = p.pronamespace WHERE n.nspname = current_schema()").fetchall():
            db.execute_sql(f'ALTER FUNCTION {signature} OWNER TO "{owner}"')
        db.execute_sql(f'REVOKE CREATE ON SCHEMA public FROM PUBLIC, "{app_role}"')
        db.execute_sql(f'GRANT USAGE ON SCHEMA public TO "{app_role}"')
        db.execute_sql(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, "{app_role}"')
        for table in tables:
            rights = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
            db.execute_sql(f'GRANT {rights} ON "{table}" TO "{app_role}"')
        db.execute_sql(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')
    return owner

