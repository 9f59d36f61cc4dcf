"""Migration 8: the ``seal`` table, the keyed hash chain over the rows nobody may change behind
the program's back (docs/design.md, Tamper evidence). Append-only like what it seals; the rows
already there are sealed now, with a new key kept outside the tables (models/seals.py)."""
from __future__ import annotations

from peewee import AutoField, CharField, IntegerField, Model, PostgresqlDatabase

from models import seals

VERSION = 8

# The sealed columns as of this version (frozen: a later change of the protected columns comes
# with its own migration).
PROTECTED_V8 = {
    "event": ("complaint_id", "action", "from_state", "to_state", "actor_id", "at",
              "recorded_at", "note", "data"),
    "attachment": ("complaint_id", "event_id", "filename", "size", "sha256", "mime",
                   "added_by_id", "added_at"),
    "complaint_link": ("complaint_id", "earlier_id", "kind", "linked_by_id", "linked_at"),
    "penalty_entry": ("rule_id", "user_id", "unit_name", "department_id", "amount", "loss",
                      "reason", "complaint_id", "event_id", "clock_id", "proposed_by_id",
                      "proposed_at", "reverses_id"),
    "penalty_entry_event": ("entry_id", "status", "actor_id", "at", "amount", "loss", "month",
                            "note"),
    "user": ("login", "name", "roles", "department_id", "active", "password_hash"),
    "complaint_access": ("complaint_id", "user_id", "reason"),
}


class Seal(Model):
    id = AutoField()
    table_name = CharField(max_length=40)
    row_id = IntegerField()
    digest = CharField(max_length=64)
    chain = CharField(max_length=64)
    complaint = IntegerField(null=True, index=True)

    class Meta:
        table_name = "seal"
        indexes = ((("table_name", "row_id"), False),)


def apply(db) -> None:
    # written to run again over a database whose history was cut back (a table kept is kept)
    with db.bind_ctx([Seal]):
        db.create_tables([Seal], safe=True)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS seal_append_only ON "seal"')
        db.execute_sql('CREATE TRIGGER seal_append_only BEFORE UPDATE OR DELETE ON "seal" '
                       "FOR EACH ROW EXECUTE FUNCTION cd_append_only()")
    else:
        for op in ("UPDATE", "DELETE"):
            db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS seal_no_{op.lower()} BEFORE {op} ON '
                           "\"seal\" BEGIN SELECT RAISE(ABORT, 'seal is append-only'); END")
    # A database copied from one already sealed (a template) keeps its chain and key.
    if seals.expected_key_id(db) is None:
        seals.seal_everything(db, seals.create_key(db), PROTECTED_V8)
