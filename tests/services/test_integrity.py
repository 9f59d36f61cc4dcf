"""Tamper evidence (docs/design.md, Tamper evidence): the four edits of the audit, made with raw
SQL behind the program's back (append-only triggers dropped, the change, triggers restored),
are each named by table and id; a clean database verifies clean; the start-up check costs a
fixed number of queries."""
from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from models import db as dbmod
from models.db import database
from services import clock, integrity, penalties
from services.complaints import path as workflow
from services.errors import PermissionDenied, SchemaError
from services.people import users
from tests.helpers import register, walk_to

START = datetime(2025, 3, 3, 9, 0)

@pytest.fixture(autouse=True)
def _english_sentences():
    """The sentences are compared in English (the program's default language is Chinese)."""
    from services.i18n import language
    with language("en"):
        yield



# --- editing behind the program's back --------------------------------------------------------


def _triggers(table: str) -> list[tuple[str, str]]:
    if dbmod.is_postgres():
        return database.execute_sql(
            "SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON "
            "c.oid = t.tgrelid WHERE c.relname = %s AND NOT t.tgisinternal", (table,)).fetchall()
    return database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = ?", (table,)).fetchall()


def behind_our_back(table: str, sql: str, params=()) -> None:
    """What the audit did: drop the table's triggers, change it, put the triggers back."""
    saved = _triggers(table)
    with database.atomic():
        for name, _definition in saved:
            on = f' ON "{table}"' if dbmod.is_postgres() else ""
            database.execute_sql(f'DROP TRIGGER "{name}"{on}')
        database.execute_sql(sql, params)
        for _name, definition in saved:
            database.execute_sql(definition)
    assert {n for n, _d in _triggers(table)} == {n for n, _d in saved}


def p() -> str:
    return database.obj.param


def named(report, kind: str, table: str, row_id: int):
    hits = [x for x in report.problems if (x.kind, x.table, x.row_id) == (kind, table, row_id)]
    assert hits, [x.describe() for x in report.problems]
    return hits[0]


def a_walked_complaint(firm):
    clock.freeze(START)
    r = walk_to(firm, "investigating")
    return r


def last_event_id(complaint_id: int) -> int:
    return database.execute_sql(f'SELECT MAX(id) FROM "event" WHERE complaint_id = {p()}',
                                (complaint_id,)).fetchone()[0]


# --- clean ------------------------------------------------------------------------------------


def test_a_clean_database_verifies_clean(firm):
    r = a_walked_complaint(firm)
    penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han", amount="30",
                      reason="态度", complaint=r.ticket)
    from services import settings

    settings.update_user(actor=firm.owner, login="han", name="张处理二")
    settings.reset_password(actor=firm.owner, login="rec", password="another1")
    report = integrity.verify(actor=firm.owner, full=True)
    assert report.ok, [x.describe() for x in report.problems]
    assert report.seals > 10 and report.rows > 10
    assert integrity.verify(full=False).ok
    assert integrity.complaint_problems(r.complaint_id) == ()
    assert "All records" in report.summary()


def test_every_protected_write_is_sealed_in_the_same_transaction(firm):
    before = database.execute_sql('SELECT COUNT(*) FROM "seal"').fetchone()[0]
    r = a_walked_complaint(firm)
    sealed = dict(database.execute_sql(
        'SELECT table_name, COUNT(*) FROM "seal" WHERE complaint = ' + p() + " GROUP BY "
        "table_name", (r.complaint_id,)).fetchall())
    assert sealed["event"] >= 4 and sealed["complaint_access"] >= 2
    assert database.execute_sql('SELECT COUNT(*) FROM "seal"').fetchone()[0] > before


def test_only_owner_or_manager_may_verify(firm):
    with pytest.raises(PermissionDenied):
        integrity.verify(actor=firm.han, full=True)
    assert integrity.verify(actor=firm.mgr, full=False).ok


# --- the four cases of the audit --------------------------------------------------------------


