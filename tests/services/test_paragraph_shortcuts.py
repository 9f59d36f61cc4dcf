"""The two shortcuts a letter's paragraphs take past ReportLab (docs/design.md, "Paper"): plain
text gets the frag the parser would make without running the parser, and a broken line is
assembled per run of one frag instead of per character. Both are compared with ReportLab's
own code on random text."""
from __future__ import annotations

import random

import pytest
from reportlab.platypus.paragraph import cjkU, makeCJKParaLine

from services.documents import base
from services.i18n import language

ALPHABET = ("投诉处理答复客户单号调查核实现将结果如下。，：；！？（）《》“”"
            "abcdefghij KLMNOP 0123456789.,;:!?()-&<>'\"\t\n\u3000\xa0")
MARKUP = ("<b>{}</b>", "<i>{}</i>", "<font size=14>{}</font>", "{}<br/>", "{}")


def _random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


@pytest.fixture(scope="module")
def styles():
    with language("zh_CN"):
        yield base.Styles()


def _all(styles):
    return (styles.body, styles.title, styles.heading, styles.cell, styles.label,
            styles.small, styles.letter, styles.salutation, styles.closing)


def test_plain_text_gets_the_frags_the_parser_makes(styles):
    rng = random.Random(7)
    para = base._paragraph_class()
    shortcut = 0
    for _ in range(400):
        text = _random_text(rng, rng.randint(0, 40))
        if rng.random() < 0.5:  # half of them with no character the parser would change
            text = " ".join("".join(ch for ch in text if ch not in "&<>'\"\t\n\u3000\xa0")
                            .split())
        for style in _all(styles):
            fast = styles.p(text, style)
            parsed = para(base.para_text(text), style)
            assert [f.__dict__ for f in fast.frags] == [f.__dict__ for f in parsed.frags], text
            shortcut += base._PLAIN.fullmatch(text) is not None
    assert shortcut > 1000  # the shortcut was taken, not only the parser


def test_styles_made_per_document_share_the_frags_the_parser_makes():
    """Every document makes its own styles; a plain frag is kept by the look the parser reads
    (font, size, colour), so it must be the parser's for styles made afresh at every scale,
    in both languages, and for a style of another font and colour."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    para = base._paragraph_class()
    for lang in ("zh_CN", "en"):
        with language(lang):
            for scale in (1.0, 0.86, 0.7, 1.0):
                made = base.Styles(scale)
                extra = ParagraphStyle("other", parent=made.small, fontName="Helvetica",
                                       textColor=HexColor("#aa0000"), fontSize=9.5 * scale)
                for style in (*_all(made), extra):
                    for text in ("投诉单号 2612", "Reply to ticket 2612", "x"):
                        fast = made.p(text, style)
                        parsed = para(base.para_text(text), style)
                        assert [f.__dict__ for f in fast.frags] == \
                            [f.__dict__ for f in parsed.frags], (lang, scale, style.name)


def _merged(words):
    """Words as (style, text), neighbours of one style joined: how they print."""
    out = []
    for w in words:
        key = (w.fontName, w.fontSize, str(w.textColor), getattr(w, "rise", 0))
        if out and out[-1][0] == key and not hasattr(w, "lineBreak"):
            out[-1] = (key, out[-1][1] + w.text)
        else:
            out.append((key, w.text))
    return [o for o in out if o[1]]


def test_lines_are_the_lines_reportlab_would_assemble(styles):
    rng = random.Random(11)
    para = base._paragraph_class()
    for _ in range(200):
        pieces = [rng.choice(MARKUP).format(base.para_text(_random_text(rng, rng.randint(1, 30))))
                  for _ in range(rng.randint(1, 5))]
        p = para("".join(pieces), rng.choice(_all(styles)))
        width = rng.choice((60, 150, 300, 480))
        broken = p.breakLinesCJK([width])
        # ReportLab's assembly of the same breaks, character by character.
        units = []
        for f in p.frags:
            text = getattr(f, "text", "") or ""
            units.extend(cjkU(t, f, "utf8") for t in text) if text else units.append(
                cjkU("", f, "utf8"))
        hard = {k for k, u in enumerate(units) if hasattr(u.frag, "lineBreak")}
        expected = base.break_lines(units, [u.width for u in units], [width], hard)
        assert len(broken.lines) == len(expected)
        for line, (a, b, _nxt, used) in zip(broken.lines, expected, strict=True):
            theirs = makeCJKParaLine(units[a:b], width, used, width - used, (b - 1) in hard,
                                     False)
            for attr in ("fontSize", "ascent", "descent", "extraSpace", "currentWidth",
                         "lineBreak", "maxWidth"):
                assert getattr(line, attr) == pytest.approx(getattr(theirs, attr)), attr
            assert _merged(line.words) == _merged(theirs.words)


def _break_lines_checking_every_character(chars, widths, max_widths, hard):
    """break_lines as it was first written: the last allowed break remembered at every
    character, not looked for at the overflow."""
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
        if i > start and base._may_break(chars[i - 1], ch):
            last_ok = i
        if ch.isspace() or used + widths[i] <= limit + 1e-6 or i == start:
            used += widths[i]
            i += 1
            continue
        if last_ok > start:
            cut = last_ok
        else:
            cut = next((j for j in range(i, start, -1)
                        if chars[j - 1] not in base.CANNOT_END
                        and chars[j] not in base.CANNOT_START
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


def test_a_break_looked_for_at_the_overflow_is_the_one_remembered_at_every_character():
    rng = random.Random(23)
    wide = "投诉处理答复客户单号调查核实现将结果如下"
    marks = base.CANNOT_START + base.CANNOT_END + " \u3000\t"
    for _ in range(2000):
        chars = [rng.choice(rng.choice((wide, "abcdefgh0123", marks)))
                 for _ in range(rng.randint(0, 80))]
        widths = [rng.choice((3.0, 5.5, 10.5, 12.0)) for _ in chars]
        hard = {k for k in range(len(chars)) if rng.random() < 0.03}
        max_widths = [rng.choice((11.0, 40.0, 95.0, 200.0)) for _ in range(rng.randint(1, 3))]
        assert base.break_lines(chars, widths, max_widths, hard) == \
            _break_lines_checking_every_character(chars, widths, max_widths, hard)
