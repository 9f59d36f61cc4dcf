"""Seals: a keyed hash chain over the rows nobody may change behind the program's back
(docs/design.md, Tamper evidence; docs/rules.md §10).

Every timeline event, attachment, complaint link, penalty entry and entry event, every
complaint-access row and every version of a user's log-in data gets a ``Seal``: the digest of
the row's canonical content, and ``chain`` = HMAC-SHA256(key, previous chain ‖ table ‖ row id
‖ digest). The key is kept outside the tables (a file, see ``key_for``), so whoever edits the
database without the program can change a row, but cannot make a seal that fits it.

This module is models-only (standard library and peewee): the migration that seals the rows
already there (m0008) uses it as the services do. Everything reads rows with plain SQL, so a
seal written through the models and a check made later see the very same values.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import peewee as pw
from peewee import PostgresqlDatabase, SqliteDatabase

from models.base import AppendOnlyModel
from models.db import data_dir

# The sealed columns of each protected table, in digest order (besides the id). Users: only
# what decides who may log in and do what; their phone and created_at are not sealed.
PROTECTED: dict[str, tuple[str, ...]] = {
    "event": ("complaint_id", "action", "from_state", "to_state", "actor_id", "at",
              "recorded_at", "note", "data"),
    "attachment": ("complaint_id", "event_id", "filename", "size", "sha256", "mime",
                   "added_by_id", "added_at"),
    "complaint_link": ("complaint_id", "earlier_id", "kind", "linked_by_id", "linked_at"),
    "penalty_entry": ("rule_id", "user_id", "unit_name", "department_id", "amount", "loss",
                      "reason", "complaint_id", "event_id", "clock_id", "proposed_by_id",
                      "proposed_at", "reverses_id"),
    "penalty_entry_event": ("entry_id", "status", "actor_id", "at", "amount", "loss", "month",
                            "note"),
    "user": ("login", "name", "roles", "department_id", "active", "password_hash"),
    "complaint_access": ("complaint_id", "user_id", "reason"),
}

# The complaint a row belongs to, as SQL over the row (``t``): kept on the seal so a deleted
# row can still be named by its complaint (a hint, outside the chain).
COMPLAINT_OF = {
    "event": "t.complaint_id",
    "attachment": "t.complaint_id",
    "complaint_link": "t.complaint_id",
    "penalty_entry": "t.complaint_id",
    "penalty_entry_event": '(SELECT e.complaint_id FROM "penalty_entry" e WHERE e.id = t.entry_id)',
    "user": "NULL",
    "complaint_access": "t.complaint_id",
}

GENESIS = "#key"  # the first seal: names the key (its id), and starts the chain
_ZERO = "0" * 64
_KEY_LABEL = b"complaintdesk seal key"
_LOCK = 73210008  # PostgreSQL advisory lock: one chain, so one sealer at a time
_CHUNK = 500


class Seal(AppendOnlyModel):
    """One link of the chain: a row's digest as written (append-only, like what it seals)."""

    id = pw.AutoField()
    table_name = pw.CharField(max_length=40)
    row_id = pw.IntegerField()
    digest = pw.CharField(max_length=64)
    chain = pw.CharField(max_length=64)
    complaint = pw.IntegerField(null=True, index=True)  # a hint, not chained

    class Meta:
        indexes = ((("table_name", "row_id"), False),)


# --- canonical content -----------------------------------------------------------------------


def _canonical(value):
    """One value as both databases give it back, in one form: SQLite returns datetimes as
    text and amounts as int/float, PostgreSQL as datetime and Decimal."""
    kind = type(value)
    if kind is str or value is None:  # most values: checked first (digest runs per row)
        return value
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    if isinstance(value, datetime | date):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


# The digest is the SHA-256 of json.dumps([table, id, [canonical values]], ensure_ascii=False,
# separators=(",", ":")). That text is put together here from the pieces the encoder would
# write (text quoted by its own encode_basestring, null, the id) instead of building an
# encoder per row; anything else goes through one encoder with the same settings.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring
_sha256 = hashlib.sha256


