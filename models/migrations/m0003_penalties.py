"""Migration 3: the penalty ledger (rules.md §7), as frozen copies of the models at version 3."""
from __future__ import annotations

from peewee import (  # noqa: I001
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
)

# The tables these refer to, as they were frozen at version 1 (only their names and keys
# matter to a foreign key).
from models.migrations.m0001_initial import Clock, Complaint, Department, Event, User

VERSION = 3


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


def _money(**kwargs) -> DecimalField:
    return DecimalField(max_digits=12, decimal_places=2, auto_round=True, **kwargs)


class PenaltyRule(BaseModel):
    id = AutoField()
    code = CharField(max_length=40, unique=True)
    name_zh = CharField(max_length=120)
    name_en = CharField(max_length=160)
    applies_to = CharField(max_length=20)
    min_amount = _money()
    max_amount = _money()
    plus_loss = BooleanField(default=False)
    reward = BooleanField(default=False)
    clock_rules = CharField(max_length=300, default="")
    trigger = CharField(max_length=20, default="manual")
    active = BooleanField(default=True)
    effective_from = DateField(null=True)
    sort = IntegerField(default=0)


class PenaltyEntry(BaseModel):
    id = AutoField()
    rule = ForeignKeyField(PenaltyRule, on_delete="RESTRICT", backref="+")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=True)
    unit_name = CharField(max_length=100, default="")
    department = ForeignKeyField(Department, null=True, on_delete="RESTRICT", backref="+",
                                 index=True)
    amount = _money()
    loss = _money(default=0)
    reason = TextField()
    complaint = ForeignKeyField(Complaint, null=True, on_delete="RESTRICT", backref="+",
                                index=True)
    event = ForeignKeyField(Event, null=True, on_delete="RESTRICT", backref="+")
    clock = ForeignKeyField(Clock, null=True, on_delete="RESTRICT", backref="+")
    proposed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    proposed_at = DateTimeField()
    reverses = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="+", unique=True)

    class Meta:
        indexes = ((("clock", "rule"), True),)


class PenaltyEntryEvent(BaseModel):
    id = AutoField()
    entry = ForeignKeyField(PenaltyEntry, on_delete="RESTRICT", backref="events")
    status = CharField(max_length=12)
    actor = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    at = DateTimeField()
    amount = _money()
    loss = _money(default=0)
    month = CharField(max_length=7, index=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("entry", "id"), False),)


MODELS = [PenaltyRule, PenaltyEntry, PenaltyEntryEvent]
APPEND_ONLY_TABLES = ("penalty_entry", "penalty_entry_event")


def apply(db) -> None:
    with db.bind_ctx(MODELS + [Clock, Complaint, Department, Event, User]):
        db.create_tables(MODELS)
    # rules.md §7: the ledger is append-only, whatever program or person touches the database.
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION cd_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '%% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql")
        for table in APPEND_ONLY_TABLES:
            db.execute_sql(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION cd_append_only()")
    else:
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f'CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
