"""`main.py penalties …` and docs/rules.md §7: the owner alone approves (a manager is refused
with the sentence the window shows), and the rules show and edit their condition. In-process,
on a company firm on SQLite."""
from __future__ import annotations

import io
import json
import sys
from datetime import datetime

import pytest

import services.penalties.rules as penalty_rules
from services import clock, penalties
from ui import cli

START = datetime(2026, 10, 12, 9, 0)
REFUSAL = "Only the owner approves, rejects or reverses ledger entries; managers propose them."


@pytest.fixture
def run(capsys, monkeypatch, sqlite_firm):
    """``run(login, *argv)``: the command as that user, in English."""
    clock.freeze(START)

    def call(login: str, *argv: str):
        monkeypatch.setenv(cli.ENV_USER, login)
        monkeypatch.setenv(cli.ENV_PASSWORD, "secret1")
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        status = cli.main(["--lang", "en", *argv, "--db", sqlite_firm.location])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_cli_fines_are_approved_by_the_owner_alone(run, sqlite_firm):
    status, out, err = run("mgr", "penalties", "propose", "--rule", "staff_misconduct",
                           "--person", "han", "--reason", "态度差", "--json")
    assert status == 0, err  # a manager proposes
    entry = json.loads(out)["entries"][0]
    for argv in (("approve", str(entry)), ("reject", str(entry), "--note", "不认可")):
        status, out, err = run("mgr", "penalties", *argv)
        assert status == 2 and REFUSAL in err
    assert penalties.entry_detail(sqlite_firm.owner, entry).row.status == "proposed"
    status, out, err = run("owner", "penalties", "approve", str(entry))
    assert status == 0, err
    # the manager records the deduction; the reversal is the owner's
    status, out, err = run("mgr", "penalties", "deduct", str(entry), "--month", "2026-11")
    assert status == 0, err
    status, out, err = run("mgr", "penalties", "reverse", str(entry), "--reason", "录入错误")
    assert status == 2 and REFUSAL in err
    status, out, err = run("owner", "penalties", "reverse", str(entry), "--reason", "录入错误")
    assert status == 0, err


def test_cli_rules_show_and_edit_the_condition(run, sqlite_firm):
    status, out, err = run("owner", "penalties", "rules", "--json")
    assert status == 0, err
    conditions = {r["code"]: r["condition"] for r in json.loads(out)}
    assert conditions["head_no_answer_1h"] == "repeat"
    assert conditions["hr_no_reply_3d"] == "repeat_or_skip"
    assert conditions["receiver_late"] == ""
    status, out, err = run("owner", "penalties", "rules")
    assert status == 0 and "Only if" in out
    line = next(x for x in out.splitlines() if x.startswith("head_no_answer_1h "))
    assert "A repeat complaint is linked to it" in line
    status, out, err = run("owner", "penalties", "rule", "head_no_answer_1h", "--condition",
                           "repeat-or-skip", "--json")
    assert status == 0, err
    saved = json.loads(out)
    assert saved["condition"] == "repeat_or_skip" and saved["min_amount"] == "30.00"
    rule = penalty_rules.get_rule("head_no_answer_1h")
    assert (rule.condition, rule.trigger, rule.clock_rules) == (
        "repeat_or_skip", "missed_clock", "head_1h")
    status, out, err = run("owner", "penalties", "rule", "head_no_answer_1h", "--condition",
                           "none")
    assert status == 0, err
    assert out.strip().endswith("only if: No condition.")
    assert penalty_rules.get_rule("head_no_answer_1h").condition == ""
    status, out, err = run("owner", "penalties", "rule", "head_no_answer_1h", "--condition",
                           "sometimes")
    assert status == 2 and "repeat-or-skip" in err
    status, out, err = run("owner", "penalties", "rule", "staff_misconduct", "--condition",
                           "repeat")
    assert status == 2 and "entered by hand" in err
    status, out, err = run("mgr", "penalties", "rule", "head_no_answer_1h", "--condition",
                           "repeat")
    assert status == 2 and penalty_rules.get_rule("head_no_answer_1h").condition == ""
    # a new rule by the command line
    status, out, err = run("owner", "penalties", "rule", "late_report", "--name-zh", "月报迟交",
                           "--name-en", "Report late", "--applies-to", "person", "--min", "20",
                           "--json")
    assert status == 0, err
    assert json.loads(out)["trigger"] == "manual" and json.loads(out)["max_amount"] == "20.00"
