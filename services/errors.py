"""Domain errors: what a user did wrong, with a translatable message (docs/design.md)."""
from __future__ import annotations

from services.i18n import _


class DomainError(Exception):
    """Base class. ``message`` is an English msgid marked with N_(); ``params`` fill it in.

    The text is translated when shown, so the same error reads right in either language.
    ``field`` names the form field at fault, for inline display.
    """

    def __init__(self, message: str, *, field: str | None = None, **params):
        super().__init__(message)
        self.msgid = message
        self.field = field
        self.params = params

    def message(self) -> str:
        params = {k: (v.translated() if isinstance(v, _Joined) else
                      _(v) if isinstance(v, _Translatable) else v)
                  for k, v in self.params.items()}
        return _(self.msgid).format(**params)

    def __str__(self) -> str:
        return self.message()


class _Translatable(str):
    """A parameter value that is itself a msgid (a state or role name)."""


def tr_param(msgid: str) -> _Translatable:
    return _Translatable(msgid)


class _Joined(str):
    """Several msgids shown joined (e.g. role names), each translated when shown."""

    def __new__(cls, separator: str, parts: list[str]):
        obj = super().__new__(cls, separator.join(parts))
        obj.separator, obj.parts = separator, list(parts)
        return obj

    def translated(self) -> str:
        return self.separator.join(_(p) for p in self.parts)


def tr_join(separator: str, msgids) -> _Joined:
    return _Joined(separator, list(msgids))


class ValidationError(DomainError):
    """Bad input: empty, too long, impossible date, unknown choice, absurd amount."""


class PermissionDenied(DomainError):
    """The acting user may not do or see this (rules.md §2 roles, recusal, confidentiality)."""


class StateError(DomainError):
    """The action is not allowed in the complaint's current state (rules.md §4)."""


class NotFound(DomainError):
    pass


def found(row, message: str, *, field: str | None = None, **params):
    """``row`` as looked up, or NotFound with ``message`` (marked with N_) when it is None."""
    if row is None:
        raise NotFound(message, field=field, **params)
    return row


class DeadlineRuleError(ValidationError):
    """A time-limit rule or limit text that cannot be used (rules.md §5)."""


class Cancelled(DomainError):
    """The user cancelled long work; nothing was produced."""


class SchemaError(DomainError):
    """The database cannot be used by this version of the program."""
