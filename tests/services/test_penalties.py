"""The penalty ledger (rules.md §7): proposals from missed limits, approval with recusal,
append-only entries and reversals, month totals, payroll export, the CLI. On SQLite and
PostgreSQL (the `firm` fixture: a company firm)."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from peewee import IntegrityError

import services.penalties.rules as penalty_rules
from models.base import AppendOnlyError
from models.db import database
from models.entities import Clock
from models.penalties import PenaltyEntry, PenaltyEntryEvent, PenaltyRule
from services import clock, penalties
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import PermissionDenied, StateError, ValidationError
from services.i18n import language
from services.penalties import LedgerFilter
from tests.helpers import register, walk_to
from tests.services.test_penalty_conditions import (
    complained_again,
    head_missed_and_complained_again,
)

START = datetime(2026, 10, 12, 9, 0)  # a Monday
MONTH = "2026-10"


def only_entry(actor, **filters):
    found = penalties.ledger(actor, LedgerFilter(**filters))
    assert len(found) == 1, found
    return found[0]


def manual(firm, person: str, rule: str, amount, *, by: str = "owner", loss=None):
    result = penalties.propose(actor=getattr(firm, by), rule_code=rule, person=person,
                               amount=amount, loss=loss, reason="月度考核")
    return result.entry_ids[0]


# --- the six tests of the issue ---------------------------------------------------------------


def test_missed_one_hour_escalation_proposes_one_30_yuan_entry_for_the_head(firm):
    # rules.md §7: the miss proposes once the customer complained again (a linked repeat)
    r, _entry = head_missed_and_complained_again(firm, START)
    entry = only_entry(firm.owner, rule="head_no_answer_1h")
    assert entry.login == "head" and entry.department == "客服部"
    assert entry.rule_code == "head_no_answer_1h"
    assert entry.amount == Decimal("30.00") and entry.total == Decimal("30.00")
    assert entry.status == "proposed" and entry.proposed_by == ""  # the program, not a person
    assert entry.complaint_id == r.complaint_id
    detail = penalties.entry_detail(firm.owner, entry.id)
    assert detail.clock.rule_code == "head_1h"
    assert detail.clock.due_at == START + timedelta(hours=1)
    assert detail.clock.stopped_at == START + timedelta(hours=2)
    # nothing is fined automatically: no month total before approval
    assert penalties.month_totals(firm.owner, MONTH).total == 0
    # more steps and a scan do not propose the same miss again
    workflow.act(r.complaint_id, "note", actor=firm.head, note="已联系客户")
    penalties.scan_overdue(START + timedelta(hours=2, minutes=5))
    assert penalties.count(firm.owner, LedgerFilter(rule="head_no_answer_1h")) == 1


def test_approval_by_the_person_fined_is_refused(firm):
    # the owner approves (rules.md §7), but never an entry about themselves
    clock.freeze(START)
    entry = manual(firm, "owner", "staff_misconduct", "30", by="mgr")
    with pytest.raises(PermissionDenied) as info:
        penalties.approve(actor=firm.owner, entry_ids=[entry])
    assert "recusal" in info.value.message() or "回避" in info.value.message()
    with pytest.raises(PermissionDenied):
        penalties.reject(actor=firm.owner, entry_ids=[entry], note="不认可")
    assert only_entry(firm.owner).status == "proposed"
    # the entry about a manager who missed a limit: the owner approves it
    _r, missed = head_missed_and_complained_again(firm, START, head="mgr")
    assert missed.login == "mgr"
    with pytest.raises(PermissionDenied):
        penalties.approve(actor=firm.mgr, entry_ids=[missed.id])
    penalties.approve(actor=firm.owner, entry_ids=[missed.id])
    assert only_entry(firm.owner, rule="head_no_answer_1h").status == "approved"


def test_a_reversal_brings_the_month_total_back(firm):
    _r, entry = head_missed_and_complained_again(firm, START)
    penalties.approve(actor=firm.owner, entry_ids=[entry.id])
    assert penalties.month_totals(firm.owner, MONTH).total == Decimal("30.00")
    with pytest.raises(ValidationError):  # a reversal needs its reason
        penalties.reverse(actor=firm.owner, entry_id=entry.id, reason=" ")
    result = penalties.reverse(actor=firm.owner, entry_id=entry.id, reason="客户撤回投诉，系误报")
    totals = penalties.month_totals(firm.owner, MONTH)
    assert totals.total == 0 and totals.entries == 2
    assert [(p.login, p.total) for p in totals.per_person] == [("head", Decimal("0.00"))]
    reversal = penalties.entry_detail(firm.owner, result.entry_ids[0]).row
    assert reversal.reverses == entry.id and reversal.amount == Decimal("-30.00")
    assert reversal.status == "approved" and reversal.reason == "客户撤回投诉，系误报"
    original = penalties.entry_detail(firm.owner, entry.id)
    assert original.row.reversed_by == reversal.id and original.row.amount == Decimal("30.00")
    assert not original.may_reverse
    with pytest.raises(StateError):  # once only
        penalties.reverse(actor=firm.owner, entry_id=entry.id, reason="再次冲销")
    with pytest.raises(StateError):  # a reversal is not reversed
        penalties.reverse(actor=firm.owner, entry_id=reversal.id, reason="冲销冲销")


def test_amounts_outside_the_rule_s_range_are_refused(firm):
    clock.freeze(START)
    entry_id = manual(firm, "rec", "receiver_late", "30")  # 30–50 yuan
    for amount in ("29.99", "50.01", "-30", "abc", "30.001"):
        with pytest.raises(ValidationError) as info:
            penalties.approve(actor=firm.owner, entry_ids=[entry_id], amount=amount)
        assert info.value.field == "amount"
    with pytest.raises(ValidationError) as info:
        manual(firm, "rec", "receiver_late", "60")
    assert info.value.field == "amount"
    with pytest.raises(ValidationError) as info:  # fixed at 30
        manual(firm, "head", "head_no_answer_1h", "35")
    assert info.value.field == "amount"
    with pytest.raises(ValidationError) as info:  # no loss on a rule without "plus the loss"
        manual(firm, "rec", "receiver_late", "30", loss="100")
    assert info.value.field == "loss"
    penalties.approve(actor=firm.owner, entry_ids=[entry_id], amount="50")
    entry = penalties.entry_detail(firm.owner, entry_id)
    assert entry.row.amount == Decimal("50.00")
    assert [h.amount for h in entry.history] == [Decimal("30.00"), Decimal("50.00")]


def test_the_monthly_export_matches_the_ledger_to_the_cent(firm, tmp_path):
    from openpyxl import load_workbook

    clock.freeze(START)
    ids = [manual(firm, "han", "staff_misconduct", "30.10"),
           manual(firm, "han", "staff_media", "100.33", loss="12.34"),
           manual(firm, "han2", "staff_misconduct", "45.55"),
           manual(firm, "rec", "receiver_late", "33.33"),
           manual(firm, "han2", "written_praise", "-50.05"),
           manual(firm, "hr1", "staff_misconduct", "199.99")]
    penalties.approve(actor=firm.owner, entry_ids=ids[:-1])  # the last stays proposed
    penalties.reverse(actor=firm.owner, entry_id=ids[3], reason="录入错误")
    penalties.propose(actor=firm.owner, rule_code="dealer_bad_handling", unit="杭州东方经销商",
                      amount="200", reason="态度恶劣")
    penalties.approve(actor=firm.owner, entry_ids=[penalties.ids(firm.owner)[0]])
    with language("en"):  # the files' headers and names follow the program's language
        totals = penalties.month_totals(firm.owner, MONTH)
        entries = penalties.month_entries(firm.owner, MONTH)
    assert totals.total == Decimal("338.27")  # 30.10+112.67+45.55+33.33-50.05-33.33+200
    assert sum((e.total for e in entries), Decimal(0)) == totals.total
    assert ids[-1] not in {e.id for e in entries}

    with language("en"):
        xlsx = penalties.export_month(firm.owner, MONTH, tmp_path / "2026-10.xlsx")
        penalties.export_month(firm.owner, MONTH, tmp_path / "2026-10.csv")
    assert xlsx.entries == len(entries) and xlsx.total == totals.total
    book = load_workbook(tmp_path / "2026-10.xlsx")
    assert book.sheetnames == ["Per person", "Per department", "Entries"]

    def cents(value) -> Decimal:
        return Decimal(str(value)).quantize(Decimal("0.01"))

    sheet = book["Entries"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Entry no." and rows[0][-2] == "Total"
    assert len(rows) == len(entries) + 1
    for row, e in zip(rows[1:], entries, strict=True):
        assert row[0] == e.id and row[2] == e.person and row[3] == (e.login or None)
        assert row[5] == e.rule_name and row[7] == (e.ticket or None)
        assert (cents(row[9]), cents(row[10]), cents(row[11])) == (e.amount, e.loss, e.total)
        assert row[12] == (e.reverses or None)
    assert sum(cents(r[11]) for r in rows[1:]) == totals.total
    people = list(book["Per person"].iter_rows(values_only=True))
    for row, p in zip(people[1:-1], totals.per_person, strict=True):
        assert (row[0], row[1] or "") == (p.name, p.login)
        assert (cents(row[3]), cents(row[4]), cents(row[5]), row[6]) == (
            p.fines, p.rewards, p.total, p.entries)
    assert people[-1][0] == "Total" and cents(people[-1][5]) == totals.total
    han2 = next(p for p in totals.per_person if p.login == "han2")
    assert (han2.fines, han2.rewards, han2.total) == (Decimal("45.55"), Decimal("-50.05"),
                                                      Decimal("-4.50"))
    depts = list(book["Per department"].iter_rows(values_only=True))
    for row, d in zip(depts[1:-1], totals.per_department, strict=True):
        assert cents(row[3]) == d.total and row[4] == d.entries
    assert cents(depts[-1][3]) == totals.total
    assert book["Entries"]["J2"].number_format == "#,##0.00"

    raw = (tmp_path / "2026-10.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese right
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(lines) == len(entries) + 1
    for line, e, row in zip(lines[1:], entries, rows[1:], strict=True):
        assert int(line[0]) == e.id and line[2] == e.person
        assert (Decimal(line[9]), Decimal(line[10]), Decimal(line[11])) == (
            e.amount, e.loss, e.total)
        assert [str(v) if v is not None else "" for v in row[:9]] == line[:9]
    assert sum(Decimal(line[11]) for line in lines[1:]) == totals.total


def test_a_reward_lowers_the_balance(firm):
    clock.freeze(START)
    fine = manual(firm, "han", "staff_misconduct", "80")
    penalties.approve(actor=firm.owner, entry_ids=[fine])
    assert penalties.month_totals(firm.owner, MONTH).total == Decimal("80.00")
    with pytest.raises(ValidationError):  # a reward is a negative amount
        manual(firm, "han", "written_praise", "100")
    reward = manual(firm, "han", "written_praise", "-100")
    penalties.approve(actor=firm.owner, entry_ids=[reward])
    totals = penalties.month_totals(firm.owner, MONTH)
    han = next(p for p in totals.per_person if p.login == "han")
    assert (han.fines, han.rewards, han.total) == (Decimal("80.00"), Decimal("-100.00"),
                                                   Decimal("-20.00"))
    assert totals.total == Decimal("-20.00")


# --- more --------------------------------------------------------------------------------------


def test_the_same_miss_never_proposes_twice(firm):
    clock.freeze(START)
    r = register(firm.rec, received_at=START - timedelta(minutes=5))  # transfer within 30 min
    clock.freeze(START + timedelta(hours=1))
    first = penalties.scan_overdue()
    assert first.proposed == 1
    entry = only_entry(firm.owner)
    assert entry.login == "rec" and entry.rule_code == "receiver_late"
    assert r.ticket in entry.reason and entry.status == "proposed"
    assert penalties.scan_overdue().proposed == 0
    # the late step itself now meets the clock late: still the one entry
    workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="han")
    clk = Clock.get_by_id(entry.clock_id)
    assert clk.status == "met" and clk.late
    assert penalties.count(firm.owner) == 1
    # and the database refuses a second one under the same rule, whatever writes it
    with pytest.raises(IntegrityError), database.atomic():
        PenaltyEntry.create(rule=PenaltyRule.get(PenaltyRule.code == "receiver_late"),
                            user=firm.rec.id, amount=Decimal("30"), reason="x",
                            clock=clk.id, proposed_at=START)


def test_nobody_decides_about_themselves_and_only_the_owner_decides(firm):
    clock.freeze(START)
    about_owner = manual(firm, "owner", "staff_misconduct", "30", by="mgr")
    about_han = manual(firm, "han", "staff_misconduct", "30")
    with pytest.raises(PermissionDenied):  # and nobody proposes about themselves
        manual(firm, "owner", "written_praise", "-200")
    with pytest.raises(PermissionDenied):  # a department head does not approve
        penalties.approve(actor=firm.head, entry_ids=[about_han])
    with pytest.raises(PermissionDenied):  # nor a manager (rules.md §7: the owner approves)
        penalties.approve(actor=firm.mgr, entry_ids=[about_han])
    with pytest.raises(PermissionDenied):  # all or none: one about the approver stops both
        penalties.approve(actor=firm.owner, entry_ids=[about_han, about_owner])
    assert {r.status for r in penalties.ledger(firm.owner)} == {"proposed"}
    penalties.approve(actor=firm.owner, entry_ids=[about_han])
    with pytest.raises(PermissionDenied):  # nor the one about the owner, by the owner
        penalties.approve(actor=firm.owner, entry_ids=[about_owner])
    with pytest.raises(StateError):  # approved already
        penalties.approve(actor=firm.owner, entry_ids=[about_han])
    with pytest.raises(ValidationError):  # a rejection says why
        penalties.reject(actor=firm.owner, entry_ids=[about_han], note="")


def test_entries_are_append_only_in_the_database(firm):
    clock.freeze(START)
    entry_id = manual(firm, "han", "staff_misconduct", "30")
    entry = PenaltyEntry.get_by_id(entry_id)
    event = PenaltyEntryEvent.get(PenaltyEntryEvent.entry == entry_id)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        event.delete_instance()
    for sql in ('UPDATE "penalty_entry" SET amount = 1',
                'DELETE FROM "penalty_entry"',
                'UPDATE "penalty_entry_event" SET status = \'approved\'',
                'DELETE FROM "penalty_entry_event"'):
        with pytest.raises(Exception) as info, database.atomic():
            database.execute_sql(sql)
        assert "append-only" in str(info.value)
    assert PenaltyEntry.get_by_id(entry_id).amount == Decimal("30.00")
    assert PenaltyEntryEvent.select().count() == 1


def test_a_repeat_complaint_before_the_first_is_answered_proposes_an_entry(firm):
    clock.freeze(START)
    first = walk_to(firm, "assigned", complainant_phone="13900001111")
    clock.freeze(START + timedelta(hours=3))
    again = register(firm.rec, complainant_phone="139-0000-1111".replace("-", ""),
                     received_at=START + timedelta(hours=2, minutes=50))
    # the same phone alone proposes nothing: the receiver records the repeat (rules.md §7)
    assert penalties.count(firm.owner, LedgerFilter(rule="complex_overdue")) == 0
    workflow.act(again.complaint_id, "link", actor=firm.rec, earlier=first.ticket,
                 kind="repeat")
    entry = only_entry(firm.owner, rule="complex_overdue")
    assert entry.login == "han"  # the handler holding the first one's open limit
    assert entry.complaint_id == first.complaint_id
    assert entry.amount == Decimal("50.00") and entry.status == "proposed"
    assert again.ticket in entry.reason and first.ticket in entry.reason
    detail = penalties.entry_detail(firm.owner, entry.id)
    assert detail.clock.rule_code == "handler_30m" and detail.clock.ticket == first.ticket
    # another complaint about something else proposes nothing; nor does one about a closed one
    register(firm.rec, complainant_phone="13700000000")
    complained_again(firm, walk_to(firm, "visited").complaint_id)
    assert penalties.count(firm.owner, LedgerFilter(rule="complex_overdue")) == 1


def test_the_ledger_is_confidential(firm, tmp_path):
    clock.freeze(START)
    about_han = manual(firm, "han", "staff_misconduct", "30")
    manual(firm, "han2", "staff_misconduct", "40")
    penalties.approve(actor=firm.owner, entry_ids=[about_han])
    assert penalties.count(firm.owner) == 2 and penalties.count(firm.mgr) == 2
    assert [r.id for r in penalties.ledger(firm.han)] == [about_han]
    assert penalties.ledger(firm.rec) == [] and penalties.count(firm.head) == 0
    assert penalties.rows(firm.han, penalties.ids(firm.owner)) == penalties.ledger(firm.han)
    with pytest.raises(PermissionDenied):
        penalties.entry_detail(firm.han2, about_han)
    assert penalties.entry_detail(firm.han, about_han).row.id == about_han
    mine = penalties.month_totals(firm.han, MONTH)
    assert [p.login for p in mine.per_person] == ["han"] and mine.total == Decimal("30.00")
    assert penalties.filter_choices(firm.han).people == [("han", "张处理")]
    with pytest.raises(PermissionDenied):
        penalties.export_month(firm.han, MONTH, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    assert penalties.pending_count(firm.owner) == 1 and penalties.pending_count(firm.han) == 0
    assert penalties.pending_count(firm.mgr) == 0  # the owner decides (rules.md §7)


def test_deduction_moves_an_entry_to_its_payroll_month(firm):
    clock.freeze(START)
    entry_id = manual(firm, "han", "staff_misconduct", "30")
    with pytest.raises(StateError):  # only approved entries are deducted
        penalties.mark_deducted(actor=firm.mgr, entry_ids=[entry_id], payroll_month="2026-11")
    penalties.approve(actor=firm.owner, entry_ids=[entry_id])
    with pytest.raises(ValidationError):
        penalties.mark_deducted(actor=firm.mgr, entry_ids=[entry_id], payroll_month="2026-13")
    penalties.mark_deducted(actor=firm.mgr, entry_ids=[entry_id], payroll_month="2026-11")
    assert penalties.month_totals(firm.owner, MONTH).total == 0
    assert penalties.month_totals(firm.owner, "2026-11").total == Decimal("30.00")
    assert only_entry(firm.owner, status="deducted", month="2026-11").id == entry_id
    assert penalties.count(firm.owner, LedgerFilter(status="counted")) == 1
    assert penalties.count(firm.owner, LedgerFilter(person="han", department="service")) == 1
    assert penalties.count(firm.owner, LedgerFilter(department="sales")) == 0


def test_presets_per_profile_and_seeding_is_idempotent(firm):
    codes = {r.code: r for r in penalty_rules.rules()}
    assert len(codes) == len(penalty_rules.PRESETS)
    assert codes["head_no_answer_1h"].clock_rules == ("head_1h",)
    assert codes["hr_no_reply_3d"].clock_rules == ("employee_reply_3d",)
    assert codes["top_not_same_day"].clock_rules == ("top_same_day",)
    assert {"reply_24h", "reply_10m", "visit_weekly", "transfer_30m", "reply_15wd"} <= set(
        codes["receiver_late"].clock_rules)
    assert codes["written_praise"].reward and codes["written_praise"].max_amount < 0
    assert codes["staff_media"].plus_loss
    assert codes["head_no_answer_1h"].condition == "repeat"
    assert codes["hr_no_reply_3d"].condition == "repeat_or_skip"
    assert codes["receiver_late"].condition == ""
    assert penalty_rules.seed_rules("company") == 0
    for profile, wanted in penalty_rules.PROFILE_RULES.items():
        assert set(wanted) <= set(codes), profile
        assert "written_praise" in wanted and "receiver_late" in wanted
    assert "head_no_answer_1h" not in penalty_rules.PROFILE_RULES["law-firm"]


def test_an_existing_firm_gets_its_rules_lazily_from_today(firm):
    from services.firm import open_database

    PenaltyRule.delete().execute()  # as a database made before the ledger existed
    open_database(firm.location)
    clock.freeze(START)
    rules = penalty_rules.rules()
    assert len(rules) == len(penalty_rules.PRESETS)
    assert {r.effective_from for r in rules} == {START.date()}
    # a miss from before the rules existed proposes nothing
    clock.freeze(START - timedelta(days=3))
    register(firm.rec, received_at=START - timedelta(days=3, minutes=5))
    clock.freeze(START)
    assert penalties.scan_overdue().proposed == 0


def test_rules_are_the_owner_s_to_edit(firm):
    with pytest.raises(PermissionDenied):
        penalty_rules.save_rule(actor=firm.mgr, code="receiver_late", name_zh="x", name_en="x",
                                applies_to="receiver", min_amount="30", max_amount="80")
    with pytest.raises(ValidationError) as info:
        penalty_rules.save_rule(actor=firm.owner, code="bonus", name_zh="奖", name_en="Bonus",
                                applies_to="person", min_amount="50", max_amount="100",
                                reward=True)
    assert info.value.field == "max_amount"
    with pytest.raises(ValidationError) as info:
        penalty_rules.save_rule(actor=firm.owner, code="late", name_zh="迟", name_en="Late",
                                applies_to="responsible", min_amount="10", max_amount="10",
                                trigger="missed_clock", clock_rules="no_such_limit")
    assert info.value.field == "clock_rules"
    rule = penalty_rules.save_rule(
        actor=firm.owner, code="handler_late", name_zh="处理人未在30分钟内答复",
        name_en="Handler late", applies_to="responsible", min_amount="20", max_amount="20",
        trigger="missed_clock", clock_rules="handler_30m", effective_from=date(2026, 1, 1))
    assert rule.fixed and rule.default_amount == Decimal("20.00")
    clock.freeze(START)
    r = walk_to(firm, "assigned")
    clock.freeze(START + timedelta(hours=1))
    workflow.act(r.complaint_id, "start_investigation", actor=firm.han)
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision="退款", reasons="质量问题",
                 remedy="refund")
    assert only_entry(firm.owner, rule="handler_late").login == "han"


def test_ticket_of_an_entry_links_only_what_the_actor_may_open(firm):
    clock.freeze(START)
    r = register(firm.rec, respondent_user="mgr")
    entry = penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                              amount="30", reason="态度", complaint=r.ticket).entry_ids[0]
    assert penalties.entry_detail(firm.owner, entry).complaint_visible
    assert not penalties.entry_detail(firm.mgr, entry).complaint_visible  # recusal (§2)
    with pytest.raises(PermissionDenied):  # proposing about a complaint one may not open
        penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="han",
                          amount="30", reason="态度", complaint=r.ticket)
    assert complaints.find(r.ticket, actor=firm.owner)


# --- command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_run(capsys, monkeypatch, firm):
    from ui import cli

    monkeypatch.setenv(cli.ENV_USER, "owner")
    monkeypatch.setenv(cli.ENV_PASSWORD, "secret1")

    def call(*argv: str):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        status = cli.main(["--lang", "en", *argv, "--db", firm.location])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_cli_month_json_and_export(firm, cli_run, tmp_path):
    from openpyxl import load_workbook

    clock.freeze(START)
    a = manual(firm, "han", "staff_misconduct", "30.10")
    b = manual(firm, "han2", "written_praise", "-50.05")
    status, out, err = cli_run("penalties", "approve", str(a), str(b), "--json")
    assert status == 0, err
    assert json.loads(out) == {"status": "approved", "entries": [a, b]}
    status, out, err = cli_run("penalties", "month", MONTH, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["month"] == MONTH and data["total"] == "-19.95" and data["entries"] == 2
    assert {p["login"]: p["total"] for p in data["per_person"]} == {"han": "30.10",
                                                                   "han2": "-50.05"}
    assert [d["department"] for d in data["per_department"]] == ["客服部", "销售部"]
    status, out, err = cli_run("penalties", "month", MONTH)
    assert status == 0 and "张处理" in out and "Total: -CN¥19.95 (2 entries)" in out
    target = tmp_path / "october.xlsx"
    status, out, err = cli_run("penalties", "export", MONTH, "--out", str(target))
    assert status == 0, err
    rows = list(load_workbook(target)["Entries"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [a, b]
    status, out, err = cli_run("penalties", "export", MONTH, "--out", str(tmp_path / "x.pdf"))
    assert status == 2 and ".csv" in err
    status, out, err = cli_run("penalties", "month", "2026-13")
    assert status == 2 and "YYYY-MM" in err


def test_cli_scan_list_and_the_owner_s_approval(firm, cli_run, monkeypatch):
    from ui import cli

    head_missed_and_complained_again(firm, START, head="mgr")
    status, out, err = cli_run("penalties", "scan", "--json")
    assert status == 0 and json.loads(out)["proposed"] == 0  # already proposed by the link
    status, out, err = cli_run("penalties", "list", "--status", "proposed", "--rule",
                               "head_no_answer_1h", "--json")
    entry = json.loads(out)[0]
    assert entry["login"] == "mgr" and entry["total"] == "30.00"
    monkeypatch.setenv(cli.ENV_USER, "mgr")
    status, out, err = cli_run("penalties", "approve", str(entry["id"]))
    assert status == 2 and "Only the owner approves" in err
    status, out, err = cli_run("penalties", "show", str(entry["id"]), "--json")
    assert status == 0 and json.loads(out)["clock"]["rule"] == "head_1h"


def test_cli_reject_deduct_and_reverse_change_the_ledger(firm, cli_run):
    clock.freeze(START)
    kept = manual(firm, "han", "staff_misconduct", "40")
    dropped = manual(firm, "han2", "staff_misconduct", "50")

    status, out, err = cli_run("penalties", "reject", str(dropped))
    assert status == 2 and "--note" in err  # a rejection needs its reason
    status, out, err = cli_run("penalties", "reject", str(dropped), "--note", "证据不足",
                               "--json")
    assert status == 0, err
    assert json.loads(out) == {"status": "rejected", "entries": [dropped]}
    rejected = penalties.entry_detail(firm.owner, dropped)
    assert rejected.row.status == "rejected" and rejected.history[-1].note == "证据不足"
    assert penalties.entry_detail(firm.owner, kept).row.status == "proposed"

    status, out, err = cli_run("penalties", "deduct", str(kept), "--month", "2026-11")
    assert status == 2 and "only an approved entry can be deducted" in err
    penalties.approve(actor=firm.owner, entry_ids=[kept])
    status, out, err = cli_run("penalties", "deduct", str(kept), "--month", "2026-11")
    assert status == 0, err
    assert out.strip() == f"Deducted 1: {kept}."
    deducted = penalties.entry_detail(firm.owner, kept)
    assert deducted.row.status == "deducted" and deducted.row.month == "2026-11"
    assert (deducted.history[-1].status, deducted.history[-1].month) == ("deducted", "2026-11")
    assert penalties.month_totals(firm.owner, "2026-11").total == Decimal("40.00")

    status, out, err = cli_run("penalties", "reverse", str(kept))
    assert status == 2 and "--reason" in err  # a reversal needs its reason
    status, out, err = cli_run("penalties", "reverse", str(kept), "--reason", "重复扣款",
                               "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["status"] == "approved" and len(data["entries"]) == 1
    reversal = penalties.entry_detail(firm.owner, data["entries"][0]).row
    assert (reversal.reverses, reversal.total, reversal.status) == (
        kept, Decimal("-40.00"), "approved")
    assert reversal.reason == "重复扣款" and reversal.login == "han"
    assert penalties.entry_detail(firm.owner, kept).row.reversed_by == reversal.id
    status, out, err = cli_run("penalties", "reverse", str(kept), "--reason", "再来一次")
    assert status == 2 and "already reversed" in err


def test_cli_propose_by_hand_and_the_rules(firm, cli_run):
    clock.freeze(START)
    r = register(firm.rec)
    status, out, err = cli_run("penalties", "propose", "--rule", "staff_misconduct",
                               "--person", "rec", "--reason", "态度差", "--complaint", r.ticket)
    assert status == 0, err
    least = only_entry(firm.owner, person="rec")
    assert out.strip() == f"Proposed entry {least.id}; it waits for approval."
    assert (least.rule_code, least.status, least.reason, least.ticket) == (
        "staff_misconduct", "proposed", "态度差", r.ticket)
    assert least.amount == Decimal("30.00")  # no --amount: the rule's least amount
    assert least.proposed_by == firm.owner.name
    status, out, err = cli_run("penalties", "propose", "--rule", "staff_media", "--person",
                               "han", "--amount", "120", "--loss", "80", "--reason", "曝光",
                               "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["status"] == "proposed"
    media = only_entry(firm.owner, person="han")
    assert data["entries"] == [media.id]
    assert (media.amount, media.loss, media.total) == (
        Decimal("120.00"), Decimal("80.00"), Decimal("200.00"))
    status, out, err = cli_run("penalties", "propose", "--rule", "dealer_bad_handling",
                               "--unit", "华东经销商", "--reason", "态度恶劣", "--json")
    assert status == 0, err
    dealer = only_entry(firm.owner, unit="华东经销商")
    assert json.loads(out)["entries"] == [dealer.id] and dealer.login == ""
    status, out, err = cli_run("penalties", "propose", "--rule", "staff_misconduct",
                               "--person", "han2")
    assert status == 2 and "--reason" in err
    status, out, err = cli_run("penalties", "propose", "--rule", "staff_misconduct",
                               "--person", "han2", "--amount", "999", "--reason", "超额")
    assert status == 2 and penalties.count(firm.owner, LedgerFilter(person="han2")) == 0

    status, out, err = cli_run("penalties", "rules", "--json")
    assert status == 0, err
    listed = json.loads(out)
    assert [x["code"] for x in listed] == [x.code for x in penalty_rules.rules()]
    misconduct = next(x for x in listed if x["code"] == "staff_misconduct")
    assert (misconduct["min_amount"], misconduct["max_amount"], misconduct["active"]) == (
        "30.00", "200.00", True)
    status, out, err = cli_run("penalties", "rules")
    assert status == 0, err
    line = next(x for x in out.splitlines() if x.startswith("staff_misconduct "))
    assert "CN¥30.00 – CN¥200.00" in line and line.rstrip().endswith("yes")


def test_demo_ledger_follows_the_rules(empty_db):
    import services.demo.penalties as demo_penalties
    from services import demo
    from services.people import users

    clock.freeze(datetime(2026, 11, 20, 17, 0))
    demo.generate(profile="company", complaints=150, seed=2)
    summary = demo_penalties.generate_penalties(seed=2)
    assert summary.proposed > 0 and summary.approved > 0 and summary.rewards > 0
    assert summary.reversals == 1 and summary.deducted > 0
    owner = users.get_user("owner")
    everything = penalties.ledger(owner, limit=None)
    assert len(everything) == summary.proposed + summary.rewards + summary.reversals
    assert penalties.count(owner, LedgerFilter(status="proposed")) == summary.pending
    for row in everything:
        deciders = {h.actor for h in penalties.entry_detail(owner, row.id).history
                    if h.status != "proposed"}
        assert row.person not in deciders  # nobody decided about themselves
        assert row.proposed_at <= datetime(2026, 11, 20, 17, 0)
    assert penalties.scan_overdue().proposed == 0  # every miss already has its entry
