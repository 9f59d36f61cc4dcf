"""The CJK font for printed documents, registered with ReportLab once per process
(docs/rules.md §8)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "ComplaintDeskCJK"
_lock = threading.Lock()
_registered: str | None = None
_path: Path | None = None


def candidates() -> list[Path]:
    """Where to look, best first: Windows' own Chinese fonts, then the font we ship."""
    windir = Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows")
    return [windir / "Fonts" / "msyh.ttc", windir / "Fonts" / "simsun.ttc", SHIPPED]


def cjk_font() -> str:
    """The ReportLab font name to use; the first call registers it (about 100 ms)."""
    global _registered, _path
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            # ReportLab loads on first use.
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            last_error: Exception | None = None
            for path in candidates():
                if not path.is_file():
                    continue
                try:
                    # subfontIndex 0: the regular face; only the used glyphs are embedded.
                    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
                except Exception as exc:  # noqa: BLE001 - a damaged system font: try the next
                    last_error = exc
                    continue
                _path = path
                _registered = FONT_NAME
                break
            if _registered is None:
                raise RuntimeError(f"No usable Chinese font (looked at {candidates()})"
                                   ) from last_error
    return _registered


def font_path() -> Path | None:
    """The file the registered font came from (None before the first use)."""
    return _path
