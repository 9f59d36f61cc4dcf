"""Printed documents (docs/rules.md §8 items 1–4): content in both languages, the embedded
Chinese font, page breaks, the timeline record and the stored copy, and recusal."""
from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from models.entities import Event
from services import settings
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.documents import KINDS, fonts, produce, render, reprint, stored_path
from services.errors import PermissionDenied, StateError, ValidationError
from services.i18n import _, format_written, language
from tests.helpers import walk_to

TITLES = {"receipt": ("受理回执", "Acknowledgement receipt"),
          "transfer_slip": ("客户投诉转交处理联系单", "Customer complaint transfer slip"),
          "reply": ("书面答复", "Written reply"),
          "extension_notice": ("延期告知书", "Extension notice")}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(pdf: bytes) -> str:
    """The text without line breaks or spaces, so wrapped Chinese still matches."""
    return "".join(_text(pdf).split())


def _has(pdf: bytes, *needles: str) -> None:
    text = _flat(pdf)
    missing = [n for n in needles if "".join(n.split()) not in text]
    assert missing == [], f"missing {missing} in {_text(pdf)[:2000]}"


def _due(ticket: str, actor, lang: str) -> str:
    with language(lang):
        d = complaints.detail(ticket, actor=actor)
        running = [k for k in d.clocks if k.status == "running"]
        return format_written(running[0].due_at, lang)


def _extended(firm):
    r = walk_to(firm, "approved")
    workflow.act(r.complaint_id, "extend", actor=firm.mgr, limit="30 minutes",
                 note="厂家拖延，内部催办", told="需要等待厂家出具检测报告")
    return r


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_receipt(firm, lang):
    r = walk_to(firm, "acknowledged", contract_no="HT-2026-001")
    c = complaints.find(r.ticket, actor=firm.rec)
    pdf = render("receipt", r.ticket, actor=firm.rec, lang=lang)
    zh = lang == "zh_CN"
    _has(pdf, TITLES["receipt"][0 if zh else 1], r.ticket, "测试公司", "张三", "HT-2026-001",
         "收到的产品外壳开裂", format_written(c.received_at, lang), _due(r.ticket, firm.rec, lang),
         "陈前台", "联系人" if zh else "Contact person", "截止时间" if zh else "Due by")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_transfer_slip_names_both_sides_and_both_sign(firm, lang):
    before = walk_to(firm, "acknowledged")
    with pytest.raises(ValidationError):  # no transfer, no slip
        render("transfer_slip", before.ticket, actor=firm.rec, lang=lang)
    r = walk_to(firm, "assigned", location="门店前台")
    pdf = render("transfer_slip", r.ticket, actor=firm.rec, lang=lang)
    zh = lang == "zh_CN"
    _has(pdf, TITLES["transfer_slip"][0 if zh else 1], r.ticket, "陈前台", "张处理", "门店前台",
         "收到的产品外壳开裂", "换货")
    text = _text(pdf)
    assert text.count("签字" if zh else "Signature") == 2
    assert text.count("日期" if zh else "Date:") >= 3  # the header's date and both sides'


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_reply_states_decision_and_reasons(firm, lang):
    r = walk_to(firm, "approved")
    pdf = render("reply", r.ticket, actor=firm.rec, lang=lang)
    zh = lang == "zh_CN"
    _has(pdf, TITLES["reply"][0 if zh else 1], r.ticket, "免费更换", "外壳来料缺陷",
         "退货" if zh else "Return", "理由" if zh else "Reasons")
    _has(pdf, "12315")  # a company's routes (docs/rules.md §8.3)
    assert ("道路运输管理机构" if zh else "road transport") not in _text(pdf)  # a repair shop's


