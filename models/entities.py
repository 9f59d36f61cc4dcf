"""The tables of ComplaintDesk (rules.md §1–§5). Column meaning is documented where not obvious."""
from __future__ import annotations

import peewee as pw

from models.base import AppendOnlyModel, BaseModel, JSONField, ListEntry, MoneyField

# All datetimes are naive wall-clock times in the firm's time zone (Firm.timezone,
# Asia/Shanghai by default): time limits are counted in the office's local days.


class Firm(BaseModel):
    """The one firm this database belongs to (rules.md §1): profile and house rules."""

    id = pw.AutoField()
    name = pw.CharField(max_length=200)
    address = pw.CharField(max_length=300, default="")
    phone = pw.CharField(max_length=50, default="")
    profile = pw.CharField(max_length=20)  # repair-shop | law-firm | company | bank
    language = pw.CharField(max_length=10, default="zh_CN")
    document_language = pw.CharField(max_length=10, default="zh_CN")
    timezone = pw.CharField(max_length=50, default="Asia/Shanghai")
    approval_required = pw.BooleanField(default=True)  # rules.md §4: no reply before approval
    office_start = pw.CharField(max_length=5, default="09:00")
    office_end = pw.CharField(max_length=5, default="17:30")
    due_soon_minutes = pw.IntegerField(default=240)
    created_at = pw.DateTimeField()


class Setting(BaseModel):
    """Free-form firm settings shared by every PC (key → JSON text)."""

    key = pw.CharField(max_length=100, primary_key=True)
    value = JSONField()


class Department(BaseModel):
    id = pw.AutoField()
    code = pw.CharField(max_length=30, unique=True)
    name = pw.CharField(max_length=100)
    is_hr = pw.BooleanField(default=False)  # rules.md §2: employee complaints visible to HR
    active = pw.BooleanField(default=True)


class User(BaseModel):
    id = pw.AutoField()
    login = pw.CharField(max_length=50, unique=True)
    name = pw.CharField(max_length=100)
    password_hash = pw.CharField(max_length=300)
    roles = pw.CharField(max_length=200)  # read only by services.people.permissions
    department = pw.ForeignKeyField(Department, null=True, backref="users", on_delete="RESTRICT")
    phone = pw.CharField(max_length=50, default="")
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()


class Category(ListEntry):
    """A kind of complaint (rules.md §3), per profile and editable."""

    name_zh = pw.CharField(max_length=60)
    name_en = pw.CharField(max_length=80)
    kind = pw.CharField(max_length=10, default="any")  # customer | employee | any
    simple = pw.BooleanField(default=False)  # may be answered on the spot (rules.md §4)


class Complainant(BaseModel):
    id = pw.AutoField()
    name = pw.CharField(max_length=100)
    phone = pw.CharField(max_length=50, default="")
    address = pw.CharField(max_length=300, default="")
    email = pw.CharField(max_length=200, default="")
    contract_no = pw.CharField(max_length=60, default="")
    department = pw.ForeignKeyField(Department, null=True, on_delete="RESTRICT")  # employees


class TicketCounter(BaseModel):
    """Running count of complaints per year of receipt (rules.md §3 ticket numbers)."""

    year = pw.IntegerField(primary_key=True)
    last = pw.IntegerField()


class Complaint(BaseModel):
    id = pw.AutoField()
    ticket = pw.CharField(max_length=12, unique=True)
    year = pw.IntegerField()
    seq = pw.IntegerField()
    kind = pw.CharField(max_length=10)  # customer | employee
    channel = pw.CharField(max_length=20)
    channel_detail = pw.CharField(max_length=200, default="")  # e.g. which authority forwarded it
    complainant = pw.ForeignKeyField(Complainant, on_delete="RESTRICT")
    complainant_name = pw.CharField(max_length=100, index=True)  # copied for the register
    # its pinyin sort key (models.base.name_key; migration 11), set with the name
    name_key = pw.CharField(max_length=280, default="")
    complainant_phone = pw.CharField(max_length=50, default="", index=True)
    contract_no = pw.CharField(max_length=60, default="", index=True)
    respondent_user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    respondent_department = pw.ForeignKeyField(Department, null=True, on_delete="RESTRICT",
                                            backref="+")
    respondent_text = pw.CharField(max_length=200, default="")
    received_at = pw.DateTimeField(index=True)
    occurred_at = pw.DateTimeField(null=True)
    location = pw.CharField(max_length=200, default="")
    description = pw.TextField()
    request = pw.TextField(default="")
    category = pw.ForeignKeyField(Category, on_delete="RESTRICT", index=True)
    severity = pw.CharField(max_length=10, default="normal")  # normal | major
    state = pw.CharField(max_length=20)  # indexed with next_due_at below
    # 0 handler, 1 department head, 2 top (rules.md §4 escalation)
    level = pw.IntegerField(default=0)
    review_level = pw.IntegerField(default=0)  # 0 none, 1 复审 by manager, 2 终审 by owner
    handler = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=True)
    registered_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    registered_at = pw.DateTimeField()
    decision = pw.TextField(default="")
    decision_reasons = pw.TextField(default="")
    remedy = pw.CharField(max_length=40, default="")
    compensation = MoneyField(null=True)
    responsibility = pw.CharField(max_length=200, default="")
    satisfaction = pw.CharField(max_length=15, default="")  # satisfied | dissatisfied
    external_route = pw.CharField(max_length=20, default="")
    root_cause = pw.CharField(max_length=100, default="", index=True)
    next_due_at = pw.DateTimeField(null=True, index=True)  # derived from Clock, kept for SQL sort
    next_due_rule = pw.CharField(max_length=40, default="")
    closed_at = pw.DateTimeField(null=True)
    updated_at = pw.DateTimeField()
    # raised by every step: a step taken from a view of an older version is refused
    version = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("year", "seq"), True), (("state", "next_due_at"), False))


