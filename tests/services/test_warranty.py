"""Repair warranty (rules.md §6): the rule at and around every limit, plates and VINs,
the terms table over time, and claim → complaint → memo → rework → new warranty, on SQLite and
PostgreSQL; the `warranty` commands."""
from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from models.entities import Clock, Complaint, DeadlineRule, Event
from models.warranty import FinishedRepair, WarrantyTerm
from services import clock, warranty
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import NotFound, PermissionDenied, StateError, ValidationError
from services.i18n import language
from services.warranty import PRESET_TERMS, RepairInput, check, describe_verdict, records
from tests.conftest import PASSWORD
from ui import cli

NOW = datetime(2025, 9, 26, 10, 0)  # a Friday; Sunday 28 Sep 2025 is a make-up working day

# --- the rule, pure ---------------------------------------------------------------------------

ROWS = sorted(PRESET_TERMS.items())
START = date(2025, 11, 1)
START_KM = 40_000


def test_the_table_is_the_national_rule():
    assert len(PRESET_TERMS) == 21  # every class has every repair type
    assert PRESET_TERMS[("car", "level1-maintenance")] == (2000, 10)
    assert PRESET_TERMS[("car", "parts-repair")] == (2000, 10)
    assert PRESET_TERMS[("car", "level2-maintenance")] == (5000, 30)
    assert PRESET_TERMS[("car", "assembly-overhaul")] == (20000, 100)
    assert PRESET_TERMS[("motorcycle", "vehicle-overhaul")] == (7000, 80)
    assert PRESET_TERMS[("motorcycle", "special-repair")] == (800, 10)
    assert PRESET_TERMS[("other", "assembly-overhaul")] == (6000, 60)
    assert PRESET_TERMS[("other", "minor-repair")] == (700, 7)


def test_parts_repair_row_is_picked_by_the_vehicle_class():
    """rules.md §6: parts repair (零件修理/专项修理) has a row for every vehicle class."""
    assert PRESET_TERMS[("car", "parts-repair")] == (2000, 10)
    assert PRESET_TERMS[("motorcycle", "parts-repair")] == (800, 10)
    assert PRESET_TERMS[("other", "parts-repair")] == (700, 7)
    assert check("motorcycle", "parts-repair", START, 0, START + timedelta(days=10), 800
                 ).in_warranty
    assert check("motorcycle", "parts-repair", START, 0, START + timedelta(days=3), 801
                 ).ended_by == "distance"
    assert check("other", "parts-repair", START, 0, START + timedelta(days=8), 10
                 ).ended_by == "days"


@pytest.mark.parametrize(("row", "terms"), ROWS, ids=[f"{c}-{t}" for (c, t), _v in ROWS])
def test_every_row_at_and_around_both_limits(row, terms):
    vehicle_class, repair_type = row
    km, days = terms

    def at(day_offset: int, distance: int):
        return check(vehicle_class, repair_type, START, START_KM,
                     START + timedelta(days=day_offset), START_KM + distance)

    last = at(days, km)  # day N and M km: both limits are inclusive
    assert last.in_warranty and last.ended_by is None
    assert (last.days_used, last.km_used, last.days_left, last.km_left) == (days, km, 0, 0)
    assert last.expires_on == START + timedelta(days=days)
    assert last.expires_at_km == START_KM + km
    assert (last.km_limit, last.day_limit) == (km, days)

    day_after = at(days + 1, 0)
    assert not day_after.in_warranty and day_after.ended_by == "days"
    assert (day_after.days_used, day_after.days_left, day_after.km_left) == (days + 1, 0, km)

    one_km_more = at(0, km + 1)
    assert not one_km_more.in_warranty and one_km_more.ended_by == "distance"
    assert (one_km_more.km_used, one_km_more.km_left, one_km_more.days_left) == (km + 1, 0, days)

    first = at(1, 1)
    assert first.in_warranty and (first.days_left, first.km_left) == (days - 1, km - 1)


def test_spec_example_ten_days_from_first_november():
    assert check("car", "minor-repair", date(2025, 11, 1), 0, date(2025, 11, 11), 0).in_warranty
    late = check("car", "minor-repair", date(2025, 11, 1), 0, date(2025, 11, 12), 0)
    assert not late.in_warranty and late.expires_on == date(2025, 11, 11)


@pytest.mark.parametrize(("days_used", "km_used", "ended_by"), [
    (20, 3000, "days"),  # 2,000 km reached on day 13.3, after day 10
    (12, 6000, "distance"),  # 2,000 km reached on day 4
    (20, 4000, "days"),  # exactly 2,000 km on day 10: still in that day, so the days ended it
    (11, 2001, "days"),
    (100, 100_000, "distance"),
])
def test_both_limits_passed_the_first_reached_ended_it(days_used, km_used, ended_by):
    v = check("car", "minor-repair", START, START_KM, START + timedelta(days=days_used),
              START_KM + km_used)
    assert not v.in_warranty
    assert v.ended_by == ended_by
    assert (v.days_left, v.km_left) == (0, 0)
    with language("en"):
        assert "Both limits are passed" in describe_verdict(v)


def test_rollback_odometer_is_refused_never_zero():
    with pytest.raises(ValidationError) as info:
        check("car", "minor-repair", START, 50_000, START + timedelta(days=3), 49_999)
    assert info.value.field == "claim_km"
    with language("en"):
        assert "rollback" in info.value.message()


def test_claim_before_completion_is_refused():
    with pytest.raises(ValidationError) as info:
        check("car", "minor-repair", START, 0, START - timedelta(days=1), 10)
    assert info.value.field == "claim_date"


@pytest.mark.parametrize(("vehicle_class", "repair_type", "field"), [
    ("car", "paint-job", "repair_type"),
    ("truck", "minor-repair", "vehicle_class"),
])
def test_repair_type_not_in_the_table_is_refused(vehicle_class, repair_type, field):
    with pytest.raises(ValidationError) as info:
        check(vehicle_class, repair_type, START, 0, START, 0)
    assert info.value.field == field


