"""The fonts of printed documents, registered with ReportLab once per process
(docs/rules.md §8): the CJK font every document uses (the shipped one unless Windows has its
own), and a serif / 仿宋-like face for letters where the PC has one.

``warm_up()`` registers everything a first print needs; it is thread-safe, so the window may
call it off the GUI thread after its first paint.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "ComplaintDeskCJK"
LETTER_FONT_NAME = "ComplaintDeskLetter"
_lock = threading.RLock()
_registered: str | None = None
_path: Path | None = None
_letter: str | None = None
_letter_path: Path | None = None
log = logging.getLogger(__name__)

# Serif / 仿宋-like Chinese faces, best first, by file name (TrueType outlines only: ReportLab
# cannot embed CFF-based OpenType, so such a file is tried and skipped).
LETTER_FILES = ("simfang.ttf", "STFANGSO.TTF", "STFangsong.ttf", "FangSong.ttf",
                "fangsong.ttf", "FZFSK.TTF", "simsun.ttc", "uming.ttc",
                "NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf",
                "SourceHanSerif-Regular.ttc", "SourceHanSerifSC-Regular.otf")


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows") \
        / "Fonts"


def font_dirs() -> list[Path]:
    """The folders fonts are installed in: Windows', the user's and fontconfig's."""
    home = Path.home()
    dirs = [_windows_fonts(),
            home / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts",
            home / ".local" / "share" / "fonts", home / ".fonts",
            Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return [d for d in dirs if d.is_dir()]


def candidates() -> list[Path]:
    """Where to look for the main font, best first: Windows' own Chinese fonts, then the
    font we ship."""
    windir = _windows_fonts()
    return [windir / "msyh.ttc", windir / "simsun.ttc", SHIPPED]


def letter_candidates() -> list[Path]:
    """The serif faces installed on this PC, in the order of LETTER_FILES."""
    wanted = {name.lower(): rank for rank, name in enumerate(LETTER_FILES)}
    found: dict[int, Path] = {}
    for folder in font_dirs():
        try:
            walker = os.walk(folder)
            for root, _dirs, files in walker:
                for name in files:
                    rank = wanted.get(name.lower())
                    if rank is not None and rank not in found:
                        found[rank] = Path(root) / name
        except OSError:  # an unreadable folder: look elsewhere
            continue
    return [found[r] for r in sorted(found)]


def _register(name: str, path: Path) -> bool:
    from reportlab.pdfbase import pdfmetrics  # ReportLab loads on first use
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        # subfontIndex 0: the regular face; only the used glyphs are embedded.
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    except Exception as exc:  # noqa: BLE001 - a damaged or CFF font: try the next
        log.info("font %s not usable for documents: %s", path, exc)
        return False
    return True


def cjk_font() -> str:
    """The ReportLab font name to use; the first call registers it (about 100 ms)."""
    global _registered, _path
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            for path in candidates():
                if path.is_file() and _register(FONT_NAME, path):
                    _path, _registered = path, FONT_NAME
                    break
            if _registered is None:
                raise RuntimeError(f"No usable Chinese font (looked at {candidates()})")
    return _registered


def letter_font() -> str:
    """The font of a letter's text: a serif / 仿宋-like face when the PC has one, the main
    font otherwise. Looked up and registered once per process."""
    global _letter, _letter_path
    if _letter is not None:
        return _letter
    with _lock:
        if _letter is None:
            main = cjk_font()
            for path in letter_candidates():
                if _register(LETTER_FONT_NAME, path):
                    _letter_path, _letter = path, LETTER_FONT_NAME
                    break
            else:
                _letter = main
    return _letter


def font_path() -> Path | None:
    """The file the main font came from (None before the first use)."""
    return _path


def letter_font_path() -> Path | None:
    """The file of the letter face (None when letters use the main font)."""
    return _letter_path


def warm_up() -> None:
    """Register every font a first print needs, and load the ReportLab modules it uses
    (thread-safe; call it off the GUI thread)."""
    cjk_font()
    letter_font()
    from reportlab.graphics.barcode import qr  # noqa: F401 - the letters' QR code
    from reportlab.platypus import SimpleDocTemplate  # noqa: F401