def test_a_forged_timeline_note_is_named(firm):
    r = a_walked_complaint(firm)
    integrity.verify(full=True)  # clean: the start-up check goes on from here
    eid = last_event_id(r.complaint_id)
    behind_our_back("event", f'UPDATE "event" SET note = {p()} WHERE id = {p()}',
                    ("客户已撤诉", eid))
    report = integrity.verify(full=True)
    problem = named(report, "altered", "event", eid)
    assert problem.ticket == r.ticket and r.ticket in problem.describe()
    assert any(x.row_id == eid for x in integrity.complaint_problems(r.complaint_id))
    # a whole note added: even the cheap check at start sees it
    behind_our_back(
        "event", 'INSERT INTO "event" (complaint_id, action, from_state, to_state, actor_id, '
        f"at, recorded_at, note) VALUES ({p()}, 'note', 'investigating', 'investigating', "
        f"{p()}, {p()}, {p()}, {p()})",
        (r.complaint_id, firm.han.id, START, START, "已电话回访，客户满意"))
    forged = last_event_id(r.complaint_id)
    named(integrity.verify(full=False), "unsealed", "event", forged)
    named(integrity.verify(full=True), "unsealed", "event", forged)
    assert integrity.recent_problems()


def test_a_deleted_event_is_named(firm):
    r = a_walked_complaint(firm)
    eid = last_event_id(r.complaint_id)
    behind_our_back("event", f'DELETE FROM "event" WHERE id = {p()}', (eid,))
    problem = named(integrity.verify(full=True), "missing", "event", eid)
    assert problem.ticket == r.ticket
    assert any(x.kind == "missing" for x in integrity.complaint_problems(r.complaint_id))
    # sealed after the last clean check: the check at start names it too
    named(integrity.verify(full=False), "missing", "event", eid)


def test_a_fine_raised_to_9999_is_named(firm):
    r = a_walked_complaint(firm)
    entry = penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                              amount="30", reason="态度", complaint=r.ticket).entry_ids[0]
    assert integrity.verify(full=True).ok
    behind_our_back("penalty_entry_event", 'UPDATE "penalty_entry_event" SET amount = 9999 '
                    f"WHERE entry_id = {p()}", (entry,))
    behind_our_back("penalty_entry", f'UPDATE "penalty_entry" SET amount = 9999 WHERE id = {p()}',
                    (entry,))
    report = integrity.verify(full=True)
    assert named(report, "altered", "penalty_entry", entry).ticket == r.ticket
    status = database.execute_sql(f'SELECT id FROM "penalty_entry_event" WHERE entry_id = {p()}',
                                  (entry,)).fetchone()[0]
    assert named(report, "altered", "penalty_entry_event", status).ticket == r.ticket
    assert integrity.verify(full=False).ok  # sealed before the last clean check: full only


def test_a_handler_made_owner_with_a_new_password_is_named(firm):
    assert integrity.verify(full=True).ok
    new_hash = users.hash_password("taken-over")
    database.execute_sql(f'UPDATE "user" SET roles = {p()}, password_hash = {p()} WHERE id = {p()}',
                         ("owner,manager", new_hash, firm.han.id))
    problem = named(integrity.verify(full=True), "altered", "user", firm.han.id)
    assert problem.ticket == "" and str(firm.han.id) in problem.describe()


def test_a_forged_seal_does_not_help(firm):
    """Whoever edits the seal table too cannot make a chain link without the key."""
    r = a_walked_complaint(firm)
    eid = last_event_id(r.complaint_id)
    behind_our_back("event", f'UPDATE "event" SET note = {p()} WHERE id = {p()}', ("改", eid))
    import hashlib

    behind_our_back("seal", 'INSERT INTO "seal" (table_name, row_id, digest, chain, complaint) '
                    f"VALUES ('event', {p()}, {p()}, {p()}, {p()})",
                    (eid, hashlib.sha256(b"x").hexdigest(), "0" * 64, r.complaint_id))
    report = integrity.verify(full=True)
    named(report, "forged_seal", "event", eid)
    assert any(x.kind == "forged_seal" for x in integrity.complaint_problems(r.complaint_id))


# --- the key -------------------------------------------------------------------------------


