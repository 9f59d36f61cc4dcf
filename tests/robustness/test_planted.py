"""The safety settings themselves, read back from the running program (docs/rules.md §10):
what a crash test cannot see (a power cut is not a SIGKILL) or sees only by luck.

- SQLite's pragmas as a live connection has them, on the opening thread and on another one
  (the window's worker has its own connection);
- every SQLite write transaction begins IMMEDIATE (the SQL the connection really ran);
- on PostgreSQL, a step reads its complaint FOR UPDATE before changing it;
- a stored password hash is scrypt with N = 2**14, r = 8, p = 1. The stored form
  ``scrypt$salt$digest`` does not carry the parameters, so changing them in the code either
  weakens every new hash or locks every existing user out: both fail here.
"""
from __future__ import annotations

import hashlib
import logging
import threading

import pytest

from models.db import database
from models.entities import User
from services.complaints import path as workflow
from services.people import users
from tests.conftest import PASSWORD
from tests.helpers import register

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _pragmas() -> dict:
    return {name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]
            for name in ("synchronous", "journal_mode", "busy_timeout", "foreign_keys")}


def test_sqlite_pragmas_of_a_live_connection(sqlite_firm):
    seen = {"opening thread": _pragmas()}

    def other():
        try:
            seen["another thread"] = _pragmas()
        finally:
            database.close()  # this thread's own connection

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    for where, pragmas in seen.items():
        assert pragmas["synchronous"] == 2, f"{where}: synchronous must be FULL (2)"
        assert pragmas["journal_mode"].lower() == "wal", where
        assert pragmas["busy_timeout"] >= 10000, f"{where}: two PCs must wait, not fail"
        assert pragmas["foreign_keys"] == 1, where


def _run_sql(backend_kind: str, work, caplog) -> list[str]:
    """The SQL ``work()`` ran: SQLite's own trace (BEGIN included), peewee's log otherwise."""
    if backend_kind == "sqlite":
        ran: list[str] = []
        conn = database.connection()
        conn.set_trace_callback(ran.append)
        try:
            work()
        finally:
            conn.set_trace_callback(None)
        return ran
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        caplog.clear()
        work()
    return [str(r.msg[0]) if isinstance(r.msg, tuple) else r.getMessage()
            for r in caplog.records if r.name == "peewee"]


def test_writes_serialize_on_the_complaint(firm, backend, caplog):
    """SQLite: each write transaction is BEGIN IMMEDIATE. PostgreSQL: the step locks the
    complaint's row (SELECT … FOR UPDATE) before it updates the complaint."""
    cid = register(firm.rec).complaint_id

    def work():
        register(firm.rec)
        workflow.act(cid, "acknowledge", actor=firm.rec)

    ran = _run_sql(backend.kind, work, caplog)
    assert ran, "no SQL captured"
    if backend.kind == "sqlite":
        begins = [s.strip().upper() for s in ran if s.strip().upper().startswith("BEGIN")]
        assert len(begins) >= 2, ran
        assert all(b.startswith("BEGIN IMMEDIATE") for b in begins), begins
        return
    upper = [s.upper() for s in ran]
    updates = [i for i, s in enumerate(upper) if s.startswith('UPDATE "COMPLAINT"')]
    locks = [i for i, s in enumerate(upper)
             if s.startswith("SELECT") and 'FROM "COMPLAINT"' in s and "FOR UPDATE" in s]
    assert updates, ran
    assert locks and locks[0] < updates[-1], (
        "the step must read its complaint FOR UPDATE before changing it:\n" + "\n".join(ran))


def _verifies_with_pinned_cost(password: str, stored: str) -> bool:
    scheme, salt, digest = stored.split("$")
    assert scheme == "scrypt", stored
    expected = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=SCRYPT_N,
                              r=SCRYPT_R, p=SCRYPT_P, dklen=len(bytes.fromhex(digest)))
    return expected.hex() == digest


def test_stored_password_hashes_cost_scrypt_2_14(sqlite_firm):
    owner = User.get(User.login == "owner")  # hashed when the firm was set up
    assert _verifies_with_pinned_cost(PASSWORD, owner.password_hash), (
        "the firm owner's stored hash is not scrypt N=2**14, r=8, p=1")
    made = users.create_user(login="newbie", name="新同事", password="another1",
                             roles="handler", department="service", actor=owner)
    stored = User.get_by_id(made.id).password_hash
    assert _verifies_with_pinned_cost("another1", stored), (
        "a new user's hash is not scrypt N=2**14, r=8, p=1")
    assert len(stored.split("$")[1]) >= 32, "at least a 16-byte salt"
    # and the program itself still accepts it (the log-in reads the same parameters)
    assert users.check_password("another1", stored)
    assert not users.check_password("another2", stored)


@pytest.mark.parametrize("n", [2**10, 2**12])
def test_a_cheaper_hash_is_told_apart(n):
    """The check above can fail: a hash made with a lower cost does not verify."""
    salt = bytes(16)
    cheap = hashlib.scrypt(b"secret1", salt=salt, n=n, r=8, p=1)
    assert not _verifies_with_pinned_cost("secret1", f"scrypt${salt.hex()}${cheap.hex()}")
