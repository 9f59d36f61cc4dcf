"""`main.py verify [--full] [--json]` (docs/design.md, Tamper evidence), on both backends:
exit 0 when clean, 3 with one line per record changed, added or deleted outside the program."""
from __future__ import annotations

import io
import json
import sys

import pytest

from models.db import database
from services import clock
from services.people import users
from tests.conftest import PASSWORD
from tests.helpers import walk_to
from tests.services.test_integrity import START, behind_our_back, last_event_id, p
from ui import cli


@pytest.fixture
def verify(firm, capsys, monkeypatch):
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)

    def call(*extra: str, user: str = "owner"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        capsys.readouterr()
        status = cli.main(["verify", "--db", firm.location, "--user", user, "--password-stdin",
                           "--lang", "en", *extra])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_a_clean_database_exits_0(firm, verify):
    clock.freeze(START)
    walk_to(firm, "investigating")
    status, out, _err = verify("--full")
    assert status == 0, out
    assert out.strip().splitlines() == [out.strip().splitlines()[-1]]
    assert "All records" in out
    status, out, _err = verify("--json")
    assert status == 0 and json.loads(out)["ok"] is True


def test_forged_rows_exit_3_with_one_line_each(firm, verify):
    clock.freeze(START)
    r = walk_to(firm, "investigating")
    assert verify("--full")[0] == 0
    eid = last_event_id(r.complaint_id)
    behind_our_back("event", f'UPDATE "event" SET note = {p()} WHERE id = {p()}', ("伪造", eid))
    database.execute_sql(f'UPDATE "user" SET roles = {p()}, password_hash = {p()} WHERE id = {p()}',
                         ("owner", users.hash_password("taken-over"), firm.han.id))
    status, out, _err = verify("--full")
    assert status == 3
    lines = out.strip().splitlines()
    assert len(lines) == 3  # one per problem, and the summary
    assert any(f"Timeline event {eid} was changed" in line and r.ticket in line
               for line in lines)
    assert any(f"User {firm.han.id} was changed" in line for line in lines)
    status, out, _err = verify("--full", "--json")
    data = json.loads(out)
    assert status == 3 and not data["ok"]
    assert {(x["table"], x["row_id"]) for x in data["problems"]} == {("event", eid),
                                                                   ("user", firm.han.id)}


def test_the_quick_check_and_the_full_one(firm, verify):
    clock.freeze(START)
    r = walk_to(firm, "investigating")
    assert verify("--full")[0] == 0
    first = database.execute_sql(f'SELECT MIN(id) FROM "event" WHERE complaint_id = {p()}',
                                 (r.complaint_id,)).fetchone()[0]
    behind_our_back("event", f'UPDATE "event" SET note = {p()} WHERE id = {p()}', ("改", first))
    # sealed before the last clean check: only the full check reads it again
    assert verify()[0] == 0
    status, out, _err = verify("--full")
    assert status == 3 and f"Timeline event {first} was changed" in out
    behind_our_back(
        "event", 'INSERT INTO "event" (complaint_id, action, from_state, to_state, actor_id, '
        f"at, recorded_at, note) VALUES ({p()}, 'note', 'assigned', 'assigned', {p()}, {p()}, "
        f"{p()}, 'x')", (r.complaint_id, firm.han.id, START, START))
    status, out, _err = verify()  # a row added since: the quick check sees it
    assert status == 3 and "was added outside" in out
    assert len(out.strip().splitlines()) == 2


def test_only_the_owner_or_a_manager_may_verify(firm, verify):
    status, _out, err = verify(user="han")
    assert status == 2 and err.strip()
