"""Documents 8–9 of docs/rules.md §8: the monthly summary for owners, the yearly register and
the bank's half-year report — their figures are the Reports service's, in both languages; the
charts, the embedded Chinese font, the repeated header, who may print them, and the CLI."""
from __future__ import annotations

import io
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from services import clock, documents, penalties, reports
from services.complaints import register as complaints
from services.documents import fonts
from services.documents.common import fmt_change, fmt_figure
from services.documents.monthly_summary import charts
from services.errors import PermissionDenied, ValidationError
from services.i18n import _, language
from tests.helpers import register, walk_to
from tests.pdf_checks import assert_fonts_embedded as _fonts_embedded
from tests.pdf_checks import assert_has as _has
from tests.pdf_checks import flat as _flat
from tests.pdf_checks import needs_pdftoppm
from tests.pdf_checks import write_sample_png as _png

LANGS = ["zh_CN", "en"]
MONTH = "2026-10"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """One 300-complaint company database per module; each test gets a copy."""
    from services import demo
    from services.firm import close_database, open_database

    path = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    open_database(str(path))
    try:
        demo.generate(profile="company", complaints=300)
        now = clock.now()
    finally:
        close_database()
    return path, now


@pytest.fixture
def demo_db(demo_template, tmp_path):
    from services.firm import close_database, open_database
    from services.people import users

    template, now = demo_template
    path = tmp_path / "d.sqlite3"
    shutil.copy(template, path)
    open_database(str(path))
    clock.freeze(now)
    yield path, users.get_user("owner"), now
    clock.freeze(None)
    close_database()


def _previous_month(now: datetime) -> str:
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _expected(summary: reports.MonthlySummary) -> list[str]:
    """What the paper must show: the headline rows, and each rule's on-time line."""
    money = reports.MONEY_FIELDS
    out = [label + fmt_figure(x.current, money=k in money)
           + fmt_figure(x.previous, money=k in money) + fmt_change(x.change, money=k in money)
           for k, label, x in summary.headline()]
    out += [fmt_figure(r.due) + fmt_figure(r.rate) + fmt_figure(r.previous_rate)
            + fmt_change(r.change) for r in summary.on_time]
    return out


# --- 8. the monthly summary -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_monthly_summary_prints_the_reports_figures_on_demo_data(demo_db, lang):
    _path, owner, now = demo_db
    month = _previous_month(now)
    pdf = documents.render_monthly_summary(month, actor=owner, lang=lang)
    with language(lang):
        summary = reports.monthly_summary(actor=owner, month=month)
        assert summary.received.current > 0 and any(r.rate for r in summary.on_time)
        _has(pdf, *_expected(summary), "Month " + month if lang == "en" else "月份" + month,
             "月度投诉情况汇总" if lang == "zh_CN" else "Monthly complaint summary",
             *(r.name for r in summary.by_category if r.count),
             *(r.name for r in summary.by_channel if r.count))
    _fonts_embedded(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    total = len(PdfReader(io.BytesIO(pdf)).pages)  # page numbers "第1页 共N页" (letters)
    with language(lang):
        _has(pdf, *(_("Page {n} of {total}").format(n=n, total=total) for n in (1, 2)))


def _october(firm) -> None:
    """Two months of complaints and two approved fines in October 2026."""
    clock.freeze(datetime(2026, 9, 14, 9, 0))
    walk_to(firm, "visited")
    clock.freeze(datetime(2026, 10, 12, 9, 0))
    walk_to(firm, "visited", channel="walk_in")
    walk_to(firm, "approved", category="service_quality")
    register(firm.rec, category="suggestion")
    ids = [penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                             amount=amount, reason="态度").entry_ids[0]
           for amount in ("30", "50.5")]
    penalties.approve(actor=firm.owner, entry_ids=ids)
    clock.freeze(datetime(2026, 11, 5, 10, 0))


@pytest.mark.parametrize("lang", LANGS)
def test_monthly_summary_on_a_small_firm_shows_fines_and_changes(firm, lang):
    _october(firm)
    summary = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    assert summary.received.current == 3 and summary.fines_approved_total.current == 80.5
    pdf = documents.render_monthly_summary(MONTH, actor=firm.mgr, lang=lang)
    with language(lang):
        summary = reports.monthly_summary(actor=firm.mgr, month=MONTH)
        _has(pdf, *_expected(summary), "¥80.50", "+2")
        if lang == "zh_CN":
            _has(pdf, "本月受理", "批准罚款合计", "统计图", "各类别受理投诉数", "每日受理投诉",
                 "各时限按时完成率", "投诉类别")
        else:
            _has(pdf, "Received in the month", "Charts", "Complaints received by category",
                 "Complaints received per day", "On-time rate per time limit (%)")
    _fonts_embedded(pdf)


