"""Migration 6: what the one table of steps needs (docs/rules.md §4, §5, §7).

- ``deadline_rule.roll_to_workday``: a calendar-day limit whose last day is a rest day ends on
  the next working day (on by default);
- ``deadline_rule.senior_above``: extensions past this total need a manager or the owner;
- ``deadline_rule.category``: a limit for one category only (it replaces the general limit
  with the same start and end for that category);
- ``penaltyrule.condition``: what must also have happened for a missed limit to propose an
  entry (a repeat or skip-level complaint linked by the receiver);
- ``complaint_link``: one complaint recorded as the repeat (or skip-level complaint) of an
  earlier one. Links are append-only.
"""
from __future__ import annotations

from peewee import (  # noqa: I001
    AutoField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    Model,
    PostgresqlDatabase,
)

from models.migrations.m0001_initial import Complaint, User

VERSION = 6


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class ComplaintLink(BaseModel):
    id = AutoField()
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+", index=False)
    earlier = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+")
    kind = CharField(max_length=20)
    linked_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    linked_at = DateTimeField()

    class Meta:
        indexes = ((("complaint", "earlier", "kind"), True),)


def apply(db) -> None:
    pg = isinstance(db, PostgresqlDatabase)
    true = "TRUE" if pg else "1"
    db.execute_sql('ALTER TABLE "deadline_rule" ADD COLUMN "roll_to_workday" BOOLEAN NOT NULL '
                   f"DEFAULT {true}")
    db.execute_sql('ALTER TABLE "deadline_rule" ADD COLUMN "senior_above" INTEGER')
    db.execute_sql('ALTER TABLE "deadline_rule" ADD COLUMN "category" VARCHAR(40) NOT NULL '
                   "DEFAULT ''")
    db.execute_sql('ALTER TABLE "penalty_rule" ADD COLUMN "condition" VARCHAR(40) NOT NULL '
                   "DEFAULT ''")
    with db.bind_ctx([ComplaintLink, Complaint, User]):
        db.create_tables([ComplaintLink])
    if pg:
        db.execute_sql('CREATE TRIGGER complaint_link_append_only BEFORE UPDATE OR DELETE ON '
                       '"complaint_link" FOR EACH ROW EXECUTE FUNCTION cd_append_only()')
    else:
        for op in ("UPDATE", "DELETE"):
            db.execute_sql(f'CREATE TRIGGER complaint_link_no_{op.lower()} BEFORE {op} ON '
                           f"complaint_link BEGIN SELECT RAISE(ABORT, 'complaint_link is "
                           "append-only'); END")
    # rules.md §7: the preset rules that say "…complained again" propose only once a repeat
    # (or skip-level) complaint is linked. Existing firms get the condition on those rules
    # only while they are still the preset's (same trigger, time limits and names); a rule the
    # owner rewrote is left as it is.
    p = db.param
    for code, condition, trigger, clock_rules, name_zh, name_en in _CONDITIONED_PRESETS:
        db.execute_sql(
            f'UPDATE "penalty_rule" SET "condition" = {p} WHERE "code" = {p} AND "trigger" = {p} '
            f'AND "clock_rules" = {p} AND "name_zh" = {p} AND "name_en" = {p} '
            f'AND "condition" = {p}',
            (condition, code, trigger, clock_rules, name_zh, name_en, ""))


# The preset rules with a condition, frozen as they were seeded before this migration.
_CONDITIONED_PRESETS = (
    ("hr_no_reply_3d", "repeat_or_skip", "missed_clock", "employee_reply_3d",
     "员工投诉3日内未答复，导致重复投诉或越级投诉",
     "Employee complaint not answered in 3 days, leading to a repeat or skip-level complaint"),
    ("head_no_answer_1h", "repeat", "missed_clock", "head_1h",
     "部门负责人1小时内未答复，客户再次投诉",
     "Department head did not answer in 1 hour; the customer complained again"),
    ("complex_overdue", "repeat", "repeat_complaint", "",
     "复杂投诉未经客户同意未按时办结，客户再次投诉",
     "Complex complaint not done in time without the customer's consent; the customer "
     "complained again"),
    ("top_not_same_day", "repeat", "missed_clock", "top_same_day",
     "部门最高领导未当日解决，客户再次投诉",
     "Top leader of the department did not resolve it the same day; the customer complained "
     "again"),
)
