"""The monthly summary (docs/rules.md §8.8): every figure equals an independent SQL count on
the same data, on SQLite and PostgreSQL; recusal, permission, and the spreadsheet."""
from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from models.db import database, is_postgres
from services import clock, penalties, reports
from services.complaints import path as workflow
from services.errors import PermissionDenied, ValidationError
from services.i18n import _, language
from tests.helpers import at, register, walk_to

MONTH, PREVIOUS = "2026-10", "2026-09"
CLOSED = ("replied", "visited", "archived", "withdrawn")


# --- the independent count ---------------------------------------------------------------


def _sql(text: str, *params) -> list[tuple]:
    """Raw SQL written with '?' placeholders, on either backend."""
    if is_postgres():
        text = text.replace("?", "%s")
    return [tuple(r) for r in database.execute_sql(text, params).fetchall()]


def _bounds(month: str) -> tuple[str, str]:
    start = datetime.strptime(month, "%Y-%m")
    end = (start + timedelta(days=32)).replace(day=1)
    return str(start), str(end)


def _hours_sql() -> str:
    if is_postgres():
        return "EXTRACT(EPOCH FROM (c.closed_at - c.received_at)) / 3600"
    return "(julianday(c.closed_at) - julianday(c.received_at)) * 24"


def _counted(rows) -> dict:
    return {r.code: r.count for r in rows if r.count}


def _counted_before(rows) -> dict:
    return {r.code: r.previous for r in rows if r.previous}


def _json_rows(action: str, lo: str, hi: str, vis: str) -> list[dict]:
    return [json.loads(d) for (d,) in _sql(
        f"SELECT e.data FROM event e JOIN complaint c ON c.id = e.complaint_id "
        f"WHERE e.action = ? AND e.at >= ? AND e.at < ? AND {vis}", action, lo, hi)]