def digest(table: str, row_id: int, values) -> str:
    parts = []
    add = parts.append
    for v in values:
        if v.__class__ is str:
            add(_quote(v))
        elif v is None:
            add("null")
        else:
            v = _canonical(v)
            add(_quote(v) if v.__class__ is str else _encode(v))
    text = f'[{_quote(table)},{int(row_id)},[{",".join(parts)}]]'
    return _sha256(text.encode("utf-8")).hexdigest()


# HMAC-SHA256 (RFC 2104) from the key's two padded blocks hashed once: the same value as
# hmac.new(key, message, sha256), without preparing the key again for every link.
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))
_pads: dict[bytes, tuple] = {}


def _prepared(key: bytes) -> tuple:
    found = _pads.get(key)
    if found is None:
        block = (_sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\x00")
        found = (_sha256(block.translate(_IPAD)), _sha256(block.translate(_OPAD)))
        if len(_pads) > 8:
            _pads.clear()
        _pads[key] = found
    return found


def chain_step(key: bytes, previous: str, table: str, row_id: int, row_digest: str) -> str:
    inner, outer = _prepared(key)
    inner, outer = inner.copy(), outer.copy()
    inner.update(bytes.fromhex(previous) + table.encode() + b"\x00" + str(int(row_id)).encode()
                 + b"\x00" + bytes.fromhex(row_digest))
    outer.update(inner.digest())
    return outer.hexdigest()


def key_id(key: bytes) -> str:
    return hmac.new(key, _KEY_LABEL, hashlib.sha256).hexdigest()


def read_rows(db, table: str, columns=None, *, ids=None, after: int | None = None,
              limit: int | None = None):
    """[(id, complaint id, digest)] of rows of ``table``: those in ``ids``, or a page of
    ``limit`` rows after the id ``after`` in id order."""
    columns = PROTECTED[table] if columns is None else columns
    cols = ", ".join(f't."{c}"' for c in columns)
    sql = f'SELECT t.id, {COMPLAINT_OF[table]}, {cols} FROM "{table}" t'
    p = db.param
    if ids is not None:
        out = []
        ids = list(ids)
        for start in range(0, len(ids), _CHUNK):
            part = ids[start:start + _CHUNK]
            rows = db.execute_sql(f"{sql} WHERE t.id IN ({', '.join([p] * len(part))})",
                                  part).fetchall()
            out.extend((r[0], r[1], digest(table, r[0], r[2:])) for r in rows)
        return out
    sql += f" WHERE t.id > {p} ORDER BY t.id"
    params = [after or 0]
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [(r[0], r[1], digest(table, r[0], r[2:])) for r in db.execute_sql(sql, params)]


# --- the key ---------------------------------------------------------------------------------

_memory_keys: dict[int, bytes] = {}


def keys_folder() -> Path:
    """Where this PC keeps the seal keys by key id: COMPLAINTDESK_KEYS (a folder the office
    shares, given at set-up) or ``keys`` in the user's data folder."""
    folder = os.environ.get("COMPLAINTDESK_KEYS")
    return Path(folder) if folder else data_dir() / "keys"


def beside(db) -> Path | None:
    """``<database file>.key`` for a SQLite file; None for PostgreSQL or memory."""
    if isinstance(db, SqliteDatabase) and db.database != ":memory:":
        return Path(f"{db.database}.key")
    return None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    os.chmod(path, 0o600)


def _read(path: Path | None) -> bytes | None:
    if path is None or not path.is_file():
        return None
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def expected_key_id(db) -> str | None:
    row = db.execute_sql(f'SELECT digest FROM "seal" WHERE table_name = {db.param} '
                         "ORDER BY id LIMIT 1", (GENESIS,)).fetchone()
    return row[0] if row else None


def key_path_hint(db, wanted: str | None) -> str:
    here = beside(db)
    by_id = keys_folder() / f"{(wanted or '')[:16]}.key"
    return str(here) if here is not None else str(by_id)


def find_key(db, wanted: str | None) -> bytes | None:
    """The key whose id is ``wanted``: beside a SQLite file, else in the keys folder (a copied
    database file finds its key there, and gets it put beside it again)."""
    if not isinstance(db, PostgresqlDatabase | SqliteDatabase):
        return None
    if isinstance(db, SqliteDatabase) and db.database == ":memory:":
        return _memory_keys.get(id(db))
    here = beside(db)
    key = _read(here)
    if key is not None and (wanted is None or key_id(key) == wanted):
        return key
    if wanted is None:
        return None
    key = _read(keys_folder() / f"{wanted[:16]}.key")
    if key is None or key_id(key) != wanted:
        return None
    if here is not None and not here.exists():
        try:
            _write_private(here, key.hex() + "\n")
        except OSError:
            pass
    return key


def create_key(db) -> bytes:
    key = secrets.token_bytes(32)
    if isinstance(db, SqliteDatabase) and db.database == ":memory:":
        _memory_keys[id(db)] = key
        return key
    text = key.hex() + "\n"
    here = beside(db)
    if here is not None:
        _write_private(here, text)
    _write_private(keys_folder() / f"{key_id(key)[:16]}.key", text)
    return key


# --- writing seals ---------------------------------------------------------------------------


def last_link(db) -> str:
    """The chain's end: the newest seal's chain value (zeros before the first)."""
    row = db.execute_sql('SELECT chain FROM "seal" ORDER BY id DESC LIMIT 1').fetchone()
    return row[0] if row else _ZERO


def link(key: bytes, previous: str, items) -> list[tuple]:
    """The seal rows [(table_name, row_id, digest, chain, complaint)] of ``items`` [(table,
    row id, digest, complaint id)], chained after ``previous``: chain_step's values, with
    the previous link kept as bytes from one row to the next."""
    inner_key, outer_key = _prepared(key)
    last = bytes.fromhex(previous)
    names: dict[str, bytes] = {}
    values = []
    add = values.append
    for table, row_id, row_digest, complaint in items:
        name = names.get(table)
        if name is None:
            name = names[table] = table.encode() + b"\x00"
        inner, outer = inner_key.copy(), outer_key.copy()
        inner.update(last + name + str(int(row_id)).encode() + b"\x00"
                     + bytes.fromhex(row_digest))
        outer.update(inner.digest())
        last = outer.digest()
        add((table, row_id, row_digest, last.hex(), complaint))
    return values


def append(db, key: bytes, items, *, write=None, linked=None) -> int:
    """Seal ``items`` [(table, row id, digest, complaint id)] at the end of the chain, inside
    the caller's transaction. One sealer at a time: SQLite writes begin IMMEDIATE, PostgreSQL
    takes an advisory lock held to the end of the transaction. ``write``: a bulk writer's own
    way to insert the seal rows [(table_name, row_id, digest, chain, complaint)]; ``linked``:
    (the chain's end it guessed, the seal rows ``link`` made of ``items`` after it), used if
    the chain does end there, else the rows are linked again."""
    items = list(items)
    if not items:
        return 0
    p = db.param
    with db.atomic():
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
        previous = last_link(db)
        if linked is not None and linked[0] == previous and len(linked[1]) == len(items):
            values = linked[1]
        else:
            values = link(key, previous, items)
        if write is not None:
            write(values)
            return len(values)
        for start in range(0, len(values), 200):
            part = values[start:start + 200]
            marks = ", ".join(f"({p}, {p}, {p}, {p}, {p})" for _ in part)
            db.execute_sql('INSERT INTO "seal" (table_name, row_id, digest, chain, complaint) '
                           f"VALUES {marks}", [v for item in part for v in item])
    return len(items)


def seal_rows(db, key: bytes, table: str, ids, columns=None) -> int:
    rows = read_rows(db, table, columns, ids=sorted(set(ids)))
    return append(db, key, ((table, rid, d, complaint) for rid, complaint, d in rows))


def seal_everything(db, key: bytes, spec: dict[str, tuple[str, ...]], *,
                    page: int = 5000) -> int:
    """The genesis seal, then every row of every protected table (a new chain)."""
    done = append(db, key, [(GENESIS, 0, key_id(key), None)])
    for table, columns in spec.items():
        after = 0
        while True:
            rows = read_rows(db, table, columns, after=after, limit=page)
            if not rows:
                break
            done += append(db, key, ((table, rid, d, c) for rid, c, d in rows))
            after = rows[-1][0]
    return done
