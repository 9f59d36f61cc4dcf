"""投诉台账, the yearly register (docs/rules.md §8.9): one line per complaint the actor may see
received in a year — ticket, dates, complainant, category, what it was about, the result, the
satisfaction and the handler — then the totals and the sign-off. The lines come from
``reports.register_chunks``.

Fast at 100,000 complaints (docs/rules.md §10, docs/design.md "Paper"): the lines are read in
keyset chunks while the pages are laid out, and each page takes as many one-line rows as fit,
built when the page is reached and drawn as a grid with one text object for all its cells (no
paragraph or text object per cell, no table of every line re-measured at each page break).
"""
from __future__ import annotations

from datetime import date

from services import reports
from services.complaints import STATE_NAMES
from services.documents.base import firm_page, signature_lines
from services.documents.common import fmt_figure
from services.documents.fonts import cjk_font
from services.documents.monthly_summary import _widest_word, figure_table
from services.i18n import N_, _, current_language, format_number, language

TITLE = N_("Yearly complaint register")
COLUMNS = (N_("Ticket no."), N_("Received on"), N_("Complainant"), N_("Category"),
           N_("Content"), N_("Result of handling"), N_("Satisfaction"), N_("Handler"),
           N_("Closed on"))
# relative widths of the columns whose width is not measured (the rest: ticket, dates,
# satisfaction are as wide as their widest value)
SHARES = {2: 0.11, 3: 0.13, 4: 0.36, 5: 0.28, 7: 0.12}
FONT_SIZE = 8
LEADING = 10
PAD = 3  # top and bottom padding of a line
KEPT_TEXTS = 20_000  # encoded texts kept for reuse (_text_writer)
SATISFACTION_NAMES = {"satisfied": N_("Satisfied"), "dissatisfied": N_("Dissatisfied")}


class _Dates:
    """Dates in the document's language, each formatted once (a year has 365 of them)."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, value) -> str:
        if value is None:
            return ""
        day = value.date() if hasattr(value, "date") else value
        text = self.cache.get(day)
        if text is None:
            text = self.cache[day] = fmt_figure(day)
        return text


def _fitter(font: str, size: float):
    """``fit(text, width)``: ``text`` shortened with "…" to ``width`` points. Each character's
    width is measured once (ReportLab measures TrueType text in Python)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # ReportLab loads on first use

    widths: dict[str, float] = {}
    ellipsis = stringWidth("…", font, size)

    def width_of(ch: str) -> float:
        w = widths.get(ch)
        if w is None:
            w = widths[ch] = stringWidth(ch, font, size)
        return w

    def fit(text: str, width: float) -> str:
        used = 0.0
        for i, ch in enumerate(text):
            w = width_of(ch)
            if used + w > width:
                cut, room = i, width - ellipsis
                while cut and used > room:  # used: the width of text[:cut]
                    cut -= 1
                    used -= width_of(text[cut])
                return text[:cut].rstrip() + "…"
            used += w
        return text

    return fit


def _text_writer(font_name: str):
    """``write(canv, cells)``: PDF text operators drawing ``cells`` — ``("x y", text)`` — in
    one text object, in ``font_name`` at FONT_SIZE. ReportLab's own drawString makes a text
    object per string and encodes it anew each time; a register page has some 250 cells, and
    most of their texts (dates, categories, handlers) recur, so each text is encoded once per
    document (up to KEPT_TEXTS of them at a time)."""
    from reportlab.lib.rl_accel import escapePDF  # ReportLab loads on first use
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(font_name)
    encoded: dict[str, list[tuple[int, str]]] = {}
    names: dict[int, str] = {}
    doc_of_cache = [None]

    def write(canv, cells) -> None:
        doc = canv._doc
        if doc_of_cache[0] is not doc:  # subsets are per document
            encoded.clear()
            names.clear()
            doc_of_cache[0] = doc
        code = ["BT 0 0 0 rg"]
        current = -1
        for at, text in cells:
            runs = encoded.get(text)
            if runs is None:
                if len(encoded) >= KEPT_TEXTS:  # tickets never recur: keep memory flat
                    encoded.clear()
                runs = encoded[text] = [(subset, f"({escapePDF(chunk)}) Tj")
                                        for subset, chunk in font.splitString(text, doc)]
            code.append(f"1 0 0 1 {at} Tm")
            for subset, shown in runs:
                if subset != current:
                    name = names.get(subset)
                    if name is None:
                        name = names[subset] = font.getSubsetInternalName(subset, doc)
                    code.append(f"{name} {FONT_SIZE} Tf")
                    current = subset
                code.append(shown)
        code.append("ET")
        canv.addLiteral("\n".join(code))

    return write


