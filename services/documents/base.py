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


# --- Chinese line breaking (GB/T 15834) and pagination (docs/rules.md §8) ------------------

# A line never starts with these (full-width, and their half-width kin) ...
CANNOT_START = ("，。、；：？！）》」』】〕〉〗〙〛］｝”’…—·％‰℃・～"
                ",.;:?!)]}%")
# ... nor ends with these.
CANNOT_END = "（《「『【〔〈〖〘〚［｛“‘([{"


def _wide(ch: str) -> bool:
    """Chinese (and other East Asian) text, between any two of which a line may break."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or o >= 0x20000
            or ch in "“”‘’…—·")


def _may_break(a: str, b: str) -> bool:
    """May a line end after ``a`` and the next begin with ``b``? Between two Chinese
    characters yes, inside a Latin word no, and never before a can't-start or after a
    can't-end mark."""
    if b.isspace() or not a or not b:
        return False
    if a in CANNOT_END or b in CANNOT_START:
        return False
    return a.isspace() or _wide(a) or _wide(b)


def break_lines(chars: list[str], widths: list[float], max_widths: list[float],
                hard: set[int]) -> list[tuple[int, int, int, float]]:
    """Where the lines of a paragraph go: ``(start, end, next_start, used_width)`` per line,
    ``chars[start:end]`` printed. ``hard`` holds the indexes of forced breaks (<br/>).

    Greedy: a line takes characters until the next would overflow, then ends at the last
    place ``_may_break`` allows; a run with no such place (a long number or address) is cut
    where at least the punctuation rules hold, and as a last resort anywhere.
    """
    lines = []
    n = len(chars)
    i = start = 0
    used = 0.0
    last_ok = -1
    while i < n:
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        if i in hard:
            lines.append((start, i + 1, i + 1, used))
            i = start = i + 1
            used, last_ok = 0.0, -1
            continue
        ch = chars[i]
        if i > start and _may_break(chars[i - 1], ch):
            last_ok = i
        if ch.isspace() or used + widths[i] <= limit + 1e-6 or i == start:
            used += widths[i]
            i += 1
            continue
        # chars[i] overflows: end the line at the best place before it.
        if last_ok > start:
            cut = last_ok
        else:
            cut = next((j for j in range(i, start, -1)
                        if chars[j - 1] not in CANNOT_END and chars[j] not in CANNOT_START
                        and not chars[j].isspace()), i)
        end = cut
        while end > start and chars[end - 1].isspace():
            end -= 1
        nxt = cut
        while nxt < n and chars[nxt].isspace() and nxt not in hard:
            nxt += 1
        lines.append((start, end, nxt, sum(widths[start:end])))
        i = start = nxt
        used, last_ok = 0.0, -1
    if start < n:
        end = n
        while end > start and chars[end - 1].isspace():
            end -= 1
        lines.append((start, end, n, sum(widths[start:end])))
    return lines


def _paragraph_class():
    """Paragraph with the line breaking above, for every paragraph of every document in both
    languages (ReportLab's own CJK wrap breaks inside Latin words and knows few of the
    Chinese marks; its normal wrap splits Chinese runs anywhere)."""
    global _Para
    if _Para is not None:
        return _Para
    # ReportLab loads on first use.
    from reportlab.platypus.paragraph import (
        Paragraph,
        ParaLines,
        cjkU,
        makeCJKParaLine,
    )

    def split_frags(blPara, start, stop):
        # The frags of lines[start:stop], with what a soft break dropped (a space) put back.
        out = []
        lines = blPara.lines[start:stop]
        for k, line in enumerate(lines):
            words = [w.clone() for w in line.words]
            sep = getattr(line, "sep", "")
            if sep and k < len(lines) - 1 and words and not hasattr(words[-1], "lineBreak"):
                words[-1].text = (words[-1].text or "") + sep
            out.extend(words)
        return out

    class Para(Paragraph):
        def breakLinesCJK(self, maxWidths):
            if not isinstance(maxWidths, (list, tuple)):
                maxWidths = [maxWidths]
            self.height = 0
            if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                return self.blPara
            units = []
            for f in self.frags:
                text = getattr(f, "text", "") or ""
                if text:
                    units.extend(cjkU(t, f, "utf8") for t in text)
                else:
                    units.append(cjkU("", f, "utf8"))
            hard = {k for k, u in enumerate(units) if hasattr(u.frag, "lineBreak")}
            lines = []
            for number, (a, b, nxt, used) in enumerate(
                    break_lines(units, [u.width for u in units], list(maxWidths), hard)):
                width = maxWidths[min(number, len(maxWidths) - 1)]
                line = makeCJKParaLine(units[a:b], width, used, width - used,
                                       (b - 1) in hard, False)
                line.sep = "".join(units[b:nxt]) if (b - 1) not in hard else ""
                lines.append(line)
            return ParaLines(kind=1, lines=lines)

        breakLines = breakLinesCJK

        def _get_split_blParaFunc(self):
            return split_frags

    _Para = Para
    return Para


