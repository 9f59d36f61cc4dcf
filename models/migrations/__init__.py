"""Numbered schema migrations with a history table (docs/design.md).

Each migration is a module ``mNNNN_name`` with ``VERSION`` and ``apply(db)``, written against
frozen copies of the models as they were at that version, never against ``models.entities``.
Before any migration runs on an existing SQLite file, the file is copied aside. A database
written by a newer program is refused and left untouched.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from peewee import CharField, DateTimeField, IntegerField, Model, SqliteDatabase

from models.errors import N_, SchemaError


class SchemaHistory(Model):
    version = IntegerField(primary_key=True)
    name = CharField(max_length=100)
    app_version = CharField(max_length=20)
    applied_at = DateTimeField()

    class Meta:
        table_name = "schema_history"


# The migrations in order, version 1 first. A database already at the last one is opened
# without importing any of them (docs/design.md, Start-up): a migration's module is imported
# when it is applied, or when ``MIGRATIONS`` is asked for.
NAMES = ("m0001_initial", "m0002_warranty", "m0003_penalties", "m0004_search",
         "m0005_report_indexes", "m0006_path_rules", "m0007_complaint_version", "m0008_seals",
         "m0009_short_search", "m0010_keyset_indexes", "m0011_queue_and_name_keys",
         "m0012_complaint_aliases", "m0013_register_filter_indexes",
         "m0014_repeat_phone_index")


def _modules() -> tuple:
    """Every migration module, in order: the imports are written out, so a frozen program
    (PyInstaller) bundles them all."""
    from models.migrations import (
        m0001_initial,
        m0002_warranty,
        m0003_penalties,
        m0004_search,
        m0005_report_indexes,
        m0006_path_rules,
        m0007_complaint_version,
        m0008_seals,
        m0009_short_search,
        m0010_keyset_indexes,
        m0011_queue_and_name_keys,
        m0012_complaint_aliases,
        m0013_register_filter_indexes,
        m0014_repeat_phone_index,
    )

    return (m0001_initial, m0002_warranty, m0003_penalties, m0004_search,
            m0005_report_indexes, m0006_path_rules, m0007_complaint_version, m0008_seals,
            m0009_short_search, m0010_keyset_indexes, m0011_queue_and_name_keys,
            m0012_complaint_aliases, m0013_register_filter_indexes, m0014_repeat_phone_index)


def __getattr__(name: str):
    if name == "MIGRATIONS":  # the modules themselves, imported when first asked for
        return _modules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Listed:
    """A migration known by its name, imported when it is applied."""

    def __init__(self, name: str):
        self.name = name

    def apply(self, db) -> None:
        module = next(m for m in _modules() if m.__name__.rpartition(".")[2] == self.name)
        module.apply(db)


def _migrations():
    return [(version, name, _Listed(name)) for version, name in enumerate(NAMES, start=1)]


def latest_version() -> int:
    return _migrations()[-1][0]


def current_version(db) -> int:
    with db.bind_ctx([SchemaHistory]):
        if not db.table_exists("schema_history"):
            if db.get_tables():
                raise SchemaError(N_("This database was not made by ComplaintDesk."))
            return 0
        row = SchemaHistory.select().order_by(SchemaHistory.version.desc()).first()
        return row.version if row else 0


# Set by services.firm.setup: the copy goes into the verified backup rotation
# (services.backup, docs/design.md "Integrity and backups") instead of beside the file.
copy_aside = None


def backup_sqlite(db, label: str) -> Path | None:
    """Copy a SQLite database aside with the online backup API (consistent under WAL)."""
    if not isinstance(db, SqliteDatabase) or db.database == ":memory:":
        return None
    if copy_aside is not None:
        return copy_aside(db, label)
    source = Path(db.database)
    if not source.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.{label}-{stamp}{source.suffix}")
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def migrate(db, *, app_version: str) -> list[str]:
    """Bring the database up to date; returns the names of the migrations applied.

    ``app_version`` is recorded beside each migration applied (which program wrote it)."""
    current = current_version(db)
    migrations = _migrations()
    latest = migrations[-1][0]
    if current > latest:
        raise SchemaError(
            N_("This database was written by a newer version of ComplaintDesk (schema {found}, "
               "this program knows {known}). Please install the newer version; the database "
               "was not changed."), found=current, known=latest)
    pending = [(v, name, mod) for v, name, mod in migrations if v > current]
    if not pending:
        return []
    if current > 0:
        backup_sqlite(db, f"before-v{pending[0][0]}")
    applied = []
    with db.bind_ctx([SchemaHistory]):
        for version, name, module in pending:
            with db.atomic():
                if version == 1:
                    db.create_tables([SchemaHistory])
                module.apply(db)
                SchemaHistory.create(version=version, name=name, app_version=app_version,
                                     applied_at=datetime.now())
            applied.append(name)
    return applied