@pytest.mark.parametrize(("completed_km", "claim_km", "field"), [
    (None, 100, "completed_km"), (100, None, "claim_km"), (100, "", "claim_km"),
    (100, -5, "claim_km"), (100, "12.5", "claim_km"),
])
def test_missing_or_bad_odometer_is_refused(completed_km, claim_km, field):
    with pytest.raises(ValidationError) as info:
        check("car", "minor-repair", START, completed_km, START, claim_km)
    assert info.value.field == field


def test_own_terms_override_the_table():
    v = check("car", "minor-repair", START, 0, START + timedelta(days=15), 2500, (3000, 15))
    assert v.in_warranty and (v.km_limit, v.day_limit) == (3000, 15)


# --- plates and VINs ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "plate"), [
    ("京A12345", "京A12345"), ("沪AD12345", "沪AD12345"), ("粤B12345D", "粤B12345D"),
    ("川A1234学", "川A1234学"), ("粤z1234港", "粤Z1234港"), (" 浙a·b1234 ", "浙AB1234"),
    ("苏ＥＦ１２３４５", "苏EF12345"),  # full-width typed with a Chinese input method
])
def test_good_plates(text, plate):
    assert warranty.validate_plate(text) == plate


@pytest.mark.parametrize(("text", "words"), [
    ("京I12345", "I and O"), ("ABC123", "province"), ("", "plate number"),
    ("京A1234", "mainland format"), ("京AO1234", "I and O"), ("京A12345X", "mainland format"),
])
def test_bad_plates_say_what_does_not_fit(text, words):
    with pytest.raises(ValidationError) as info:
        warranty.validate_plate(text)
    assert info.value.field == "plate"
    with language("en"):
        assert words in info.value.message()


def test_other_plate_override_accepts_foreign_and_temporary_plates():
    assert warranty.validate_plate("ABC123", allow_other=True) == "ABC123"
    assert warranty.validate_plate("临 A-1234", allow_other=True) == "临A1234"
    with pytest.raises(ValidationError):
        warranty.validate_plate("  ", allow_other=True)


def test_vin_check_digit():
    assert warranty.validate_vin("1M8GDM9AXKP042788") == []
    assert warranty.validate_vin("1m8gdm9a xkp042788") == []
    with language("en"):
        warnings = warranty.validate_vin("1M8GDM9A1KP042788")
    assert len(warnings) == 1 and "should be X" in warnings[0]
    # Outside China and North America the 9th character may not be a check digit.
    with language("en"):
        assert "may not use one" in warranty.validate_vin("WVWZZZ1JZXW000001")[0]


@pytest.mark.parametrize("text", ["1M8GDM9AXKP04278", "1M8GDM9AXKP0427888", "1M8GDM9AXKP04278O",
                                  "IM8GDM9AXKP042788", "1M8GDM9AXKP04278Q"])
def test_bad_vin_is_refused(text):
    with pytest.raises(ValidationError) as info:
        warranty.validate_vin(text)
    assert info.value.field == "vin"


# --- with a database ---------------------------------------------------------------------------


@pytest.fixture
def shop(firm_factory):
    f = firm_factory("repair-shop")
    clock.freeze(NOW)
    return f


def _vehicle(shop, plate="浙A12345", vehicle_class="car", **extra):
    return warranty.save_vehicle(actor=shop.rec, plate=plate, vehicle_class=vehicle_class,
                                 owner_name="张三", owner_phone="13800138000",
                                 vin=extra.pop("vin", "1M8GDM9AXKP042788"), **extra).vehicle


def _input(day=date(2025, 9, 20), km=52_000, number="HZ-0001", repair_type="level2-maintenance",
           **extra) -> RepairInput:
    values = dict(
        repair_type=repair_type, work_done="二级维护", parts_used="机油、三滤",
        labour_amount="300", material_amount="120.50", completed_on=day, completed_km=km,
        certificate_no=number, self_inspector="李军",
        self_inspected_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=9),
        team_inspector="孙海涛",
        team_inspected_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=10),
        final_inspector="黄凯",
        final_inspected_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=11))
    values.update(extra)
    return RepairInput(**values)


def _repair(shop, vehicle, **kwargs):
    return warranty.record_repair(actor=shop.rec, vehicle_id=vehicle.id, data=_input(**kwargs))


def test_repair_shop_gets_the_table_and_the_memo_rule(shop):
    table = warranty.terms_table()
    assert len(table) == 21
    rule = DeadlineRule.get(DeadlineRule.code == warranty.MEMO_RULE_CODE)
    assert (rule.start_on, rule.stop_on, rule.length, rule.unit) == (
        "warranty_claim", "quality_memo", 2, "working_days")
    assert rule.name_zh == "质量投诉处理备忘单：第2个工作日内"
    assert not warranty.ensure_terms()  # idempotent


def test_presets_come_lazily_to_a_shop_migrated_from_before(shop):
    WarrantyTerm.delete().execute()
    DeadlineRule.delete().where(DeadlineRule.code == warranty.MEMO_RULE_CODE).execute()
    records._ensured.clear()
    assert warranty.terms_on("car", "minor-repair", NOW.date()).km == 2000
    assert DeadlineRule.select().where(DeadlineRule.code == warranty.MEMO_RULE_CODE).exists()


def test_other_profiles_have_no_warranty(firm):
    assert not warranty.is_available()
    assert not warranty.ensure_terms()
    with pytest.raises(StateError):
        warranty.find_vehicles(actor=firm.owner)


