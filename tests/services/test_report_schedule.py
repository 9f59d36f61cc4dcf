"""The owner's scheduled monthly summary (services.documents.schedule)."""
from __future__ import annotations

from datetime import datetime

import pytest

from services import clock
from services.documents import schedule as report_schedule
from services.errors import PermissionDenied, ValidationError
from tests.helpers import register


def test_schedule_produces_last_month_once(firm, tmp_path):
    clock.freeze(datetime(2026, 10, 20, 10, 0))
    register(firm.rec, received_at=datetime(2026, 10, 20, 9, 0))
    with pytest.raises(PermissionDenied):
        report_schedule.set_schedule(actor=firm.mgr, enabled=True, day=3,
                                     folder=str(tmp_path), language="en")
    with pytest.raises(ValidationError):
        report_schedule.set_schedule(actor=firm.owner, enabled=True, day=31,
                                     folder=str(tmp_path), language="en")
    report_schedule.set_schedule(actor=firm.owner, enabled=True, day=3, folder=str(tmp_path),
                                 language="en")
    clock.freeze(datetime(2026, 11, 2, 9, 0))
    assert report_schedule.due_month() is None  # not the day yet
    clock.freeze(datetime(2026, 11, 3, 9, 0))
    assert report_schedule.due_month() == "2026-10"
    made = report_schedule.run_due(actor=firm.owner)
    assert made == tmp_path / "monthly-summary-2026-10-en.pdf"
    assert made.read_bytes().startswith(b"%PDF")
    assert report_schedule.due_month() is None
    assert report_schedule.run_due(actor=firm.owner) is None  # never twice


def test_disabled_schedule_does_nothing(firm, tmp_path):
    report_schedule.set_schedule(actor=firm.owner, enabled=False, day=1, folder="",
                                 language="zh_CN")
    assert report_schedule.due_month() is None
    assert report_schedule.run_due(actor=firm.owner) is None


def test_schedule_from_the_command_line(tmp_path, capsys, monkeypatch):
    import io
    import sys

    from ui import cli

    db = str(tmp_path / "s.sqlite3")

    def run(*argv, stdin="secret1\n"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(list(argv))
        return status, capsys.readouterr()

    clock.freeze(datetime(2026, 10, 20, 10, 0))
    assert run("init", "--db", db, "--profile", "company", "--firm", "X", "--owner", "boss",
               "--password-stdin")[0] == 0
    out = tmp_path / "reports"
    status, _ = run("report", "schedule", "--day", "1", "--folder", str(out), "--doc-lang",
                    "en", "--db", db, "--user", "boss", "--password-stdin")
    assert status == 0
    clock.freeze(datetime(2026, 11, 1, 8, 0))
    status, _ = run("report", "run-scheduled", "--db", db, "--user", "boss",
                    "--password-stdin")
    assert status == 0 and (out / "monthly-summary-2026-10-en.pdf").exists()
    clock.freeze(None)
