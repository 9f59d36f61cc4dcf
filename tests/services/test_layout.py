"""Layout of every printed document (docs/rules.md §8): Chinese line breaking (GB/T 15834),
no page of signatures or a heading alone, table headers that fit, forms on one page.

Every document kind is rendered in both languages for the four demo profiles, from the
richest complaint (or entry, repair, month) of a demo database per profile; the laid-out
flowables are recorded as ReportLab places them (afterFlowable) and checked line by line.
"""
from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

from models.entities import Complaint, User
from models.penalties import PenaltyEntry
from models.warranty import FinishedRepair, WarrantyClaim
from services import demo, documents, settings
from services.documents import base
from services.errors import DomainError
from services.firm import close_database, open_database
from services.i18n import _, language

PROFILES = ("repair-shop", "law-firm", "company", "bank")
LANGS = ("zh_CN", "en")
FORMS = ("warranty_claim", "penalty_notice", "memo", "transfer_slip", "receipt",
         "extension_notice")
CANNOT_START = "，。、；：？！）》」』】〕〉”’…—·％"
CANNOT_START_HALF = ",.;:?!)%"  # only where they follow Chinese
CANNOT_END = "（《「『【〔〈“‘"
A4_W, A5 = 595.3, (419.5, 595.3)


def _wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


@dataclass
class Laid:
    kind: str
    lang: str
    pages: int
    pagesize: tuple
    # per page: the flowables placed on it, unwrapped
    placed: dict = field(default_factory=dict)
    pdf: bytes = b""
    qr: list = field(default_factory=list)  # the values of the QR codes made for it
    firm: tuple = ()  # the firm's name, address and phone
    started: float = 0.0  # when the fixture began rendering (time.time())


def _leaves(f):
    inner = getattr(f, "_content", None)
    if inner:
        for g in inner:
            yield from _leaves(g)
    else:
        yield f


def _lines(p: Paragraph) -> list[str]:
    bl = getattr(p, "blPara", None)
    if bl is None:
        return []
    out = []
    for line in bl.lines:
        if bl.kind == 0:
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") or "" for w in line.words))
    return out


def _paragraphs(f):
    if isinstance(f, Paragraph):
        yield f
    elif isinstance(f, Table):
        for row in f._cellvalues:
            for cell in row:
                for c in cell if isinstance(cell, (list, tuple)) else [cell]:
                    if isinstance(c, Paragraph):
                        yield c


def _is_signature(f) -> bool:
    if isinstance(f, Paragraph) and f.style.name in ("closing", "valediction"):
        return True  # a letter's 落款 (base.closing)
    if not isinstance(f, Table):
        return False
    return any(_lines(p) and _lines(p)[0].startswith(_("Signature:"))
               for p in _paragraphs(f))


def _is_heading(f) -> bool:
    return isinstance(f, Paragraph) and f.style.name == "heading"


def _richest(query, key, n=6):
    return sorted(query, key=key, reverse=True)[:n]