_Para = None


def _layout_classes():
    """The pagination flowables (made on first use, like everything of ReportLab here)."""
    global _LAYOUT
    if _LAYOUT is not None:
        return _LAYOUT
    # ReportLab loads on first use.
    from reportlab.platypus import Flowable, Table

    HUGE = 1e7  # a wrapper never fits as itself: the frame asks it to split (below)

    class _Pair(Flowable):
        """Two flowables placed by a rule, as the frame lays them out: ``split`` returns them
        (or their pieces) when the rule holds here, nothing to go to the next page."""

        def __init__(self, first, second):
            super().__init__()
            self._content = [first, second]

        def wrap(self, aW, aH):
            return aW, HUGE

        def getSpaceBefore(self):
            return self._content[0].getSpaceBefore()

        def _fresh_page(self) -> bool:
            # Already sent on once: this is the top of a page, take what comes.
            return bool(getattr(self, "_postponed", 0))

    def _fits(f, aW, aH) -> bool:
        return f.wrap(aW, aH)[1] <= aH + 1e-6

    class KeepWithNext(_Pair):
        """A heading and the start of what follows it, on the same page."""

        def split(self, aW, aH):
            head, nxt = self._content
            if self._fresh_page():
                return [head, nxt]
            _w, hh = head.wrap(aW, aH)
            rest = aH - hh - head.getSpaceAfter() - nxt.getSpaceBefore()
            if rest <= 0:
                return []
            if _fits(nxt, aW, rest):
                return [head, nxt]
            parts = nxt.split(aW, rest)
            if parts and _fits(parts[0], aW, rest):
                return [head, *parts]
            return []

    class KeepWithPrevious(_Pair):
        """The signatures with (the end of) the block before them: never a page of
        signatures alone."""

        def split(self, aW, aH):
            prev, sig = self._content
            _w, ph = prev.wrap(aW, aH)
            _w, sh = sig.wrap(aW, aH)
            if ph + prev.getSpaceAfter() + sig.getSpaceBefore() + sh <= aH + 1e-6:
                return [prev, sig]
            # Leave at least the end of ``prev`` for the next page, with the signatures.
            parts = prev.split(aW, min(aH, ph - 1))
            if len(parts) >= 2 and _fits(parts[0], aW, aH):
                return [*parts[:-1], KeepWithPrevious(parts[-1], sig)]
            return [prev, sig] if self._fresh_page() else []

    class Continued(Flowable):
        """The part of a table continued from the page before, marked 续表 above it."""

        def __init__(self, mark, table):
            super().__init__()
            self._content = [mark, table]

        def wrap(self, aW, aH):
            _w, self._mh = self._content[0].wrap(aW, aH)
            _w, th = self._content[1].wrap(aW, max(aH - self._mh, 0))
            self.width, self.height = aW, self._mh + th
            return self.width, self.height

        def split(self, aW, aH):
            mark, table = self._content
            _w, mh = mark.wrap(aW, aH)
            parts = table.split(aW, aH - mh)
            if not parts:
                return []
            return [Continued(mark, parts[0]), *parts[1:]]

        def draw(self):
            mark, table = self._content
            mark.drawOn(self.canv, 0, self.height - self._mh)
            table.drawOn(self.canv, 0, 0)

    class GridTable(Table):
        """A table that splits between rows, never leaving one row alone on either page;
        the rest is marked as continued (its header row repeats, ``repeatRows``)."""

        mark_factory = None  # set per table: () -> the "continued" paragraph

        def _body(self, t) -> int:
            return len(t._cellvalues) - (self.repeatRows or 0)

        def split(self, aW, aH):
            parts = super().split(aW, aH)
            if len(parts) != 2:
                return parts
            total = self._body(self)
            first, rest = parts
            if self._body(rest) == 1 and total >= 4:  # one row alone on the next page
                _w, fh = first.wrap(aW, aH)
                better = super().split(aW, fh - first._rowHeights[-1] - 0.5)
                if len(better) == 2:
                    first, rest = better
            if self._body(first) <= 1 and total >= 3 and not getattr(self, "_postponed", 0):
                return []  # one row alone at the foot of the page: start on the next
            rest.mark_factory = self.mark_factory
            if self.mark_factory is None:
                return [first, rest]
            return [first, Continued(self.mark_factory(), rest)]

    class Signatures(Flowable):
        """The signature block (signature_lines): one piece, never split."""

        def __init__(self, content):
            super().__init__()
            self._content = list(content)

        def wrap(self, aW, aH):
            self._sizes = [f.wrap(aW, aH) for f in self._content]
            self.width, self.height = aW, sum(h for _w, h in self._sizes)
            return self.width, self.height

        def split(self, aW, aH):
            return []

        def draw(self):
            y = self.height
            for f, (_w, h) in zip(self._content, self._sizes, strict=True):
                y -= h
                f.drawOn(self.canv, 0, y)

    _LAYOUT = {"KeepWithNext": KeepWithNext, "KeepWithPrevious": KeepWithPrevious,
               "GridTable": GridTable, "Signatures": Signatures, "Continued": Continued}
    return _LAYOUT


