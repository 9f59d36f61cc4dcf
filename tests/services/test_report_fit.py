"""Reports that fit the firm (docs/rules.md §8.8–§8.9): no repair rows outside a repair shop,
names not codes, figures right-aligned, the bank's half-year report in the regulator's layout
(customers only, forwarded complaints, provisional banner, signatures) and the yearly
register's content, totals and sign-off."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pypdfium2 as pdfium
import pytest

from models.entities import Category, Complaint
from services import clock, documents, reports
from services.i18n import _, language
from tests.pdf_checks import flat, pdf_text

LANGS = ["zh_CN", "en"]


@pytest.fixture(scope="module", params=["law-firm", "bank"])
def demo(request, tmp_path_factory):
    from services.demo.sample import generate
    from services.firm import close_database, open_database
    from services.people import users

    path = tmp_path_factory.mktemp("fit") / f"{request.param}.sqlite3"
    open_database(str(path))
    generate(profile=request.param, complaints=400, seed=5)
    now = clock.now()
    clock.freeze(now)
    yield request.param, users.get_user("owner"), now
    clock.freeze(None)
    close_database()


def _last_month(now: datetime) -> str:
    first = now.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


@pytest.mark.parametrize("lang", LANGS)
def test_summary_leaves_out_repair_rows_and_prints_names(demo, lang):
    _profile, owner, now = demo
    month = _last_month(now)
    pdf = documents.render_monthly_summary(month, actor=owner, lang=lang)
    text = flat(pdf_text(pdf))
    summary = reports.monthly_summary(actor=owner, month=month)
    assert not summary.warranty_available
    with language(lang):
        for msgid in ("Warranty claims", "Claims in warranty", "Warranty outcomes",
                      "Mediation by the road transport authority"):
            assert flat(_(msgid)) not in text, msgid
        counted = [r for r in summary.by_category if r.count]
        assert counted
        for r in counted:
            assert flat(r.name) in text
    codes = [c for (c,) in Category.select(Category.code).tuples() if "_" in c]
    assert codes
    for code in codes:  # codes such as service_quality never print (a plain word may be a name)
        assert code not in text


def _number_right_edges(pdf: bytes) -> list[float]:
    """Right edges (points) of the text runs on page 1 that are a figure alone."""
    page = pdfium.PdfDocument(io.BytesIO(pdf))[0]
    tp = page.get_textpage()
    edges = []
    for i in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(i)
        if bottom < page.get_height() * 0.15:
            continue  # the footer: its page number ("第1页 共2页") is not a figure of a table
        run = tp.get_text_bounded(left, bottom, right, top).strip()
        if re.fullmatch(r"[+-]?¥?\d[\d,]*(\.\d+)?", run):
            edges.append(round(right, 0))
    return edges


@pytest.mark.parametrize("lang", LANGS)
def test_figures_are_right_aligned(demo, lang):
    _profile, owner, now = demo
    pdf = documents.render_monthly_summary(_last_month(now), actor=owner, lang=lang)
    edges = [x for x in _number_right_edges(pdf) if x > 300]  # the table's, not the intro's
    assert len(edges) >= 20  # the headline table's figures
    columns = sorted(set(edges))
    # three figure columns (this month, previous month, change): every figure ends on one of
    # three right edges, within the glyphs' side bearings
    groups = []
    for x in columns:
        if not groups or x - groups[-1][0] > 3:
            groups.append([x])
        else:
            groups[-1].append(x)
    assert len(groups) == 3, columns


@pytest.mark.parametrize("lang", LANGS)
def test_bank_half_year_report_follows_the_regulators_layout(demo, lang):
    profile, owner, now = demo
    if profile != "bank":
        pytest.skip("the half-year report is the bank's (docs/rules.md §8.9)")
    year, half = now.year, 1 if now.month <= 6 else 2
    start = datetime(year, 6 * half - 5, 1)
    end = datetime(year + half - 1, 1 if half == 2 else 7, 1)
    h = reports.half_year_totals(year, half, actor=owner)
    in_half = (Complaint.received_at >= start) & (Complaint.received_at < end)
    customers = Complaint.select().where(in_half & (Complaint.kind == "customer")).count()
    employees = Complaint.select().where(in_half & (Complaint.kind == "employee")).count()
    assert employees > 0 and h.received == customers  # employees' complaints left out
    assert sum(b.count for b in h.by_line) == customers == sum(b.count for b in h.by_cause)
    forwarded = [t for (t,) in Complaint.select(Complaint.ticket).where(
        in_half & (Complaint.channel == "authority") & (Complaint.kind == "customer")).tuples()]
    assert forwarded and [f.ticket for f in h.forwarded] == forwarded
    assert not h.ended  # the half running now
    pdf = documents.render_half_year_report(year, half, actor=owner, lang=lang)
    text = flat(pdf_text(pdf))
    with language(lang):
        assert flat(_("Provisional report — the period has not ended")) in text
        for msgid in ("Person in charge", "Prepared by", "Signature:",
                      "4. Complaints forwarded by an authority and their results",
                      "6. Corrective measures", "5. Hot spots"):
            assert flat(_(msgid)) in text, msgid
    closed = [f.ticket for f in h.forwarded if f.closed_at is not None]
    for ticket in closed[-3:]:  # the latest closed are listed one by one, with their results
        assert ticket in text
    assert sum(f.received for f in h.forwarded_by) == len(forwarded)
    assert sum(f.dissatisfied for f in h.forwarded_by) == Complaint.select().where(
        in_half & (Complaint.channel == "authority") & (Complaint.kind == "customer")
        & (Complaint.satisfaction == "dissatisfied")).count()
    # the half before has ended: no banner
    before = (year, 1) if half == 2 else (year - 1, 2)
    old = documents.render_half_year_report(*before, actor=owner, lang=lang)
    with language(lang):
        assert flat(_("Provisional report — the period has not ended")) not in flat(
            pdf_text(old))


@pytest.mark.parametrize("lang", LANGS)
def test_yearly_register_has_content_totals_and_sign_off(demo, lang):
    _profile, owner, now = demo
    year = now.year
    t = reports.register_totals(year, actor=owner, now=now)
    in_year = ((Complaint.received_at >= datetime(year, 1, 1))
               & (Complaint.received_at < datetime(year + 1, 1, 1)))
    assert t.count == Complaint.select().where(in_year).count() > 0
    assert dict(t.by_state) == {s: Complaint.select().where(in_year & (Complaint.state == s))
                                .count() for s, _n in t.by_state}
    assert sum(n for _c, n in t.by_category) == t.count
    sat = Complaint.select().where(in_year & (Complaint.satisfaction == "satisfied")).count()
    assert t.satisfied == sat
    lines = reports.yearly_register(year, actor=owner).lines
    assert len(lines) == t.count
    assert any(x.summary for x in lines) and any(x.result for x in lines)
    pdf = documents.render_yearly_register(year, actor=owner, lang=lang)
    text = flat(pdf_text(pdf))
    with language(lang):
        for msgid in ("Content", "Result of handling", "Satisfaction", "Totals", "Person in charge",
                      "Prepared by", "Satisfaction rate (%)", "On-time rate (%)"):
            assert flat(_(msgid)) in text, msgid
        assert flat(_("Satisfied")) in text
    assert lines[0].ticket in text and lines[-1].ticket in text


def test_warranty_claims_count_in_the_month_of_their_claim_date(firm_factory):
    """A claim made on 29 September but typed in on 2 October counts in September."""
    from services import warranty
    from tests.services.test_warranty import _input

    shop = firm_factory("repair-shop")
    clock.freeze(datetime(2025, 10, 2, 10, 0))
    try:
        vehicle = warranty.save_vehicle(actor=shop.rec, plate="浙A12345", vehicle_class="car",
                                        owner_name="张三", owner_phone="13800138000",
                                        vin="1M8GDM9AXKP042788").vehicle
        repair = warranty.record_repair(actor=shop.rec, vehicle_id=vehicle.id,
                                        data=_input(day=datetime(2025, 9, 20).date()))
        warranty.register_claim(actor=shop.rec, repair_id=repair.id,
                                claim_date=datetime(2025, 9, 29).date(), claim_km=52_300,
                                description="发动机异响")
        september = reports.monthly_summary(actor=shop.owner, month="2025-09")
        october = reports.monthly_summary(actor=shop.owner, month="2025-10")
    finally:
        clock.freeze(None)
    assert september.warranty_available
    assert september.warranty_claims.current == 1
    assert (october.warranty_claims.current, october.warranty_claims.previous) == (0, 1)
    assert sum(r.count for r in september.warranty_outcomes) == 1


def test_yearly_register_reports_progress_and_can_be_cancelled(demo):
    from services.errors import Cancelled

    _profile, owner, now = demo
    seen: list[float] = []
    documents.render_yearly_register(now.year, actor=owner, lang="en", progress=seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        documents.render_yearly_register(now.year, actor=owner, lang="en",
                                         cancelled=lambda: True)
    # the lines come in keyset chunks, the same as one read
    chunks = list(reports.register_chunks(now.year, actor=owner, size=7))
    assert all(len(c) == 7 for c in chunks[:-1]) and 0 < len(chunks[-1]) <= 7
    assert [x.ticket for c in chunks for x in c] == [
        x.ticket for x in reports.yearly_register(now.year, actor=owner).lines]