def test_vehicles_saved_searched_and_checked(shop):
    v = _vehicle(shop, make_model="大众朗逸")
    assert (v.plate, v.vin, v.owner_name, v.plate_override) == (
        "浙A12345", "1M8GDM9AXKP042788", "张三", False)
    with pytest.raises(ValidationError) as info:
        _vehicle(shop, plate="浙a-12345", vin="")
    assert info.value.field == "plate"  # already recorded
    with pytest.raises(ValidationError) as info:
        _vehicle(shop, plate="ABC123", vin="")
    assert info.value.field == "plate"
    foreign = _vehicle(shop, plate="ABC123", vin="", plate_override=True)
    assert foreign.plate_override
    saved = warranty.save_vehicle(actor=shop.rec, plate="沪AD12345", vehicle_class="car",
                                  owner_name="李四", vin="LSVAM4187C2184848")
    assert len(saved.warnings) == 1  # a wrong check digit is a warning, not a refusal
    with pytest.raises(PermissionDenied):
        warranty.save_vehicle(actor=shop.han, plate="粤B12345D", vehicle_class="car",
                              owner_name="王五")
    found = {x.plate for x in warranty.find_vehicles(actor=shop.han, text="12345")}
    assert found == {"浙A12345", "沪AD12345"}
    assert [x.plate for x in warranty.find_vehicles(actor=shop.han, text="1m8gdm")] == ["浙A12345"]
    assert [x.plate for x in warranty.find_vehicles(actor=shop.han, text="李四")] == ["沪AD12345"]
    assert warranty.count_vehicles(actor=shop.han, text="13800138000") == 2
    assert warranty.count_vehicles(actor=shop.han) == 3


def test_a_finished_repair_keeps_the_terms_of_its_completion_day(shop):
    v = _vehicle(shop)
    old = _repair(shop, v, day=date(2025, 9, 1), km=50_000, number="HZ-A")
    assert (old.term_km, old.term_days) == (5000, 30)
    with pytest.raises(PermissionDenied):
        warranty.set_term(actor=shop.rec, vehicle_class="car", repair_type="level2-maintenance",
                          km=6000, days=45, effective_from=date(2025, 9, 10))
    warranty.set_term(actor=shop.mgr, vehicle_class="car", repair_type="level2-maintenance",
                      km=6000, days=45, effective_from=date(2025, 9, 10))
    new = _repair(shop, v, day=date(2025, 9, 12), km=51_000, number="HZ-B")
    assert (new.term_km, new.term_days) == (6000, 45)
    assert warranty.get_repair(actor=shop.rec, repair_id=old.id).terms.km == 5000
    assert warranty.terms_on("car", "level2-maintenance", date(2025, 9, 9)).days == 30
    assert warranty.terms_on("car", "level2-maintenance", date(2025, 9, 10)).days == 45
    # A claim on the old repair is judged by its own terms, not the new table.
    claim = warranty.register_claim(actor=shop.rec, repair_id=old.id,
                                    claim_date=date(2025, 9, 26), claim_km=55_500,
                                    description="异响")
    assert not claim.verdict.in_warranty and claim.verdict.ended_by == "distance"
    assert warranty.term_history()[0].set_by == "王经理"


def test_repair_input_is_checked(shop):
    v = _vehicle(shop)
    _repair(shop, v, day=date(2025, 9, 1), km=50_000, number="HZ-1")
    bad = [
        (dict(number="HZ-1"), "certificate_no"),
        (dict(km=49_000), "completed_km"),  # lower than the earlier repair: rollback
        (dict(day=date(2025, 9, 27)), "completed_on"),  # the future
        (dict(repair_type="tuning"), "repair_type"),
        (dict(work_done=""), "work_done"),
        (dict(labour_amount="abc"), "labour_amount"),
        (dict(final_inspector=""), "final_inspector"),
        (dict(team_inspected_at=datetime(2025, 9, 20, 8)), "team_inspected_at"),  # before self
        (dict(final_inspected_at=datetime(2025, 9, 21, 8)), "final_inspected_at"),  # after day
    ]
    for extra, field in bad:
        with pytest.raises(ValidationError) as info:
            _repair(shop, v, **extra)
        assert info.value.field == field, extra
    with pytest.raises(PermissionDenied):
        warranty.record_repair(actor=shop.han, vehicle_id=v.id, data=_input(number="HZ-9"))


