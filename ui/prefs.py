"""Per-PC preferences over QSettings, behind one typed registry with defaults
(docs/design.md; firm-wide settings live in the database, see services.settings)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "ComplaintDesk"
APPLICATION = "ComplaintDesk"
VERSION = 2  # 2: a server password is never kept here (docs/design.md, Credentials)


@dataclass(frozen=True)
class Pref:
    key: str
    default: Any
    kind: type


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
