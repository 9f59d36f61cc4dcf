"""What the document tests read out of a PDF: its text, and whether its fonts are embedded;
and the sample pictures of page 1 for docs/samples/."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.documents import fonts


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """The text without white space: PDF line breaks fall anywhere in Chinese."""
    return "".join(text.split())


def assert_has(pdf: bytes, *needles: str) -> None:
    text = flat(pdf_text(pdf))
    missing = [n for n in needles if flat(n) not in text]
    assert missing == [], f"missing {missing} in {pdf_text(pdf)[:3000]}"


def assert_fonts_embedded(pdf: bytes) -> None:
    for page in PdfReader(io.BytesIO(pdf)).pages:
        used = [f.get_object() for f in page["/Resources"]["/Font"].values()]
        assert used
        for font in used:  # every font embedded (a subset): readable on any viewer
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            if fonts.font_path() == fonts.SHIPPED:
                assert "WenQuanYi" in str(font["/BaseFont"])


ROOT = Path(__file__).resolve().parents[1]

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm (poppler-utils) is not installed")


def write_sample_png(pdf: bytes, name: str, tmp_path: Path) -> None:
    """Page 1 at 90 dpi (Chinese stays legible); into docs/samples/ when
    COMPLAINTDESK_WRITE_SAMPLES is set (a test run leaves the work tree alone otherwise)."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    folder = ROOT / "docs" / "samples" if os.environ.get("COMPLAINTDESK_WRITE_SAMPLES") \
        else tmp_path
    subprocess.run(["pdftoppm", "-r", "90", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(folder / name)], check=True)
    assert (folder / f"{name}.png").stat().st_size > 1000


def text_runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, float, float]]:
    """The text drawn on page ``page`` (0-based) as (text, x, y, font size) runs, in page
    coordinates, in drawing order."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, _font, size):
        if text and text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x, y, size * (tm[0] or 1)))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs
