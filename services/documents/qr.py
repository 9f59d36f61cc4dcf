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
    n = len(modules)
    rows = ["".join("1" if m else "0" for m in row) for row in modules]
    columns = ["".join(col) for col in zip(*rows, strict=True)]
    score = 0
    # Runs of five or more: 3 points, and one more per module beyond five.
    for line in rows + columns:
        for run in _RUN.finditer(line):
            score += run.end() - run.start() - 2
    # Each 2×2 block of one colour: 3 points (bit c of a row is its module c).
    full = (1 << n) - 1
    inner = full & ~1
    bits = [int(row[::-1], 2) for row in rows]
    for below, above in zip(bits[1:], bits, strict=False):
        same = ~(below ^ above) & full
        level = ~(below ^ (below << 1)) & inner
        score += 3 * bin(same & (same << 1) & level).count("1")
    # The finder-like pattern, 40 points each, not overlapping, along rows only, and not
    # at the row's last possible place (as ReportLab scans).
    last = n - len(_FINDER)
    for row in rows:
        at = row.find(_FINDER)
        while 0 <= at < last:
            score += 40
            at = row.find(_FINDER, at + len(_FINDER))
    # The dark share's distance from half, 10 points per 5%.
    dark = sum(row.count("1") for row in rows)
    score += 10 * (abs(100 * dark // (n * n) - 50) // 5)
    return score


def make(qr) -> None:
    """``qr.make()`` of ReportLab's ``QRCode``: the same symbol, the mask chosen faster."""
    if qr.version is None:
        qr.version = qr.calculate_version()
    best = pattern = None
    for mask in range(8):
        qr.makeImpl(True, mask)
        lost = lost_points(qr.modules)
        if best is None or lost < best:
            best, pattern = lost, mask
    qr.makeImpl(False, pattern)
