"""The page every document shares, the firm's letter template (docs/rules.md §8): letterhead
(logo, firm name centred), footer with the full address and phone, "第1页 共2页" page numbers and
a QR code of the ticket number; styles, tables, signature lines; for letters a 称呼, justified
body paragraphs and a right-aligned 落款 with a seal area and the event's date; forms shrunk
to fit one page.

The document's language is the caller's ``with language(lang):`` block, not the program's:
build the flowables and call :meth:`Page.render` inside it. ReportLab is imported inside the
functions that use it, so importing the documents costs nothing until one is made.
"""
from __future__ import annotations

import io
import logging
import re
import threading
import time
import weakref
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from xml.sax.saxutils import escape

from services import clock, settings
from services.documents.fonts import cjk_font, letter_font
from services.i18n import _, current_language, format_date, format_written

MARGIN_MM = 18
HEADER_MM = 22  # room above the frame for the firm header
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Letterhead:
    firm_name: str
    firm_address: str
    firm_phone: str
    ticket: str
    date: datetime
    # What ``ticket`` is, when it is not a ticket number (a certificate no., an entry no.).
    reference_label: str = ""
    logo: str = ""  # the firm's logo file (setting "firm_logo"), drawn beside its name


# Text ReportLab's paragraph parser would return unchanged as one frag: no markup, entity or
# quote, no line break, no whitespace but single spaces between words.
_PLAIN = re.compile(r"[^&<>\"'\s]+(?: [^&<>\"'\s]+)*")
_frag_of_style: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# The same frags by what the parser reads of a style for them (ReportLab's _initial_frag: the
# font, its size, the colour): every document makes its own styles, and parsing one character
# for each of a letter's six styles cost 0.3 ms a letter. A few dozen looks in all.
_frag_of_look: dict[tuple, object] = {}