_LAYOUT = None


def arrange(story: list, heading_style) -> list:
    """The story with the pagination rules applied: the block before the signatures kept
    with them, every heading kept with the start of what follows it."""
    layout = _layout_classes()
    out: list = []
    for f in story:
        if isinstance(f, layout["Signatures"]) and out:
            f = layout["KeepWithPrevious"](out.pop(), f)
        out.append(f)
    result: list = []
    for f in reversed(out):
        if (result and getattr(f, "style", None) is heading_style):
            f = layout["KeepWithNext"](f, result.pop())
        result.append(f)
    return result[::-1]


class Styles:
    """Paragraph styles in the CJK font; Chinese documents wrap between any two characters."""

    def __init__(self):
        # ReportLab loads on first use (module docstring).
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        font = cjk_font()
        # Every paragraph breaks its lines by break_lines, in both languages (Para below).
        base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK",
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
        return _paragraph_class()(para_text(text), style or self.body)

    def continued(self):
        """The mark above the part of a table continued from the page before."""
        from reportlab.lib.enums import TA_RIGHT  # ReportLab loads on first use
        from reportlab.lib.styles import ParagraphStyle

        return self.p(_("(continued)"), ParagraphStyle("continued", parent=self.small,
                                                        alignment=TA_RIGHT, spaceAfter=1))


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
    from reportlab.platypus import TableStyle

    data, starts, joined = [], [], []
    for label, value in rows:
        starts.append(len(data))
        for i, piece in enumerate(_chunks(value)):
            if i:
                joined.append(len(data))  # a continuation: no gap above it
            data.append([styles.p(label if i == 0 else "", styles.label),
                         styles.p(piece, styles.cell)])
    table = _layout_classes()["GridTable"](
        data, colWidths=[width * label_share, width * (1 - label_share)], splitByRow=1)
    table.mark_factory = styles.continued
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
    data = [[styles.p(h, styles.label) for h in header]]
    data += [[styles.p(v, styles.cell) for v in row] for row in rows]
    table = _layout_classes()["GridTable"](data, colWidths=[width * s for s in shares],
                                           repeatRows=1, splitByRow=1)
    table.mark_factory = styles.continued
    table.setStyle(_grid_style(header=True))
    return table


def signature_lines(styles: Styles, parties: list[str], width: float):
    """One block per party: who signs, a line to sign on and a line for the date."""
    # ReportLab loads on first use.
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

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
    # One piece, kept with the block before it (arrange, Page.render).
    return _layout_classes()["Signatures"]([Spacer(1, 10 * mm), table])


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
        story = arrange([self.styles.p(self.title, self.styles.title)] + flowables,
                        self.styles.heading)
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
