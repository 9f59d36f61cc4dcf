"""Per-PC preferences over QSettings, behind one typed registry with defaults
(docs/design.md; firm-wide settings live in the database, see services.settings)."""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "ComplaintDesk"
APPLICATION = "ComplaintDesk"
VERSION = 2  # 2: a server password is never kept here (docs/design.md, Credentials)


class Pref:
    """One preference: its QSettings key, its default and its type. A plain class, not a
    dataclass: the dataclasses module is not needed before the log-in's first paint."""

    __slots__ = ("key", "default", "kind")

    def __init__(self, key: str, default: Any, kind: type):
        self.key, self.default, self.kind = key, default, kind

    def __repr__(self) -> str:
        return f"Pref({self.key!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Pref) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


LANGUAGE = Pref("ui/language", "", str)  # "" = not chosen yet (first start asks)
LAST_LOGIN = Pref("login/last_user", "", str)
LAST_DATABASE = Pref("db/location", "", str)
MAIN_GEOMETRY = Pref("window/main_geometry", QByteArray(), QByteArray)
MAIN_STATE = Pref("window/main_state", QByteArray(), QByteArray)
REGISTER_HEADER = Pref("register/header_state", QByteArray(), QByteArray)
COMPLAINT_GEOMETRY = Pref("window/complaint_geometry", QByteArray(), QByteArray)
DUE_REFRESH_SECONDS = Pref("due/refresh_seconds", 60, int)

_store: QSettings | None = None


def store() -> QSettings:
    global _store
    if _store is None:
        _store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                           APPLICATION)
        _upgrade(_store)
    return _store


def use_file(path: str) -> None:
    """Keep preferences in a given file (tests, portable installs)."""
    global _store
    _store = QSettings(path, QSettings.Format.IniFormat)
    _upgrade(_store)


def _upgrade(s: QSettings) -> None:
    # Versioned upgrade hooks, as Picard's config_upgrade_hooks: rename or convert keys
    # written by older versions here, then bump the stored version.
    if int(s.value("meta/version", 0) or 0) < 2:
        # Version 1 kept a PostgreSQL URL with its password in clear: drop the password (the
        # next start asks for it once and keeps it in the keyring).
        for key in s.allKeys():
            value = s.value(key)
            if isinstance(value, str) and _no_password(value) != value:
                s.setValue(key, _no_password(value))
    if int(s.value("meta/version", 0) or 0) < VERSION:
        s.setValue("meta/version", VERSION)


def get(pref: Pref):
    value = store().value(pref.key, pref.default)
    if value is None:
        return pref.default
    if pref.kind is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return pref.default
    if pref.kind is str:
        return str(value)
    return value


_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]*):[^\s/]*@", re.IGNORECASE)


def _no_password(text: str) -> str:
    """A URL's password left out (the same rule as services.firm.credentials)."""
    return _URL_PASSWORD.sub(r"\1@", text)


def put(pref: Pref, value) -> None:
    if isinstance(value, str):
        value = _no_password(value)  # never a password in this file, whoever asks
    store().setValue(pref.key, value)
    store().sync()


def restore_geometry(widget, pref: Pref) -> bool:
    """Restore a window's saved geometry, then keep it on a screen: never larger than the
    screen's available area (a geometry saved at another scale or on a bigger monitor), and
    centred on the screen when it would open (mostly) off it. False if nothing was saved."""
    saved = get(pref)
    if not saved or saved.isEmpty() or not widget.restoreGeometry(saved):
        return False
    fit_to_screen(widget)
    return True


def fit_to_screen(widget) -> None:
    """Shrink ``widget`` (a top-level window) to its screen's available area, frame included,
    and centre it there when most of it lies outside."""
    from PySide6.QtGui import QGuiApplication

    frame, inner = widget.frameGeometry(), widget.geometry()
    screen = QGuiApplication.screenAt(frame.center()) or widget.screen() \
        or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    if widget.isMaximized() or widget.isFullScreen():
        return
    # the window frame (title bar, borders) is outside geometry(): leave room for it (before
    # the first show Qt does not know it yet: allow a usual title bar and border)
    extra_w = frame.width() - inner.width() if frame != inner else 16
    extra_h = frame.height() - inner.height() if frame != inner else 40
    width = min(inner.width(), area.width() - extra_w)
    height = min(inner.height(), area.height() - extra_h)
    if (width, height) != (inner.width(), inner.height()):
        widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))
    frame = widget.frameGeometry()
    visible = frame.intersected(area)
    if visible.width() * visible.height() < frame.width() * frame.height() // 2 \
            or not area.contains(frame.topLeft()):
        frame.moveCenter(area.center())
        left = max(area.left(), min(frame.left(), area.right() - frame.width() + 1))
        top = max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1))
        widget.move(left, top)
