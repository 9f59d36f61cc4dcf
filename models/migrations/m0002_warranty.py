"""Migration 2: the repair-warranty tables (rules.md §6), as frozen copies of models.warranty at
version 2. Nothing is seeded here: the warranty terms and the memo time limit are presets of
the repair-shop profile, added by ``services.warranty.ensure_terms``."""
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
    TextField,
)

# The tables these refer to, frozen as they were at version 1.
from models.migrations.m0001_initial import Complainant, Complaint, User

VERSION = 2


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class Vehicle(BaseModel):
    id = AutoField()
    plate = CharField(max_length=20, index=True)
    plate_override = BooleanField(default=False)
    vin = CharField(max_length=17, default="", index=True)
    make_model = CharField(max_length=100, default="")
    vehicle_class = CharField(max_length=12)
    owner = ForeignKeyField(Complainant, on_delete="RESTRICT", backref="+")
    created_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField()
    updated_at = DateTimeField()


class WarrantyTerm(BaseModel):
    id = AutoField()
    vehicle_class = CharField(max_length=12)
    repair_type = CharField(max_length=30)
    km = IntegerField()
    days = IntegerField()
    effective_from = DateField()
    set_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    set_at = DateTimeField()

    class Meta:
        indexes = ((("vehicle_class", "repair_type", "effective_from"), False),)


class FinishedRepair(BaseModel):
    id = AutoField()
    vehicle = ForeignKeyField(Vehicle, on_delete="RESTRICT", backref="repairs")
    repair_type = CharField(max_length=30)
    work_done = TextField()
    parts_used = TextField(default="")
    labour_amount = DecimalField(max_digits=12, decimal_places=2)
    material_amount = DecimalField(max_digits=12, decimal_places=2)
    completed_on = DateField(index=True)
    completed_km = IntegerField()
    certificate_no = CharField(max_length=40, unique=True)
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
    id = AutoField()
    repair = ForeignKeyField(FinishedRepair, on_delete="RESTRICT", backref="claims")
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", unique=True, backref="+")
    claim_date = DateField()
    claim_km = IntegerField()
    description = TextField()
    request = TextField(default="")
    in_warranty = BooleanField()
    ended_by = CharField(max_length=10, default="")
    expires_on = DateField()
    expires_at_km = IntegerField()
    days_used = IntegerField()
    km_used = IntegerField()
    outcome = CharField(max_length=10, default="")
    override_reason = TextField(default="")
    quote_amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    mediation_outcome = TextField(default="")
    rework_repair = ForeignKeyField(FinishedRepair, null=True, on_delete="RESTRICT", backref="+")
    decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    decided_at = DateTimeField(null=True)
    registered_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    registered_at = DateTimeField()


class QualityMemo(BaseModel):
    id = AutoField()
    claim = ForeignKeyField(WarrantyClaim, on_delete="RESTRICT", backref="memos")
    findings = TextField()
    shop_percent = IntegerField()
    customer_percent = IntegerField()
    cost_estimate = DecimalField(max_digits=12, decimal_places=2)
    shop_share = DecimalField(max_digits=12, decimal_places=2)
    customer_share = DecimalField(max_digits=12, decimal_places=2)
    delivery_promise = TextField()
    written_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    written_at = DateTimeField()


MODELS = [Vehicle, WarrantyTerm, FinishedRepair, WarrantyClaim, QualityMemo]


def apply(db) -> None:
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)