def test_claim_complaint_memo_rework_new_warranty(shop):
    v = _vehicle(shop)
    repair = _repair(shop, v)
    claim = warranty.register_claim(actor=shop.rec, repair_id=repair.id,
                                    claim_date=NOW.date(), claim_km=53_000,
                                    description="刹车异响", request="免费返修")
    assert claim.verdict.in_warranty
    assert (claim.verdict.days_used, claim.verdict.km_used) == (6, 1000)
    # The claim is a customer complaint in category repair quality, with a ticket.
    detail = complaints.detail(claim.ticket, actor=shop.rec)
    c = detail.complaint
    assert claim.ticket == "250926001"
    assert (detail.category_code, c.kind, c.channel, c.state) == (
        "repair_quality", "customer", "walk_in", "registered")
    assert c.complainant_id == v.owner_id  # the vehicle's owner, the same row
    assert c.contract_no == "HZ-0001"
    assert c.description.startswith("[浙A12345") or c.description.startswith("【浙A12345")
    note = next(e for e in detail.events if e.action == "note")
    assert "57,000" in note.note  # the verdict on the timeline
    memo_clock = next(k for k in detail.clocks if k.rule_code == warranty.MEMO_RULE_CODE)
    # 2nd working day after Friday 26 Sep 2025: Sunday 28 Sep (调休) and Monday 29 Sep.
    assert memo_clock.due_at == datetime(2025, 9, 29, 23, 59, 59)
    assert memo_clock.status == "running"

    # The memo split must add up to 100.
    with pytest.raises(ValidationError) as info:
        warranty.record_memo(actor=shop.rec, claim_id=claim.claim_id, findings="制动片未装到位",
                             shop_percent=70, customer_percent=40, cost_estimate="333.33",
                             delivery_promise="明日17点前交车")
    assert info.value.field == "customer_percent"
    clock.freeze(NOW + timedelta(days=1))
    memo = warranty.record_memo(actor=shop.rec, claim_id=claim.claim_id,
                                findings="制动片未装到位", shop_percent=70,
                                customer_percent=30, cost_estimate="333.33",
                                delivery_promise="明日17点前交车")
    assert (memo.shop_share, memo.customer_share) == (Decimal("233.33"), Decimal("100.00"))
    assert memo.shop_share + memo.customer_share == Decimal("333.33")
    memo_clock = next(k for k in complaints.detail(claim.ticket, actor=shop.rec).clocks
                      if k.rule_code == warranty.MEMO_RULE_CODE)
    assert memo_clock.status == "met" and memo_clock.late is False
    event = Event.select().where((Event.complaint == claim.complaint_id)
                                 & (Event.action == "quality_memo")).get()
    assert event.data["shop_share"] == "233.33" and event.data["customer_percent"] == 30

    # In warranty: free rework, itself a finished repair with its own new warranty.
    clock.freeze(NOW + timedelta(days=2, hours=8))
    with pytest.raises(ValidationError) as info:
        warranty.decide_claim(actor=shop.rec, claim_id=claim.claim_id, outcome="rework")
    assert info.value.field == "rework"
    rework_input = _input(day=date(2025, 9, 28), km=53_050, number="HZ-0002",
                          labour_amount="0", material_amount="0", work_done="返修：重装制动片")
    result = warranty.decide_claim(actor=shop.rec, claim_id=claim.claim_id, outcome="rework",
                                   rework=rework_input)
    rework = warranty.get_repair(actor=shop.rec, repair_id=result.rework_repair_id)
    assert rework.rework_of_id == repair.id and rework.rework_of_certificate == "HZ-0001"
    assert (rework.expires_on, rework.expires_at_km) == (date(2025, 10, 28), 58_050)
    with pytest.raises(StateError):
        warranty.decide_claim(actor=shop.rec, claim_id=claim.claim_id, outcome="quote",
                              quote_amount="100")
    # A claim on the rework is judged by the rework's own warranty.
    clock.freeze(datetime(2025, 10, 20, 10))
    again = warranty.register_claim(actor=shop.rec, repair_id=rework.id,
                                    claim_date=date(2025, 10, 20), claim_km=57_000,
                                    description="仍有异响")
    assert again.verdict.in_warranty  # the original repair's warranty ended on 20 Oct at 57,000
    history = warranty.vehicle_history(actor=shop.rec, vehicle_id=v.id)
    assert [r.certificate_no for r in history.repairs] == ["HZ-0002", "HZ-0001"]
    first = next(c for c in history.claims if c.id == claim.claim_id)
    assert first.outcome == "rework" and first.rework_repair_id == rework.id
    assert first.memo is not None and first.memo.shop_percent == 70
    assert first.memo_status == "met"


def test_parts_repair_on_a_motorcycle_claim_decision(shop):
    """rules.md §6: a motorcycle's parts repair gets 800 km / 10 days; the claim is judged,
    and decided, by that row."""
    moto = _vehicle(shop, plate="浙AB1234", vehicle_class="motorcycle", vin="")
    repair = _repair(shop, moto, repair_type="parts-repair", number="HZ-M",
                     day=date(2025, 9, 20), km=12_000)
    assert (repair.term_km, repair.term_days) == (800, 10)
    inside = warranty.register_claim(actor=shop.rec, repair_id=repair.id,
                                     claim_date=NOW.date(), claim_km=12_800,
                                     description="发电机不充电")
    assert inside.verdict.in_warranty and inside.verdict.km_left == 0
    rework = _input(day=NOW.date(), km=12_810, number="HZ-M2", repair_type="parts-repair",
                    self_inspected_at=NOW - timedelta(hours=3),
                    team_inspected_at=NOW - timedelta(hours=2),
                    final_inspected_at=NOW - timedelta(hours=1))
    done = warranty.decide_claim(actor=shop.rec, claim_id=inside.claim_id, outcome="rework",
                                 rework=rework)
    new = warranty.get_repair(actor=shop.rec, repair_id=done.rework_repair_id)
    assert (new.term_km, new.term_days) == (800, 10)
    # One km past the 800 km of the row: out of warranty, so a quote.
    other = _repair(shop, moto, repair_type="parts-repair", number="HZ-M3",
                    day=date(2025, 9, 25), km=13_000)
    out = warranty.register_claim(actor=shop.rec, repair_id=other.id, claim_date=NOW.date(),
                                  claim_km=13_801, description="仍不充电")
    assert not out.verdict.in_warranty and out.verdict.ended_by == "distance"
    quoted = warranty.decide_claim(actor=shop.rec, claim_id=out.claim_id, outcome="quote",
                                   quote_amount="180")
    assert quoted.rework_repair_id is None


def test_out_of_warranty_rework_needs_a_reason_and_a_manager(shop):
    v = _vehicle(shop)
    repair = _repair(shop, v, day=date(2025, 8, 1), km=40_000, number="HZ-OLD",
                     repair_type="minor-repair")
    claim = warranty.register_claim(actor=shop.rec, repair_id=repair.id,
                                    claim_date=NOW.date(), claim_km=41_000, description="漏油")
    assert not claim.verdict.in_warranty and claim.verdict.ended_by == "days"
    rework = _input(day=NOW.date(), km=41_010, number="HZ-RW", repair_type="minor-repair",
                    self_inspected_at=NOW - timedelta(hours=3),
                    team_inspected_at=NOW - timedelta(hours=2),
                    final_inspected_at=NOW - timedelta(hours=1))
    with pytest.raises(ValidationError) as info:
        warranty.decide_claim(actor=shop.mgr, claim_id=claim.claim_id, outcome="rework",
                              rework=rework)
    assert info.value.field == "override_reason"
    with pytest.raises(PermissionDenied):
        warranty.decide_claim(actor=shop.rec, claim_id=claim.claim_id, outcome="rework",
                              rework=rework, override_reason="老客户")
    done = warranty.decide_claim(actor=shop.mgr, claim_id=claim.claim_id, outcome="rework",
                                 rework=rework, override_reason="老客户，厂方让利")
    assert done.rework_repair_id is not None
    assert FinishedRepair.get_by_id(done.rework_repair_id).rework_of_id == repair.id


