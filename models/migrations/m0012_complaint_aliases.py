"""Migration 12: ``complaint_alias``, the ticket numbers of duplicates merged into an original
complaint (rules.md §3), so opening or searching the old number finds the original. Frozen copy
of models.aliases at version 12."""
from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, Model

from models.migrations.m0001_initial import Complaint, User

VERSION = 12


class ComplaintAlias(Model):
    id = AutoField()
    ticket = CharField(max_length=12, unique=True)
    duplicate = ForeignKeyField(Complaint, on_delete="RESTRICT", unique=True, backref="+")
    complaint = ForeignKeyField(Complaint, on_delete="RESTRICT", backref="+")
    merged_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    merged_at = DateTimeField()

    class Meta:
        legacy_table_names = False


def apply(db) -> None:
    with db.bind_ctx([ComplaintAlias]):
        db.create_tables([ComplaintAlias])
