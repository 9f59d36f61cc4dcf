"""Errors of the data layer, with untranslated messages (the services translate them).

``N_`` only marks a message for the catalog; ``services.i18n`` shows it in the user's language.
"""
from __future__ import annotations


def N_(msgid: str) -> str:
    """Mark a message for translation without translating it here."""
    return msgid


class SchemaError(Exception):
    """The database cannot be used by this version of the program.

    ``msgid`` is an English message marked with ``N_``; ``params`` fill it in when shown.
    """

    def __init__(self, message: str, **params):
        super().__init__(message.format(**params) if params else message)
        self.msgid = message
        self.params = params