def test_the_sqlite_key_is_private_beside_the_file(sqlite_firm):
    key = Path(sqlite_firm.location + ".key")
    assert integrity.verify(full=True).ok  # a copy of the template finds its key by its id
    assert key.exists()
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.unlink()  # a copy of the database without its key, and no copy in the keys folder
    from models import seals

    wanted = seals.expected_key_id(database.obj)
    (seals.keys_folder() / f"{wanted[:16]}.key").rename(seals.keys_folder() / "aside")
    try:
        from services.firm import open_database

        open_database(sqlite_firm.location)
        report = integrity.verify(full=True)
        assert [x.kind for x in report.problems] == ["no_key"]
        with pytest.raises(SchemaError):
            register(sqlite_firm.rec)
    finally:
        (seals.keys_folder() / "aside").rename(seals.keys_folder() / f"{wanted[:16]}.key")
    open_database(sqlite_firm.location)
    assert integrity.verify(full=True).ok
    assert key.exists()  # put back beside the file from the keys folder


# --- cost of the check at start ---------------------------------------------------------------


class Queries:
    def __init__(self):
        self.n = 0

    def __enter__(self):
        db = database.obj
        original = db.execute_sql

        def counted(*args, **kwargs):
            self.n += 1
            return original(*args, **kwargs)

        db.execute_sql = counted
        return self

    def __exit__(self, *exc):
        del database.obj.execute_sql


def test_the_check_at_start_costs_a_fixed_number_of_queries(firm):
    clock.freeze(START)
    small = walk_to(firm, "acknowledged")
    assert integrity.verify(full=True).ok
    with Queries() as idle:
        assert integrity.recent_problems() == ()
    workflow.act(small.complaint_id, "transfer", actor=firm.rec, to="han")
    with Queries() as one_step:
        assert integrity.recent_problems() == ()
    for _i in range(15):
        walk_to(firm, "investigating")
    with Queries() as many_steps:
        assert integrity.recent_problems() == ()
    with Queries() as full:
        assert integrity.verify(full=True).ok
    print(f"incremental: idle {idle.n}, after one step {one_step.n}, after 60 steps "
          f"{many_steps.n}; full {full.n} queries")
    assert idle.n <= 5
    assert one_step.n <= 12 and many_steps.n <= 12  # not one query per row or per seal
    assert many_steps.n <= one_step.n + 1


# --- PostgreSQL roles -------------------------------------------------------------------------


def test_the_program_role_cannot_change_or_unlock_the_timeline(backend):
    """The program's role, once restricted, may add to the append-only tables but neither
    change them nor switch their triggers off. The tests connect as the superuser, so the
    restricted role is one made here and taken on with SET ROLE."""
    if backend.kind != "postgres":
        pytest.skip("roles exist on PostgreSQL only")
    import uuid

    from services.firm import close_database, open_database

    location = backend.new_location()
    app_role = f"cd_app_{uuid.uuid4().hex[:8]}"
    owner_role = f"cd_owner_{uuid.uuid4().hex[:8]}"
    admin = database
    try:
        open_database(location)
        from services.firm import FirmSetup, init_firm

        init_firm(FirmSetup(profile="company", firm_name="测试", owner_login="owner",
                            owner_password="secret1"))
        owner = users.get_user("owner")
        clock.freeze(START)
        r = register(owner)
        admin.execute_sql(f'CREATE ROLE "{app_role}" NOLOGIN')
        assert integrity.restrict_role(actor=owner, app_role=app_role,
                                       owner_role=owner_role) == owner_role
        eid = last_event_id(r.complaint_id)
        database.obj.close()
        database.connect()
        admin.execute_sql(f'SET ROLE "{app_role}"')
        for refused in (f'UPDATE "event" SET note = \'x\' WHERE id = {eid}',
                        f'DELETE FROM "event" WHERE id = {eid}',
                        'ALTER TABLE "event" DISABLE TRIGGER ALL',
                        'DROP TRIGGER "event_append_only" ON "event"',
                        'UPDATE "seal" SET digest = \'\'',
                        'TRUNCATE "penalty_entry_event"'):
            with pytest.raises(Exception, match="permission denied|must be owner"):
                with database.atomic():
                    admin.execute_sql(refused)
        # what the program needs still works as that role, sealed as ever
        register(owner)
        from services import settings

        settings.update_user(actor=owner, login="owner", name="新名字")
        assert integrity.verify(full=True).ok
        admin.execute_sql("RESET ROLE")
    finally:
        clock.freeze(None)
        close_database()
        backend.drop(location)
        from tests.conftest import _pg_admin

        server = _pg_admin()
        for role in (app_role, owner_role):
            server.execute_sql(f'DROP ROLE IF EXISTS "{role}"')
        server.close()
