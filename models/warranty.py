"""The tables of the repair warranty (rules.md §6, repair-shop profile): vehicles, finished repairs,
the warranty terms table, warranty claims and their quality memos (rules.md §8.5).

Registered separately from ``models.entities.ALL_MODELS`` (created by migration m0002); the
full list of live tables is ``ALL_MODELS + WARRANTY_MODELS``.
"""
from __future__ import annotations

import peewee as pw

from models.base import BaseModel, MoneyField
from models.entities import Complainant, Complaint, User


class Vehicle(BaseModel):
    """A customer's vehicle. The owner is a ``Complainant`` row, so a warranty claim's
    complaint names the same person."""

    id = pw.AutoField()
    plate = pw.CharField(max_length=20, index=True)  # normalized: upper case, no spaces
    plate_override = pw.BooleanField(default=False)  # foreign/temporary plate, format not checked
    vin = pw.CharField(max_length=17, default="", index=True)
    make_model = pw.CharField(max_length=100, default="")
    vehicle_class = pw.CharField(max_length=12)  # car | motorcycle | other: picks the §6 row
    owner = pw.ForeignKeyField(Complainant, on_delete="RESTRICT", backref="+")
    created_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class WarrantyTerm(BaseModel):
    """One row of the rules.md §6 table from a date on. Rows are only added: a change is a new row
    with the day it applies from, so the history of the table is kept."""

    id = pw.AutoField()
    vehicle_class = pw.CharField(max_length=12)
    repair_type = pw.CharField(max_length=30)
    km = pw.IntegerField()
    days = pw.IntegerField()
    effective_from = pw.DateField()
    set_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")  # None: preset
    set_at = pw.DateTimeField()

    class Meta:
        indexes = ((("vehicle_class", "repair_type", "effective_from"), False),)


class FinishedRepair(BaseModel):
    """A repair handed back to the customer (竣工出厂) with its certificate and the warranty
    terms in force on its completion day, copied so later table changes never touch it."""

    id = pw.AutoField()
    vehicle = pw.ForeignKeyField(Vehicle, on_delete="RESTRICT", backref="repairs")
    repair_type = pw.CharField(max_length=30)
    work_done = pw.TextField()
    parts_used = pw.TextField(default="")
    labour_amount = MoneyField()
    material_amount = MoneyField()
    completed_on = pw.DateField(index=True)
    completed_km = pw.IntegerField()
    certificate_no = pw.CharField(max_length=40, unique=True)  # 竣工出厂合格证
    # 三级检验: each inspection is a person and a time.
    self_inspector = pw.CharField(max_length=100)
    self_inspected_at = pw.DateTimeField()
    team_inspector = pw.CharField(max_length=100)
    team_inspected_at = pw.DateTimeField()
    final_inspector = pw.CharField(max_length=100)
    final_inspected_at = pw.DateTimeField()
    term_km = pw.IntegerField()
    term_days = pw.IntegerField()
    term_effective_from = pw.DateField()
    rework_of = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="reworks")
    recorded_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    recorded_at = pw.DateTimeField()


class WarrantyClaim(BaseModel):
    """A customer back with a repair (返修): the verdict on the claim day, the complaint it
    became, and what was decided."""

    id = pw.AutoField()
    repair = pw.ForeignKeyField(FinishedRepair, on_delete="RESTRICT", backref="claims")
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", unique=True, backref="+")
    claim_date = pw.DateField()
    claim_km = pw.IntegerField()
    description = pw.TextField()
    request = pw.TextField(default="")
    in_warranty = pw.BooleanField()
    ended_by = pw.CharField(max_length=10, default="")  # days | distance | "" while in warranty
    expires_on = pw.DateField()
    expires_at_km = pw.IntegerField()
    days_used = pw.IntegerField()
    km_used = pw.IntegerField()
    outcome = pw.CharField(max_length=10, default="")  # rework | quote | disputed | ""
    override_reason = pw.TextField(default="")  # rework granted although out of warranty
    quote_amount = MoneyField(null=True)
    mediation_outcome = pw.TextField(default="")
    rework_repair = pw.ForeignKeyField(FinishedRepair, null=True, on_delete="RESTRICT",
                                    backref="+")
    decided_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    decided_at = pw.DateTimeField(null=True)
    registered_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    registered_at = pw.DateTimeField()


class QualityMemo(BaseModel):
    """产品质量投诉处理备忘单 (rules.md §8.5): findings, the responsibility split and who pays what.
    A later memo on the same claim supersedes the earlier one, which is kept."""

    id = pw.AutoField()
    claim = pw.ForeignKeyField(WarrantyClaim, on_delete="RESTRICT", backref="memos")
    findings = pw.TextField()
    shop_percent = pw.IntegerField()
    customer_percent = pw.IntegerField()
    cost_estimate = MoneyField()
    shop_share = MoneyField()
    customer_share = MoneyField()
    delivery_promise = pw.TextField()
    written_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    written_at = pw.DateTimeField()


WARRANTY_MODELS = [Vehicle, WarrantyTerm, FinishedRepair, WarrantyClaim, QualityMemo]
