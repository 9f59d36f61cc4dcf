"""The A4 page every document shares: firm header, page "n / N" footer, styles, tables and
signature lines (docs/rules.md §8).

The document's language is the caller's ``with language(lang):`` block, not the program's:
build the flowables and call :meth:`Page.render` inside it. ReportLab is imported inside the
functions that use it, so importing the documents costs nothing until one is made.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from services import clock, settings
from services.documents.fonts import cjk_font
from services.i18n import _, current_language, format_date

MARGIN_MM = 18
HEADER_MM = 22  # room above the frame for the firm header


@dataclass(frozen=True)
class Letterhead:
    firm_name: str
    firm_address: str
    firm_phone: str
    ticket: str
    date: datetime
    # What ``ticket`` is, when it is not a ticket number (a certificate no., an entry no.).
    reference_label: str = ""


def para_text(value) -> str:
    """User text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(str(value or "")).replace("\r\n", "\n").replace("\n", "<br/>")


class Styles:
    """Paragraph styles in the CJK font; Chinese documents wrap between any two characters."""

    def __init__(self):
        # ReportLab loads on first use (module docstring).
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        font = cjk_font()
        zh = current_language() == "zh_CN"
        # 'CJK' breaks anywhere, which would split English words; English documents use the
        # normal wrap, which still splits an over-long run of Chinese (splitLongWords).
        wrap = "CJK" if zh else None
        base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap=wrap,
                              spaceAfter=4)
        self.body = base
        self.title = ParagraphStyle("title", parent=base, fontSize=18, leading=24,
                                    alignment=TA_CENTER, spaceBefore=2, spaceAfter=10)
        self.heading = ParagraphStyle("heading", parent=base, fontSize=12, leading=18,
                                      spaceBefore=8, spaceAfter=4)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=10, leading=14, spaceAfter=0)
        self.label = ParagraphStyle("label", parent=self.cell, textColor="#333333")
        self.small = ParagraphStyle("small", parent=base, fontSize=9, leading=13,
                                    textColor="#444444")

    def p(self, text: str, style=None):
        """A paragraph of plain (user or translated) text."""
        from reportlab.platypus import Paragraph  # ReportLab loads on first use

        return Paragraph(para_text(text), style or self.body)


def _grid_style(header: bool):
    # ReportLab loads on first use.
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    commands = [("FONT", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")))
    return TableStyle(commands)


def _chunks(text: str, size: int = 300) -> list[str]:
    """Long text in pieces of about ``size`` characters, cut at line ends where possible.

    A table row cannot break across pages, so a long value (a description may have 8000
    characters) goes into several rows that can.
    """
    pieces: list[str] = []
    for line in str(text or "").replace("\r\n", "\n").split("\n"):
        while len(line) > size:
            # Prefer the end of a sentence, then a space, so a row ends where reading pauses.
            cut = max(line.rfind(mark, size // 2, size) for mark in ("。", "；", ". ", "; "))
            if cut < 0:
                cut = line.rfind(" ", size // 2, size)
            cut = cut + 1 if cut > 0 else size
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if pieces and len(pieces[-1]) + len(line) + 1 <= size:
            pieces[-1] += "\n" + line
        else:
            pieces.append(line)
    return pieces or [""]


def field_table(styles: Styles, rows: list[tuple[str, str]], width: float, *,
                label_share: float = 0.26):
    """Label / value rows in a grid; a long value continues over pages in extra rows."""
    # ReportLab loads on first use.
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data, starts, joined = [], [], []
    for label, value in rows:
        starts.append(len(data))
        for i, piece in enumerate(_chunks(value)):
            if i:
                joined.append(len(data))  # a continuation: no gap above it
            data.append([styles.p(label if i == 0 else "", styles.label),
                         styles.p(piece, styles.cell)])
    table = Table(data, colWidths=[width * label_share, width * (1 - label_share)],
                  splitByRow=1)
    line = colors.HexColor("#777777")
    # Lines above each field only, so a field's continuation rows read as one cell.
    commands = [("FONT", (0, 0), (-1, -1), cjk_font()),
                ("LINEBEFORE", (0, 0), (-1, -1), 0.5, line),
                ("LINEAFTER", (-1, 0), (-1, -1), 0.5, line),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, line),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    commands += [("LINEABOVE", (0, r), (-1, r), 0.5, line) for r in starts]
    for r in joined:
        commands += [("TOPPADDING", (0, r), (-1, r), 0),
                     ("BOTTOMPADDING", (0, r - 1), (-1, r - 1), 0)]
    table.setStyle(TableStyle(commands))
    return table


def list_table(styles: Styles, header: list[str], rows: list[list[str]], width: float,
               shares: list[float]):
    """A table with a header row that repeats on every page it continues to."""
    from reportlab.platypus import Table  # ReportLab loads on first use

    data = [[styles.p(h, styles.label) for h in header]]
    data += [[styles.p(v, styles.cell) for v in row] for row in rows]
    table = Table(data, colWidths=[width * s for s in shares], repeatRows=1, splitByRow=1)
    table.setStyle(_grid_style(header=True))
    return table


def signature_lines(styles: Styles, parties: list[str], width: float):
    """One block per party: who signs, a line to sign on and a line for the date."""
    # ReportLab loads on first use.
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    cells = []
    for party in parties:
        cells.append([styles.p(party, styles.cell)])
        cells.append([styles.p(_("Signature:") + " " + "_" * 22, styles.cell)])
        cells.append([styles.p(_("Date:") + " " + "_" * 26, styles.cell)])
    columns = max(1, len(parties))
    if columns > 1:  # parties side by side
        rows = [[cells[i * 3 + r][0] for i in range(columns)] for r in range(3)]
        table = Table(rows, colWidths=[width / columns] * columns)
    else:
        table = Table(cells, colWidths=[width])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), cjk_font()),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 10 * mm), table])


