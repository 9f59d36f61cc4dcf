"""The firm's letter template (docs/rules.md §8): dated by the event whatever the day of
printing, real PDF metadata, the logo from Settings › Firm, file names in the document's
language, and nothing internal in any outgoing letter."""
from __future__ import annotations

import io
import logging
import shutil
import subprocess
import time
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from services import clock, settings
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.documents import base as page_base
from services.documents import file_name, render
from services.i18n import _, format_written, language
from tests.helpers import walk_to
from tests.pdf_checks import needs_pdftoppm
from tests.pdf_checks import write_sample_png as _png

LANGS = ("zh_CN", "en")
LETTERS = ("receipt", "reply", "extension_notice")
FINDINGS = "车间赵师傅（装配）未按工艺拧紧螺栓；对赵师傅予以内部通报批评，纳入月度考核"
SECRETS = ("赵师傅", "通报批评", "月度考核", "情绪较激动", "内部备注", "承办人请假")


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def lettered(firm):
    """A complaint acknowledged, extended and replied to on three different days, with
    internal findings, responsibility, measures, remarks and a category planted on it."""
    days = [datetime(2026, 9, 25, 11, 22), datetime(2026, 9, 28, 9, 5),
            datetime(2026, 10, 9, 15, 40)]
    clock.freeze(days[0])
    r = walk_to(firm, "acknowledged", category="service_quality")
    workflow.act(r.complaint_id, "note", actor=firm.rec, note="内部备注：投诉人情绪较激动")
    c = complaints.find(r.ticket, actor=firm.mgr)
    for step, kwargs in _steps_to_reply(firm):
        if step == "extend":
            clock.freeze(days[1])
        if step == "reply":
            clock.freeze(days[2])
        workflow.act(c.id, step, **kwargs)
    clock.freeze(days[2] + timedelta(days=20))  # printed weeks later
    yield firm, r, days
    clock.freeze(None)


def _steps_to_reply(f):
    return [("transfer", dict(actor=f.rec, to="han")),
            ("start_investigation", dict(actor=f.han)),
            ("record_findings", dict(actor=f.han, findings=FINDINGS,
                                     responsibility="车间 赵师傅（装配）")),
            ("decide", dict(actor=f.han, decision="免费更换同型号新品", reasons="外壳来料缺陷",
                            remedy="return", responsibility="车间 赵师傅（装配）")),
            ("approve", dict(actor=f.mgr)),
            ("extend", dict(actor=f.mgr, limit="30 minutes", note="承办人请假，内部协调中",
                            told="需等待厂家出具检测报告。")),
            ("reply", dict(actor=f.rec, text="经核实确属来料问题，为您免费更换。"))]


def test_each_letter_is_dated_by_its_event_in_both_languages(lettered):
    f, r, days = lettered
    detail = complaints.detail(r.ticket, actor=f.mgr)
    events = {e.action: e.at for e in detail.events}
    expected = {"receipt": events.get("acknowledge", detail.complaint.received_at),
                "extension_notice": events["extend"], "reply": events["reply"]}
    assert expected["reply"].date() == days[2].date()
    for kind in LETTERS:
        for lang in LANGS:
            text = _text(render(kind, r.ticket, actor=f.rec, lang=lang))
            assert _flat(format_written(expected[kind].date(), lang)) in text, (kind, lang)
            printed = (days[2] + timedelta(days=20)).date()
            assert _flat(format_written(printed, lang)) not in text, (kind, lang)


def test_no_letter_prints_anything_internal(lettered):
    f, r, _days = lettered
    for kind in LETTERS:
        for lang in LANGS:
            text = _text(render(kind, r.ticket, actor=f.rec, lang=lang))
            leaked = [s for s in SECRETS if s in text]
            assert leaked == [], (kind, lang, leaked)
            with language(lang):
                assert _flat(_("Category")) not in text and "服务质量" not in text


def test_pdf_metadata_has_the_real_date_title_author_and_subject(firm):
    r = walk_to(firm, "acknowledged")
    clock.freeze(datetime(2000, 1, 1, 8, 0))  # the program's clock does not stamp the file
    try:
        before = time.time()
        for lang, title in (("zh_CN", "受理回执"), ("en", "Acknowledgement receipt")):
            meta = PdfReader(io.BytesIO(render("receipt", r.ticket, actor=firm.rec,
                                               lang=lang))).metadata
            assert before - 2 <= meta.creation_date.timestamp() <= time.time() + 2
            assert meta.title == title and meta.author == settings.firm_info().name
            assert r.ticket in meta.subject and title in meta.subject
    finally:
        clock.freeze(None)


def test_the_qr_code_says_the_ticket_number(firm, monkeypatch):
    r = walk_to(firm, "acknowledged")
    made = []
    real = page_base.qr_drawing
    monkeypatch.setattr(page_base, "qr_drawing",
                        lambda value, size: made.append(real(value, size)) or made[-1])
    render("receipt", r.ticket, actor=firm.rec, lang="en")
    assert [w.value for w in made] == [r.ticket]
    assert made[0].barWidth == made[0].barHeight > 30  # a small square, about 14 mm