def test_quote_and_disputed_with_mediation(shop):
    v = _vehicle(shop)
    repair = _repair(shop, v, day=date(2025, 8, 1), km=40_000, number="HZ-Q",
                     repair_type="minor-repair")
    q = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                claim_km=41_000, description="异响")
    with pytest.raises(ValidationError) as info:
        warranty.decide_claim(actor=shop.rec, claim_id=q.claim_id, outcome="quote")
    assert info.value.field == "quote_amount"
    warranty.decide_claim(actor=shop.rec, claim_id=q.claim_id, outcome="quote",
                          quote_amount="480.00")
    assert warranty.get_claim(actor=shop.rec, claim_id=q.claim_id).quote_amount == Decimal("480")

    d = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                claim_km=41_100, description="仍然异响")
    early = warranty.decide_claim(actor=shop.rec, claim_id=d.claim_id, outcome="disputed")
    assert not early.route_recorded  # the complaint is not replied yet (rules.md §4)
    with pytest.raises(StateError):
        warranty.decide_claim(actor=shop.rec, claim_id=d.claim_id, outcome="disputed")
    c = Complaint.get_by_id(d.complaint_id)
    c.state = "replied"  # as if walked there; the route is recorded after the reply
    c.save()
    later = warranty.decide_claim(actor=shop.rec, claim_id=d.claim_id, outcome="disputed",
                                  mediation_outcome="调解：双方各担一半")
    assert later.route_recorded
    assert Complaint.get_by_id(d.complaint_id).external_route == "mediation"
    assert warranty.get_claim(actor=shop.rec, claim_id=d.claim_id).mediation_outcome == (
        "调解：双方各担一半")


def test_claim_input_is_checked(shop):
    v = _vehicle(shop)
    repair = _repair(shop, v)
    for extra, field in [
        (dict(claim_km=51_000), "claim_km"),  # rollback
        (dict(claim_date=date(2025, 9, 19)), "claim_date"),  # before completion
        (dict(claim_date=date(2025, 9, 27)), "claim_date"),  # the future
        (dict(claim_km=None), "claim_km"),
        (dict(description=""), "description"),
        (dict(channel="fax"), "channel"),
    ]:
        params = dict(claim_date=NOW.date(), claim_km=53_000, description="异响") | extra
        with pytest.raises(ValidationError) as info:
            warranty.register_claim(actor=shop.rec, repair_id=repair.id, **params)
        assert info.value.field == field, extra
    with pytest.raises(PermissionDenied):
        warranty.register_claim(actor=shop.han, repair_id=repair.id, claim_date=NOW.date(),
                                claim_km=53_000, description="异响")
    with pytest.raises(NotFound):
        warranty.register_claim(actor=shop.rec, repair_id=999, claim_date=NOW.date(),
                                claim_km=53_000, description="异响")
    assert Complaint.select().count() == 0  # nothing half-written


def test_claims_are_as_confidential_as_their_complaint(shop):
    v = _vehicle(shop)
    repair = _repair(shop, v)
    claim = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                    claim_km=53_000, description="异响")
    assert warranty.vehicle_history(actor=shop.han, vehicle_id=v.id).claims == []
    assert len(warranty.vehicle_history(actor=shop.mgr, vehicle_id=v.id).claims) == 1
    with pytest.raises(PermissionDenied):
        warranty.get_claim(actor=shop.han, claim_id=claim.claim_id)
    with pytest.raises(PermissionDenied):
        warranty.record_memo(actor=shop.han, claim_id=claim.claim_id, findings="x",
                             shop_percent=100, customer_percent=0, cost_estimate="1",
                             delivery_promise="今日")
    workflow.act(claim.complaint_id, "acknowledge", actor=shop.rec)
    workflow.act(claim.complaint_id, "transfer", actor=shop.rec, to="han")
    assert len(warranty.vehicle_history(actor=shop.han, vehicle_id=v.id).claims) == 1
    warranty.record_memo(actor=shop.han, claim_id=claim.claim_id, findings="x",
                         shop_percent=100, customer_percent=0, cost_estimate="1",
                         delivery_promise="今日")


def test_memo_clock_is_late_after_the_second_working_day(shop):
    v = _vehicle(shop)
    claim = warranty.register_claim(actor=shop.rec, repair_id=_repair(shop, v).id,
                                    claim_date=NOW.date(), claim_km=53_000, description="异响")
    clock.freeze(datetime(2025, 9, 30, 9))
    warranty.record_memo(actor=shop.rec, claim_id=claim.claim_id, findings="x",
                         shop_percent=0, customer_percent=100, cost_estimate="0",
                         delivery_promise="今日")
    k = (Clock.select().join(DeadlineRule)
         .where(DeadlineRule.code == warranty.MEMO_RULE_CODE).get())
    assert k.status == "met" and k.late is True