def expected(actor, month: str, now: datetime) -> dict:
    """Every figure of one month, counted straight from the tables."""
    lo, hi = _bounds(month)
    vis = f"(c.respondent_user_id IS NULL OR c.respondent_user_id <> {int(actor.id)})"
    got = {}
    month_c = f"c.received_at >= ? AND c.received_at < ? AND {vis}"
    got["received"] = _sql(f"SELECT COUNT(*) FROM complaint c WHERE {month_c}", lo, hi)[0][0]
    states = ", ".join(f"'{s}'" for s in CLOSED)
    closed_c = f"c.closed_at >= ? AND c.closed_at < ? AND c.state IN ({states}) AND {vis}"
    got["closed"] = _sql(f"SELECT COUNT(*) FROM complaint c WHERE {closed_c}", lo, hi)[0][0]
    got["open_at_end"] = _sql(
        f"SELECT COUNT(*) FROM complaint c WHERE c.received_at < ? AND (c.closed_at IS NULL "
        f"OR c.closed_at >= ?) AND {vis}", hi, hi)[0][0]
    got["by_category"] = dict(_sql(
        f"SELECT k.code, COUNT(*) FROM complaint c JOIN category k ON k.id = c.category_id "
        f"WHERE {month_c} GROUP BY k.code", lo, hi))
    for key, column in (("by_channel", "c.channel"), ("by_kind", "c.kind"),
                        ("by_state", "c.state")):
        got[key] = dict(_sql(f"SELECT {column}, COUNT(*) FROM complaint c WHERE {month_c} "
                             f"GROUP BY {column}", lo, hi))
    got["by_department"] = dict(_sql(
        f"SELECT COALESCE(d.code, ''), COUNT(*) FROM complaint c LEFT JOIN department d "
        f"ON d.id = c.respondent_department_id WHERE {month_c} GROUP BY COALESCE(d.code, '')",
        lo, hi))
    avg, longest = _sql(f"SELECT AVG({_hours_sql()}), MAX({_hours_sql()}) FROM complaint c "
                        f"WHERE {closed_c}", lo, hi)[0]
    got["handling"] = (avg, longest)
    sat = Counter(bool(d["satisfied"]) for d in _json_rows("record_satisfaction", lo, hi, vis))
    got["satisfied"], got["dissatisfied"] = sat[True], sat[False]
    reviews = Counter(d["kind"] for d in _json_rows("review", lo, hi, vis))
    got["reviews"], got["final_reviews"] = reviews["review"], reviews["final"]
    got["routes"] = dict(Counter(d["route"] for d in _json_rows("external_route", lo, hi, vis)))
    # Repeats worked out in Python from every complaint, not by the report's EXISTS.
    every = _sql("SELECT id, complainant_phone, received_at FROM complaint")
    when = [(cid, phone, r if isinstance(r, datetime) else datetime.fromisoformat(str(r)))
            for cid, phone, r in every]
    by_phone: dict[str, list[datetime]] = {}
    for _cid, phone, moment in when:
        by_phone.setdefault(phone, []).append(moment)
    mine = {cid for (cid,) in _sql(f"SELECT c.id FROM complaint c WHERE {month_c}", lo, hi)}
    got["repeats"] = sum(1 for cid, phone, moment in when if cid in mine and phone and any(
        moment - timedelta(days=90) <= other < moment for other in by_phone[phone]))
    clocks = _sql(
        f"SELECT r.code, k.status, k.late, k.due_at FROM clock k "
        f"JOIN deadline_rule r ON r.id = k.rule_id JOIN complaint c ON c.id = k.complaint_id "
        f"WHERE k.due_at >= ? AND k.due_at < ? AND {vis}", lo, hi)
    rules: dict[str, list[int]] = {}
    for code, status, late, due in clocks:
        slot = rules.setdefault(code, [0, 0, 0])
        due = due if isinstance(due, datetime) else datetime.fromisoformat(str(due))
        if status == "met":
            slot[1 if late else 0] += 1
        elif status == "running" and due < now:
            slot[2] += 1
    got["rules"] = {code: tuple(v) for code, v in rules.items() if any(v)}
    got["warranty"] = Counter()
    for in_warranty, outcome, n in _sql(
            f"SELECT w.in_warranty, w.outcome, COUNT(*) FROM warranty_claim w JOIN complaint c "
            f"ON c.id = w.complaint_id WHERE w.claim_date >= ? AND w.claim_date < ? "
            f"AND {vis} GROUP BY w.in_warranty, w.outcome", lo[:10], hi[:10]):
        got["warranty"]["claims"] += n
        got["warranty"]["in" if in_warranty else "out"] += n
        got["warranty"][outcome or "undecided"] += n
    fine_sql = ("SELECT COUNT(*), SUM(ev.amount + ev.loss) FROM penalty_entry_event ev "
                "JOIN penalty_entry e ON e.id = ev.entry_id JOIN penalty_rule r "
                "ON r.id = e.rule_id WHERE ev.month = ? AND ev.status = ? AND r.reward = ?")
    got["fines_proposed"] = _sql(fine_sql + " AND e.reverses_id IS NULL", month, "proposed",
                                 False)[0][0]
    got["fines_approved"] = _sql(fine_sql + " AND e.reverses_id IS NULL", month, "approved",
                                 False)[0][0]
    total = _sql(fine_sql, month, "approved", False)[0][1]
    got["fines_total"] = Decimal(str(total or 0)).quantize(Decimal("0.01"))
    got["causes"] = dict(_sql(
        f"SELECT c.root_cause, COUNT(*) FROM complaint c WHERE {closed_c} "
        f"AND c.root_cause <> '' GROUP BY c.root_cause", lo, hi))
    days = _sql(f"SELECT c.received_at FROM complaint c WHERE {month_c}", lo, hi)
    got["daily"] = dict(Counter((d if isinstance(d, datetime)
                                 else datetime.fromisoformat(str(d))).date() for (d,) in days))
    return got