@pytest.fixture(scope="module", params=PROFILES)
def laid_out(request, tmp_path_factory):
    """Every document of one profile's demo database, in both languages, as laid out."""
    profile = request.param
    open_database(str(tmp_path_factory.mktemp("layout") / f"{profile}.sqlite3"))
    demo.generate_all(profile=profile, complaints=200)
    owner = User.get(User.login == "owner")
    records: list = []
    current: dict = {}

    def after(self, flowable):
        current.setdefault(self.page, []).extend(_leaves(flowable))
        current["size"] = self.pagesize

    mp = pytest.MonkeyPatch()
    mp.setattr(BaseDocTemplate, "afterFlowable", after)
    made_qr: list = []
    real_qr = base.qr_drawing

    def qr(value, size):
        made_qr.append(value)
        return real_qr(value, size)

    mp.setattr(base, "qr_drawing", qr)
    started = time.time()
    info = settings.firm_info()

    def run(kind, make):
        for lang in LANGS:
            current.clear()
            made_qr.clear()
            try:
                with language(lang):
                    pdf = make(lang)
            except DomainError:
                return False
            size = current.pop("size")
            records.append(Laid(kind, lang, len(PdfReader(io.BytesIO(pdf)).pages), size,
                                dict(current), pdf, list(made_qr),
                                (info.name, info.address, info.phone), started))
        return True

    def rich(c):
        return len(c.description) + len(c.request) + len(c.decision)

    # the richest first; a kind none of them can have (an extension notice: the demo's
    # extensions fall on other days as the date moves) is looked for among the rest
    complaints = _richest(Complaint.select(), rich, Complaint.select().count())
    try:
        for kind in documents.KINDS:
            for c in complaints:
                if run(kind, lambda lang, c=c, k=kind: documents.render(
                        k, c.ticket, actor=owner, lang=lang)):
                    break
        claims = _richest(WarrantyClaim.select(), lambda w: len(w.description)
                          + len(w.request) + len(w.override_reason) + len(w.mediation_outcome),
                          len(WarrantyClaim.select()))
        for kind in documents.WARRANTY_KINDS:
            for w in claims:
                if run(kind, lambda lang, t=w.complaint.ticket, k=kind: documents.render(
                        k, t, actor=owner, lang=lang)):
                    break
        for r in _richest(FinishedRepair.select(), lambda r: len(r.work_done)
                          + len(r.parts_used), 1):
            run("warranty_card", lambda lang, r=r: documents.render_warranty_card(
                r.id, actor=owner, lang=lang))
        for e in _richest(PenaltyEntry.select(), lambda e: len(e.reason), 1):
            run("penalty_notice", lambda lang, e=e: documents.render_penalty_notice(
                e.id, actor=owner, lang=lang))
        months = sorted({c.received_at.strftime("%Y-%m") for c in Complaint.select()})
        month = max(months, key=lambda m: sum(c.received_at.strftime("%Y-%m") == m
                                              for c in complaints)) if months else None
        busiest = months[-2] if len(months) > 1 else month
        run("month_ledger", lambda lang: documents.render_month_ledger(
            busiest, actor=owner, lang=lang))
        run("monthly_summary", lambda lang: documents.render_monthly_summary(
            busiest, actor=owner, lang=lang))
        year = int(busiest[:4])
        run("yearly_register", lambda lang: documents.render_yearly_register(
            year, actor=owner, lang=lang))
        for y, half in ((year, 1), (year - 1, 2), (year, 2)):
            if run("half_year_report", lambda lang, y=y, h=half:
                   documents.render_half_year_report(y, h, actor=owner, lang=lang)):
                break
        last = max(c.received_at for c in Complaint.select())
        run("weekly_statistics", lambda lang: documents.render_weekly_statistics(
            last.date(), actor=owner, lang=lang))
    finally:
        mp.undo()
        close_database()
    return profile, records


def test_every_document_kind_is_laid_out(laid_out):
    profile, records = laid_out
    kinds = {r.kind for r in records}
    expected = {*documents.KINDS, "penalty_notice", "month_ledger", "monthly_summary",
                "yearly_register", "weekly_statistics"}
    if profile == "bank":  # the half-year report is the bank branches' (§8.9)
        expected.add("half_year_report")
    if profile == "repair-shop":
        expected |= {*documents.WARRANTY_KINDS, "warranty_card"}
    assert expected <= kinds