def test_demo_warranty_data(shop):
    from services.demo.warranty import generate_warranty

    clock.freeze(datetime(2025, 9, 26, 18))
    seen = []
    summary = generate_warranty(seed=3, count=12, progress=seen.append)
    assert summary.vehicles == 12 and summary.repairs >= 12
    assert seen[-1] == 1.0
    assert warranty.count_vehicles(actor=shop.owner) == 12
    assert Complaint.select().count() == summary.claims


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch):
    def call(*argv: str, stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return call


CHECK = ("warranty", "check", "--vehicle-class", "car", "--repair-type", "level2-maintenance",
         "--completed", "2025-11-01", "--completed-km", "10000")


def test_cli_check_json(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTDESK_HOME", str(tmp_path))  # no database may appear
    status, out, err = run(*CHECK, "--claim-date", "2025-12-01", "--claim-km", "15000", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert {"in_warranty", "ended_by", "expires_on", "expires_at_km", "days_used",
            "km_used"} <= set(data)
    assert data["in_warranty"] is True and data["ended_by"] is None
    assert (data["expires_on"], data["expires_at_km"]) == ("2025-12-01", 15000)
    assert (data["days_used"], data["km_used"]) == (30, 5000)
    status, out, _err = run(*CHECK, "--claim-date", "2025-12-02", "--claim-km", "15001",
                            "--json")
    data = json.loads(out)
    assert status == 0 and data["in_warranty"] is False and data["ended_by"] == "days"
    status, out, _err = run(*CHECK, "--claim-date", "2025-11-05", "--claim-km", "15001",
                            "--json")
    assert json.loads(out)["ended_by"] == "distance"
    status, out, _err = run(*CHECK, "--claim-date", "2025-11-05", "--claim-km", "12000",
                            "--lang", "en")
    assert status == 0 and out.startswith("In warranty")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra", [
    ("--claim-date", "2025-11-05", "--claim-km", "9999"),  # rollback
    ("--claim-date", "2025-10-31", "--claim-km", "12000"),  # before completion
    ("--claim-date", "2025-11-05"),  # missing odometer
    ("--claim-date", "2025-11-05", "--claim-km", "-3"),
    ("--claim-date", "5 Nov", "--claim-km", "12000"),
])
def test_cli_check_bad_input_exit_2_one_line(run, extra):
    status, out, err = run(*CHECK, *extra)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err


def test_cli_check_unknown_repair_type(run):
    # A motorcycle's parts repair has its row now (rules.md §6): 800 km / 10 days.
    status, out, _err = run("warranty", "check", "--vehicle-class", "motorcycle",
                            "--repair-type", "parts-repair", "--completed", "2025-11-01",
                            "--completed-km", "0", "--claim-date", "2025-11-02",
                            "--claim-km", "10")
    assert status == 0 and "800" in out
    status, _out, err = run(*CHECK[:4], "--repair-type", "oil-change", *CHECK[6:],
                            "--claim-date", "2025-11-02", "--claim-km", "10")
    assert status == 2 and len(err.strip().splitlines()) == 1


def test_cli_vehicle_repair_claim_memo(run, tmp_path, monkeypatch):
    db = str(tmp_path / "shop.sqlite3")
    status, _out, err = run("init", "--db", db, "--profile", "repair-shop", "--firm", "修理厂",
                            "--owner", "boss", "--password-stdin", stdin="secret1\n")
    assert status == 0, err
    monkeypatch.setenv(cli.ENV_USER, "boss")
    monkeypatch.setenv(cli.ENV_PASSWORD, "secret1")
    today = clock.now()
    day = (today - timedelta(days=3)).date().isoformat()
    status, out, err = run("warranty", "vehicle-add", "--db", db, "--plate", "京A12345",
                           "--vehicle-class", "car", "--owner", "张三", "--vin",
                           "1M8GDM9AXKP042788", "--json")
    assert status == 0, err
    status, _out, err = run("warranty", "vehicle-add", "--db", db, "--plate", "京I12345",
                            "--vehicle-class", "car", "--owner", "李四")
    assert status == 2 and "京I12345" in err
    status, out, err = run(
        "warranty", "repair", "--db", db, "--plate", "京a12345", "--type", "minor-repair",
        "--work", "更换制动片", "--labour", "200", "--completed", day, "--completed-km", "30000",
        "--certificate-no", "C-1", "--self-inspector", "甲", "--self-inspected",
        f"{day}T09:00", "--team-inspector", "乙", "--team-inspected", f"{day}T10:00",
        "--final-inspector", "丙", "--final-inspected", f"{day}T11:00", "--json")
    assert status == 0, err
    assert json.loads(out)["term_km"] == 2000
    status, out, err = run("warranty", "claim", "--db", db, "--certificate", "C-1",
                           "--claim-date", today.date().isoformat(), "--claim-km", "30500",
                           "--description", "刹车异响", "--json")
    assert status == 0, err
    claim = json.loads(out)
    assert claim["verdict"]["in_warranty"] is True and claim["memo_status"] == "running"
    status, out, err = run("warranty", "memo", "--db", db, claim["ticket"], "--findings",
                           "安装不当", "--shop-percent", "60", "--customer-percent", "30",
                           "--estimate", "100", "--promise", "今日交车")
    assert status == 2 and len(err.strip().splitlines()) == 1
    status, out, err = run("warranty", "memo", "--db", db, claim["ticket"], "--findings",
                           "安装不当", "--shop-percent", "60", "--customer-percent", "40",
                           "--estimate", "100", "--promise", "今日交车", "--json")
    assert status == 0, err
    assert json.loads(out)["shop_share"] == "60.00"
    status, out, err = run("warranty", "history", "--db", db, "京A12345", "--json")
    assert status == 0, err
    history = json.loads(out)
    assert history["claims"][0]["memo"]["customer_share"] == "40.00"
    status, out, err = run("warranty", "decide", "--db", db, claim["ticket"], "--outcome",
                           "quote", "--amount", "88", "--json")
    assert status == 0 and json.loads(out)["outcome"] == "quote", err
    status, out, err = run("warranty", "terms", "--db", db, "--json")
    assert status == 0 and len(json.loads(out)) == 21


def test_cli_set_term_changes_the_table_from_its_day(shop, run, monkeypatch):
    monkeypatch.setenv(cli.ENV_USER, "owner")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    db = ("--db", shop.location, "--lang", "en")
    row = ("--vehicle-class", "car", "--repair-type", "level2-maintenance")
    preset = warranty.terms_on("car", "level2-maintenance", date(2025, 10, 1))
    assert (preset.km, preset.days) == PRESET_TERMS[("car", "level2-maintenance")]
    status, out, err = run("warranty", "set-term", *db, *row, "--km", "6000", "--days", "45",
                           "--from", "2025-10-01", "--json")
    assert status == 0, err
    assert json.loads(out) == {"vehicle_class": "car", "repair_type": "level2-maintenance",
                               "km": 6000, "days": 45, "effective_from": "2025-10-01"}
    changed = warranty.terms_on("car", "level2-maintenance", date(2025, 10, 1))
    assert (changed.km, changed.days, changed.effective_from) == (6000, 45, date(2025, 10, 1))
    assert warranty.terms_on("car", "level2-maintenance", date(2025, 9, 30)) == preset
    other = warranty.terms_on("car", "level1-maintenance", date(2025, 10, 1))
    assert (other.km, other.days) == PRESET_TERMS[("car", "level1-maintenance")]
    assert records.term_history()[0].set_by == shop.owner.name

    status, out, err = run("warranty", "set-term", *db, *row, "--km", "7000", "--days", "50",
                           "--from", "2025-11-01")
    assert status == 0, err
    assert out.strip() == ("From Nov 1, 2025: Level-2 maintenance on a Car or dangerous-goods "
                           "vehicle, 7,000 km / 50 days.")
    latest = warranty.terms_on("car", "level2-maintenance", date(2025, 11, 1))
    assert (latest.km, latest.days) == (7000, 50)

    monkeypatch.setenv(cli.ENV_USER, "rec")  # a receiver records repairs, not the terms
    status, out, err = run("warranty", "set-term", *db, *row, "--km", "1", "--days", "1",
                           "--from", "2025-12-01")
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert len(records.term_history()) == len(PRESET_TERMS) + 2


def test_cli_vehicles_finds_by_plate_vin_or_owner(shop, run, monkeypatch):
    monkeypatch.setenv(cli.ENV_USER, "rec")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    db = ("--db", shop.location, "--lang", "en")
    _vehicle(shop)  # 浙A12345, 张三
    warranty.save_vehicle(actor=shop.rec, plate="浙B54321", vehicle_class="car",
                          owner_name="李四", owner_phone="13900139000", make_model="五菱宏光")
    status, out, err = run("warranty", "vehicles", *db, "--json")
    assert status == 0, err
    assert sorted(v["plate"] for v in json.loads(out)) == ["浙A12345", "浙B54321"]
    status, out, err = run("warranty", "vehicles", *db, "--search", "李四", "--json")
    assert status == 0, err
    found = json.loads(out)
    assert [(v["plate"], v["owner"], v["make_model"]) for v in found] == [
        ("浙B54321", "李四", "五菱宏光")]
    status, out, err = run("warranty", "vehicles", *db, "--search", "1M8GDM9AXKP042788",
                           "--json")
    assert [v["plate"] for v in json.loads(out)] == ["浙A12345"]
    status, out, err = run("warranty", "vehicles", *db, "--limit", "1")
    assert status == 0, err
    lines = out.strip().splitlines()
    assert lines[-1] == "1 of 2"
    assert sum(plate in out for plate in ("浙A12345", "浙B54321")) == 1
    status, out, err = run("warranty", "vehicles", *db, "--search", "王五")
    assert status == 0 and out.strip().splitlines()[-1] == "0 of 0"


# --- the repair desk: one complaint per matter (docs/rules.md, Merging duplicates) ------------


def _zh_has(err, words: str) -> bool:
    """The Chinese sentence of ``err`` holds ``words`` (a new sentence reads in English until
    the lead merges this change's catalog entries)."""
    from services.i18n import _

    with language("zh_CN"):
        return _(err.msgid) == err.msgid or words in err.message()


def test_registering_again_on_a_repair_offers_its_open_complaint(shop):
    repair = _repair(shop, _vehicle(shop))
    first = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                    claim_km=53_000, description="刹车异响")
    assert warranty.open_complaint_of_repair(actor=shop.rec, repair_id=repair.id).ticket == \
        first.ticket
    with pytest.raises(StateError) as info:
        warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                claim_km=53_000, description="刹车又响")
    assert info.value.params["complaint_id"] == first.complaint_id
    assert info.value.params["rule"] == "repair_has_complaint"
    with language("en"):
        assert first.ticket in info.value.message() and "HZ-0001" in info.value.message()
    assert _zh_has(info.value, first.ticket)
    assert Complaint.select().count() == 1
    second = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                     claim_km=53_100, description="另一件事：漏油", another=True)
    assert second.ticket != first.ticket


