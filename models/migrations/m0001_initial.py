"""Migration 1: the initial schema, as frozen copies of the models at version 1."""
from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
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

from models.base import JSONField

VERSION = 1


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


AppendOnlyModel = BaseModel

# All datetimes are naive wall-clock times in the firm's time zone (Firm.timezone,
# Asia/Shanghai by default): time limits are counted in the office's local days.


class Firm(BaseModel):
    """The one firm this database belongs to (rules.md §1): profile and house rules."""

    id = AutoField()
    name = CharField(max_length=200)
    address = CharField(max_length=300, default="")
    phone = CharField(max_length=50, default="")
    profile = CharField(max_length=20)  # repair-shop | law-firm | company | bank
    language = CharField(max_length=10, default="zh_CN")
    document_language = CharField(max_length=10, default="zh_CN")
    timezone = CharField(max_length=50, default="Asia/Shanghai")
    approval_required = BooleanField(default=True)  # rules.md §4: no reply before approval
    office_start = CharField(max_length=5, default="09:00")
    office_end = CharField(max_length=5, default="17:30")
    due_soon_minutes = IntegerField(default=240)
    created_at = DateTimeField()


class Setting(BaseModel):
    """Free-form firm settings shared by every PC (key → JSON text)."""

    key = CharField(max_length=100, primary_key=True)
    value = JSONField()


class Department(BaseModel):
    id = AutoField()
    code = CharField(max_length=30, unique=True)
    name = CharField(max_length=100)
    is_hr = BooleanField(default=False)  # rules.md §2: employee complaints visible to HR
    active = BooleanField(default=True)


class User(BaseModel):
    id = AutoField()
    login = CharField(max_length=50, unique=True)
    name = CharField(max_length=100)
    password_hash = CharField(max_length=300)
    roles = CharField(max_length=200)  # comma-separated, see services.permissions.ROLES
    department = ForeignKeyField(Department, null=True, backref="users", on_delete="RESTRICT")
    phone = CharField(max_length=50, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField()


class Category(BaseModel):
    id = AutoField()
    code = CharField(max_length=40, unique=True)
    name_zh = CharField(max_length=60)
    name_en = CharField(max_length=80)
    kind = CharField(max_length=10, default="any")  # customer | employee | any
    simple = BooleanField(default=False)  # may be answered on the spot (rules.md §4)
    active = BooleanField(default=True)
    sort = IntegerField(default=0)


class Complainant(BaseModel):
    id = AutoField()
    name = CharField(max_length=100)
    phone = CharField(max_length=50, default="")
    address = CharField(max_length=300, default="")
    email = CharField(max_length=200, default="")
    contract_no = CharField(max_length=60, default="")
    department = ForeignKeyField(Department, null=True, on_delete="RESTRICT")  # employees


class TicketCounter(BaseModel):
    """Running count of complaints per year of receipt (rules.md §3 ticket numbers)."""

    year = IntegerField(primary_key=True)
    last = IntegerField()


class Complaint(BaseModel):
    id = AutoField()
    ticket = CharField(max_length=12, unique=True)
    year = IntegerField()
    seq = IntegerField()
    kind = CharField(max_length=10)  # customer | employee
    channel = CharField(max_length=20)
    channel_detail = CharField(max_length=200, default="")  # e.g. which authority forwarded it
    complainant = ForeignKeyField(Complainant, on_delete="RESTRICT")
    complainant_name = CharField(max_length=100, index=True)  # copied for the register
    complainant_phone = CharField(max_length=50, default="", index=True)
    contract_no = CharField(max_length=60, default="", index=True)
    respondent_user = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    respondent_department = ForeignKeyField(Department, null=True, on_delete="RESTRICT",
                                            backref="+")
    respondent_text = CharField(max_length=200, default="")
    received_at = DateTimeField(index=True)
    occurred_at = DateTimeField(null=True)
    location = CharField(max_length=200, default="")
    description = TextField()
    request = TextField(default="")
    category = ForeignKeyField(Category, on_delete="RESTRICT", index=True)
    severity = CharField(max_length=10, default="normal")  # normal | major
    state = CharField(max_length=20)  # indexed with next_due_at below
    level = IntegerField(default=0)  # 0 handler, 1 department head, 2 top (rules.md §4 escalation)
    review_level = IntegerField(default=0)  # 0 none, 1 复审 by manager, 2 终审 by owner
    handler = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=True)
    registered_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    registered_at = DateTimeField()
    decision = TextField(default="")
    decision_reasons = TextField(default="")
    remedy = CharField(max_length=40, default="")
    compensation = DecimalField(max_digits=12, decimal_places=2, null=True)
    responsibility = CharField(max_length=200, default="")
    satisfaction = CharField(max_length=15, default="")  # satisfied | dissatisfied
    external_route = CharField(max_length=20, default="")
    root_cause = CharField(max_length=100, default="", index=True)
    next_due_at = DateTimeField(null=True, index=True)  # derived from Clock, kept for SQL sort
    next_due_rule = CharField(max_length=40, default="")
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("year", "seq"), True), (("state", "next_due_at"), False))