def _register_rows(s, header: list[str], widths: list[float], lines):
    """A flowable that, on each page it reaches, takes as many lines from ``lines`` (an
    iterator of RegisterLine lists) as fit and lays them out as one table with the header."""
    # ReportLab loads on first use.
    from reportlab.lib import colors
    from reportlab.lib.rl_accel import fp_str
    from reportlab.platypus import Flowable, Table, TableStyle

    font = cjk_font()
    fit = _fitter(font, FONT_SIZE)
    write = _text_writer(font)
    dates = _Dates()
    state_names = {code: _(msgid) for code, msgid in STATE_NAMES.items()}
    satisfaction = {code: _(msgid) for code, msgid in SATISFACTION_NAMES.items()}
    room = [w - 8 for w in widths]
    grid_colour = colors.HexColor("#777777")
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, FONT_SIZE, LEADING),
                        ("GRID", (0, 0), (-1, -1), 0.5, grid_colour),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 4),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                        ("TOPPADDING", (0, 0), (-1, -1), PAD),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8"))])
    heading = [s.p(h, s.register_label) for h in header]
    row_h = LEADING + 2 * PAD
    edges = [0.0]
    for w in widths:
        edges.append(edges[-1] + w)
    text_x = [fp_str(x + 4) for x in edges[:-1]]  # the left padding, as the header's

    def one_line(text: str) -> str:  # a line is one line high (summaries are already)
        return " ".join(text.split()) if "\n" in text or "\r" in text else text

    def cells(line) -> list[str]:
        result = line.result or (state_names.get(line.state, line.state)
                                 if line.state in ("withdrawn", "archived") else "")
        return [line.ticket, dates(line.received), fit(one_line(line.complainant), room[2]),
                fit(one_line(line.category), room[3]), fit(line.summary, room[4]),
                fit(result, room[5]), satisfaction.get(line.satisfaction, ""),
                fit(one_line(line.handler), room[7]), dates(line.closed_at)]

    class RegisterPage(Flowable):
        """One page's lines under the header: the header is a one-row table, the lines a
        grid and one text object (see _text_writer)."""

        def __init__(self, header_table, header_h: float, rows: list[list[str]]):
            super().__init__()
            self.header_table, self.header_h, self.rows = header_table, header_h, rows
            self.width = edges[-1]
            self.height = header_h + row_h * len(rows)

        def wrap(self, aW, aH):
            return self.width, self.height

        def split(self, aW, aH):
            return []  # made to fit the page it is on

        def draw(self):
            canv = self.canv
            body = self.height - self.header_h
            self.header_table.drawOn(canv, 0, body)
            canv.saveState()
            canv.setStrokeColor(grid_colour)
            canv.setLineWidth(0.5)
            canv.grid(edges, [body - i * row_h for i in range(len(self.rows) + 1)])
            canv.restoreState()
            placed = []
            for i, row in enumerate(self.rows):
                y = fp_str(body - i * row_h - PAD - FONT_SIZE)  # top-aligned, as in a table
                placed.extend((f"{x} {y}", text) for x, text in zip(text_x, row, strict=True)
                              if text)
            write(canv, placed)

    class RegisterRows(Flowable):
        def __init__(self, source, buffer):
            super().__init__()
            self.source, self.buffer = source, buffer
            self.header_h = None
            self.header_table = None

        def _more(self, n: int) -> bool:
            while len(self.buffer) < n:
                chunk = next(self.source, None)
                if chunk is None:
                    return False
                self.buffer.extend(chunk)
            return True

        def _header_height(self, aW) -> float:
            if self.header_h is None:
                t = Table([heading], colWidths=widths)
                t.setStyle(style)
                self.header_h = t.wrap(aW, 10_000)[1]
                self.header_table = t
            return self.header_h

        def wrap(self, aW, aH):
            fits = max(int((aH - self._header_height(aW)) // row_h), 0)
            if self._more(fits + 1):
                return aW, aH + 1  # more than the page holds: split
            self.page = self._page(len(self.buffer))
            return self.page.wrap(aW, aH)

        def draw(self):
            self.page.drawOn(self.canv, 0, 0)

        def _page(self, n: int):
            rows, self.buffer[:n] = self.buffer[:n], []
            return RegisterPage(self.header_table, self.header_h,
                                [cells(x) for x in rows])

        def split(self, aW, aH):
            fits = int((aH - self._header_height(aW)) // row_h)
            if fits < 3:  # not worth a table at the page's foot: start on the next
                return []
            self._more(fits + 1)
            first = self._page(min(fits, len(self.buffer)))
            if not self.buffer and not self._more(1):
                return [first]
            rest = RegisterRows(self.source, self.buffer)
            rest.header_h, rest.header_table = self.header_h, self.header_table
            return [first, rest]

    return RegisterRows(iter(lines), [])


def _widths(s, header: list[str], width: float) -> list[float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth  # ReportLab loads on first use

    font = cjk_font()

    def need(col: int, samples: list[str]) -> float:
        return max([stringWidth(header[col], font, s.register_label.fontSize)]
                   + [stringWidth(x, font, FONT_SIZE) for x in samples]) + 9

    date_sample = fmt_figure(date(2026, 12, 28))
    fixed = {0: need(0, ["2612310001"]), 1: need(1, [date_sample]),
             6: need(6, [_(m) for m in SATISFACTION_NAMES.values()]),
             8: need(8, [date_sample])}
    rest = width - sum(fixed.values())
    least = {c: _widest_word(header[c], font, s.register_label.fontSize) + 9 for c in SHARES}
    # every header word fits its column; the columns that needed more take it from the others
    short = {c for c in SHARES if rest * SHARES[c] < least[c]}
    spare = rest - sum(least[c] for c in short)
    others = sum(SHARES[c] for c in SHARES if c not in short)
    return [fixed[c] if c in fixed else least[c] if c in short else spare * SHARES[c] / others
            for c in range(len(header))]


def render_yearly_register(year: int, *, actor, lang: str, progress=None,
                           cancelled=None) -> bytes:
    """The register of ``year`` in ``lang``, landscape. Owner and manager only;
    ``progress`` and ``cancelled`` as for ``reports.register_chunks``."""
    # ReportLab loads on first use.
    from reportlab.lib.styles import ParagraphStyle

    from services import clock

    with language(lang):
        totals = reports.register_totals(year, actor=actor, now=clock.now())
        page = firm_page(str(year), TITLE, _("Year"), landscape=True)
        s, w = page.styles, page.width
        s.register_label = ParagraphStyle("register_label", parent=s.label, fontSize=8.5,
                                          leading=11)
        lang_now = current_language()
        story = [s.p(_("Complaints received in {year}: {count}.").format(
            year=year, count=format_number(totals.count, lang_now)))]
        header = [_(h) for h in COLUMNS]
        if totals.count:
            lines = reports.register_chunks(year, actor=actor, progress=progress,
                                            cancelled=cancelled)
            story.append(_register_rows(s, header, _widths(s, header, w), lines))
        else:
            story.append(s.p(_("No complaints.")))
        story += _totals(s, totals, w)
        story.append(signature_lines(s, [_("Person in charge"), _("Prepared by")], w))
        pdf = page.render(story)
        if progress:
            progress(1.0)
        return pdf


def _totals(s, t: reports.RegisterTotals, width: float) -> list:
    """The register's totals: by category, by state, and the two rates."""
    half = width * 0.6
    figures = [[_("Number of complaints"), fmt_figure(t.count)],
               [_("Satisfied"), fmt_figure(t.satisfied)],
               [_("Dissatisfied"), fmt_figure(t.dissatisfied)],
               [_("Satisfaction rate (%)"), fmt_figure(t.satisfaction_rate)],
               [_("Time limits met on time"), fmt_figure(t.clocks_on_time)],
               [_("Time limits due"), fmt_figure(t.clocks_due)],
               [_("On-time rate (%)"), fmt_figure(t.on_time_rate)]]
    return [
        s.p(_("Totals"), s.heading),
        figure_table(s, [_("Figure"), _("Year")], figures, half, numbers_from=1),
        s.p(_("By category"), s.heading),
        figure_table(s, [_("Category"), _("Number of complaints")],
                     [[name, fmt_figure(n)] for name, n in t.by_category], half,
                     numbers_from=1),
        s.p(_("By state"), s.heading),
        figure_table(s, [_("State"), _("Number of complaints")],
                     [[_(STATE_NAMES.get(code, code)), fmt_figure(n)] for code, n in t.by_state],
                     half, numbers_from=1),
    ]
