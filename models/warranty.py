"""The tables of the repair warranty (rules.md §6, repair-shop profile): vehicles, finished repairs,
the warranty terms table, warranty claims and their quality memos (rules.md §8.5).

Registered separately from ``models.entities.ALL_MODELS`` (created by migration m0002); the
full list of live tables is ``ALL_MODELS + WARRANTY_MODELS``.
"""
from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.base import BaseModel, MoneyField
from models.entities import Complainant, Complaint, User


class Vehicle(BaseModel):
    """A customer's vehicle. The owner is a ``Complainant`` row, so a warranty claim's
    complaint names the same person."""

    id = AutoField()
    plate = CharField(max_length=20, index=True)  # normalized: upper case, no spaces
    plate_override = BooleanField(default=False)  # foreign/temporary plate, format not checked
    vin = CharField(max_length=17, default="", index=True)
    make_model = CharField(max_length=100, default="")
    vehicle_class = CharField(max_length=12)  # car | motorcycle | other: picks the §6 row
    owner = ForeignKeyField(Complainant, on_delete="RESTRICT", backref="+")
    created_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField()
    updated_at = DateTimeField()


class WarrantyTerm(BaseModel):
    """One row of the rules.md §6 table from a date on. Rows are only added: a change is a new row
    with the day it applies from, so the history of the table is kept."""

    id = AutoField()
    vehicle_class = CharField(max_length=12)
    repair_type = CharField(max_length=30)
    km = IntegerField()
    days = IntegerField()
    effective_from = DateField()
    set_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")  # None: preset
    set_at = DateTimeField()

    class Meta:
        indexes = ((("vehicle_class", "repair_type", "effective_from"), False),)


class FinishedRepair(BaseModel):
    """A repair handed back to the customer (竣工出厂) with its certificate and the warranty
    terms in force on its completion day, copied so later table changes never touch it."""

    id = AutoField()
    vehicle = ForeignKeyField(Vehicle, on_delete="RESTRICT", backref="repairs")
    repair_type = CharField(max_length=30)
    work_done = TextField()
    parts_used = TextField(default="")
    labour_amount = MoneyField()
    material_amount = MoneyField()
    completed_on = DateField(index=True)
    completed_km = IntegerField()
    certificate_no = CharField(max_length=40, unique=True)  # 竣工出厂合格证
    # 三级检验: each inspection is a person and a time.
    self_inspector = CharField(max_length=100)
    self_inspected_at = DateTimeField()
    team_inspector = CharField(max_length=100)
    team_inspected_at = DateTimeField()
    final_inspector = CharField(max_length=100)
    final_inspected_at = DateTimeField()
    term_km = IntegerField()
    term_days = IntegerField()
    term_effective_from = DateField()
    rework_of = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="reworks")
    recorded_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    recorded_at = DateTimeField()


class WarrantyClaim(BaseModel):
    """A customer back with a repair (返修): the verdict on the claim day, the complaint it
    became, and what was decided."""

    id = AutoField()
    repair = ForeignKeyField(FinishedRepair, on_delete="RESTRICT", backref="claims")
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", unique=True, backref="+")
    claim_date = DateField()
    claim_km = IntegerField()
    description = TextField()
    request = TextField(default="")
    in_warranty = BooleanField()
    ended_by = CharField(max_length=10, default="")  # days | distance | "" while in warranty
    expires_on = DateField()
    expires_at_km = IntegerField()
    days_used = IntegerField()
    km_used = IntegerField()
    outcome = CharField(max_length=10, default="")  # rework | quote | disputed | ""
    override_reason = TextField(default="")  # rework granted although out of warranty
    quote_amount = MoneyField(null=True)
    mediation_outcome = TextField(default="")
    rework_repair = ForeignKeyField(FinishedRepair, null=True, on_delete="RESTRICT",
                                    backref="+")
    decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    decided_at = DateTimeField(null=True)
    registered_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    registered_at = DateTimeField()


class QualityMemo(BaseModel):
    """产品质量投诉处理备忘单 (rules.md §8.5): findings, the responsibility split and who pays what.
    A later memo on the same claim supersedes the earlier one, which is kept."""

    id = AutoField()
    claim = ForeignKeyField(WarrantyClaim, on_delete="RESTRICT", backref="memos")
    findings = TextField()
    shop_percent = IntegerField()
    customer_percent = IntegerField()
    cost_estimate = MoneyField()
    shop_share = MoneyField()
    customer_share = MoneyField()
    delivery_promise = TextField()
    written_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    written_at = DateTimeField()


WARRANTY_MODELS = [Vehicle, WarrantyTerm, FinishedRepair, WarrantyClaim, QualityMemo]