def test_file_names_are_in_the_documents_language():
    assert file_name("reply", "261203002", "zh_CN") == "261203002-书面答复.pdf"
    assert file_name("reply", "261203002", "en") == "261203002-reply.pdf"
    assert file_name("receipt", "261203002", "zh_CN") == "261203002-受理回执.pdf"
    assert file_name("warranty_card", "HZ2026/05", "en") == "HZ2026-05-warranty-card.pdf"
    assert file_name("month_ledger", "2026-11", "zh_CN") == "2026-11-奖惩台账.pdf"
    assert file_name("monthly_summary", "2026-11", "en") == "2026-11-monthly-summary.pdf"
    assert file_name("penalty_notice", 16, "en") == "16-penalty-notice.pdf"


def _logo_png(path):
    from PIL import Image

    Image.new("RGB", (120, 60), (192, 0, 0)).save(path)


def _images(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image")
    return count


def test_the_logo_set_in_settings_heads_the_letters(firm, tmp_path, caplog):
    r = walk_to(firm, "acknowledged")
    assert _images(render("receipt", r.ticket, actor=firm.rec, lang="zh_CN")) == 0
    logo = tmp_path / "logo.png"
    _logo_png(logo)
    settings.set_firm_logo(actor=firm.owner, path=str(logo))
    assert settings.firm_logo() == str(logo)
    assert _images(render("receipt", r.ticket, actor=firm.rec, lang="zh_CN")) >= 1
    logo.unlink()  # gone from this PC: printed without it, and said so in the log
    with caplog.at_level(logging.WARNING):
        pdf = render("receipt", r.ticket, actor=firm.rec, lang="en")
    assert _images(pdf) == 0 and "logo" in caplog.text


def test_firm_page_picks_the_logo(qtbot, sqlite_firm, session_for, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from ui.settings.firm_page import FirmPage

    logo = tmp_path / "logo.png"
    _logo_png(logo)
    page = FirmPage(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(page)
    assert page.logo.text() == ""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(logo), "")))
    page.logo_button.click()
    assert page.logo.text() == str(logo) and page.has_unsaved_changes()
    page.save()
    assert settings.firm_logo() == str(logo) and not page.has_unsaved_changes()
    page.logo.setText("")
    page.save()
    assert settings.firm_logo() == ""


@needs_pdftoppm
def test_letter_samples_for_the_docs(tmp_path):
    """docs/samples/document-<kind>-<lang>.png: page 1 of each complaint letter and form,
    from the repair-shop demo (COMPLAINTDESK_WRITE_SAMPLES=1 writes them there)."""
    from models.entities import Complaint, User
    from services import demo
    from services.documents import KINDS
    from services.errors import DomainError
    from services.firm import close_database, open_database

    open_database(str(tmp_path / "demo.sqlite3"))
    try:
        demo.generate_all(profile="repair-shop", complaints=120)
        owner = User.get(User.login == "owner")
        richest = sorted(Complaint.select(), reverse=True,
                         key=lambda c: len(c.description) + len(c.request) + len(c.decision))
        for kind in KINDS:
            for c in richest:
                try:
                    pdfs = {lang: render(kind, c.ticket, actor=owner, lang=lang)
                            for lang in LANGS}
                except DomainError:
                    continue
                for lang, pdf in pdfs.items():
                    _png(pdf, f"document-{kind.replace('_', '-')}-{lang.replace('_', '-')}",
                         tmp_path)
                break
            else:
                pytest.fail(f"no demo complaint has a {kind}")
    finally:
        close_database()


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbarimg (zbar-tools) or pdftoppm is not installed")
def test_the_printed_qr_code_decodes_to_the_ticket(firm, tmp_path):
    r = walk_to(firm, "acknowledged")
    for lang in LANGS:
        source = tmp_path / f"receipt-{lang}.pdf"
        source.write_bytes(render("receipt", r.ticket, actor=firm.rec, lang=lang))
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(tmp_path / lang)], check=True)
        read = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / f"{lang}.png")],
                              capture_output=True, text=True)
        assert read.stdout.split() == [r.ticket]


def test_letters_use_a_serif_face_when_the_pc_has_one(monkeypatch, tmp_path):
    from services.documents import fonts

    fake = tmp_path / "Fonts"
    fake.mkdir()
    (fake / "simfang.ttf").write_bytes(b"not a font")  # damaged: skipped, with a log line
    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert fonts.letter_candidates()[0] == fake / "simfang.ttf"
    monkeypatch.setattr(fonts, "_letter", None)
    monkeypatch.setattr(fonts, "_letter_path", None)
    # the shipped font stands in for an installed serif face
    monkeypatch.setattr(fonts, "letter_candidates",
                        lambda: [fake / "simfang.ttf", fonts.SHIPPED])
    assert fonts.letter_font() == fonts.LETTER_FONT_NAME
    assert fonts.letter_font_path() == fonts.SHIPPED
    monkeypatch.setattr(fonts, "_letter", None)
    monkeypatch.setattr(fonts, "letter_candidates", lambda: [fake / "simfang.ttf"])
    assert fonts.letter_font() == fonts.cjk_font()  # none usable: the embedded font


def test_warm_up_registers_the_fonts_once_from_any_thread(monkeypatch):
    import threading

    from reportlab.pdfbase import pdfmetrics

    from services.documents import fonts

    fonts.warm_up()
    registered = []
    monkeypatch.setattr(pdfmetrics, "registerFont", registered.append)
    threads = [threading.Thread(target=fonts.warm_up) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert registered == [] and fonts.letter_font() in (fonts.cjk_font(),
                                                        fonts.LETTER_FONT_NAME)
