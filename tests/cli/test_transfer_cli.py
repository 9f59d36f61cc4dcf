"""`main.py import-register | export-register | migrate-to` in-process (docs/design.md, Data in
and out): the report of refused rows, the exit status, a redacted server password."""
from __future__ import annotations

import io
import json
import sys

import pytest
from openpyxl import load_workbook

from services import clock
from tests.conftest import Backend
from tests.services.test_transfer import BAD, GOOD, make_register
from ui import cli

PASSWORD = "secret1"


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.setenv(cli.ENV_USER, "boss")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)

    def call(*argv: str, stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    yield call
    clock.freeze(None)


@pytest.fixture
def db(run, tmp_path):
    path = str(tmp_path / "office.sqlite3")
    status, _out, err = run("init", "--db", path, "--profile", "company", "--firm", "测试",
                            "--owner", "boss", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    return path


def _count(run, db, tmp_path) -> int:
    status, out, err = run("--json", "export-register", str(tmp_path / "count.xlsx"), "--db", db)
    assert status == 0, err
    return json.loads(out)["rows"]


def test_dry_run_then_import_then_skip(run, db, tmp_path):
    book = make_register(tmp_path / "old.xlsx")
    status, out, err = run("--json", "import-register", book, "--dry-run", "--db", db)
    assert status == 2, err  # some rows refused
    data = json.loads(out)
    assert [(p["row"], p["column"]) for p in data["refused"]] == [
        (6, "事情经过"), (7, "受理时间"), (8, "类别")]
    assert len(data["imported"]) == 3 and data["dry_run"]
    assert _count(run, db, tmp_path) == 0
    status, out, _err = run("--lang", "en", "import-register", book, "--db", db)
    assert status == 2
    assert "Imported 3 rows, skipped 0 imported before, refused 3." in out
    assert "2024-13-45" in out and "Row" in out
    assert _count(run, db, tmp_path) == 3
    status, out, _err = run("--json", "import-register", book, "--db", db)
    data = json.loads(out)
    assert len(data["skipped"]) == 3 and not data["imported"]
    assert _count(run, db, tmp_path) == 3


def test_map_option_and_a_clean_import(run, db, tmp_path):
    book = make_register(tmp_path / "old.xlsx", GOOD)
    status, out, err = run("--json", "import-register", book, "--db", db,
                           "--map", "诉求=-", "--map", "事情经过=remarks")
    assert status == 2  # no column left for "what happened"
    assert "事情经过" in err or "What happened" in err or "经过" in err
    status, out, err = run("--json", "import-register", book, "--db", db, "--map", "诉求=-")
    assert status == 0, err
    assert "诉求" not in json.loads(out)["mapping"]


def test_export_register_escapes_formulas(run, db, tmp_path):
    book = make_register(tmp_path / "old.xlsx", GOOD)
    assert run("import-register", book, "--db", db)[0] == 0
    target = tmp_path / "out.xlsx"
    status, out, err = run("--lang", "en", "export-register", str(target), "--db", db,
                           "--year", "2024")
    assert status == 0, err
    assert "Wrote 3 complaints" in out
    ws = load_workbook(target).active
    assert ws.max_row == 4
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=SUM(A1)")
    assert cell.data_type == "s" and cell.quotePrefix
    status, out, _err = run("--json", "export-register", str(tmp_path / "y.xlsx"), "--db", db,
                            "--year", "2023")
    assert json.loads(out)["rows"] == 0


def test_migrate_to_postgresql_never_prints_the_password(run, db, tmp_path):
    pg = Backend("postgres", tmp_path)
    url = pg.new_location()  # skips (or fails in CI) when the server is unreachable
    try:
        assert run("import-register", make_register(tmp_path / "o.xlsx", GOOD + BAD),
                   "--db", db)[0] == 2
        secret = url.replace("postgres@", "postgres:hunter2@", 1)  # trust auth: ignored
        status, _out, err = run("migrate-to", secret, "--db", db)
        assert status == 2 and "--yes" in err and "hunter2" not in err
        status, out, err = run("--lang", "en", "migrate-to", secret, "--yes", "--db", db)
        assert status == 0, err
        assert "hunter2" not in out + err and "postgres:***@" in out
        assert "complaint" in out and "equal" in out and "DIFFERENT" not in out
        status, out, err = run("--lang", "en", "migrate-to", secret, "--yes", "--db", db)
        assert status == 2 and "is not empty" in err  # a second time: refused
        assert "hunter2" not in out + err
        assert _count(run, url, tmp_path) == 3  # the office now works on the server
    finally:
        from services.firm import close_database

        close_database()
        pg.drop(url)
