"""The numbers of merged duplicates (rules.md §3): a complaint merged into another keeps its
ticket number as an alias of the original, so the old number still finds it. Created by
migration m0012."""
from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.entities import Complaint, User


class ComplaintAlias(BaseModel):
    """``ticket`` (the duplicate's number) now means ``complaint`` (the original)."""

    id = pw.AutoField()
    ticket = pw.CharField(max_length=12, unique=True)
    duplicate = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", unique=True, backref="+")
    complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+")
    merged_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    merged_at = pw.DateTimeField()


ALIAS_MODELS = [ComplaintAlias]
