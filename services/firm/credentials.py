"""The database server's password: kept in the OS keyring, asked for when there is none, and
never written in clear (docs/design.md, Credentials).

A PostgreSQL location is remembered, logged and printed without its password
(``redact``/``without_password``); the password itself lives in the operating system's
keyring (Windows Credential Manager, macOS Keychain, the Secret Service on Linux) under
"ComplaintDesk" and ``user@host:port/db``. Where no keyring backend is usable (a bare Linux
server, CI) nothing is stored: the window and the command line ask at each start.
"""
from __future__ import annotations

import logging
from urllib.parse import unquote, urlparse

from models import db as dbmod
from services.errors import PasswordNeeded
from services.firm import setup
from services.i18n import N_

KEYRING_SERVICE = "ComplaintDesk"
log = logging.getLogger("complaintdesk.credentials")

redact = dbmod.redact
redact_text = dbmod.redact_text
is_server = dbmod.is_postgres_url


def without_password(location: str) -> str:
    return dbmod.split_password(location)[0]


def split(location: str) -> tuple[str, str | None]:
    """The location to remember (no password) and the password it carried, if any."""
    return dbmod.split_password(location)


def account(location: str) -> str:
    """The keyring's name for a server login: ``user@host:port/db``."""
    url = urlparse(without_password(location))
    db = unquote(url.path.lstrip("/")) or "complaintdesk"
    user = unquote(url.username or "")
    return f"{user}@{url.hostname or '127.0.0.1'}:{url.port or 5432}/{db}"


def server_user(location: str) -> str:
    return unquote(urlparse(location).username or "")


def _keyring():
    """The keyring module when a real backend is there, else None (never raises)."""
    try:
        import keyring
        from keyring.errors import KeyringError  # noqa: F401 - the package is whole
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - any broken backend means "ask instead"
        log.info("No keyring: %s", exc)
        return None
    if getattr(backend, "priority", 0) <= 0:  # keyring.backends.fail / null
        return None
    return keyring


def keyring_usable() -> bool:
    return _keyring() is not None


def remember(location: str, password: str) -> bool:
    """Keep the password in the keyring; False when there is no usable keyring."""
    kr = _keyring()
    if kr is None or not password:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, account(location), password)
    except Exception as exc:  # noqa: BLE001 - locked or refused: we ask next time
        log.warning("The keyring refused to keep the password for %s: %s",
                    account(location), exc)
        return False
    return True


def recall(location: str) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(KEYRING_SERVICE, account(location))
    except Exception as exc:  # noqa: BLE001
        log.warning("The keyring could not be read for %s: %s", account(location), exc)
        return None


def forget(location: str) -> None:
    kr = _keyring()
    if kr is None:
        return
    try:
        kr.delete_password(KEYRING_SERVICE, account(location))
    except Exception:  # noqa: BLE001 - nothing kept, or the keyring refused: nothing to do
        pass


def _asks_for_password(exc: BaseException) -> bool:
    """Whether a connection failed because the server wants a (different) password."""
    text = str(exc).lower()
    return any(s in text for s in ("password authentication failed", "no password supplied",
                                   "password is required", "authentication failed"))


def open_database(location: str, password: str | None = None):
    """Open (and migrate) ``location``; for a server, with the password given, the one in the
    URL or the one in the keyring. A password that worked is kept in the keyring.

    Raises ``PasswordNeeded`` when the server asks for a password we do not have (or refused
    the one we had): the caller asks the user and calls again with it.
    """
    if not is_server(location or ""):
        return setup.open_database(location)
    clean, in_url = split(location)
    given = password or in_url
    secret = given or recall(clean)
    try:
        db = setup.open_database(dbmod.with_password(clean, secret))
    except Exception as exc:
        if not _asks_for_password(exc):
            raise
        log.warning("The server refused the log-in of %s", account(clean))
        if secret and not given:
            forget(clean)  # the kept one is stale
        raise PasswordNeeded(
            N_("The database server asks for the password of {user} on {server}.")
            if not secret else
            N_("The database server refused the password of {user} on {server}."),
            field="db_password", user=server_user(clean) or "?", server=account(clean),
        ) from None
    if given:
        remember(clean, given)
    return db
