"""The program's icons: small SVG files under resources/icons/."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

# A PyInstaller build unpacks resources/ beside the program (sys._MEIPASS).
_ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
ICON_DIR = _ROOT / "resources" / "icons"


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if the file is missing)."""
    path = ICON_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    return icon("complaintdesk")