class ComplaintAccess(BaseModel):
    """Who is involved in a complaint and so may see it (rules.md §2 confidentiality)."""

    complaint = ForeignKeyField(Complaint, on_delete="CASCADE", backref="access")
    user = ForeignKeyField(User, on_delete="CASCADE", backref="+",
                           index=False)  # covered by the unique (user, complaint) below
    reason = CharField(max_length=20)

    class Meta:
        indexes = ((("user", "complaint"), True),)


class Event(AppendOnlyModel):
    """One step on a complaint's timeline; never updated or deleted (rules.md §3)."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="events",
                                index=False)  # covered by (complaint, id) below
    action = CharField(max_length=30)
    from_state = CharField(max_length=20, default="")
    to_state = CharField(max_length=20)
    actor = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    at = DateTimeField()  # when it happened (may be stated by the user, never in the future)
    recorded_at = DateTimeField()  # when it was written down
    note = TextField(default="")
    data = JSONField(null=True)

    class Meta:
        indexes = ((("complaint", "id"), False),)


class AttachmentBlob(BaseModel):
    """File contents by SHA-256, kept unchanged (rules.md §3 原件)."""

    sha256 = CharField(max_length=64, primary_key=True)
    data = BlobField()


class Attachment(AppendOnlyModel):
    id = AutoField()
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="attachments")
    event = ForeignKeyField(Event, on_delete="RESTRICT", backref="+")
    filename = CharField(max_length=255)
    size = IntegerField()
    sha256 = CharField(max_length=64, index=True)
    mime = CharField(max_length=100, default="application/octet-stream")
    added_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    added_at = DateTimeField()


class DeadlineRule(BaseModel):
    """A time limit: from one event to another, a length and a unit (rules.md §5)."""

    id = AutoField()
    code = CharField(max_length=40, unique=True)
    name_zh = CharField(max_length=100)
    name_en = CharField(max_length=120)
    start_on = CharField(max_length=30)  # action that starts the clock
    stop_on = CharField(max_length=200)  # comma-separated actions that meet it
    length = IntegerField()
    unit = CharField(max_length=20)  # minutes | hours | office_hours | days | working_days
    kind = CharField(max_length=10, default="any")  # customer | employee | any
    severity = CharField(max_length=10, default="any")  # normal | major | any
    max_total = IntegerField(null=True)  # longest total after extensions, same unit
    active = BooleanField(default=True)
    sort = IntegerField(default=0)


class Clock(BaseModel):
    """A running time limit on one complaint. The length and unit are copied from the rule
    when the clock starts, so editing a rule never moves a clock already running."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="clocks")
    rule = ForeignKeyField(DeadlineRule, on_delete="RESTRICT", backref="clocks")
    started_at = DateTimeField()
    length = IntegerField()
    unit = CharField(max_length=20)
    due_at = DateTimeField(index=True)
    provisional = BooleanField(default=False)
    status = CharField(max_length=12, default="running", index=True)  # running|paused|met|cancelled
    paused_since = DateTimeField(null=True)
    stopped_at = DateTimeField(null=True)
    late = BooleanField(null=True)  # set when stopped: was it after due_at?
    responsible = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")

    class Meta:
        indexes = ((("status", "due_at"), False),)


class ClockPause(BaseModel):
    clock = ForeignKeyField(Clock, on_delete="RESTRICT", backref="pauses")
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True)
    reason = CharField(max_length=200, default="")


class CalendarDay(BaseModel):
    """An exception to the Monday–Friday week: a holiday, or a make-up working day (调休)."""

    day = DateField(primary_key=True)
    kind = CharField(max_length=10)  # holiday | workday
    name = CharField(max_length=60, default="")
    source = CharField(max_length=10, default="package")  # package | import | user


class CalendarYear(BaseModel):
    """A year whose official calendar is known; days in other years are provisional."""

    year = IntegerField(primary_key=True)
    source = CharField(max_length=10)  # package | import | user
    updated_at = DateTimeField()


ALL_MODELS = [
    Firm, Setting, Department, User, Category, Complainant, TicketCounter, Complaint,
    ComplaintAccess, Event, AttachmentBlob, Attachment, DeadlineRule, Clock, ClockPause,
    CalendarDay, CalendarYear,
]

APPEND_ONLY_TABLES = ("event", "attachment")


def apply(db) -> None:
    with db.bind_ctx(ALL_MODELS):
        db.create_tables(ALL_MODELS)
    # rules.md §3: the timeline is append-only, whatever program or person touches the database.
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
