"""What the document tests read out of a PDF: its text, and whether its fonts are embedded."""
from __future__ import annotations

import io

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
