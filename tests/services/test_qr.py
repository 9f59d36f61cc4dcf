"""The letters' QR code (services/documents/qr.py): the mask chosen by our count of the
penalties is ReportLab's, so the symbol printed is the one ReportLab's encoder makes."""
from __future__ import annotations

import random

from reportlab.graphics.barcode import qrencoder

from services.documents import qr

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-/ abcdefghij投诉单号"


def _code(value: str, level: str = "M"):
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(value)
    return code


def test_every_mask_scores_as_reportlab_scores_it():
    rng = random.Random(3)
    for _ in range(60):
        code = _code("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 60))))
        code.version = code.calculate_version()
        for mask in range(8):
            code.makeImpl(True, mask)
            assert qr.lost_points(code.modules) == qrencoder.QRUtil.getLostPoint(code)


def test_finder_patterns_at_a_rows_ends_score_as_reportlab_scores_them():
    """The finder rule counts along rows, never at a row's last possible place, and our
    count searches all rows at once: patterns planted at both ends, and one place before."""

    class Grid:  # what getLostPoint reads of a symbol
        def __init__(self, modules):
            self.modules = modules

        def getModuleCount(self):
            return len(self.modules)

        def isDark(self, row, col):
            return self.modules[row][col]

    rng = random.Random(7)
    for _ in range(300):
        n = rng.choice([21, 25, 29])
        modules = [[rng.random() < 0.5 for _ in range(n)] for _ in range(n)]
        for row in modules:
            if rng.random() < 0.4:
                at = rng.choice([0, n - 11, n - 12, rng.randint(0, n - 11)])
                row[at:at + 11] = [ch == "1" for ch in "10111010000"]
        assert qr.lost_points(modules) == qrencoder.QRUtil.getLostPoint(Grid(modules))


def test_the_symbol_is_reportlabs():
    rng = random.Random(5)
    values = ["2312055997", "A-2024-000123", "x" * 40]
    values += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 80)))
               for _ in range(80)]
    for value in values:
        level = rng.choice("LMQH")
        theirs, ours = _code(value, level), _code(value, level)
        theirs.make()
        qr.make(ours)
        assert ours.modules == theirs.modules, value


def test_a_day_of_printing_keeps_only_the_last_few_codes():
    from reportlab.pdfgen.canvas import Canvas

    from services.documents import base

    page = Canvas(None)
    for n in range(base._QR_KEPT + 10):
        base.draw_qr(page, base.qr_drawing(f"26120500{n:04d}", 40), 0, 0)
    assert len(base._qr_modules) == base._QR_KEPT
    assert ("26120500" + f"{base._QR_KEPT + 9:04d}", 40, 40) in base._qr_modules