def test_an_existing_complaint_is_linked_instead_of_registered_again(shop):
    from services.complaints import merge
    from tests.helpers import register

    v = _vehicle(shop)
    repair = _repair(shop, v)
    earlier = register(shop.rec, category="repair_quality", description="保养后刹车异响")
    other = register(shop.rec, category="repair_quality", complainant_phone="13900000000",
                     description="别的客户")
    found = warranty.link_candidates(actor=shop.rec, repair_id=repair.id)
    assert [c.ticket for c in found] == [earlier.ticket]  # the owner's phone
    assert [c.ticket for c in warranty.link_candidates(
        actor=shop.rec, repair_id=repair.id, text="0000")] == [other.ticket]
    linked = warranty.link_complaint(actor=shop.rec, repair_id=repair.id,
                                     complaint=earlier.ticket, claim_km=53_000)
    assert linked.complaint_id == earlier.complaint_id and linked.verdict.in_warranty
    assert linked.changes.warranty and linked.changes.touches_complaint(earlier.complaint_id)
    history = warranty.vehicle_history(actor=shop.rec, vehicle_id=v.id)
    assert [c.ticket for c in history.claims] == [earlier.ticket]
    last = Event.select().where(Event.complaint == earlier.complaint_id).order_by(
        Event.id.desc()).get()
    assert last.action == "note" and "HZ-0001" in last.note
    memo = (Clock.select().join(DeadlineRule)
            .where((Clock.complaint == earlier.complaint_id)
                   & (DeadlineRule.code == records.MEMO_RULE_CODE)).get())
    assert memo.status == "running"
    assert warranty.link_candidates(actor=shop.rec, repair_id=repair.id) == []
    # linked once: a second link and a second registration are both refused
    with pytest.raises(StateError) as info:
        warranty.link_complaint(actor=shop.rec, repair_id=repair.id,
                                complaint=earlier.complaint_id, claim_km=53_000)
    with language("en"):
        assert "already the claim on certificate HZ-0001" in info.value.message()
    assert _zh_has(info.value, "HZ-0001")
    with pytest.raises(StateError):
        warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                claim_km=53_000, description="刹车异响")
    # a merged duplicate's number links its original
    dup = register(shop.rec, category="repair_quality", description="重复登记")
    again = register(shop.rec, category="repair_quality", description="原件")
    merge(dup.ticket, again.ticket, actor=shop.owner)
    second = _repair(shop, v, number="HZ-0002", day=date(2025, 9, 22), km=52_500)
    by_old = warranty.link_complaint(actor=shop.rec, repair_id=second.id,
                                     complaint=dup.ticket, claim_km=53_000)
    assert by_old.complaint_id == again.complaint_id


