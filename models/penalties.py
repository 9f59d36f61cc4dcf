"""The penalty ledger's tables (rules.md §7): rules, entries and their status history.

Entries and their status changes are append-only (refused here and by database triggers):
an entry's current status is its latest ``PenaltyEntryEvent``, a correction is a new entry
that ``reverses`` the original, and no balance is ever stored (services.penalties sums it).
"""
from __future__ import annotations

import peewee as pw

from models.base import AppendOnlyModel, ListEntry, MoneyField
from models.entities import Clock, Complaint, Department, Event, User


class PenaltyRule(ListEntry):
    """One line of the firm's reward-and-penalty rules, preset per profile and editable.

    Amounts are signed: a fine is positive, a reward negative (``min_amount <= max_amount``,
    equal for a fixed amount). Rules are never deleted (entries keep theirs); an unused one
    is made inactive.
    """

    name_zh = pw.CharField(max_length=120)
    name_en = pw.CharField(max_length=160)
    # responsible | receiver | head | leader | dealer | store | sales_manager | sender | person
    applies_to = pw.CharField(max_length=20)
    min_amount = MoneyField()
    max_amount = MoneyField()
    plus_loss = pw.BooleanField(default=False)  # "…plus the loss" may be added to the amount
    reward = pw.BooleanField(default=False)
    clock_rules = pw.CharField(max_length=300, default="")  # DeadlineRule codes, comma-separated
    trigger = pw.CharField(max_length=20, default="manual")  # missed_clock|repeat_complaint|manual
    # what must also have happened for a missed limit to propose an entry: "" nothing,
    # "repeat" a repeat complaint linked to it, "repeat_or_skip" a repeat or skip-level one
    condition = pw.CharField(max_length=40, default="")
    # misses before this day propose nothing under this rule; None: since always
    effective_from = pw.DateField(null=True)


class PenaltyEntry(AppendOnlyModel):
    """One fine or reward about a person (``user``) or a unit (``unit_name``: a dealer, a
    direct store). What was proposed never changes; approval, rejection and deduction are
    ``PenaltyEntryEvent`` rows."""

    id = pw.AutoField()
    rule = pw.ForeignKeyField(PenaltyRule, on_delete="RESTRICT", backref="+")
    user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=True)
    unit_name = pw.CharField(max_length=100, default="")
    department = pw.ForeignKeyField(Department, null=True, on_delete="RESTRICT", backref="+",
                                 index=True)  # the person's department when proposed
    amount = MoneyField()
    loss = MoneyField(default=0)
    reason = pw.TextField()
    complaint = pw.ForeignKeyField(Complaint, null=True, on_delete="RESTRICT", backref="+",
                                index=True)
    event = pw.ForeignKeyField(Event, null=True, on_delete="RESTRICT", backref="+")
    clock = pw.ForeignKeyField(Clock, null=True, on_delete="RESTRICT", backref="+")
    # None: proposed by the program itself (a missed time limit, a repeat complaint)
    proposed_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    proposed_at = pw.DateTimeField()
    reverses = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="+", unique=True)

    class Meta:
        # rules.md §7: the same missed limit never proposes twice under the same rule.
        indexes = ((("clock", "rule"), True),)


class PenaltyEntryEvent(AppendOnlyModel):
    """A status change of an entry: proposed, approved, rejected or deducted.

    ``amount`` and ``loss`` are the entry's amounts as of this event (an approver may set them
    within the rule's range). ``month`` ("YYYY-MM") is the month the entry belongs to as of
    this event: the month it was proposed in, then the month it was approved in, then the
    payroll month it was deducted in. Month totals count approved and deducted entries by the
    month of their latest event."""

    id = pw.AutoField()
    entry = pw.ForeignKeyField(PenaltyEntry, on_delete="RESTRICT", backref="events")
    status = pw.CharField(max_length=12)  # proposed | approved | rejected | deducted
    actor = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    at = pw.DateTimeField()
    amount = MoneyField()
    loss = MoneyField(default=0)
    month = pw.CharField(max_length=7, index=True)
    note = pw.TextField(default="")

    class Meta:
        indexes = ((("entry", "id"), False),)


PENALTY_MODELS = [PenaltyRule, PenaltyEntry, PenaltyEntryEvent]
APPEND_ONLY_TABLES = ("penalty_entry", "penalty_entry_event")