def test_monthly_summary_draws_its_three_charts(firm):
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, String

    _october(firm)
    summary = reports.monthly_summary(actor=firm.owner, month=MONTH)
    drawn = charts(summary, 400)
    assert [type(d) for d in drawn] == [Drawing] * 3
    by_category, daily, rates = drawn
    # horizontal bars, each with the month before beside it (docs/rules.md §8.8)
    assert by_category.bars == [(r.name, r.count, r.previous) for r in summary.by_category]
    assert rates.bars == [(r.name, r.rate, r.previous_rate) for r in summary.on_time]
    for chart in (by_category, rates):
        texts = [c.text for c in chart.contents if isinstance(c, String)]
        assert all(c.fontName == fonts.FONT_NAME for c in chart.contents
                   if isinstance(c, String))
        for (name, _v, _p), lines in zip(chart.bars, chart.label_lines, strict=True):
            assert "".join(lines).replace(" ", "") == name.replace(" ", "")  # whole, never cut
            assert all(line in texts for line in lines)
        assert any(_("Previous month") in t for t in texts)
    plot = [c for c in daily.contents if isinstance(c, LinePlot)][0]
    assert [y for _x, y in plot.data[0]] == [d.count for d in summary.daily_intake]
    pdf = documents.render_monthly_summary(MONTH, actor=firm.owner, lang="zh_CN")
    content = b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert content.count(b" re f") + content.count(b" re\nf") >= 3  # filled bars


def test_monthly_summary_needs_a_manager_or_the_owner(firm):
    with pytest.raises(PermissionDenied):
        documents.render_monthly_summary(MONTH, actor=firm.rec, lang="zh_CN")
    with pytest.raises(ValidationError):
        documents.render_monthly_summary("2026-13", actor=firm.owner, lang="zh_CN")


# --- 9. the yearly register and the half-year report ----------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_yearly_register_lists_every_ticket_and_repeats_its_header(demo_db, lang):
    _path, owner, now = demo_db
    year = now.year - 1  # a whole year of the demo's two
    f = complaints.ComplaintFilter(received_from=date(year, 1, 1),
                                   received_to=date(year, 12, 31))
    tickets = [r.ticket for r in complaints.rows(owner, complaints.ids(owner, f))]
    assert len(tickets) > 40
    pdf = documents.render_yearly_register(year, actor=owner, lang=lang)
    pages = [_flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    text = "".join(pages)
    assert [t for t in tickets if t not in text] == []
    assert sorted(t for t in tickets if t in text) == sorted(tickets)
    header = ("单号", "受理日期", "投诉人", "类别", "满意度", "处理人") if lang == "zh_CN" \
        else ("Ticket", "Received", "Complainant", "Category", "Satisfaction", "Handler")
    for page in pages[:2]:
        assert all(h in page for h in header), page[:300]
    _fonts_embedded(pdf)


def test_the_numbered_pages_are_held_small_and_written_the_same(demo_db, monkeypatch):
    """docs/design.md, Paper: the canvas that numbers "page n of N" keeps each waiting page
    compressed and compresses each numbered page's stream at once. The file is byte for byte
    the one the plain way writes (each page held as it was drawn, its stream compressed as
    the file is written), on the yearly register's many pages."""
    from reportlab.pdfgen.canvas import Canvas

    from services.documents import base

    def plain(font, template, draw_footer):
        class Held(Canvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    draw_footer(self, template.format(n=number, total=total))
                    super().showPage()
                super().save()
        return Held

    _path, owner, now = demo_db
    made = {}
    for way in ("held small", "plain"):
        if way == "plain":
            monkeypatch.setattr(base, "_numbered_canvas", plain)
        pdf = documents.render_yearly_register(now.year - 1, actor=owner, lang="zh_CN")
        # the moment it was made, and the file id drawn from it, are the only differences
        made[way] = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)"
                           rb"|/ID *\n?\[<[0-9a-f]+><[0-9a-f]+>\]", b"", pdf)
    assert len(PdfReader(io.BytesIO(made["plain"])).pages) >= 2
    assert made["held small"] == made["plain"]


def test_register_lines_are_written_in_one_text_object_across_font_subsets():
    """docs/design.md, Paper: the register's lines are written by the page's own text
    object, each text encoded once per document. 600 different characters need three font
    subsets of 256 glyphs; each text still reads back where it was placed, also when it is
    written again from the cache on the next page."""
    from reportlab.pdfgen.canvas import Canvas

    from services.documents.yearly_register import _text_writer

    write = _text_writer(fonts.cjk_font())
    words = ["".join(chr(0x4E00 + i) for i in range(start, start + 20))
             for start in range(0, 600, 20)]
    buf = io.BytesIO()
    canvas = Canvas(buf, pageCompression=0)
    for _page in range(2):
        write(canvas, [(f"40 {800 - 20 * i}", w) for i, w in enumerate(words)])
        canvas.showPage()
    canvas.save()
    pdf = buf.getvalue()
    assert pdf.count(b"+2 8 Tf") == 2  # the third subset, once on each page
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert page.extract_text().split("\n") == words


def test_yearly_register_is_for_owner_and_manager(firm):
    clock.freeze(datetime(2026, 10, 12, 9, 0))
    r = register(firm.rec)
    pdf = documents.render_yearly_register(2026, actor=firm.mgr, lang="en")
    _has(pdf, r.ticket, "Yearly complaint register", "Year 2026", "Complaints received in 2026: 1")
    with pytest.raises(PermissionDenied):
        documents.render_yearly_register(2026, actor=firm.han, lang="en")
    with pytest.raises(ValidationError):
        documents.render_yearly_register("20x6", actor=firm.owner, lang="en")