def test_reply_is_refused_before_a_decision_and_before_approval(firm):
    settings.update_firm(actor=firm.owner, approval_required=True)
    r = walk_to(firm, "investigating")
    with pytest.raises(ValidationError):
        produce("reply", r.ticket, actor=firm.rec, language="en")
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision="退款", reasons="确属质量问题",
                 remedy="refund", amount="120.50")
    with pytest.raises(StateError):  # docs/rules.md §4: no promise before the decision is approved
        produce("reply", r.ticket, actor=firm.rec, language="en")
    workflow.act(r.complaint_id, "approve", actor=firm.mgr)
    pdf = render("reply", r.ticket, actor=firm.rec, lang="zh_CN")
    _has(pdf, "退款", "确属质量问题", "¥120.50")
    assert [e.action for e in complaints.detail(r.ticket, actor=firm.mgr).events].count(
        "document") == 0


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_repair_shop_reply_tells_the_routes(firm_factory, lang):
    f = firm_factory("repair-shop")
    r = walk_to(f, "approved")
    pdf = render("reply", r.ticket, actor=f.rec, lang=lang)
    if lang == "zh_CN":
        _has(pdf, "书面答复", "免费更换", "外壳来料缺陷", "申请仲裁", "人民法院",
             "质量保证期", "道路运输管理机构调解")
    else:
        _has(pdf, "Written reply", "arbitration", "people's court", "quality warranty",
             "road transport authority to mediate")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_extension_notice(firm, lang):
    plain = walk_to(firm, "approved")
    with pytest.raises(ValidationError):
        render("extension_notice", plain.ticket, actor=firm.rec, lang=lang)
    r = _extended(firm)
    event = next(e for e in complaints.detail(r.ticket, actor=firm.mgr).events
                 if e.action == "extend")
    from datetime import datetime

    pdf = render("extension_notice", r.ticket, actor=firm.rec, lang=lang)
    zh = lang == "zh_CN"
    _has(pdf, TITLES["extension_notice"][0 if zh else 1], r.ticket, "需要等待厂家出具检测报告",
         "10分钟" if zh else "10 minutes", "30分钟" if zh else "30 minutes",
         format_written(datetime.fromisoformat(event.data["old_due"]), lang),
         format_written(datetime.fromisoformat(event.data["new_due"]), lang))
    assert "内部催办" not in _flat(pdf)  # the note stays inside (docs/rules.md §8.4)


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_font_is_embedded(firm, kind):
    r = _extended(firm)
    pdf = render(kind, r.ticket, actor=firm.rec, lang="zh_CN")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:  # every font embedded (a subset): readable on any viewer
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert TITLES[kind][0] in _text(pdf)


def test_long_reply_breaks_cleanly_over_three_pages(firm):
    r = walk_to(firm, "investigating")
    paragraph = "经查，该批次产品外壳所用原料在入厂检验时未按规定抽样，导致开裂隐患未被发现。"
    reasons = "\n".join(f"{i}. {paragraph * 2}" for i in range(1, 31)) + "\n理由陈述完毕。"
    decision = "\n".join(f"({i}) 为您免费更换同型号新品，并承担往返运费。" for i in range(1, 31))
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision=decision, reasons=reasons,
                 remedy="return")
    workflow.act(r.complaint_id, "approve", actor=firm.mgr)
    pdf = render("reply", r.ticket, actor=firm.rec, lang="zh_CN")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    if fonts.font_path() == fonts.SHIPPED and fonts.letter_font_path() is None:
        assert len(pages) == 4  # the length was measured with the shipped font
    for n, text in enumerate(pages, start=1):
        with language("zh_CN"):
            assert _("Page {n} of {total}").format(n=n, total=len(pages)) in text
        assert r.ticket in text  # the header is on every page
    flat = "".join(pages[-1].split())
    assert "理由陈述完毕。" in "".join("".join(pages).split())
    # the closing part, not lost: the last paragraph with the 落款 and its date
    with language("zh_CN"):
        seal = _("(seal)")
    assert f"并提供单号{r.ticket}" in flat and "".join(seal.split()) in flat


def test_long_description_continues_over_pages(firm):
    long = "顾客反映车辆维修后仍有异响，多次返厂未解决。" * 360  # 8000 characters, one field
    r = walk_to(firm, "assigned", description=long[:8000])
    for kind in ("receipt", "transfer_slip"):
        pdf = render(kind, r.ticket, actor=firm.rec, lang="zh_CN")
        assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3
        assert _flat(pdf).count("多次返厂未解决") >= 300