def test_no_line_starts_or_ends_with_a_forbidden_mark(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        for page, placed in r.placed.items():
            for f in placed:
                for p in _paragraphs(f):
                    lines = _lines(p)
                    for k, line in enumerate(lines):
                        if not line:
                            continue
                        prev = lines[k - 1] if k else ""
                        if k and (line[0] in CANNOT_START or (
                                line[0] in CANNOT_START_HALF and prev and _wide(prev[-1]))):
                            bad.append((r.kind, r.lang, page, prev[-12:], line[:12]))
                        if k < len(lines) - 1 and lines[k + 1] and line[-1] in CANNOT_END:
                            bad.append((r.kind, r.lang, page, line[-12:], lines[k + 1][:12]))
    assert bad == []


def test_no_latin_word_is_split(laid_out):
    """Chinese inside English documents breaks between characters; Latin words stay whole."""
    _profile, records = laid_out
    bad = []
    for r in records:
        for placed in r.placed.values():
            for f in placed:
                for p in _paragraphs(f):
                    lines = _lines(p)
                    source = p.text.replace("<br/>", "\n")
                    for a, b in zip(lines, lines[1:], strict=False):
                        if a and b and a[-1].isascii() and a[-1].isalnum() \
                                and b[0].isascii() and b[0].isalnum() \
                                and (a[-20:] + b[:20]) in source:
                            word = re.findall(r"[A-Za-z0-9_]+$", a)[0] + \
                                re.findall(r"^[A-Za-z0-9_]+", b)[0]
                            font, size = p.style.fontName, p.style.fontSize
                            if stringWidth(word, font, size) <= p.width - 1:  # could fit
                                bad.append((r.kind, r.lang, a[-15:], b[:15]))
    assert bad == []


def _content(placed):
    return [f for f in placed if not isinstance(f, Spacer)]


def test_no_page_holds_only_signatures_or_a_stranded_heading(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        for page, placed in r.placed.items():
            content = _content(placed)
            if content and all(_is_signature(f) for f in content):
                bad.append((r.kind, r.lang, page, "signatures alone"))
            if content and _is_heading(content[-1]) and page < r.pages:
                bad.append((r.kind, r.lang, page, "heading at the foot"))
    assert bad == []


def test_table_headers_fit_their_cells(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        for placed in r.placed.values():
            for f in placed:
                if not isinstance(f, Table) or not f.repeatRows:
                    continue
                for cell, width in zip(f._cellvalues[0], f._colWidths, strict=False):
                    room = width - 8  # the 4 pt paddings
                    for p in [c for c in _paragraphs(Table([[cell]])) if c.text]:
                        font, size = p.style.fontName, p.style.fontSize
                        words = re.findall(r"[\x21-\u2e7f]+|\S", p.text)
                        widest = max((stringWidth(w, font, size) for w in words), default=0)
                        if widest > room + 0.5:
                            bad.append((r.kind, r.lang, p.text, round(widest), round(room)))
    assert bad == []


def test_forms_are_one_page_and_the_card_fits_a5(laid_out):
    _profile, records = laid_out
    bad = [(r.kind, r.lang, r.pages) for r in records if r.kind in FORMS and r.pages != 1]
    for r in records:
        if r.kind == "warranty_card" and (r.pages != 1
                                          or tuple(round(x, 1) for x in r.pagesize) != A5):
            bad.append((r.kind, r.lang, r.pages, r.pagesize))
    assert bad == []


# --- the letter template (docs/rules.md §8): letterhead, footer, 落款, numbers, QR, metadata --

LETTERS = ("receipt", "reply", "extension_notice")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
WRITTEN_DATE = {"zh_CN": re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"),
                "en": re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")}


def _page_texts(r) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(r.pdf)).pages]


def test_letterhead_names_the_firm_centred_on_every_page(laid_out):
    from reportlab.pdfbase.pdfmetrics import stringWidth as width_of

    from services.documents.fonts import cjk_font
    from tests.pdf_checks import text_runs

    _profile, records = laid_out
    bad = []
    for r in records:
        name = r.firm[0]
        for page in range(r.pages):
            top = [(x, size) for text, x, y, size in text_runs(r.pdf, page)
                   if text == name and y > r.pagesize[1] - 60]
            if not top:
                bad.append((r.kind, r.lang, page, "no firm name at the top"))
                continue
            x, size = top[0]
            middle = x + width_of(name, cjk_font(), size) / 2
            if abs(middle - r.pagesize[0] / 2) > 1.5 or size < 12:
                bad.append((r.kind, r.lang, page, round(middle), size))
    assert bad == []


def test_footer_has_the_full_address_and_phone_and_page_numbers(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        _name, address, phone = r.firm
        texts = _page_texts(r)
        for n, text in enumerate(texts, start=1):
            flat = "".join(text.split())
            with language(r.lang):
                number = _("Page {n} of {total}").format(n=n, total=len(texts))
            if "".join(address.split()) not in flat or phone not in flat:
                bad.append((r.kind, r.lang, n, "address or phone"))
            if "".join(number.split()) not in flat:
                bad.append((r.kind, r.lang, n, number))
    assert bad == []


def test_letters_close_right_aligned_with_a_written_date(laid_out):
    from reportlab.lib.enums import TA_RIGHT

    from tests.pdf_checks import text_runs

    _profile, records = laid_out
    bad = []
    for r in records:
        if r.kind not in LETTERS:
            continue
        last = r.placed[max(k for k in r.placed if isinstance(k, int))]
        closing = [f for f in last if isinstance(f, Paragraph) and f.style.name == "closing"]
        lines = ["".join(_lines(p)) for p in closing]
        if len(closing) != 2 or any(p.style.alignment != TA_RIGHT for p in closing) \
                or lines[0] != r.firm[0] or not WRITTEN_DATE[r.lang].match(lines[1]):
            bad.append((r.kind, r.lang, lines))
            continue
        # drawn flush with the right edge of the text
        runs = [(x, size) for text, x, _y, size in text_runs(r.pdf, r.pages - 1)
                if text == lines[1]]
        from reportlab.pdfbase.pdfmetrics import stringWidth as width_of

        right = r.pagesize[0] - 18 * 72 / 25.4 - 6
        if not runs or abs(runs[-1][0] + width_of(lines[1], closing[1].style.fontName,
                                                  runs[-1][1]) - right) > 1.5:
            bad.append((r.kind, r.lang, "not flush right", runs))
    assert bad == []


def test_letter_text_has_no_iso_times(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        if r.kind not in LETTERS:
            continue
        for page, placed in r.placed.items():
            for f in placed:
                for p in _paragraphs(f):
                    text = "".join(_lines(p))
                    if ISO_TIME.search(text):
                        bad.append((r.kind, r.lang, page, text[:60]))
    assert bad == []


def test_complaint_documents_carry_a_qr_code_of_the_ticket(laid_out):
    _profile, records = laid_out
    bad = []
    for r in records:
        if r.kind not in (*documents.KINDS, *documents.WARRANTY_KINDS):
            continue
        with language(r.lang):
            certificate = _("Certificate no.")
        if r.kind == "warranty_card" and not r.qr and certificate in _page_texts(r)[0]:
            continue  # the card of any repair: headed by its certificate no., no ticket
        texts = _page_texts(r)
        if len(r.qr) != 1 or not re.fullmatch(r"\d{9}", r.qr[0]) \
                or not all(r.qr[0] in t for t in texts):
            bad.append((r.kind, r.lang, r.qr))
    assert bad == []


def test_pdf_metadata_is_real(laid_out):
    from datetime import datetime

    _profile, records = laid_out
    bad = []
    for r in records:
        meta = PdfReader(io.BytesIO(r.pdf)).metadata
        made = meta.creation_date.timestamp()
        if not r.started - 2 <= made <= time.time() + 2:
            bad.append((r.kind, r.lang, "created", datetime.fromtimestamp(made)))
        if meta.author != r.firm[0] or not meta.title or not meta.subject:
            bad.append((r.kind, r.lang, meta.author, meta.title, meta.subject))
        first = "".join(_page_texts(r)[0].split())
        if "".join(meta.title.split()) not in first:  # the title in the document's language
            bad.append((r.kind, r.lang, "title", meta.title))
    assert bad == []