def test_half_year_report_refuses_a_company(firm):
    with pytest.raises(ValidationError) as info:
        documents.render_half_year_report(2026, 1, actor=firm.owner, lang="zh_CN")
    assert "bank" in info.value.msgid


@pytest.mark.parametrize("lang", LANGS)
def test_half_year_report_for_a_bank(firm_factory, lang):
    bank = firm_factory("bank")
    from services import settings

    assert settings.firm_info().profile == "bank"
    clock.freeze(datetime(2026, 3, 10, 9, 0))
    r = register(bank.owner, category=_first_category())
    clock.freeze(datetime(2026, 8, 1, 9, 0))
    pdf = documents.render_half_year_report(2026, 1, actor=bank.owner, lang=lang)
    with language(lang):  # the names in the document's language
        h = reports.half_year_totals(2026, 1, actor=bank.owner)
    assert h.received == 1 and h.months[0] == "2026-01" and h.due == date(2026, 7, 30)
    monthly = [reports.monthly_summary(actor=bank.owner, month=m) for m in h.months]
    assert h.received == sum(m.received.current for m in monthly)
    assert h.closed == sum(m.closed.current for m in monthly)
    with language(lang):
        _has(pdf, "2026-H1", "半年度投诉统计报告" if lang == "zh_CN"
             else "Half-year complaint statistics report",
             "半年内受理1" if lang == "zh_CN" else "Received in the six months1",
             *(name for _c, name, count in h.by_category if count))
    assert r.ticket.startswith("260310")
    with pytest.raises(ValidationError):
        documents.render_half_year_report(2026, 3, actor=bank.owner, lang=lang)
    second = reports.half_year_totals(2026, 2, actor=bank.owner)
    assert second.due == date(2027, 1, 30) and second.received == 0


def _first_category() -> str:
    from models.entities import Category

    return Category.select().where(Category.active).order_by(Category.sort).first().code


# --- the command line and the samples -------------------------------------------------------------


def test_cli_report_monthly_writes_a_pdf_and_refuses_a_receiver(demo_template, tmp_path,
                                                                 monkeypatch, capsys):
    from services.demo.content import PASSWORD
    from ui import cli

    template, now = demo_template
    db = tmp_path / "d.sqlite3"
    shutil.copy(template, db)
    month = _previous_month(now)
    out = tmp_path / "out" / "summary.pdf"
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    status = cli.main(["--db", str(db), "--user", "owner", "report", "monthly", month,
                       "--out", str(out), "--lang", "en"])
    assert status == 0, capsys.readouterr()
    assert out.read_bytes().startswith(b"%PDF")
    _has(out.read_bytes(), "Monthly complaint summary", "Month " + month)
    receiver = _a_login_with_role(db, "receiver")
    status = cli.main(["--db", str(db), "--user", receiver, "report", "monthly", month,
                       "--out", str(tmp_path / "no.pdf")])
    assert status == 2 and not (tmp_path / "no.pdf").exists()
    status = cli.main(["--db", str(db), "--user", "owner", "--json", "report", "register",
                       str(now.year), "--out", str(tmp_path / "reg.pdf")])
    assert status == 0 and (tmp_path / "reg.pdf").read_bytes().startswith(b"%PDF")
    status = cli.main(["--db", str(db), "--user", "owner", "report", "half-year",
                       str(now.year), "1", "--out", str(tmp_path / "h.pdf")])
    assert status == 2  # a company firm has no half-year report


def _a_login_with_role(db: Path, role: str) -> str:
    from services.firm import close_database, open_database
    from services.people import has_role

    open_database(str(db))
    try:
        from models.entities import User

        return next(u.login for u in User.select().order_by(User.id)
                    if has_role(u, role) and not has_role(u, "manager", "owner"))
    finally:
        close_database()


@needs_pdftoppm
def test_samples(demo_db, firm_factory, tmp_path):
    _path, owner, now = demo_db
    month = _previous_month(now)
    for lang, suffix in (("zh_CN", "zh-CN"), ("en", "en")):
        _png(documents.render_monthly_summary(month, actor=owner, lang=lang),
             f"document-monthly-summary-{suffix}", tmp_path)
        _png(documents.render_yearly_register(now.year - 1, actor=owner, lang=lang),
             f"document-yearly-register-{suffix}", tmp_path)
    bank = firm_factory("bank")  # closes the demo database and opens the bank's
    from services import demo

    # a half-year of a bank branch's complaints: lines, causes, forwarded ones, measures
    demo.generate(profile="bank", complaints=400, seed=3, today=datetime(2026, 7, 31, 18, 0))
    clock.freeze(datetime(2026, 8, 1, 9, 0))
    for lang, suffix in (("zh_CN", "zh-CN"), ("en", "en")):
        _png(documents.render_half_year_report(2026, 1, actor=bank.owner, lang=lang),
             f"document-half-year-report-{suffix}", tmp_path)
