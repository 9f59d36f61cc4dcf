"""The QR code on every complaint document (docs/design.md, "Paper"): ReportLab's encoder,
with its choice of mask pattern made by a faster count of the same penalties.

A QR encoder tries the eight mask patterns and keeps the one with the fewest penalty points
(runs of one colour, 2×2 blocks, finder-like patterns, the dark share). ReportLab scores each
try module by module in Python, which cost more than the rest of a letter's page furniture.
``lost_points`` counts exactly what ReportLab's ``QRUtil.getLostPoint`` counts — including
that its finder-pattern rule only looks along rows — over strings and integers, so the code
printed is the one ReportLab would print (tests/services/test_qr.py compares them).
"""
from __future__ import annotations

import re

_RUN = re.compile(r"0{5,}|1{5,}")  # five or more modules of one colour in a line
_FINDER = "10111010000"  # dark-light-dark×3-light-dark, then four light


def lost_points(modules: list[list[bool]]) -> int:
    """The penalty of a masked symbol, as ReportLab's getLostPoint scores it."""
    return _lost([_bits(row) for row in modules], len(modules))


def _bits(row) -> int:
    """A row of modules as an integer: bit c is module c."""
    return int(bytes(row).translate(_DIGITS)[::-1], 2)


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _lost(bits: list[int], n: int) -> int:
    rows = [format(b, f"0{n}b")[::-1] for b in bits]
    columns = ["".join(col) for col in zip(*rows, strict=True)]
    # Runs of five or more: 3 points, and one more per module beyond five. All the lines
    # are searched at once, apart by a "2" no run crosses.
    runs = _RUN.findall("2".join(rows + columns))
    score = sum(map(len, runs)) - 2 * len(runs)
    # Each 2×2 block of one colour: 3 points.
    full = (1 << n) - 1
    inner = full & ~1
    blocks = 0
    for below, above in zip(bits[1:], bits, strict=False):
        same = ~(below ^ above) & full
        blocks += (same & (same << 1) & ~(below ^ (below << 1)) & inner).bit_count()
    score += 3 * blocks
    # The finder-like pattern, 40 points each, not overlapping, along rows only, and not
    # at the row's last possible place (as ReportLab scans). The rows are searched at once,
    # apart by a "2"; a row's place is its offset from the row's start.
    last = n - len(_FINDER)
    joined = "2".join(rows)
    at = joined.find(_FINDER)
    while at >= 0:
        if at % (n + 1) < last:
            score += 40
            at = joined.find(_FINDER, at + len(_FINDER))
        else:  # at the row's last place: the next row
            at = joined.find(_FINDER, at + 1)
    # The dark share's distance from half, 10 points per 5%.
    dark = sum(b.bit_count() for b in bits)
    score += 10 * (abs(100 * dark // (n * n) - 50) // 5)
    return score


# Per version, per mask pattern, per row: the data modules the mask turns over.
_flips: dict[int, list[list[int]]] = {}


def _mask_flips(qr) -> list[list[int]]:
    if qr.version not in _flips:
        from reportlab.graphics.barcode.qrencoder import QRUtil  # loads with the encoder

        per_mask = []
        for mask in range(8):
            turns = QRUtil.getMask(mask)
            rows = [0] * qr.moduleCount
            for col, row in qr.dataPosIterator():
                if turns(row, col):
                    rows[row] |= 1 << col
            per_mask.append(rows)
        _flips[qr.version] = per_mask
    return _flips[qr.version]


def make(qr) -> None:
    """``qr.make()`` of ReportLab's ``QRCode``: the same symbol, the mask chosen faster. The
    symbol is laid out once (as ReportLab does for a try); each mask's try is that layout with
    the data modules the mask turns over turned."""
    if qr.version is None:
        qr.version = qr.calculate_version()
    qr.makeImpl(True, 0)
    flips = _mask_flips(qr)
    n = qr.moduleCount
    plain = [_bits(row) ^ f for row, f in zip(qr.modules, flips[0], strict=True)]
    best = pattern = None
    for mask in range(8):
        lost = _lost([p ^ f for p, f in zip(plain, flips[mask], strict=True)], n)
        if best is None or lost < best:
            best, pattern = lost, mask
    qr.makeImpl(False, pattern)