def _near(value: Decimal | None, raw, within: float = 0.05) -> bool:
    if raw is None:
        return value is None
    return value is not None and abs(float(value) - float(raw)) <= within + 1e-9


def _pct(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal, halves rounded up, in exact fractions."""
    if not whole:
        return None
    tenths = math.floor(Fraction(part * 1000, whole) + Fraction(1, 2))
    return Decimal(tenths) / 10


def check_against_sql(summary, actor, now: datetime) -> None:
    cur, prev = expected(actor, summary.month, now), expected(actor, summary.previous_month, now)
    for key in ("received", "closed", "open_at_end", "satisfied", "dissatisfied", "repeats",
                "reviews", "final_reviews", "fines_proposed", "fines_approved"):
        figure = getattr(summary, key)
        assert (figure.current, figure.previous) == (cur[key], prev[key]), key
        assert figure.change == cur[key] - prev[key], key
    total = summary.fines_approved_total
    assert (total.current, total.previous) == (cur["fines_total"], prev["fines_total"])
    assert total.change == cur["fines_total"] - prev["fines_total"]
    for key in ("by_category", "by_channel", "by_kind", "by_state", "by_department"):
        rows = getattr(summary, key)
        assert _counted(rows) == cur[key], key
        assert _counted_before(rows) == prev[key], key
        assert all(r.change == r.count - r.previous for r in rows), key
    for i, got in enumerate((cur, prev)):
        avg, longest = got["handling"]
        pick = (lambda f: f.current) if i == 0 else (lambda f: f.previous)
        assert _near(pick(summary.handling_average_hours), avg)
        assert _near(pick(summary.handling_longest_hours), longest)
        # shown in days to one decimal (292.9 hours reads 12.2 days), never in hours
        # (from hours already rounded to 0.1: rounded twice, so within 0.06)
        assert _near(pick(summary.handling_average_days), None if avg is None else avg / 24,
                     within=0.06)
        assert _near(pick(summary.handling_longest_days),
                     None if longest is None else longest / 24, within=0.06)
        assert pick(summary.satisfaction_rate) == _pct(
            got["satisfied"], got["satisfied"] + got["dissatisfied"])
    rules = {r.code: r for r in summary.on_time}
    assert {c: (r.on_time, r.late, r.overdue) for c, r in rules.items()
            if r.due} == cur["rules"]
    for code, r in rules.items():
        on_time, late, overdue = cur["rules"].get(code, (0, 0, 0))
        assert r.rate == _pct(on_time, on_time + late + overdue), code
        before = prev["rules"].get(code, (0, 0, 0))
        assert r.previous_rate == _pct(before[0], sum(before)), code
    assert _counted(summary.external_routes) == cur["routes"]
    assert _counted_before(summary.external_routes) == prev["routes"]
    for got, pick in ((cur, lambda f: f.current), (prev, lambda f: f.previous)):
        assert [pick(getattr(summary, f"warranty_{k}")) for k in ("claims", "in", "out")] == [
            got["warranty"][k] for k in ("claims", "in", "out")]
    assert _counted(summary.warranty_outcomes) == {
        k: v for k, v in cur["warranty"].items() if k not in ("claims", "in", "out")}
    top = sorted(cur["causes"].values(), reverse=True)[:5]
    assert [r.count for r in summary.root_causes] == top
    for r in summary.root_causes:
        assert r.count == cur["causes"][r.code]
        assert r.previous == prev["causes"].get(r.code, 0)
    assert {d.day: d.count for d in summary.daily_intake if d.count} == cur["daily"]
    assert len(summary.daily_intake) == len({d.day for d in summary.daily_intake})


# --- a firm's two months -----------------------------------------------------------------


def _act(cid, action, actor, **params):
    return workflow.act(cid, action, actor=actor, **params)


def _two_months(firm) -> dict:
    """September: one closed (archived with a root cause), one left open. October: a repeat
    from the same phone, one about the owner, one withdrawn, a dissatisfied reply reviewed,
    an external route, an employee complaint, and limits met late."""
    made = {}
    clock.freeze(at("2026-09-10T10:00:00"))
    made["a"] = walk_to(firm, "visited", complainant_phone="13900000001").complaint_id
    _act(made["a"], "archive", firm.rec, root_cause="来料缺陷")
    made["b"] = register(firm.rec, complainant_phone="13900000002",
                         channel="letter").complaint_id
    clock.freeze(at("2026-10-08T10:00:00"))
    made["c"] = walk_to(firm, "visited", complainant_phone="13900000001").complaint_id
    _act(made["c"], "archive", firm.rec, root_cause="来料缺陷")
    made["d"] = register(firm.rec, respondent_user="owner", category="grumble",
                         channel="walk_in", complainant_phone="13900000003").complaint_id
    made["e"] = register(firm.rec, complainant_phone="").complaint_id
    _act(made["e"], "withdraw", firm.rec, note="客户撤回")
    made["f"] = walk_to(firm, "decided", respondent_department="sales",
                        complainant_phone="13900000004").complaint_id
    _act(made["f"], "approve", firm.owner)  # so that the manager may review it
    _act(made["f"], "reply", firm.rec, text="答复")
    _act(made["f"], "record_satisfaction", firm.rec, satisfied=False)
    _act(made["f"], "review", firm.mgr, outcome="change")
    made["g"] = walk_to(firm, "visited", complainant_phone="13900000005").complaint_id
    _act(made["g"], "external_route", firm.rec, route="court", outcome="")
    _act(made["g"], "archive", firm.rec, root_cause="沟通不到位")
    made["h"] = register(firm.rec, kind="employee", category="work_conditions",
                         complainant_department="production",
                         complainant_phone="13900000006").complaint_id
    clock.freeze(at("2026-10-20T09:00:00"))
    made["i"] = register(firm.rec, complainant_phone="13900000007",
                         respondent_department="service").complaint_id
    clock.freeze(at("2026-10-20T12:00:00"))
    _act(made["i"], "acknowledge", firm.rec)
    _act(made["i"], "transfer", firm.rec, to="han")  # 30-minute limit met late
    from models.penalties import PenaltyEntry

    proposed = [e.id for e in PenaltyEntry.select().where(PenaltyEntry.user != firm.owner.id)]
    if proposed:
        penalties.approve(actor=firm.owner, entry_ids=proposed[:1])
    clock.freeze(at("2026-11-05T10:00:00"))
    return made


def test_every_figure_equals_an_independent_count(firm):
    _two_months(firm)
    now = clock.now()
    for actor in (firm.owner, firm.mgr):
        summary = reports.monthly_summary(actor=actor, month=MONTH)
        assert (summary.month, summary.previous_month) == (MONTH, PREVIOUS)
        check_against_sql(summary, actor, now)
    s = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    # Not vacuous: the scenario's own numbers.
    assert (s.received.current, s.received.previous, s.received.change) == (7, 2, 5)
    assert s.closed.current == 3 and s.closed.previous == 1  # c, e (withdrawn), g
    assert s.open_at_end.previous == 1  # b
    assert s.repeats.current == 1  # c: a's phone, a month before
    assert s.reviews.current == 1 and s.final_reviews.current == 0
    assert (s.satisfied.current, s.dissatisfied.current) == (2, 1)
    assert s.satisfaction_rate.current == Decimal("66.7")
    assert _counted(s.external_routes) == {"court": 1}
    assert [(r.code, r.count, r.previous, r.change) for r in s.root_causes][0] == (
        "来料缺陷", 1, 1, 0)
    assert _counted(s.by_kind) == {"customer": 6, "employee": 1}
    assert _counted(s.by_department)["sales"] == 1
    assert s.warranty_claims.current == 0 and not s.warranty_available  # a company
    assert any(r.late for r in s.on_time) and any(r.overdue for r in s.on_time)
    assert s.fines_proposed.current >= 1
    assert len(s.daily_intake) == 31 and s.daily_intake[7] == reports.DayCount(
        date(2026, 10, 8), 6)


def test_the_owner_does_not_count_a_complaint_about_them(firm):
    _two_months(firm)
    owner = reports.monthly_summary(actor=firm.owner, month=MONTH)
    manager = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    assert manager.received.current == owner.received.current + 1  # docs/rules.md §2 recusal
    assert _counted(manager.by_category).get("grumble") == 1
    assert "grumble" not in _counted(owner.by_category)
    assert _counted(manager.by_channel)["walk_in"] == 1
    assert "walk_in" not in _counted(owner.by_channel)


def test_previous_month_change(firm):
    _two_months(firm)
    s = reports.monthly_summary(actor=firm.mgr, month="2026-09")
    assert (s.received.current, s.received.previous, s.received.change) == (2, 0, 2)
    assert s.handling_average_hours.previous is None
    assert s.handling_average_hours.change is None
    assert s.satisfaction_rate == reports.Figure(Decimal("100.0"), None, None)
    phone = {r.code: r for r in s.by_channel}["phone"]
    assert (phone.count, phone.previous, phone.change) == (1, 0, 1)
    later = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    phone = {r.code: r for r in later.by_channel}["phone"]
    assert (phone.count, phone.previous, phone.change) == (6, 1, 5)
    check_against_sql(s, firm.mgr, clock.now())


def test_repeats_count_90_days_back_and_not_the_same_second(firm):
    clock.freeze(at("2026-10-25T12:00:00"))
    for phone, moment in (("13911110001", "2026-07-20T10:00:00"),  # 91 days before the next
                          ("13911110001", "2026-10-19T10:00:00"),
                          ("13911110001", "2026-10-20T09:00:00"),  # repeat
                          ("13911110002", "2026-07-10T10:00:00"),
                          ("13911110002", "2026-10-08T10:00:00"),  # exactly 90 days: repeat
                          ("13911110003", "2026-10-22T09:00:00"),  # two in the same second:
                          ("13911110003", "2026-10-22T09:00:00")):  # neither is earlier
        register(firm.rec, complainant_phone=phone, received_at=at(moment))
    s = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    assert s.repeats.current == 2
    check_against_sql(s, firm.mgr, clock.now())


def test_only_managers_and_the_owner_may_run_it(firm):
    for login in ("rec", "han", "head", "hr1"):
        with pytest.raises(PermissionDenied):
            reports.monthly_summary(actor=getattr(firm, login), month=MONTH)
    with pytest.raises(ValidationError):
        reports.monthly_summary(actor=firm.mgr, month="2026-13")


def test_an_empty_month_has_zeros_and_no_rates(firm):
    s = reports.monthly_summary(actor=firm.owner, month="2026-02")
    assert s.received == reports.Figure(0, 0, 0)
    assert s.satisfaction_rate == reports.Figure(None, None, None)
    assert all(r.rate is None and r.due == 0 for r in s.on_time)
    assert s.fines_approved_total.current == Decimal("0.00")
    assert len(s.daily_intake) == 28 and not s.root_causes


# --- the spreadsheet ---------------------------------------------------------------------


def _cell(value):
    if isinstance(value, datetime):
        return value.date()
    return value


def _same(cell, value) -> bool:
    if isinstance(value, Decimal):
        return cell is not None and float(cell) == float(value)
    return _cell(cell) == value


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_spreadsheet_holds_the_summary_cell_by_cell(firm, tmp_path, lang):
    from openpyxl import load_workbook

    _two_months(firm)
    s = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    path = reports.export_xlsx(s, tmp_path / "summary.xlsx", language=lang)
    book = load_workbook(path)
    with language(lang):
        # a company: no warranty outcomes (docs/rules.md §8.8, the profile's rows only)
        assert "warranty_outcomes" not in dict(s.count_tables())
        titles = [_("Summary")] + [_(t) for _a, t in s.count_tables()] + [
            _("Time limits"), _("Daily intake")]
        assert book.sheetnames == [t[:31] for t in titles]
        sheet = book[titles[0]]
        assert [c.value for c in sheet[1]] == [_(h) for h in reports.FIGURE_COLUMNS]
        headline = s.headline()
        assert sheet.max_row == len(headline) + 1
        for row, (key, label, figure) in zip(sheet.iter_rows(min_row=2), headline, strict=True):
            assert row[0].value == _(reports.HEADLINE_LABELS[key]) == label
            for cell, value in zip(row[1:], (figure.current, figure.previous, figure.change),
                                   strict=True):
                assert _same(cell.value, value), (key, cell.value, value)
        for (attr, _title), sheet_title in zip(s.count_tables(), titles[1:], strict=False):
            sheet = book[sheet_title[:31]]
            assert [c.value for c in sheet[1]] == [_(h) for h in reports.COUNT_COLUMNS]
            rows = getattr(s, attr)
            assert sheet.max_row == len(rows) + 1, attr
            for cells, r in zip(sheet.iter_rows(min_row=2, values_only=True), rows,
                                strict=True):
                # an empty cell reads back as None: the "no department" row's code
                assert ["" if c is None else c for c in cells] == [
                    r.code, r.name, r.count, r.previous, r.change], attr
        sheet = book[_("Time limits")]
        assert [c.value for c in sheet[1]] == [_(h) for h in reports.RULE_COLUMNS]
        for cells, r in zip(sheet.iter_rows(min_row=2, values_only=True), s.on_time,
                            strict=True):
            expected_cells = (r.code, r.name, r.on_time, r.late, r.overdue, r.due, r.rate,
                              r.previous_rate, r.change)
            assert all(_same(c, v) for c, v in zip(cells, expected_cells, strict=True))
        sheet = book[_("Daily intake")]
        days = [(_cell(d), n) for d, n in sheet.iter_rows(min_row=2, values_only=True)]
        assert days == [(d.day, d.count) for d in s.daily_intake]
        if lang == "zh_CN":
            category = {r.code: r for r in s.by_category}["product_quality"]
            assert category.name == "产品质量类"


# --- demo data ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["company", "repair-shop"])
def test_demo_database_matches_independent_counts(tmp_path, profile):
    from services import demo
    from services.firm import close_database, open_database
    from services.people import users

    open_database(str(tmp_path / "d.sqlite3"))
    try:
        if profile == "company":
            demo.generate(profile="company", complaints=400)
        else:  # the warranty claims and the penalty ledger come with the whole sample
            demo.generate_all(profile="repair-shop", complaints=400)
        now = clock.now()
        clock.freeze(now)
        owner = users.get_user("owner")
        seen = 0
        for back in range(4):
            first = (now.replace(day=1) - timedelta(days=31 * back)).replace(day=1)
            month = f"{first.year:04d}-{first.month:02d}"
            s = reports.monthly_summary(actor=owner, month=month)
            check_against_sql(s, owner, now)
            seen += s.received.current + s.closed.current
        assert seen > 0
    finally:
        clock.freeze(None)
        close_database()


# --- the bank's half-year report: customers only, and its reminder (docs/rules.md §8.9) -------


def _bank(firm_factory, set_up="2025-01-02T09:00:00"):
    from models.entities import Firm

    bank = firm_factory("bank")
    Firm.update(created_at=at(set_up)).execute()  # the template's set-up day is today's
    return bank


def test_half_year_report_counts_customer_complaints_only(firm_factory):
    bank = _bank(firm_factory)
    clock.freeze(at("2026-03-10T09:00:00"))
    register(bank.rec, category="business", channel="walk_in")
    register(bank.rec, category="fees")
    register(bank.rec, kind="employee", category="pay_benefits", complainant_department="hr")
    clock.freeze(at("2026-08-01T09:00:00"))
    h = reports.half_year_totals(2026, 1, actor=bank.owner)
    assert h.received == 2  # never the employee complaint
    counted = {code: n for code, _name, n in h.by_category if n}
    assert counted == {"business": 1, "fees": 1}
    assert "pay_benefits" not in counted
    assert sum(n for _c, _n, n in h.by_channel) == 2
    assert all(due == 0 or code != "employee_reply_3d" for code, _n, _on, due, _r in h.on_time)
    # the monthly summary itself still counts every kind
    march = reports.monthly_summary(actor=bank.owner, month="2026-03")
    assert march.received.current == 3
    assert reports.monthly_summary(actor=bank.owner, month="2026-03",
                                   kind="customer").received.current == 2
    with pytest.raises(ValidationError):
        reports.monthly_summary(actor=bank.owner, month="2026-03", kind="supplier")


@pytest.mark.parametrize(("today", "period", "due", "status", "days_left"), [
    ("2026-01-10T09:00:00", "2025-H2", "2026-01-30", "upcoming", 20),  # not yet within 14
    ("2026-01-20T09:00:00", "2025-H2", "2026-01-30", "due_soon", 10),
    ("2026-01-30T17:00:00", "2025-H2", "2026-01-30", "due_soon", 0),  # the day itself
    ("2026-02-02T09:00:00", "2025-H2", "2026-01-30", "overdue", -3),
    ("2026-07-01T09:00:00", "2026-H1", "2026-07-30", "upcoming", 29),
    ("2026-07-31T09:00:00", "2026-H1", "2026-07-30", "overdue", -1),
])
def test_half_year_reminder_tells_what_is_due_and_when(firm_factory, today, period, due,
                                                       status, days_left):
    bank = _bank(firm_factory)
    clock.freeze(at(today))
    d = reports.half_year_due(actor=bank.owner)
    assert (d.period, d.due.isoformat(), d.days_left) == (period, due, days_left)
    assert d.status == status
    assert d.ended
    with language("en"):
        text = reports.describe_due(d)
    assert period in text and ("overdue" in text) == (status == "overdue")


def test_half_year_reminder_moves_on_when_filed(firm_factory):
    bank = _bank(firm_factory)
    clock.freeze(at("2026-02-02T09:00:00"))
    assert reports.half_year_due(actor=bank.mgr).overdue
    with pytest.raises(ValidationError):
        reports.mark_half_year_filed(2026, 1, actor=bank.owner)  # still running
    with pytest.raises(PermissionDenied):
        reports.mark_half_year_filed(2025, 2, actor=bank.rec)
    d = reports.mark_half_year_filed(2025, 2, actor=bank.mgr)
    assert (d.period, d.due.isoformat(), d.overdue, d.due_soon, d.ended) == (
        "2026-H1", "2026-07-30", False, False, False)
    assert reports.half_year_due(actor=bank.owner).period == "2026-H1"
    # taken back: the earlier half is due again; filed again, it is not
    d = reports.mark_half_year_filed(2025, 2, actor=bank.owner, filed=False)
    assert d.period == "2025-H2" and d.overdue
    reports.mark_half_year_filed(2025, 2, actor=bank.owner)
    # the next half ends: due again, and soon once 30 July is near
    clock.freeze(at("2026-07-20T09:00:00"))
    d = reports.half_year_due(actor=bank.owner)
    assert (d.period, d.due_soon, d.days_left, d.ended) == ("2026-H1", True, 10, True)


def test_half_year_reminder_skips_a_half_before_the_firm_was_set_up(firm_factory):
    bank = _bank(firm_factory, set_up="2026-03-01T09:00:00")
    clock.freeze(at("2026-03-05T09:00:00"))
    d = reports.half_year_due(actor=bank.owner)
    assert d.period == "2026-H1" and not d.overdue and not d.ended


def test_half_year_reminder_is_for_banks_and_seniors(firm_factory):
    company = firm_factory("company")
    clock.freeze(at("2026-02-02T09:00:00"))
    assert reports.half_year_due(actor=company.owner) is None
    with pytest.raises(ValidationError):
        reports.mark_half_year_filed(2025, 2, actor=company.owner)
    bank = _bank(firm_factory)
    clock.freeze(at("2026-02-02T09:00:00"))
    for login in ("rec", "han", "head"):
        with pytest.raises(PermissionDenied):
            reports.half_year_due(actor=getattr(bank, login))


# --- weekly classification statistics (每周分类统计) ---------------------------------------------


def test_weekly_classification_statistics(firm):
    # ISO week 2026-W43: Monday 19 to Sunday 25 October 2026
    clock.freeze(at("2026-10-28T10:00:00"))
    for moment, category in (("2026-10-12T09:00:00", "grumble"),  # the week before
                             ("2026-10-18T23:59:59", "grumble"),  # Sunday: still before
                             ("2026-10-19T00:00:00", "product_quality"),
                             ("2026-10-21T15:00:00", "product_quality"),
                             ("2026-10-25T23:59:59", "packaging"),
                             ("2026-10-26T00:00:00", "packaging")):  # the week after
        register(firm.rec, category=category, received_at=at(moment))
    register(firm.rec, kind="employee", category="pay_benefits", complainant_department="sales",
             received_at=at("2026-10-20T10:00:00"))
    for week in ("2026-W43", "2026w43", "2026-10-22", date(2026, 10, 25)):
        s = reports.weekly_statistics(actor=firm.mgr, week=week)
        assert (s.week, s.first_day, s.last_day, s.previous_week) == (
            "2026-W43", date(2026, 10, 19), date(2026, 10, 25), "2026-W42")
    rows = {r.code: (r.count, r.previous, r.change) for r in s.by_category}
    assert rows["product_quality"] == (2, 0, 2)
    assert rows["packaging"] == (1, 0, 1)
    assert rows["grumble"] == (0, 2, -2)
    assert rows["pay_benefits"] == (1, 0, 1)  # employee complaints are classified too
    assert (s.received, s.previous_received) == (4, 2)
    assert [r.code for r in s.by_category][:2] == ["grumble", "suggestion"]  # profile order
    with language("en"):
        headers, table = s.table()
    assert headers == ("Code", "Category", "Kind", "This week", "Previous week", "Change")
    assert table[-1] == ["", "Total", "", 4, 2, 2]
    for bad in ("2026-W60", "last week", ""):
        with pytest.raises(ValidationError):
            reports.weekly_statistics(actor=firm.mgr, week=bad)


def test_weekly_statistics_respect_visibility(firm):
    clock.freeze(at("2026-10-28T10:00:00"))
    register(firm.rec, category="grumble", received_at=at("2026-10-20T10:00:00"),
             respondent_user="owner")
    register(firm.rec, category="grumble", received_at=at("2026-10-20T11:00:00"))
    owner = reports.weekly_statistics(actor=firm.owner, week="2026-W43")
    manager = reports.weekly_statistics(actor=firm.mgr, week="2026-W43")
    assert (owner.received, manager.received) == (1, 2)  # recusal: not about the owner
    for login in ("rec", "han", "head", "hr1"):
        with pytest.raises(PermissionDenied):
            reports.weekly_statistics(actor=getattr(firm, login), week="2026-W43")


def test_recent_weeks_start_with_last_week():
    # Wednesday 7 January 2026 is in 2026-W02; 2026-W01 began on Monday 29 December 2025
    assert reports.recent_weeks(date(2026, 1, 7), 3) == ["2026-W01", "2025-W52", "2025-W51"]
    assert reports.week_label(date(2026, 1, 1)) == "2026-W01"
