"""Printed documents 5–7 (docs/rules.md §8): the quality memo, the warranty claim form, the
repair warranty card (with the §6 terms), the penalty notice and a month's ledger; content in
both languages, the embedded Chinese font, the ledger's header on every page, permissions.
On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from services import clock, penalties, warranty
from services.complaints import register as complaints
from services.documents import (
    BUILDERS,
    KINDS,
    WARRANTY_KINDS,
    produce,
    render,
    render_month_ledger,
    render_penalty_notice,
    render_warranty_card,
)
from services.errors import PermissionDenied, ValidationError
from services.i18n import format_date, format_money, format_written, language
from services.warranty import RepairInput
from tests.helpers import head_misses_the_hour
from tests.pdf_checks import assert_fonts_embedded as _fonts_embedded
from tests.pdf_checks import assert_has as _has
from tests.pdf_checks import flat as _flat
from tests.pdf_checks import needs_pdftoppm
from tests.pdf_checks import pdf_text as _text
from tests.pdf_checks import write_sample_png as _png

NOW = datetime(2025, 9, 26, 10, 0)
START = datetime(2026, 10, 12, 9, 0)  # a Monday
MONTH = "2026-10"
LANGS = ["zh_CN", "en"]


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh_CN" else en


# --- the warranty documents ----------------------------------------------------------------------


def _input(day, km, number, **extra) -> RepairInput:
    base = datetime.combine(day, datetime.min.time())
    values = dict(repair_type="minor-repair", work_done="更换前制动片", parts_used="制动片一套",
                  labour_amount="300", material_amount="120.50", completed_on=day,
                  completed_km=km, certificate_no=number, self_inspector="李军",
                  self_inspected_at=base + timedelta(hours=9), team_inspector="孙海涛",
                  team_inspected_at=base + timedelta(hours=10), final_inspector="黄凯",
                  final_inspected_at=base + timedelta(hours=11))
    values.update(extra)
    return RepairInput(**values)


@pytest.fixture
def shop(firm_factory):
    """A repair shop with a vehicle, a finished minor repair (2,000 km / 10 days) of 20 Sep
    2025 at 52,000 km, a claim on 26 Sep at 54,500 km (out of warranty by distance), its
    memo, and a free rework granted anyway by the manager."""
    f = firm_factory("repair-shop")
    clock.freeze(NOW)
    v = warranty.save_vehicle(actor=f.rec, plate="浙A12345", vehicle_class="car",
                              owner_name="张三", owner_phone="13800138000",
                              vin="1M8GDM9AXKP042788", make_model="大众朗逸").vehicle
    repair = warranty.record_repair(actor=f.rec, vehicle_id=v.id,
                                    data=_input(date(2025, 9, 20), 52_000, "HZ-0001"))
    claim = warranty.register_claim(actor=f.rec, repair_id=repair.id, claim_date=NOW.date(),
                                    claim_km=54_500, description="刹车异响",
                                    request="免费返修")
    f.vehicle, f.repair, f.claim = v, repair, claim
    return f


def _memo(shop):
    clock.freeze(NOW + timedelta(days=1))
    return warranty.record_memo(actor=shop.rec, claim_id=shop.claim.claim_id,
                                findings="制动片未装到位，卡钳螺栓松动", shop_percent=70,
                                customer_percent=30, cost_estimate="333.33",
                                delivery_promise="明日17点前交车")


def _rework(shop):
    clock.freeze(NOW + timedelta(days=2, hours=8))
    return warranty.decide_claim(
        actor=shop.mgr, claim_id=shop.claim.claim_id, outcome="rework",
        override_reason="老客户，予以免费返修",
        rework=_input(date(2025, 9, 28), 54_550, "HZ-0002", work_done="返修：重装制动片",
                      labour_amount="0", material_amount="0"))


def test_the_registry_keeps_the_complaint_kinds_and_adds_the_warranty_ones():
    assert KINDS == ("receipt", "transfer_slip", "reply", "extension_notice")
    assert WARRANTY_KINDS == ("memo", "warranty_claim", "warranty_card")
    assert tuple(BUILDERS) == KINDS + WARRANTY_KINDS


@pytest.mark.parametrize("lang", LANGS)
def test_quality_memo(shop, lang):
    with pytest.raises(ValidationError):  # no memo yet
        render("memo", shop.claim.ticket, actor=shop.rec, lang=lang)
    _memo(shop)
    pdf = render("memo", shop.claim.ticket, actor=shop.rec, lang=lang)
    _has(pdf, _zh(lang, "产品质量投诉处理备忘单", "Quality complaint memo"), shop.claim.ticket,
         "测试公司", "浙A12345", "HZ-0001", "张三", "制动片未装到位，卡钳螺栓松动",
         "70%", "30%", "100%", format_money(Decimal("333.33"), lang),
         format_money(Decimal("233.33"), lang), format_money(Decimal("100.00"), lang),
         "明日17点前交车", _zh(lang, "本店", "The shop"), _zh(lang, "客户", "The customer"),
         _zh(lang, "交车承诺", "Delivery promise"))
    text = _text(pdf)
    assert text.count(_zh(lang, "签字：", "Signature:")) == 2  # the shop and the customer
    _fonts_embedded(pdf)


def test_memo_is_refused_for_a_complaint_without_a_claim(shop):
    other = complaints.register(complaints.ComplaintInput(
        kind="customer", channel="phone", complainant_name="李四", description="态度不好",
        category="service_quality", received_at=clock.now()), actor=shop.rec)
    for kind in WARRANTY_KINDS:
        with pytest.raises(ValidationError):
            render(kind, other.ticket, actor=shop.rec, lang="en")


@pytest.mark.parametrize("lang", LANGS)
def test_warranty_claim_form(shop, lang):
    _memo(shop)
    pdf = render("warranty_claim", shop.claim.ticket, actor=shop.rec, lang=lang)
    zh = lang == "zh_CN"
    _has(pdf, _zh(lang, "返修登记表", "Warranty claim form"), shop.claim.ticket, "浙A12345",
         "1M8GDM9AXKP042788", "大众朗逸", "HZ-0001", _zh(lang, "小修", "Minor repair"),
         format_date(date(2025, 9, 20), lang), format_date(date(2025, 9, 26), lang),
         "52,000" + _zh(lang, "公里", " km"), "54,500" + _zh(lang, "公里", " km"),
         "刹车异响", "免费返修",
         _zh(lang, "已超出质量保证期", "Out of warranty"),
         _zh(lang, "行驶里程", "the distance limit"),
         format_date(date(2025, 9, 30), lang), "54,000" + _zh(lang, "公里", " km"),
         "2,000" + _zh(lang, "公里", " km"), "10" + _zh(lang, "天", " days"),
         _zh(lang, "以先达到者为准", "whichever comes first"),
         _zh(lang, "尚未决定", "Not decided yet"))
    assert ("签字" if zh else "Signature") in _text(pdf)
    _rework(shop)
    decided = render("warranty_claim", shop.claim.ticket, actor=shop.rec, lang=lang)
    _has(decided, _zh(lang, "免费返修", "Free rework"), "HZ-0002", "老客户，予以免费返修",
         "王经理")
    _fonts_embedded(decided)


@pytest.mark.parametrize("lang", LANGS)
def test_warranty_card_of_the_rework_prints_the_terms(shop, lang):
    with pytest.raises(ValidationError):  # not decided with a rework: no card
        render("warranty_card", shop.claim.ticket, actor=shop.rec, lang=lang)
    _memo(shop)
    result = _rework(shop)
    pdf = render("warranty_card", shop.claim.ticket, actor=shop.rec, lang=lang)
    km = _zh(lang, "公里", " km")
    _has(pdf, _zh(lang, "维修质量保证卡", "Repair warranty card"), shop.claim.ticket,
         "浙A12345", "1M8GDM9AXKP042788", "HZ-0002", "HZ-0001", "返修：重装制动片",
         _zh(lang, "小修", "Minor repair"), format_date(date(2025, 9, 28), lang),
         "54,550" + km, "李军", "孙海涛", "黄凯",
         format_written(datetime(2025, 9, 28, 11), lang),
         "2,000" + km, "10" + _zh(lang, "天", " days"),
         _zh(lang, "以先达到者为准", "whichever comes first"),
         _zh(lang, "竣工次日", "the day after completion"),
         format_date(date(2025, 9, 29), lang),  # the first day counted
         format_date(date(2025, 10, 8), lang), "56,550" + km,  # the expiry
         _zh(lang, "三级检验", "Three-level inspection"))
    _fonts_embedded(pdf)
    # The same card for the repair, by itself: headed by its certificate no.
    alone = render_warranty_card(result.rework_repair_id, actor=shop.han, lang=lang)
    _has(alone, _zh(lang, "合格证号", "Certificate no."), "HZ-0002", "2,000" + km,
         format_date(date(2025, 10, 8), lang))
    assert shop.claim.ticket not in _text(alone)


def test_warranty_card_of_any_repair_uses_its_own_terms(shop):
    clock.freeze(NOW)
    warranty.set_term(actor=shop.mgr, vehicle_class="car", repair_type="level2-maintenance",
                      km=6000, days=45, effective_from=date(2025, 9, 1))
    r = warranty.record_repair(actor=shop.rec, vehicle_id=shop.vehicle.id,
                               data=_input(date(2025, 9, 25), 54_600, "HZ-L2",
                                           repair_type="level2-maintenance"))
    pdf = render_warranty_card(r.id, actor=shop.rec, lang="en")
    _has(pdf, "6,000 km or 45 days, whichever comes first", "Level-2 maintenance",
         format_date(date(2025, 11, 9), "en"), "60,600 km", "the shop's table in force since")
    _has(render_warranty_card(shop.repair.id, actor=shop.rec, lang="zh_CN"),
         "2,000公里或10天，以先达到者为准", "机动车维修管理规定")


def test_warranty_documents_are_produced_and_recorded(shop, tmp_path):
    _memo(shop)
    made = produce("memo", shop.claim.ticket, actor=shop.rec, language="zh_CN",
                   out_path=tmp_path / "memo.pdf")
    events = [e for e in complaints.detail(shop.claim.ticket, actor=shop.mgr).events
              if e.action == "document"]
    assert [e.data["kind"] for e in events] == ["memo"]
    assert "70%" in _text((tmp_path / "memo.pdf").read_bytes())
    assert made.path.name.startswith("memo-zh_CN-")


# --- the penalty documents -----------------------------------------------------------------------


def _missed_hour(firm):
    """The department head missed the hour from START and the customer complained again: the
    complaint, and the fine proposed."""
    r = head_misses_the_hour(firm, START, complained_again=True)
    return r, next(e for e in penalties.ledger(firm.owner)
                   if e.rule_code == "head_no_answer_1h")


@pytest.mark.parametrize("lang", LANGS)
def test_penalty_notice(firm, lang):
    r, entry = _missed_hour(firm)
    clock.freeze(START + timedelta(hours=3))
    penalties.approve(actor=firm.owner, entry_ids=[entry.id], note="情况属实")
    pdf = render_penalty_notice(entry.id, actor=firm.owner, lang=lang)
    with language(lang):
        detail = penalties.entry_detail(firm.owner, entry.id)
    _has(pdf, _zh(lang, "奖惩通知单", "Penalty notice"), r.ticket, "李主管", "客服部",
         detail.row.rule_name, detail.clock.rule_name, format_money(Decimal("30.00"), lang),
         format_written(START + timedelta(hours=1), lang),  # the clock's due time
         _zh(lang, "已审批", "Approved"), "刘总", "情况属实",
         format_written(START + timedelta(hours=3), lang))
    assert _text(pdf).count(_zh(lang, "签字：", "Signature:")) == 2
    _fonts_embedded(pdf)


def test_penalty_notice_permissions(firm):
    _r, entry = _missed_hour(firm)
    with pytest.raises(PermissionDenied):  # docs/rules.md §2: not about them
        render_penalty_notice(entry.id, actor=firm.han, lang="zh_CN")
    assert "李主管" in _text(render_penalty_notice(entry.id, actor=firm.head, lang="zh_CN"))
    # An entry without a complaint is headed by its entry number.
    clock.freeze(START)
    made = penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                             amount="88.80", reason="未按规定登记投诉")
    pdf = render_penalty_notice(made.entry_ids[0], actor=firm.mgr, lang="en")
    _has(pdf, f"Entry no. {made.entry_ids[0]}", "张处理", "CN¥88.80", "Proposed",
         "Not approved", "未按规定登记投诉")


def _many_entries(firm, n: int = 48) -> list[int]:
    clock.freeze(START)
    people = ("rec", "han", "han2", "hr1")
    made = []
    for i in range(n):
        result = penalties.propose(actor=firm.owner, rule_code="staff_misconduct",
                                   person=people[i % len(people)],
                                   amount=str(Decimal("30.00") + Decimal(i) + Decimal("0.25")),
                                   reason=f"第{i + 1}次违反接待规范")
        made += result.entry_ids
    clock.freeze(START + timedelta(days=1))
    penalties.approve(actor=firm.owner, entry_ids=made)
    return made


@pytest.mark.parametrize("lang", LANGS)
def test_month_ledger_totals_and_header_on_every_page(firm, lang):
    made = _many_entries(firm)
    pdf = render_month_ledger(MONTH, actor=firm.mgr, lang=lang)
    totals = penalties.month_totals(firm.mgr, MONTH)
    assert totals.entries == len(made)
    needles = [_zh(lang, "奖惩台账（月度）", "Penalty ledger (monthly)"), MONTH,
               format_money(totals.total, lang)]
    for p in totals.per_person:
        needles += [p.name, format_money(p.total, lang)]
    for d in totals.per_department:
        needles += [d.department, format_money(d.total, lang)]
    _has(pdf, *needles, "客服部", "销售部")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    header = [_zh(lang, "人员或单位", "Person or unit"), _zh(lang, "规则", "Rule"),
              _zh(lang, "金额", "Amount")]
    for n, text in enumerate(pages[:2], start=1):
        flat = _flat(text)
        assert all(_flat(h) in flat for h in header), (n, text[:500])
        assert _zh(lang, f"第{n}页 共{len(pages)}页", f"Page {n} of {len(pages)}") in text
        assert MONTH in text
    assert _flat("第48次违反接待规范") not in _flat(_text(pdf))  # reasons stay off the table
    _fonts_embedded(pdf)


def test_month_ledger_of_someone_else_shows_their_own_entries(firm):
    _many_entries(firm, n=8)
    pdf = render_month_ledger(MONTH, actor=firm.rec, lang="en")
    text = _text(pdf)
    assert "陈前台" in text and "张处理" not in text and "Only the entries about" in text
    own = penalties.month_totals(firm.rec, MONTH)
    assert own.entries == 2 and format_money(own.total, "en") in text
    with pytest.raises(ValidationError):
        render_month_ledger("2026-13", actor=firm.mgr, lang="en")


# --- the translations and the samples ------------------------------------------------------------


@needs_pdftoppm
def test_samples_for_the_docs(shop, tmp_path, request):
    """docs/samples/document-<kind>-<lang>.png: page 1 of each document (made on SQLite)."""
    if "postgres" in request.node.name:
        pytest.skip("the samples are made once, on SQLite")
    _memo(shop)
    repair_id = _rework(shop).rework_repair_id
    for lang in LANGS:
        tag = lang.replace("_", "-")
        for kind in WARRANTY_KINDS:
            _png(render(kind, shop.claim.ticket, actor=shop.rec, lang=lang),
                 f"document-{kind.replace('_', '-')}-{tag}", tmp_path)
        _png(render_warranty_card(repair_id, actor=shop.rec, lang=lang),
             f"document-repair-warranty-card-{tag}", tmp_path)


@needs_pdftoppm
def test_penalty_samples_for_the_docs(firm, tmp_path, request):
    if "postgres" in request.node.name:
        pytest.skip("the samples are made once, on SQLite")
    _r, entry = _missed_hour(firm)
    clock.freeze(START + timedelta(hours=3))
    penalties.approve(actor=firm.owner, entry_ids=[entry.id], note="情况属实")
    _many_entries(firm)
    for lang in LANGS:
        tag = lang.replace("_", "-")
        _png(render_penalty_notice(entry.id, actor=firm.mgr, lang=lang),
             f"document-penalty-notice-{tag}", tmp_path)
        _png(render_month_ledger(MONTH, actor=firm.mgr, lang=lang),
             f"document-month-ledger-{tag}", tmp_path)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch):
    import sys

    from ui import cli

    def call(*argv: str):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_cli_document_kinds(shop, run, tmp_path, monkeypatch, request):
    if "postgres" in request.node.name:
        pytest.skip("the command line opens the database by itself: SQLite is enough")
    from ui import cli

    _memo(shop)
    entry = penalties.propose(actor=shop.owner, rule_code="staff_misconduct", person="rec",
                              amount="66.60", reason="接待时态度生硬").entry_ids[0]
    ticket = shop.claim.ticket
    monkeypatch.setenv(cli.ENV_USER, "mgr")
    monkeypatch.setenv(cli.ENV_PASSWORD, "secret1")
    db = ("--db", shop.location)
    for kind, title in (("memo", "Quality complaint memo"),
                        ("warranty-claim", "Warranty claim form")):
        out = tmp_path / f"{kind}.pdf"
        status, _out, err = run("document", kind, "--ticket", ticket, "--out", str(out), *db,
                                "--doc-lang", "en", "--json")
        assert status == 0, err
        assert title in _text(out.read_bytes())
    status, _out, err = run("document", "warranty-card", "--ticket", ticket, "--out",
                            str(tmp_path / "card.pdf"), *db)
    assert status == 2 and len(err.strip().splitlines()) == 1  # no rework: no card
    status, _out, err = run("document", "memo", "--out", str(tmp_path / "x.pdf"), *db)
    assert status == 2 and "--ticket" in err
    status, _out, err = run("document", "penalty-notice", "--out", str(tmp_path / "x.pdf"), *db)
    assert status == 2 and "--entry" in err
    out = tmp_path / "notice.pdf"
    status, printed, err = run("document", "penalty-notice", "--entry", str(entry), "--out",
                               str(out), *db, "--doc-lang", "en", "--json")
    assert status == 0, err
    assert json.loads(printed)["entry"] == entry
    _has(out.read_bytes(), "Penalty notice", "陈前台", "CN¥66.60", "接待时态度生硬")
    # the form `document penalty-notice --ticket N`: the one entry of that complaint
    linked = penalties.propose(actor=shop.owner, rule_code="staff_misconduct", person="rec",
                               amount="31.00", reason="答复不及时", complaint=ticket).entry_ids[0]
    out = tmp_path / "by-ticket.pdf"
    status, printed, err = run("document", "penalty-notice", "--ticket", ticket, "--out",
                               str(out), *db, "--doc-lang", "en", "--json")
    assert status == 0, err
    assert json.loads(printed)["entry"] == linked
    _has(out.read_bytes(), "CN¥31.00", "答复不及时")
    out = tmp_path / "ledger.pdf"
    status, _out, err = run("document", "penalty-ledger", "--month", "2025-09", "--out",
                            str(out), *db)
    assert status == 0, err
    assert "奖惩台账（月度）" in _text(out.read_bytes())
    monkeypatch.setenv(cli.ENV_USER, "han")  # not about them
    status, _out, err = run("document", "penalty-notice", "--entry", str(entry), "--out",
                            str(tmp_path / "no.pdf"), *db)
    assert status == 2 and not (tmp_path / "no.pdf").exists()