def _plain_frag(style, text: str):
    """The frag the parser makes of plain ``text`` in ``style`` (see _PLAIN), without parsing
    it: a copy of the frag of one parsed character, kept per style and per look. A letter's
    paragraphs are mostly plain, and the parser costs more than laying them out."""
    import copy

    template = _frag_of_style.get(style)
    if template is None:
        look = (style.fontName, style.fontSize, repr(style.textColor))
        template = _frag_of_look.get(look)
        if template is None:
            from reportlab.platypus.paraparser import ParaParser  # ReportLab loads on use

            _style, frags, _bullets = ParaParser().parse("x", style)
            template = _frag_of_look[look] = frags[0]
        _frag_of_style[style] = template
    frag = copy.copy(template)
    frag.text = text
    return frag


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
    where at least the punctuation rules hold, and as a last resort anywhere. A space never
    overflows (it may hang past the margin), and a line's first character is always taken.

    The overflow is found by bisecting the line's running widths (made in C, added up in the
    order a character-by-character loop adds them, so the same sums compare with the same
    limit), not by a Python step per character."""
    lines = []
    n = len(chars)
    forced = sorted(hard)
    f = 0  # forced[f] is the next forced break at or after start
    start = 0
    while start < n:
        limit = max_widths[min(len(lines), len(max_widths) - 1)] + 1e-6
        while f < len(forced) and forced[f] < start:
            f += 1
        stop = forced[f] if f < len(forced) else n
        running = list(accumulate(widths[start:stop]))
        # the first character past the line's first whose running width passes the limit;
        # a space there hangs past the margin, so the overflow is the next non-space
        k = bisect_right(running, limit, 1)
        while k < len(running) and chars[start + k].isspace():
            k += 1
        if k >= len(running):  # no overflow before the forced break or the end
            if stop == n:
                break
            lines.append((start, stop + 1, stop + 1, running[-1] if running else 0.0))
            start = stop + 1
            continue
        i = start + k
        # chars[i] overflows: end the line at the last place before it (or at it) where a
        # break is allowed; looked for only now, as most characters never end a line.
        last_ok = next((j for j in range(i, start, -1) if _may_break(chars[j - 1], chars[j])),
                       -1)
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
        start = nxt
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
    from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
    from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines

    def _measure(table, ch, frag):
        table[ch] = w = stringWidth(ch, frag.fontName, frag.fontSize)
        return w

    def _line(frags, chars, owner, a, b, width, used, line_break):
        # chars[a:b] as a line of ReportLab's "complex" kind: a word per run of one frag.
        words = []
        size = ascent = descent = 0
        k = a
        while k < b:
            o = owner[k]
            j = k + 1
            while j < b and owner[j] == o:
                j += 1
            f = frags[o]
            word = f.clone()
            word.text = "".join(chars[k:j])
            words.append(word)
            up, down = getAscentDescent(f.fontName, f.fontSize)
            size, ascent, descent = max(size, f.fontSize), max(ascent, up), min(descent, down)
            k = j
        return FragLine(kind=1, extraSpace=width - used, wordCount=1, words=words,
                        fontSize=size, ascent=ascent, descent=descent, maxWidth=width,
                        currentWidth=used, lineBreak=line_break)

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
            # The same paragraph is broken again at the same width when the frame tries it
            # twice (does it fit? then place it): the lines are the same, keep them.
            key = tuple(maxWidths)
            kept = getattr(self, "_broken", None)
            if kept is not None and kept[0] == key and kept[1] is self.frags:
                return kept[2]
            # One entry per character (an empty frag, a <br/> or an image, is one entry of
            # its own), with the frag it belongs to; a line is then the runs of each frag in
            # it (ReportLab's makeCJKParaLine compares every character's frag with the last).
            chars: list[str] = []
            widths: list[float] = []
            owner: list[int] = []
            hard: set[int] = set()
            frags = self.frags
            for k, f in enumerate(frags):
                text = getattr(f, "text", "") or ""
                cb = getattr(f, "cbDefn", None)
                if cb is not None:
                    pieces = list(text) or [""]
                    widths.extend([getattr(cb, "width", 0)] * len(pieces))
                elif text:
                    pieces = list(text)
                    table = _char_widths(f.fontName, f.fontSize)
                    measured = list(map(table.get, pieces))
                    if None in measured:  # a character this font and size has not met
                        measured = [_measure(table, ch, f) if w is None else w
                                    for ch, w in zip(pieces, measured, strict=True)]
                    widths.extend(measured)
                else:
                    pieces = [""]
                    widths.append(0.0)
                if hasattr(f, "lineBreak"):
                    hard.update(range(len(chars), len(chars) + len(pieces)))
                chars.extend(pieces)
                owner.extend([k] * len(pieces))
            lines = []
            for number, (a, b, nxt, used) in enumerate(
                    break_lines(chars, widths, list(maxWidths), hard)):
                width = maxWidths[min(number, len(maxWidths) - 1)]
                line = _line(frags, chars, owner, a, b, width, used, (b - 1) in hard)
                line.sep = "".join(chars[b:nxt]) if (b - 1) not in hard else ""
                lines.append(line)
            broken = ParaLines(kind=1, lines=lines)
            self._broken = (key, self.frags, broken)
            return broken

        breakLines = breakLinesCJK

        def _get_split_blParaFunc(self):
            return split_frags

    _Para = Para
    return Para


_Para = None
_widths: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(font: str, size: float) -> dict[str, float]:
    """Each character's width in ``font`` at ``size``, measured once per process."""
    table = _widths.get((font, size))
    if table is None:
        table = _widths[(font, size)] = {}
    return table


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
    """Paragraph styles in the CJK font, at ``scale`` (a form shrinks to fit its page); the
    letter styles use the letter face (fonts.letter_font)."""

    def __init__(self, scale: float = 1.0):
        # ReportLab loads on first use (module docstring).
        from reportlab.lib.colors import HexColor
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        font = cjk_font()
        self.scale = k = scale
        # Every paragraph breaks its lines by break_lines, in both languages (Para below).
        # Colours as colour objects: a colour given by name is parsed again at every line.
        base = ParagraphStyle("body", fontName=font, fontSize=10.5 * k, leading=16 * k,
                              wordWrap="CJK", spaceAfter=4 * k)
        self.body = base
        self.title = ParagraphStyle("title", parent=base, fontSize=18 * k, leading=24 * k,
                                    alignment=TA_CENTER, spaceBefore=2 * k, spaceAfter=10 * k)
        self.heading = ParagraphStyle("heading", parent=base, fontSize=12 * k, leading=18 * k,
                                      spaceBefore=8 * k, spaceAfter=4 * k)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=10 * k, leading=14 * k,
                                   spaceAfter=0)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=HexColor("#333333"))
        self.small = ParagraphStyle("small", parent=base, fontSize=9 * k, leading=13 * k,
                                    textColor=HexColor("#444444"))
        # A letter: justified; Chinese paragraphs indented by two characters, English ones
        # as blocks with a gap between them.
        zh = current_language() == "zh_CN"
        size = 12 * k if zh else 11 * k
        self.letter = ParagraphStyle("letter", parent=base, fontName=letter_font(),
                                     fontSize=size, leading=size * 1.6,
                                     alignment=TA_JUSTIFY,
                                     firstLineIndent=2 * size if zh else 0,
                                     spaceAfter=(2 if zh else 8) * k)
        self.salutation = ParagraphStyle("salutation", parent=self.letter, firstLineIndent=0,
                                         alignment=0, spaceBefore=4 * k, spaceAfter=6 * k)
        self.closing = ParagraphStyle("closing", parent=self.letter, firstLineIndent=0,
                                      alignment=TA_RIGHT, spaceAfter=0)

    def p(self, text: str, style=None):
        """A paragraph of plain (user or translated) text."""
        style = style or self.body
        raw = str(text or "")
        if _PLAIN.fullmatch(raw):
            return _paragraph_class()(raw, style, frags=[_plain_frag(style, raw)])
        return _paragraph_class()(para_text(text), style)

    def continued(self):
        """The mark above the part of a table continued from the page before."""
        from reportlab.lib.enums import TA_RIGHT  # ReportLab loads on first use
        from reportlab.lib.styles import ParagraphStyle

        return self.p(_("(continued)"), ParagraphStyle("continued", parent=self.small,
                                                        alignment=TA_RIGHT, spaceAfter=1))