def test_linking_is_refused_for_the_wrong_complaint_or_person(shop):
    from tests.helpers import register

    repair = _repair(shop, _vehicle(shop))
    case = register(shop.rec, category="repair_quality")
    with pytest.raises(PermissionDenied):
        warranty.link_complaint(actor=shop.han, repair_id=repair.id, complaint=case.ticket,
                                claim_km=53_000)
    with pytest.raises(ValidationError) as info:
        warranty.link_complaint(actor=shop.rec, repair_id=repair.id, complaint="999999999",
                                claim_km=53_000)
    assert info.value.field == "complaint"
    with pytest.raises(ValidationError) as info:
        warranty.link_complaint(actor=shop.rec, repair_id=repair.id, complaint=case.ticket,
                                claim_km=10)  # odometer before the repair's
    workflow.act(case.complaint_id, "withdraw", actor=shop.rec, note="客户撤回")
    with pytest.raises(StateError) as info:
        warranty.link_complaint(actor=shop.rec, repair_id=repair.id, complaint=case.ticket,
                                claim_km=53_000)
    with language("en"):
        assert "Link only an open complaint" in info.value.message()
    assert _zh_has(info.value, case.ticket)
    assert not warranty.link_candidates(actor=shop.rec, repair_id=repair.id)


def test_a_claim_registered_twice_is_merged_and_the_claim_moves(shop):
    from services.complaints import merge, resolve_number
    from tests.helpers import register

    v = _vehicle(shop)
    repair = _repair(shop, v)
    at_the_desk = register(shop.rec, category="repair_quality", description="刹车异响")
    from_repair = warranty.register_claim(actor=shop.rec, repair_id=repair.id,
                                          claim_date=NOW.date(), claim_km=53_000,
                                          description="刹车异响")
    result = merge(from_repair.ticket, at_the_desk.ticket, actor=shop.owner, reason="重复")
    assert result.claim_moved and result.changes.warranty
    claim = warranty.claim_of_complaint(actor=shop.rec, complaint_id=at_the_desk.complaint_id)
    assert claim is not None and claim.repair_id == repair.id
    assert resolve_number(from_repair.ticket) == at_the_desk.ticket
    history = warranty.vehicle_history(actor=shop.rec, vehicle_id=v.id)
    assert [c.ticket for c in history.claims] == [at_the_desk.ticket]


def test_cli_link_complaint_and_merge(shop, run, monkeypatch):
    from tests.helpers import register

    monkeypatch.setenv(cli.ENV_USER, "owner")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    db = ("--db", shop.location, "--lang", "en")
    _repair(shop, _vehicle(shop))
    at_desk = register(shop.rec, category="repair_quality", description="刹车异响")
    again = register(shop.rec, category="repair_quality", description="刹车异响，再次登记")
    status, out, err = run("complaints", "merge", *db, again.ticket, "--into", at_desk.ticket,
                           "--reason", "同一件事", "--json")
    assert status == 0, err
    assert json.loads(out)["original"] == at_desk.ticket
    status, out, err = run("complaints", "merge", *db, again.ticket, "--into", at_desk.ticket)
    assert status != 0 and len(err.strip().splitlines()) == 1
    status, out, err = run("warranty", "link-complaint", *db, again.ticket,  # the old number
                           "--certificate", "HZ-0001", "--claim-km", "53000")
    assert status == 0, err
    assert f"Complaint {at_desk.ticket} is now the claim on certificate HZ-0001." in out
    status, out, err = run("warranty", "claim", *db, "--certificate", "HZ-0001",
                           "--claim-date", NOW.date().isoformat(), "--claim-km", "53000",
                           "--description", "刹车异响")
    assert status != 0 and at_desk.ticket in err
    status, out, err = run("warranty", "claim", *db, "--certificate", "HZ-0001",
                           "--claim-date", NOW.date().isoformat(), "--claim-km", "53000",
                           "--description", "另一件事", "--another", "--json")
    assert status == 0, err
