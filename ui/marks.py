"""How time limits look on every screen: overdue red, due-soon amber, and "time left" text
(SPEC §5: show what is due, warn before it is due, mark what is overdue)."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from services.i18n import _, ngettext

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


def duration_text(span: timedelta) -> str:
    """A length of time in its two largest units: "1 d 3 h", "2 h 10 min", "5 min"."""
    minutes = int(abs(span).total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    d = ngettext("{n} d", "{n} d", days).format(n=days)
    h = ngettext("{n} h", "{n} h", hours).format(n=hours)
    m = ngettext("{n} min", "{n} min", mins).format(n=mins)
    if days:
        return f"{d} {h}" if hours else d
    if hours:
        return f"{h} {m}" if mins else h
    if mins:
        return m
    return _("less than a minute")


def time_left_text(remaining: timedelta | None) -> str:
    """What is left before a due time; a negative span is how long it is overdue."""
    if remaining is None:
        return "—"
    if remaining < timedelta(0):
        return _("overdue {time}").format(time=duration_text(remaining))
    return duration_text(remaining)
