"""The command line when something fails: one line, exit status 2, never "unexpected"; and
`document --out` writes the file before it records anything (docs/design.md, When something
fails). In-process on SQLite files, with tiny busy timeouts."""
from __future__ import annotations

import io
import json
import sqlite3
import sys
from dataclasses import dataclass

import pytest

import models.db as dbmod
from ui import cli

PASSWORD = "secret1"


@dataclass
class Result:
    status: int
    out: str
    err: str


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)

    def call(*argv: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return call


@pytest.fixture
def shop(run, tmp_path):
    """A firm with one complaint: (as_boss, ticket, db)."""
    db = str(tmp_path / "fail.sqlite3")
    assert run("init", "--db", db, "--profile", "company", "--firm", "测试公司", "--owner",
               "boss", "--password-stdin", stdin=PASSWORD + "\n").status == 0

    def as_boss(*argv: str) -> Result:
        return run(*argv, "--db", db, "--user", "boss", "--password-stdin", "--lang", "en",
                   stdin=PASSWORD + "\n")

    r = as_boss("complaints", "register", *_complaint(), "--json")
    assert r.status == 0, r.err
    return as_boss, json.loads(r.out)["ticket"], db


def _complaint(**changes) -> list[str]:
    fields = {"--kind": "customer", "--channel": "phone", "--name": "王五",
              "--description": "空调不制冷", "--category": "product_quality", **changes}
    return [x for pair in fields.items() for x in pair]


def one_line(r: Result) -> str:
    assert r.status == 2, r
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "unexpected" not in lines[0]
    return lines[0]


def _timeline(as_boss, ticket) -> list[dict]:
    r = as_boss("complaints", "show", ticket, "--json")
    assert r.status == 0, r.err
    return json.loads(r.out)["timeline"]


def _documents(as_boss, ticket) -> list[dict]:
    return [e for e in _timeline(as_boss, ticket) if e["action"] == "document"]


# --- document --out: the file first, then the record ----------------------------------------


def test_document_into_a_missing_folder_records_nothing(shop, tmp_path):
    as_boss, ticket, _db = shop
    missing = tmp_path / "no such folder"
    line = one_line(as_boss("document", "receipt", "--ticket", ticket, "--out",
                            str(missing / "r.pdf")))
    assert "does not exist" in line and "no such folder" in line
    assert _documents(as_boss, ticket) == []
    assert not missing.exists()
    # a file where the folder should be: refused the same way
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    one_line(as_boss("document", "receipt", "--ticket", ticket, "--out",
                     str(blocker / "r.pdf")))
    assert _documents(as_boss, ticket) == []


def test_document_into_a_folder_saves_a_file_there_then_records_it(shop, tmp_path):
    as_boss, ticket, _db = shop
    folder = tmp_path / "out"
    folder.mkdir()
    r = as_boss("document", "receipt", "--ticket", ticket, "--out", str(folder), "--json")
    assert r.status == 0, r.err
    made = json.loads(r.out)
    saved = [p.name for p in folder.iterdir()]
    # one file, no temporary one left behind
    from services.documents.names import file_name

    assert len(saved) == 1 and saved[0] == file_name("receipt", ticket, made["language"])
    assert made["out"] == str(folder / saved[0])
    assert [e["data"]["sha256"] for e in _documents(as_boss, ticket)] == [made["sha256"]]
    # the ledger papers take a folder too, and refuse a missing one
    assert one_line(as_boss("document", "penalty-ledger", "--month", "2026-01", "--out",
                            str(tmp_path / "gone" / "l.pdf")))


def test_a_failed_record_leaves_no_file(shop, tmp_path, monkeypatch):
    """The step that records fails (here: the disk fills up just then): the file already
    written under a temporary name is removed, and no copy is given out."""
    from services.complaints import path as workflow

    as_boss, ticket, _db = shop
    folder = tmp_path / "out"
    folder.mkdir()
    written = []

    def full(*args, **kwargs):
        written.extend(folder.iterdir())  # the temporary file is there already
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(workflow, "act", full)
    line = one_line(as_boss("document", "receipt", "--ticket", ticket, "--out", str(folder)))
    assert "disk" in line and "full" in line
    assert len(written) == 1 and written[0].suffix == ".tmp"
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    assert _documents(as_boss, ticket) == []


# --- the database fails: one sentence, exit 2 ------------------------------------------------


def _fill_the_disk(monkeypatch, db: str) -> None:
    """Every connection the CLI opens may not grow the file by another page."""
    conn = sqlite3.connect(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    monkeypatch.setattr(dbmod, "SQLITE_PRAGMAS",
                        (*dbmod.SQLITE_PRAGMAS, ("max_page_count", pages)))


def test_a_full_disk_is_one_sentence_and_the_database_still_opens(shop, monkeypatch):
    as_boss, ticket, db = shop
    _fill_the_disk(monkeypatch, db)
    line = one_line(as_boss("complaints", "register", *_complaint(**{
        "--description": "空调不制冷" * 1500})))
    assert "The disk holding the database is full" in line
    assert "rollback" not in line
    monkeypatch.undo()
    r = as_boss("complaints", "list", "--json")
    assert r.status == 0 and [c["ticket"] for c in json.loads(r.out)] == [ticket]
    assert as_boss("complaints", "register", *_complaint()).status == 0


def test_a_lock_held_past_the_busy_timeout_is_one_sentence(shop, monkeypatch):
    as_boss, ticket, db = shop
    monkeypatch.setattr(dbmod, "SQLITE_PRAGMAS", tuple(
        (k, 20 if k == "busy_timeout" else v) for k, v in dbmod.SQLITE_PRAGMAS))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = as_boss("complaints", "register", *_complaint())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = one_line(r)
    assert "busy" in line and "try again" in line
    assert as_boss("complaints", "register", *_complaint()).status == 0


# --- bad input: one sentence, exit 2, nothing recorded ---------------------------------------


@pytest.mark.parametrize("option, value, expected", [
    ("--received", "9999-12-31T10:00", "2000 to 2100"),
    ("--received", "1999-12-31T10:00", "2000 to 2100"),
    ("--name", "王\x00五", "control character"),
    ("--name", "王\udcff五", "not valid UTF-8"),  # invalid UTF-8 in argv (surrogateescape)
    ("--description", "坏了\ud800", "not valid UTF-8"),
    ("--phone", "1" + "-" * 60 + "3800138000", "phone number"),
])
def test_bad_input_is_one_sentence(shop, option, value, expected):
    as_boss, ticket, _db = shop
    line = one_line(as_boss("complaints", "register", *_complaint(**{option: value})))
    assert expected in line
    r = as_boss("complaints", "list", "--json")
    assert [c["ticket"] for c in json.loads(r.out)] == [ticket]


def test_numbers_past_the_columns_are_one_sentence(shop):
    as_boss, ticket, _db = shop
    for argv in (("document", "penalty-notice", "--entry", str(2**63), "--out", "x.pdf"),
                 ("complaints", "act", ticket, "acknowledge", "--expect-version",
                  str(2**31)),
                 ("complaints", "show", "9" * 25),
                 ("complaints", "show", "1\x00")):
        one_line(as_boss(*argv))


def test_a_long_pause_note_is_kept_on_the_timeline(shop):
    as_boss, ticket, _db = shop
    for action in ("acknowledge", "transfer --to boss", "start-investigation"):
        name, *rest = action.split()
        assert as_boss("complaints", "act", ticket, name, *rest).status == 0
    note = "等待客户送检。" * 40
    r = as_boss("complaints", "act", ticket, "pause", "--note", note)
    assert r.status == 0, r.err
    assert any(e["action"] == "pause" and e["note"] == note
               for e in _timeline(as_boss, ticket))