class ComplaintAccess(BaseModel):
    """Who is involved in a complaint and so may see it (rules.md §2 confidentiality)."""

    complaint = pw.ForeignKeyField(Complaint, on_delete="CASCADE", backref="access")
    user = pw.ForeignKeyField(User, on_delete="CASCADE", backref="+",
                           index=False)  # covered by the unique (user, complaint) below
    reason = pw.CharField(max_length=20)

    class Meta:
        indexes = ((("user", "complaint"), True),)


class Event(AppendOnlyModel):
    """One step on a complaint's timeline; never updated or deleted (rules.md §3)."""

    id = pw.AutoField()
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="events",
                                index=False)  # covered by (complaint, id) below
    action = pw.CharField(max_length=30)
    from_state = pw.CharField(max_length=20, default="")
    to_state = pw.CharField(max_length=20)
    actor = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    at = pw.DateTimeField()  # when it happened (may be stated by the user, never in the future)
    recorded_at = pw.DateTimeField()  # when it was written down
    note = pw.TextField(default="")
    data = JSONField(null=True)

    class Meta:
        indexes = ((("complaint", "id"), False),)


class AttachmentBlob(BaseModel):
    """File contents by SHA-256, kept unchanged (rules.md §3 原件)."""

    sha256 = pw.CharField(max_length=64, primary_key=True)
    data = pw.BlobField()


class Attachment(AppendOnlyModel):
    id = pw.AutoField()
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="attachments")
    event = pw.ForeignKeyField(Event, on_delete="RESTRICT", backref="+")
    filename = pw.CharField(max_length=255)
    size = pw.IntegerField()
    sha256 = pw.CharField(max_length=64, index=True)
    mime = pw.CharField(max_length=100, default="application/octet-stream")
    added_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    added_at = pw.DateTimeField()


class DeadlineRule(ListEntry):
    """A time limit: from one event to another, a length and a unit (rules.md §5)."""

    name_zh = pw.CharField(max_length=100)
    name_en = pw.CharField(max_length=120)
    start_on = pw.CharField(max_length=30)  # action that starts the clock
    stop_on = pw.CharField(max_length=200)  # comma-separated actions that meet it
    length = pw.IntegerField()
    unit = pw.CharField(max_length=20)  # minutes | hours | office_hours | days | working_days
    kind = pw.CharField(max_length=10, default="any")  # customer | employee | any
    severity = pw.CharField(max_length=10, default="any")  # normal | major | any
    max_total = pw.IntegerField(null=True)  # longest total after extensions, same unit
    # extensions past this total need a manager or the owner (rules.md §5); None: no step
    senior_above = pw.IntegerField(null=True)
    # a calendar-day limit whose last day is a rest day ends on the next working day
    roll_to_workday = pw.BooleanField(default=True)
    # a Category code: the limit applies to that category only and replaces, for it, the
    # general limit with the same start and end steps; "": every category
    category = pw.CharField(max_length=40, default="")


class Clock(BaseModel):
    """A running time limit on one complaint. The length and unit are copied from the rule
    when the clock starts, so editing a rule never moves a clock already running."""

    id = pw.AutoField()
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="clocks")
    rule = pw.ForeignKeyField(DeadlineRule, on_delete="RESTRICT", backref="clocks")
    started_at = pw.DateTimeField()
    length = pw.IntegerField()
    unit = pw.CharField(max_length=20)
    due_at = pw.DateTimeField(index=True)
    provisional = pw.BooleanField(default=False)
    # running | paused | met | cancelled | extended (closed by an extension recorded after it
    # was already due: it stays missed, late=True, and a new clock carries the new limit)
    status = pw.CharField(max_length=12, default="running", index=True)
    paused_since = pw.DateTimeField(null=True)
    stopped_at = pw.DateTimeField(null=True)
    late = pw.BooleanField(null=True)  # set when stopped: was it after due_at?
    responsible = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")

    class Meta:
        indexes = ((("status", "due_at"), False),)


class ClockPause(BaseModel):
    clock = pw.ForeignKeyField(Clock, on_delete="RESTRICT", backref="pauses")
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField(null=True)
    reason = pw.CharField(max_length=200, default="")


class CalendarDay(BaseModel):
    """An exception to the Monday–Friday week: a holiday, or a make-up working day (调休)."""

    day = pw.DateField(primary_key=True)
    kind = pw.CharField(max_length=10)  # holiday | workday
    name = pw.CharField(max_length=60, default="")
    source = pw.CharField(max_length=10, default="package")  # package | import | user


class CalendarYear(BaseModel):
    """A year whose official calendar is known; days in other years are provisional."""

    year = pw.IntegerField(primary_key=True)
    source = pw.CharField(max_length=10)  # package | import | user
    updated_at = pw.DateTimeField()


class ComplaintLink(AppendOnlyModel):
    """A complaint recorded as the repeat (``kind`` "repeat") or skip-level complaint
    ("skip_level") of an earlier one (rules.md §7 conditions). Append-only."""

    id = pw.AutoField()
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+",
                                index=False)  # covered by the unique index below
    earlier = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+")
    kind = pw.CharField(max_length=20)
    linked_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    linked_at = pw.DateTimeField()

    class Meta:
        indexes = ((("complaint", "earlier", "kind"), True),)


ALL_MODELS = [
    Firm, Setting, Department, User, Category, Complainant, TicketCounter, Complaint,
    ComplaintAccess, Event, AttachmentBlob, Attachment, DeadlineRule, Clock, ClockPause,
    CalendarDay, CalendarYear, ComplaintLink,
]
