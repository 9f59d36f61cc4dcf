"""Sealing rows as they are written: the models' write hook (docs/design.md, Tamper evidence).

``services.integrity`` registers ``on_written`` with ``models.base`` when it is imported; every
save()/create() of a protected table, every query-level update of ``user`` (and of
``complaint_access``) and every access row ``people.grant`` inserts is sealed in the same
transaction as the write."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from models import db as dbmod
from models import seals
from models.db import database
from services.errors import SchemaError
from services.i18n import N_


@dataclass(frozen=True)
class KeyState:
    """The sealing key found for this database, the one its seals name, and where it is looked
    for."""
    key: bytes | None
    wanted: str | None  # the key id the database's first seal names
    hint: str  # where the key file is looked for


_lock = threading.Lock()
_cache: tuple | None = None  # (generation, database object, KeyState)


def key_state(db=None, *, fresh: bool = False) -> KeyState | None:
    """The database's seal key, or None when the database has no seal table yet (before
    migration 8). Read once per opened database."""
    global _cache
    db = db or database.obj
    with _lock:
        cached = _cache
        if (not fresh and cached is not None and cached[0] == dbmod.generation()
                and cached[1] is db):
            return cached[2]
    if not db.table_exists("seal"):
        return None
    wanted = seals.expected_key_id(db)
    key = seals.find_key(db, wanted) if wanted else None
    state = KeyState(key, wanted, seals.key_path_hint(db, wanted))
    with _lock:
        _cache = (dbmod.generation(), db, state)
    return state


def require_key(db=None) -> bytes | None:
    state = key_state(db)
    if state is None:
        return None
    if state.key is None:
        raise SchemaError(N_("The seal key of this database is missing ({path}): nothing can "
                             "be recorded. Copy the key file from the PC that set the database "
                             "up."), path=state.hint)
    return state.key


def on_written(model, ids) -> None:
    """The write hook: seal the rows just written (inside the caller's transaction)."""
    table = model._meta.table_name
    if table not in seals.PROTECTED or not ids:
        return
    db = database.obj
    key = require_key(db)
    if key is not None:
        seals.seal_rows(db, key, table, ids)


def seal_written(items, *, write=None, linked=None) -> int:
    """Seal rows a bulk writer has just written, inside its transaction, from digests it made
    itself: ``items`` [(table, row id, ``seals.digest`` of the protected columns, complaint
    id)], each value given to the digest as the database gives it back (the demo's batches;
    docs/design.md, Tamper evidence). ``write``: its own way to insert the seal rows;
    ``linked``: what ``SealsAhead.link`` made of the items."""
    db = database.obj
    key = require_key(db)
    if key is None:
        return 0
    return seals.append(db, key, items, write=write, linked=linked)


class SealsAhead:
    """Chains a bulk writer's seals before their transaction (on the thread that builds its
    next batches): each ``link`` goes on from the previous one's last link, the chain's end
    when they are written unless someone else sealed meanwhile, which ``seal_written``
    checks. Made on the database's thread: it reads the key and the chain's end."""

    def __init__(self):
        db = database.obj
        self.key = require_key(db)
        self.end = seals.last_link(db) if self.key is not None else None

    def link(self, items) -> tuple | None:
        if self.key is None or not items:
            return None
        values = seals.link(self.key, self.end, items)
        linked, self.end = (self.end, values), values[-1][3]
        return linked


def seal_unsealed() -> int:
    """Seal every protected row that has no seal yet — for bulk writers that bypass the models
    (the demo's sample data) to call right after they wrote. Never run it over rows nobody
    checked: it would seal whatever was added behind the program's back."""
    db = database.obj
    key = require_key(db)
    if key is None:
        return 0
    done = 0
    p = db.param
    with db.atomic():
        for table in seals.PROTECTED:
            ids = [r[0] for r in db.execute_sql(
                f'SELECT t.id FROM "{table}" t WHERE NOT EXISTS (SELECT 1 FROM "seal" s '
                f"WHERE s.table_name = {p} AND s.row_id = t.id) ORDER BY t.id", (table,))]
            if ids:
                done += seals.seal_rows(db, key, table, ids)
    return done