def test_produce_records_the_document_and_keeps_the_copy(firm, tmp_path):
    r = walk_to(firm, "acknowledged")
    out = tmp_path / "out" / "receipt.pdf"
    out.parent.mkdir()  # a missing folder is refused, nothing recorded (docs/design.md)
    made = produce("receipt", r.ticket, actor=firm.rec, language="zh_CN", out_path=out)
    event = Event.get_by_id(made.event_id)
    assert event.action == "document" and event.actor_id == firm.rec.id
    assert event.data == {"kind": "receipt", "language": "zh_CN", "sha256": made.sha256}
    assert made.path == stored_path(r.ticket, "receipt", "zh_CN", made.sha256)
    assert made.path.name == f"receipt-zh_CN-{made.sha256[:8]}.pdf"
    stored = made.path.read_bytes()
    assert hashlib.sha256(stored).hexdigest() == made.sha256
    assert out.read_bytes() == stored
    assert reprint(made.event_id, actor=firm.mgr) == stored
    assert complaints.find(r.ticket, actor=firm.rec).state == "acknowledged"  # no state change
    # English by request, whatever the program's language
    en = produce("receipt", r.ticket, actor=firm.rec, language="en")
    assert "Acknowledgement receipt" in _text(en.path.read_bytes())
    # the kept copy is in the database: another PC of a shared office reprints it too
    made.path.unlink()
    assert reprint(made.event_id, actor=firm.mgr) == stored
    from models.entities import AttachmentBlob

    AttachmentBlob.update(data=stored.replace(b"%%EOF", b"%%EOF\n%changed")).where(
        AttachmentBlob.sha256 == made.sha256).execute()
    with pytest.raises(ValidationError):  # a changed copy is never handed out as the original
        reprint(made.event_id, actor=firm.mgr)


def test_produce_uses_the_firms_document_language_by_default(firm):
    r = walk_to(firm, "acknowledged")
    made = produce("receipt", r.ticket, actor=firm.rec)
    assert made.language == "zh_CN" and "受理回执" in _text(made.path.read_bytes())
    with pytest.raises(ValidationError):
        produce("receipt", r.ticket, actor=firm.rec, language="fr")
    with pytest.raises(ValidationError):
        produce("no-such-document", r.ticket, actor=firm.rec)


def test_respondent_cannot_produce_or_reprint(firm):
    r = walk_to(firm, "approved", respondent_user="han2")
    folder = stored_path(r.ticket, "receipt", "zh_CN", "0" * 64).parent
    before = sorted(folder.iterdir()) if folder.exists() else []
    with pytest.raises(PermissionDenied):
        produce("receipt", r.ticket, actor=firm.han2, language="zh_CN")
    assert (sorted(folder.iterdir()) if folder.exists() else []) == before  # no copy kept
    with pytest.raises(PermissionDenied):
        render("reply", r.ticket, actor=firm.han2, lang="zh_CN")
    made = produce("reply", r.ticket, actor=firm.rec, language="zh_CN")
    with pytest.raises(PermissionDenied):
        reprint(made.event_id, actor=firm.han2)
    documents = [e for e in complaints.detail(r.ticket, actor=firm.mgr).events
                 if e.action == "document"]
    assert len(documents) == 1 and documents[0].actor == "陈前台"


def test_font_prefers_windows_fonts_and_registers_once(monkeypatch, tmp_path):
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert [p.name for p in fonts.candidates()] == ["msyh.ttc", "simsun.ttc",
                                                   "wqy-microhei.ttc"]
    assert fonts.candidates()[0].parent == tmp_path / "Fonts"
    assert fonts.SHIPPED.is_file() and (fonts.SHIPPED.parent / "README.md").is_file()
    name = fonts.cjk_font()
    assert pdfmetrics.getFont(name).fontName == name  # registered with ReportLab
    registered = []
    monkeypatch.setattr(pdfmetrics, "registerFont", registered.append)
    assert fonts.cjk_font() == name and fonts.font_path() is not None
    assert registered == []  # cached: no second registration
