"""`main.py report weekly|due|filed`: the weekly classification statistics and the bank's
half-year report reminder on the command line (docs/rules.md §8.8, §8.9), in-process on
SQLite with a frozen clock."""
from __future__ import annotations

import io
import json
import sys
from datetime import datetime

import pytest

from services import clock
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


def _firm(run, tmp_path, profile: str) -> str:
    db = str(tmp_path / f"{profile}.sqlite3")
    clock.freeze(datetime(2025, 6, 2, 9, 0))  # set up before the halves the tests ask about
    status, _out, err = run("init", "--db", db, "--profile", profile, "--firm", "测试",
                            "--owner", "boss", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    return db


def _register(run, db, category: str, received: str) -> None:
    status, _out, err = run("complaints", "register", "--db", db, "--channel", "phone",
                            "--name", "张三", "--phone", "13800138000", "--description",
                            "柜台排队太久", "--request", "改进", "--category", category,
                            "--received", received)
    assert status == 0, err


def test_report_due_and_filed_for_a_bank(run, tmp_path):
    db = _firm(run, tmp_path, "bank")
    clock.freeze(datetime(2026, 2, 2, 9, 0))
    status, out, err = run("--lang", "en", "report", "due", "--db", db)
    assert status == 0, err
    assert "2025-H2" in out and "3 days overdue" in out
    status, out, _err = run("--json", "report", "due", "--db", db)
    due = json.loads(out)["half_year_report"]
    assert due == {"period": "2025-H2", "year": 2025, "half": 2, "due": "2026-01-30",
                   "days_left": -3, "status": "overdue"}
    status, out, err = run("--json", "report", "filed", "2025", "2", "--db", db)
    assert status == 0, err
    assert json.loads(out)["half_year_report"]["period"] == "2026-H1"
    status, out, _err = run("--lang", "en", "report", "due", "--db", db)
    assert "Next half-year statistics report: 2026-H1" in out
    status, _out, err = run("report", "filed", "2026", "1", "--db", db)
    assert status == 2 and len(err.strip().splitlines()) == 1  # the half is still running
    status, out, _err = run("--json", "report", "filed", "2025", "2", "--undo", "--db", db)
    assert json.loads(out)["half_year_report"]["period"] == "2025-H2"


def test_report_due_for_another_profile(run, tmp_path):
    db = _firm(run, tmp_path, "law-firm")
    clock.freeze(datetime(2026, 2, 2, 9, 0))
    status, out, _err = run("--json", "report", "due", "--db", db)
    assert status == 0 and json.loads(out) == {"half_year_report": None}
    status, _out, err = run("--lang", "en", "report", "filed", "2025", "2", "--db", db)
    assert status == 2 and "bank" in err


def test_report_weekly(run, tmp_path):
    db = _firm(run, tmp_path, "law-firm")
    clock.freeze(datetime(2026, 10, 28, 10, 0))
    _register(run, db, "fees", "2026-10-20T10:00")
    _register(run, db, "fees", "2026-10-21T10:00")
    _register(run, db, "conduct", "2026-10-13T10:00")
    status, out, err = run("--json", "report", "weekly", "2026-W43", "--db", db)
    assert status == 0, err
    data = json.loads(out)
    assert (data["week"], data["first_day"], data["received"], data["previous_received"]) == (
        "2026-W43", "2026-10-19", 2, 1)
    rows = {r["code"]: (r["count"], r["previous"]) for r in data["by_category"]}
    assert rows["fees"] == (2, 0) and rows["conduct"] == (0, 1)
    # a day picks its week; no argument: last week, the one before today's (W44)
    status, out, _err = run("--json", "report", "weekly", "2026-10-25", "--db", db)
    assert json.loads(out)["week"] == "2026-W43"
    status, out, _err = run("--json", "report", "weekly", "--db", db)
    assert json.loads(out)["week"] == "2026-W43"
    status, out, _err = run("--lang", "zh_CN", "report", "weekly", "2026-W43", "--db", db)
    assert status == 0 and "收费争议" in out and "2026-W43" in out
    status, _out, err = run("report", "weekly", "2026-W99", "--db", db)
    assert status == 2 and len(err.strip().splitlines()) == 1