def _pad(styles: Styles | None) -> float:
    return 3 * (styles.scale if styles is not None else 1.0)


def _grid_style(header: bool, styles: Styles | None = None):
    # ReportLab loads on first use.
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    pad = _pad(styles)
    commands = [("FONT", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
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
    pad = _pad(styles)
    # Lines above each field only, so a field's continuation rows read as one cell.
    commands = [("FONT", (0, 0), (-1, -1), cjk_font()),
                ("LINEBEFORE", (0, 0), (-1, -1), 0.5, line),
                ("LINEAFTER", (-1, 0), (-1, -1), 0.5, line),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, line),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
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
    table.setStyle(_grid_style(header=True, styles=styles))
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
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8 * styles.scale),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    # One piece, kept with the block before it (arrange, Page.render).
    return _layout_classes()["Signatures"]([Spacer(1, 10 * mm * styles.scale), table])


# --- the letter's parts: 称呼, body, 落款 (docs/rules.md §8) ----------------------------------

def _closing_class():
    """The 落款 (made on first use): right-aligned lines (firm, date) over a square left blank
    for the seal; one piece, kept with the paragraph before it like the signatures."""
    layout = _layout_classes()
    if "Closing" in layout:
        return layout["Closing"]

    class Closing(layout["Signatures"]):
        def __init__(self, content, seal_label: str, seal_size: float, font: str):
            super().__init__(content)
            self.seal_label, self.seal_size, self.font = seal_label, seal_size, font

        def wrap(self, aW, aH):
            super().wrap(aW, aH)
            self.height = max(self.height, self.seal_size + 6)
            return self.width, self.height

        def draw(self):
            canv, size = self.canv, self.seal_size
            # Centred under the widest of the right-aligned lines (the firm's name).
            text_w = max((max(p.getActualLineWidths0() or [0]) for p in self._content
                          if hasattr(p, "getActualLineWidths0")), default=size)
            cx = self.width - min(text_w, self.width) / 2
            y0 = 2
            canv.saveState()
            canv.setStrokeColorRGB(0.75, 0.75, 0.75)
            canv.setDash(2, 2)
            canv.setLineWidth(0.5)
            canv.rect(cx - size / 2, y0, size, size)
            canv.setFillColorRGB(0.6, 0.6, 0.6)
            canv.setFont(self.font, 7)
            canv.drawCentredString(cx, y0 + 3, self.seal_label)
            canv.restoreState()
            super().draw()

    layout["Closing"] = Closing
    return Closing


def salutation(styles: Styles, name: str):
    """The 称呼: "尊敬的张伟先生/女士：", "Dear Zhang Wei,"."""
    return styles.p(_("Dear {name},").format(name=name), styles.salutation)


def letter_paragraphs(styles: Styles, text: str) -> list:
    """Body text as letter paragraphs, one per line of ``text``."""
    lines = [x.strip() for x in str(text or "").replace("\r\n", "\n").split("\n")]
    return [styles.p(x, styles.letter) for x in lines if x]


def closing(styles: Styles, firm: str, at) -> object:
    """The 落款: the firm's name and the date of the step the letter is about, right-aligned,
    with a blank square for the seal; English letters close "Yours sincerely,"."""
    from reportlab.lib.units import mm  # ReportLab loads on first use
    from reportlab.platypus import Spacer

    at = at.date() if hasattr(at, "date") else at
    content = [Spacer(1, 6 * mm * styles.scale)]
    if current_language() != "zh_CN":
        from reportlab.lib.styles import ParagraphStyle

        content.append(styles.p(_("Yours sincerely,"),
                                ParagraphStyle("valediction", parent=styles.salutation,
                                               spaceBefore=0, spaceAfter=4)))
    content += [styles.p(firm, styles.closing),
                styles.p(format_written(at, current_language()), styles.closing)]
    return _closing_class()(content, _("(seal)"), 30 * mm * min(1.0, styles.scale),
                            letter_font())


def letter_date(at) -> str:
    """A letter's date as its 落款 prints it: "2026年12月3日", "3 December 2026"."""
    return format_written(at.date() if hasattr(at, "date") else at, current_language())


# --- the page: letterhead, footer, page numbers, QR code --------------------------------------

def qr_drawing(value: str, size: float):
    """The QR code of ``value`` (a ticket number), ``size`` points square: a ReportLab QR
    widget (its ``value`` is what the code says), drawn by ``draw_qr``."""
    from reportlab.graphics.barcode.qr import QrCodeWidget  # ReportLab loads on first use

    widget = QrCodeWidget(value, barLevel="M", barBorder=0)
    widget.barWidth = widget.barHeight = size
    return widget


_qr_modules: dict[tuple, tuple] = {}  # the last few codes drawn, for a reprint
_QR_KEPT = 32
_qr_lock = threading.Lock()  # prints may run on more than one thread


def _qr_runs(widget) -> tuple:
    """(x, y, width, height) of each run of dark modules, placed as QrCodeWidget.draw places
    its rectangles."""
    from services.documents.qr import make

    qr = widget.qr
    make(qr)  # ReportLab's symbol, its mask chosen faster
    border = widget.barBorder
    width, height = widget.barWidth, widget.barHeight
    count = qr.getModuleCount()
    side = float(min(width, height))
    box = side / (count + border * 2.0)
    left = widget.x + (width - side) / 2.0
    bottom = widget.y + (side - height) / 2.0
    runs = []
    for r, row in enumerate(qr.modules):
        c = 0
        n = len(row)
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            runs.append((left + (start + border) * box, bottom + height - (r + border + 1) * box,
                         (c - start) * box, box))
    return tuple(runs)


def draw_qr(canvas, widget, x: float, y: float) -> None:
    """The code's dark modules as one filled path (no text, so no font enters the PDF): a
    rectangle per run of dark modules in a row, where ReportLab's widget would draw its own
    (it builds a shape object per run, which costs more than the code). The last few codes
    are kept for a reprint."""
    key = (widget.value, widget.barWidth, widget.barHeight)
    with _qr_lock:
        modules = _qr_modules.pop(key, None)
    if modules is None:
        modules = _qr_runs(widget)
    with _qr_lock:
        _qr_modules[key] = modules  # the newest last
        while len(_qr_modules) > _QR_KEPT:  # a day of printing does not grow the process
            del _qr_modules[next(iter(_qr_modules))]
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for mx, my, mw, mh in modules:
        path.rect(x + mx, y + my, mw, mh)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` points, broken by the rules of break_lines:
    the whole text, never cut short."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # ReportLab loads on first use

    chars = list(text)
    if not chars:
        return []
    widths = [stringWidth(ch, font, size) for ch in chars]
    return ["".join(chars[a:b]) for a, b, _n, _u in break_lines(chars, widths, [width], set())]


def _numbered_canvas(font: str, template: str, draw_footer):
    """A canvas that holds its pages until the end, to print "第1页 共2页" on each
    (docs/rules.md §8).

    Held small (docs/design.md, Paper): a page waiting for its number keeps its drawing as
    one compressed string once the next page has begun (the last page is held as drawn),
    and a numbered page's stream is compressed as soon as it is finished rather than when
    the file is written, as ReportLab would, so a register of 5,000 pages does not keep
    every page's drawing in memory twice. The file is the same, byte for byte."""
    # ReportLab loads on first use.
    import zlib

    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream, PDFZCompress
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            # The page before this one is compressed now that it waits for another; this one
            # is held as drawn, so a one-page letter is never compressed twice.
            if self._pages and isinstance(self._pages[-1]["_code"], list):
                held = self._pages[-1]
                held["_code"] = zlib.compress("\n".join(held["_code"]).encode("utf-8"), 1)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number in range(1, total + 1):
                state, self._pages[number - 1] = self._pages[number - 1], None
                if not isinstance(state["_code"], list):
                    state["_code"] = [zlib.decompress(state["_code"]).decode("utf-8")]
                self.__dict__.update(state)
                draw_footer(self, template.format(n=number, total=total))
                super().showPage()
                _deflate_now(self._doc.Pages.pages[-1])
            super().save()

    def _deflate_now(page) -> None:
        """The page's stream encoded now by ReportLab's own filters (zlib, and ASCII85 when
        rl_config asks for it), and written later exactly as if they ran then."""
        if not page.compression or not page.stream or page.Contents:
            return
        filters = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
        content = page.stream
        for f in reversed(filters):  # the order PDFStream.format applies them in
            content = f.encode(content)
        stream = PDFStream(content=content, filters=[_Applied(f.pdfname) for f in filters])
        stream.__Comment__ = "page stream"
        page.Contents, page.stream = stream, None

    return NumberedCanvas


class _Applied:
    """A stream filter already applied (services/documents/base.py, _numbered_canvas): it
    names itself in the stream's dictionary and leaves the content as it is."""

    def __init__(self, pdfname: str):
        self.pdfname = pdfname

    @staticmethod
    def encode(content):
        return content


FOOTER_SIZE = 8  # pt, the address line
QR_MM = 14


class Page:
    """Builds one document: ``Page(letterhead, title).render(flowables) -> bytes``; A4
    upright, on its side for a wide table, or A5 (``pagesize``) for a card. ``letter``: a
    letter to the customer (its date is in the 落款, not the header)."""

    def __init__(self, letterhead: Letterhead, title: str, *, landscape: bool = False,
                 pagesize=None, letter: bool = False):
        # ReportLab loads on first use.
        from reportlab.lib.pagesizes import A4, A5
        from reportlab.lib.pagesizes import landscape as turned
        from reportlab.lib.units import mm

        self.letterhead = letterhead
        self.title = title
        self.letter = letter
        self.styles = Styles()
        self.pagesize = pagesize or (turned(A4) if landscape else A4)
        small = self.pagesize[0] <= A5[0] + 1
        self.margin = (12 if small else MARGIN_MM) * mm
        # The frame's usable width (it pads 6 pt on each side), for tables.
        self.width = self.pagesize[0] - 2 * self.margin - 12
        self.qr = qr_drawing(letterhead.ticket, QR_MM * mm) \
            if letterhead.ticket and not letterhead.reference_label else None
        room = self.pagesize[0] - 2 * self.margin - ((QR_MM + 3) * mm if self.qr else 0)
        contact = "  ".join(x for x in (
            letterhead.firm_address,
            (_("Tel.") + " " + letterhead.firm_phone) if letterhead.firm_phone else "") if x)
        # The address and phone in full, on as many lines as they need.
        self.footer_lines = wrap_text(contact, cjk_font(), FOOTER_SIZE, room)
        self.bottom = max(13 * mm + len(self.footer_lines) * FOOTER_SIZE * 1.3,
                          (QR_MM + 9) * mm if self.qr else 0)
        self.top = 27 * mm if not small else 24 * mm
        self.logo = _logo(letterhead.logo)

    def _header(self, canvas, doc) -> None:
        from reportlab.lib.units import mm  # ReportLab loads on first use

        lh = self.letterhead
        font = cjk_font()
        width, height = self.pagesize
        left, right = self.margin, width - self.margin
        # The firm's name centred and large, shrunk (never cut) to fit beside the logo.
        size = 16
        logo_w = 0.0
        if self.logo is not None:
            reader, (iw, ih) = self.logo
            logo_h = 10 * mm
            logo_w = min(logo_h * iw / ih, 40 * mm)
        room = right - left - 2 * (logo_w + 3 * mm if logo_w else 0)
        while size > 9 and canvas.stringWidth(lh.firm_name, font, size) > room:
            size -= 0.5
        base = height - 13 * mm
        canvas.saveState()
        if self.logo is not None:
            canvas.drawImage(reader, left, base - 1.5 * mm, width=logo_w,
                             height=logo_w * ih / iw, mask="auto", preserveAspectRatio=True)
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, base, lh.firm_name)
        canvas.setFont(font, 9)
        canvas.setFillColorRGB(0.25, 0.25, 0.25)
        label = lh.reference_label or _("Ticket no.")
        line = base - 6.5 * mm
        canvas.drawString(left, line, label + " " + lh.ticket)
        if not self.letter:
            canvas.drawRightString(right, line, _("Date:") + " " + format_date(
                lh.date.date(), current_language()))
        canvas.setStrokeColorRGB(0.2, 0.2, 0.2)
        canvas.setLineWidth(0.8)
        canvas.line(left, line - 2.5 * mm, right, line - 2.5 * mm)
        canvas.restoreState()

    def _footer(self, canvas, number_text: str) -> None:
        from reportlab.lib.units import mm  # ReportLab loads on first use

        font = cjk_font()
        width, _height = self.pagesize
        left, right = self.margin, width - self.margin
        canvas.saveState()
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, 7 * mm, number_text)
        canvas.setFont(font, FOOTER_SIZE)
        y = 12 * mm + (len(self.footer_lines) - 1) * FOOTER_SIZE * 1.3
        top = y + FOOTER_SIZE + 2
        for text in self.footer_lines:
            canvas.drawString(left, y, text)
            y -= FOOTER_SIZE * 1.3
        canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
        canvas.setLineWidth(0.4)
        canvas.line(left, max(top, (QR_MM + 6) * mm if self.qr else 0), right,
                    max(top, (QR_MM + 6) * mm if self.qr else 0))
        if self.qr is not None:
            draw_qr(canvas, self.qr, right - QR_MM * mm, 5 * mm)
        canvas.restoreState()

    def render(self, flowables: list) -> bytes:
        # ReportLab loads on first use.
        from reportlab.platypus import SimpleDocTemplate

        lh = self.letterhead
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=self.margin, rightMargin=self.margin,
            topMargin=self.top, bottomMargin=self.bottom, title=self.title,
            author=lh.firm_name,
            subject=f"{lh.ticket} {self.title}".strip() if not lh.reference_label
            else f"{lh.reference_label} {lh.ticket} {self.title}",
            creator="ComplaintDesk", invariant=False,  # the real creation date (time.time)
            initialFontName=cjk_font())  # no stray, unembedded Helvetica in the PDF
        story = arrange([self.styles.p(self.title, self.styles.title)] + flowables,
                        self.styles.heading)
        doc.build(story, onFirstPage=self._header, onLaterPages=self._header,
                  canvasmaker=_numbered_canvas(cjk_font(), _("Page {n} of {total}"),
                                               self._footer))
        self.pages = doc.page
        return buffer.getvalue()

    def render_fitted(self, make_story, scales=(1.0, 0.93, 0.86, 0.8, 0.75, 0.7)) -> bytes:
        """A form on one page: ``make_story()`` (reading ``self.styles``) laid out at the
        first of ``scales`` that fits; the smallest one, over more pages, if none does."""
        pdf = b""
        room = self.pagesize[1] - self.top - self.bottom - 12  # the frame pads 6 pt
        for n, scale in enumerate(scales):
            self.styles = Styles(scale)
            story = make_story()
            # Lay out only a story that may fit (measured, as the frame will stack it): a
            # build costs far more than a measure.
            if n < len(scales) - 1 and self._height(story) > room:
                continue
            pdf = self.render(story)
            if self.pages <= 1:
                break
        return pdf

    def _height(self, story: list) -> float:
        """About how tall ``story`` (under its title) stands on one page."""
        total = 0.0
        for f in [self.styles.p(self.title, self.styles.title), *story]:
            _w, h = f.wrap(self.width, 1e6)
            total += h + f.getSpaceBefore() + f.getSpaceAfter()
        return total


_logos: dict[tuple, object] = {}


def _logo(path: str):
    """The logo image and its size, or None (no logo set, or a file that is missing or not an
    image: logged, and the letterhead prints without it)."""
    if not path:
        return None
    from pathlib import Path

    from reportlab.lib.utils import ImageReader  # ReportLab loads on first use

    file = Path(path)
    try:
        key = (str(file), file.stat().st_mtime_ns)
        if key not in _logos:
            reader = ImageReader(str(file))
            _logos[key] = (reader, reader.getSize())
        return _logos[key]
    except Exception as exc:  # noqa: BLE001 - any unreadable logo: print without it
        log.warning("firm logo %s not drawn: %s", path, exc)
        return None


def firm_page(reference: str, title: str, label: str = "", *, landscape: bool = False,
              pagesize=None, letter: bool = False, firm: settings.FirmInfo | None = None
              ) -> Page:
    """A page headed by the firm's letterhead, ``reference`` (a ticket no. unless ``label``
    says what it is) and today's date; ``title`` is a msgid. ``firm``: the firm's details
    when the caller has just read them."""
    firm = firm or settings.firm_info()
    return Page(Letterhead(firm.name, firm.address, firm.phone, reference, clock.now(), label,
                           settings.firm_logo()),
                _(title), landscape=landscape, pagesize=pagesize, letter=letter)


def firm_signature() -> str:
    """Who signs for the firm, under its seal."""
    return _("For {firm} (signature and seal)").format(firm=settings.firm_info().name)


def creation_time() -> float:
    """Now, as the PDFs' creation date is stamped (tests compare with it)."""
    return time.time()


def pair_table(styles: Styles, rows: list[tuple[str, str]], width: float, *,
               long: int = 24):
    """Label / value rows two to a line (a card's or a form's short facts); a value longer
    than ``long`` characters takes a whole line."""
    # ReportLab loads on first use.

    data, spans, pending = [], [], []
    for label, value in rows:
        if len(str(value or "")) > long:
            data.append([styles.p(label, styles.label), styles.p(value, styles.cell), "", ""])
            spans.append(len(data) - 1)
            continue
        pending.append((label, value))
        if len(pending) == 2:
            (a, b), (c, d) = pending
            data.append([styles.p(a, styles.label), styles.p(b, styles.cell),
                         styles.p(c, styles.label), styles.p(d, styles.cell)])
            pending = []
    if pending:
        (a, b), = pending
        data.append([styles.p(a, styles.label), styles.p(b, styles.cell), "", ""])
        spans.append(len(data) - 1)
    table = _layout_classes()["GridTable"](
        data, colWidths=[width * x for x in (0.18, 0.32, 0.18, 0.32)], splitByRow=1)
    table.mark_factory = styles.continued
    style = _grid_style(header=False, styles=styles)
    for r in spans:
        style.add("SPAN", (1, r), (3, r))
    table.setStyle(style)
    return table
