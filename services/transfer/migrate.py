"""Moving an office from its SQLite file to a PostgreSQL server (docs/design.md, Data in and
out; rules.md §10, nothing saved is lost).

The target must be empty. In one transaction on the target: the schema is made by the same
migrations as any new database, every table is copied in dependency order in batches (rows are
only inserted, so the append-only triggers never fire), the id sequences are set past the
copied rows, and then each table's row count and a checksum of its rows (read back through the
models) are compared with the source's. Any difference, an error or Cancel rolls the whole
target back to empty. The source is read inside one transaction too, so nobody's write slips
in between the copy and the check; it is never changed.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import urlparse

from peewee import (
    AutoField,
    BigAutoField,
    BlobField,
    CompositeKey,
    Model,
    PostgresqlDatabase,
    sort_models,
)

from models import db as dbmod
from models.db import database, is_postgres_url, make_database
from models.migrations import migrate
from services import __version__
from services.errors import Cancelled, StateError, ValidationError
from services.i18n import N_
from services.people import require_role

BATCH = 1000
BLOB_BATCH = 20  # attachment originals are up to 50 MB each
SKIPPED_TABLES = {"schema_history"}  # written by the migrations on the target itself


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int
    checksum_equal: bool


@dataclass(frozen=True)
class MoveReport:
    target: str  # the URL without its password
    tables: tuple[TableCount, ...]

    @property
    def rows(self) -> int:
        return sum(t.source for t in self.tables)


def redact(url: str) -> str:
    """The URL with its password replaced by *** (models/db.py; docs/design.md, Credentials)."""
    return dbmod.redact(url)


def _password(url: str) -> str | None:
    try:
        return urlparse(url).password
    except ValueError:
        return None


def _models() -> dict[str, type[Model]]:
    """Table name → model, for every table of the program's schema: every module of
    ``models`` is loaded and searched, so a table added by a later feature is copied too."""
    import importlib
    import pkgutil

    import models

    out = {}
    for info in pkgutil.iter_modules(models.__path__):
        if info.ispkg:
            continue
        module = importlib.import_module(f"models.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Model)
                    and value.__module__ == module.__name__ and value._meta.fields):
                out.setdefault(value._meta.table_name, value)
    return out


def _keyset(model) -> int | None:
    """The position of an auto id among the model's fields (pages are read after the last
    id), or None: the table is read whole (small lists such as the calendar)."""
    pk = model._meta.primary_key
    if isinstance(pk, AutoField | BigAutoField):
        return list(model._meta.sorted_fields).index(pk)
    return None


def _order(model: type[Model]):
    pk = model._meta.primary_key
    if isinstance(pk, CompositeKey):
        return [model._meta.fields[n] for n in pk.field_names]
    if pk is False or pk is None:
        return list(model._meta.sorted_fields)
    return [pk]


def _norm(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bytes | memoryview | bytearray):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, float):
        return repr(value)
    return value


def _rows(model, db, *, after=None, limit=None):
    q = model.select(*model._meta.sorted_fields).order_by(*_order(model)).tuples()
    pk = model._meta.primary_key
    if after is not None:
        q = q.where(pk > after)
    if limit is not None:
        q = q.limit(limit)
    return list(q.execute(db))


def _pages(model, db, size: int):
    at = _keyset(model)
    if at is None:
        yield _rows(model, db)
        return
    after = None
    while True:
        page = _rows(model, db, after=after, limit=size)
        if page:
            yield page
        if len(page) < size:
            return
        after = page[-1][at]


def _size(model) -> int:
    return BLOB_BATCH if any(isinstance(f, BlobField) for f in model._meta.sorted_fields) \
        else BATCH


def _checksum(model, db) -> tuple[int, str]:
    """How many rows, and a SHA-256 over them in key order, each value as the model reads it
    (so a date is a date on both databases, whatever each stores)."""
    h = hashlib.sha256()
    n = 0
    for page in _pages(model, db, _size(model) * 5):
        for row in page:
            h.update(json.dumps([_norm(v) for v in row], ensure_ascii=False,
                                default=str).encode("utf-8"))
            h.update(b"\n")
        n += len(page)
    return n, h.hexdigest()


def move_to_postgresql(url: str, *, actor, progress: Callable[[float], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> MoveReport:
    """Copy the open (SQLite) database to the empty PostgreSQL database at ``url`` and verify
    it; the owner only. Returns the counts per table; raises when anything differs."""
    require_role(actor, "owner")
    if not is_postgres_url(url):
        raise ValidationError(N_("Give a PostgreSQL address such as "
                                 "postgresql://user@host/database."), field="target")
    source = database.obj
    if isinstance(source, PostgresqlDatabase):
        raise StateError(N_("This office already works on a PostgreSQL server."))
    label = redact(url)
    target = make_database(url)
    try:
        target.connect()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        raise ValidationError(N_("Cannot reach {target}: {error}"), field="target",
                              target=label,
                              error=dbmod.redact_text(str(exc)).replace(
                                  _password(url) or "\0", "***").strip()) from None
    try:
        if target.get_tables():
            raise StateError(N_("{target} is not empty: give a new, empty database."),
                             target=label)
        return _copy(source, target, label, progress, cancelled)
    finally:
        target.close()


def _copy(source, target, label, progress, cancelled) -> MoveReport:
    by_table = _models()
    with source.atomic(), target.atomic() as txn:
        migrate(target, app_version=__version__)
        tables = [t for t in target.get_tables() if t not in SKIPPED_TABLES]
        unknown = sorted(t for t in tables if t not in by_table)
        if unknown:  # a table this program cannot copy: refuse rather than leave it behind
            raise StateError(N_("The program does not know how to copy the table {table}."),
                             table=unknown[0])
        ordered = sort_models([by_table[t] for t in tables])
        for model in ordered:
            if model.select().exists(target):
                # Rows a migration just wrote into the new schema (the seal chain's first
                # link, with a key of its own): the source's rows replace them. TRUNCATE, in
                # this same transaction, fires no row trigger; no copied row is ever removed.
                target.execute_sql(f'TRUNCATE "{model._meta.table_name}" RESTART IDENTITY')
        counts = {m: m.select().count(source) for m in ordered}
        total = max(1, sum(counts.values()))
        done = 0
        for model in ordered:
            fields = list(model._meta.sorted_fields)
            for page in _pages(model, source, _size(model)):
                if cancelled is not None and cancelled():
                    txn.rollback()
                    raise Cancelled(N_("The move was cancelled; the server was left empty."))
                if page:
                    model.insert_many(page, fields=fields).as_rowcount().execute(target)
                    done += len(page)
                    if progress is not None:
                        progress(0.85 * done / total)
            keyset = _keyset(model) is not None
            if keyset:  # the next id PostgreSQL gives follows the copied rows
                column = model._meta.primary_key.column_name
                table = model._meta.table_name
                target.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                    f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)')
        results = []
        for n, model in enumerate(ordered):
            s_count, s_sum = _checksum(model, source)
            t_count, t_sum = _checksum(model, target)
            results.append(TableCount(model._meta.table_name, s_count, t_count, s_sum == t_sum))
            if progress is not None:
                progress(0.85 + 0.15 * (n + 1) / len(ordered))
        bad = [r for r in results if r.source != r.target or not r.checksum_equal]
        if bad:
            txn.rollback()
            raise StateError(N_("The copy of table {table} differs from the original "
                                "({source} rows, {target} copied); the server was left "
                                "empty."), table=bad[0].table, source=bad[0].source,
                             target=bad[0].target)
    return MoveReport(label, tuple(results))
