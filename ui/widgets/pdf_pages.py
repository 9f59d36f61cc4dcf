"""PDF pages as images, for the in-program preview and for printing.

pypdfium2 renders the pages (QtPdf would need the much larger PySide6-Addons). PDFium is not
thread-safe, so every call into it holds one lock: the worker thread may render a produced
document while the GUI thread renders pages for the printer.
"""
from __future__ import annotations

import threading

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

PREVIEW_DPI = 144  # sharp at 100 % on a high-density screen, small enough for a few pages
PRINT_DPI = 300  # the most a page image needs on paper
_PDFIUM = threading.Lock()


def page_count(pdf_bytes: bytes) -> int:
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf_bytes)
        try:
            return len(doc)
        finally:
            doc.close()


def pdf_to_images(pdf_bytes: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``pdf_bytes`` as an RGB QImage at ``dpi`` (its dots per metre set, so a
    printer or a viewer knows the page's physical size)."""
    images: list[QImage] = []
    dots_per_metre = round(dpi / 0.0254)
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf_bytes)
        try:
            for index in range(len(doc)):
                page = doc[index]
                try:
                    bitmap = page.render(scale=dpi / 72)
                    try:
                        pil = bitmap.to_pil().convert("RGB")
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                data = pil.tobytes()
                image = QImage(data, pil.width, pil.height, 3 * pil.width,
                               QImage.Format.Format_RGB888).copy()  # own the pixels
                image.setDotsPerMeterX(dots_per_metre)
                image.setDotsPerMeterY(dots_per_metre)
                images.append(image)
        finally:
            doc.close()
    return images
