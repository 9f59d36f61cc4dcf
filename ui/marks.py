"""How time limits look on every screen: overdue red, due-soon amber (docs/rules.md: show what
is due, warn before it is due, mark what is overdue). The "time left" words are the services'
(services.timelimits.clocks.time_left_text)."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

OVERDUE = QColor("#c62828")  # red text, readable on white and on the alternate row colour
DUE_SOON = QColor("#a15c00")  # amber dark enough for text
PAUSED = QColor("#5f6368")


@lru_cache(maxsize=4)
def dot_icon(name: str = "#c62828", size: int = 12) -> QIcon:
    """A filled circle: the overdue mark beside the word, so it is seen at a glance."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(name))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def overdue_icon() -> QIcon:
    return dot_icon(OVERDUE.name())