def _numbered_canvas(font: str, template: str):
    """A canvas that holds its pages until the end, to print "n / N" on each
    (docs/rules.md §8)."""
    # ReportLab loads on first use.
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(font, 9)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                self.drawCentredString(width / 2, 10 * mm,
                                       template.format(n=number, total=total))
                super().showPage()
            super().save()

    return NumberedCanvas


class Page:
    """Builds one document: ``Page(letterhead, title).render(flowables) -> bytes``; A4
    upright, or on its side for a wide table."""

    def __init__(self, letterhead: Letterhead, title: str, *, landscape: bool = False):
        # ReportLab loads on first use.
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.pagesizes import landscape as turned
        from reportlab.lib.units import mm

        self.letterhead = letterhead
        self.title = title
        self.styles = Styles()
        self.pagesize = turned(A4) if landscape else A4
        # The frame's usable width (it pads 6 pt on each side), for tables.
        self.width = self.pagesize[0] - 2 * MARGIN_MM * mm - 12

    def _header(self, canvas, doc) -> None:
        from reportlab.lib.units import mm  # ReportLab loads on first use

        lh = self.letterhead
        font = cjk_font()
        width, height = self.pagesize
        left, right = MARGIN_MM * mm, width - MARGIN_MM * mm
        top = height - 12 * mm
        canvas.saveState()
        canvas.setFont(font, 11)
        canvas.drawString(left, top, _fit(canvas, lh.firm_name, font, 11, (right - left) * 0.6))
        canvas.setFont(font, 8.5)
        contact = "  ".join(x for x in (lh.firm_address,
                                        (_("Tel.") + " " + lh.firm_phone) if lh.firm_phone
                                        else "") if x)
        canvas.drawString(left, top - 5 * mm, _fit(canvas, contact, font, 8.5,
                                                   (right - left) * 0.6))
        canvas.setFont(font, 9)
        label = lh.reference_label or _("Ticket no.")
        canvas.drawRightString(right, top, label + " " + lh.ticket)
        canvas.drawRightString(right, top - 5 * mm,
                               _("Date:") + " " + format_date(lh.date.date(),
                                                              current_language()))
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 8 * mm, right, top - 8 * mm)
        canvas.restoreState()

    def render(self, flowables: list) -> bytes:
        # ReportLab loads on first use.
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=MARGIN_MM * mm,
            rightMargin=MARGIN_MM * mm, topMargin=(12 + HEADER_MM - 8) * mm + 6 * mm,
            bottomMargin=18 * mm, title=self.title, author=self.letterhead.firm_name,
            subject=self.letterhead.ticket, creator="ComplaintDesk", invariant=True,
            initialFontName=cjk_font())  # no stray, unembedded Helvetica in the PDF
        story = [self.styles.p(self.title, self.styles.title)] + flowables
        doc.build(story, onFirstPage=self._header, onLaterPages=self._header,
                  canvasmaker=_numbered_canvas(cjk_font(), _("{n} / {total}")))
        return buffer.getvalue()


def firm_page(reference: str, title: str, label: str = "", *, landscape: bool = False) -> Page:
    """A page headed by the firm's name, address and phone, ``reference`` (a ticket no.
    unless ``label`` says what it is) and today's date; ``title`` is a msgid."""
    firm = settings.firm_info()
    return Page(Letterhead(firm.name, firm.address, firm.phone, reference, clock.now(), label),
                _(title), landscape=landscape)


def firm_signature() -> str:
    """Who signs for the firm, under its seal."""
    return _("For {firm} (signature and seal)").format(firm=settings.firm_info().name)


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
