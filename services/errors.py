"""Domain errors: what a user did wrong, with a translatable message (docs/design.md)."""
from __future__ import annotations

from services.i18n import N_, _


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


class NotYours(PermissionDenied, NotFound):
    """A complaint that does not exist, is confidential for the reader, or is about them:
    one and the same answer, so nobody learns that a complaint about them exists (rules.md
    §2). ``rule`` (not shown) says which, for tests and logs."""

    def __init__(self, ticket: str = "", *, rule: str = "hidden", field: str | None = None):
        super().__init__(N_("No complaint {ticket}, or it is not yours to see."), field=field,
                         ticket=ticket, rule=rule)


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


class StaleError(StateError):
    """The complaint changed since the user looked at it (another PC took a step): the step is
    refused rather than overwrite it; ``params["version"]`` is the version now."""


# --- when the database fails (docs/design.md, When something fails) ---------------------------
# The low-level errors of sqlite3, peewee and psycopg2 become one of these, with a sentence
# in the user's language, at the two edges (the window's worker, the command line's run).
# Nothing was saved when one is raised: the step's transaction was rolled back.


class DatabaseError(DomainError):
    """The database could not do what was asked; nothing of the step was saved."""

    retry = False  # whether trying again a little later may succeed


class DatabaseBusy(DatabaseError):
    """Another PC or program kept the database locked past the busy timeout."""

    retry = True


class DatabaseFull(DatabaseError):
    """The disk (or the server's disk) is full."""


class DatabaseNotWritable(DatabaseError):
    """The file, its folder or the server refuses writes."""


class DatabaseCorrupt(DatabaseError):
    """The file is not a database, or a damaged one."""


class DatabaseUnreachable(DatabaseError):
    """The server cannot be reached, or the connection was lost."""

    retry = True


class ValueNotStorable(DatabaseError, ValidationError):
    """A value the database cannot store: too long, a number or date out of range, a NUL or
    an invalid character. The cleaners of services/validation.py refuse these first; this is
    the net under them."""


_DB_SENTENCES = {
    DatabaseBusy: N_("The database is busy: another PC or program has kept it locked for too "
                     "long. Nothing was saved; try again in a moment."),
    DatabaseFull: N_("The disk holding the database is full. Nothing was saved; free some "
                     "space, then try again."),
    DatabaseNotWritable: N_("The database cannot be written to (the file, its folder or the server "
                         "allows reading only). Nothing was saved."),
    DatabaseCorrupt: N_("The database file is damaged or is not a ComplaintDesk database. "
                        "Nothing was saved; use the copy made before the last update or a "
                        "backup."),
    DatabaseUnreachable: N_("The database server cannot be reached, or the connection to it was "
                            "lost. Nothing was saved; check the network, then try again."),
}
_TOO_LONG = N_("A text is too long for the database. Nothing was saved; shorten it.")
_OUT_OF_RANGE = N_("A number or date is out of the range the database can store. Nothing was "
                   "saved.")
_BAD_TEXT = N_("A text contains a character the database cannot store (a NUL or an invalid "
               "character). Nothing was saved.")

# SQLite result codes by name (sqlite3 errors carry ``sqlite_errorname`` since Python 3.11).
_SQLITE_CODES = (("SQLITE_BUSY", DatabaseBusy), ("SQLITE_LOCKED", DatabaseBusy),
                 ("SQLITE_FULL", DatabaseFull), ("SQLITE_READONLY", DatabaseNotWritable),
                 ("SQLITE_CORRUPT", DatabaseCorrupt), ("SQLITE_NOTADB", DatabaseCorrupt),
                 ("SQLITE_CANTOPEN", DatabaseUnreachable), ("SQLITE_IOERR", DatabaseUnreachable),
                 ("SQLITE_TOOBIG", _TOO_LONG), ("SQLITE_RANGE", _OUT_OF_RANGE))
# The same by message, for an error that lost its code on the way.
_SQLITE_TEXTS = (("database is locked", DatabaseBusy), ("database table is locked", DatabaseBusy),
                 ("database or disk is full", DatabaseFull),
                 ("readonly database", DatabaseNotWritable), ("read-only", DatabaseNotWritable),
                 ("database disk image is malformed", DatabaseCorrupt),
                 ("file is not a database", DatabaseCorrupt),
                 ("unable to open database file", DatabaseUnreachable),
                 ("disk i/o error", DatabaseUnreachable),
                 ("no space left on device", DatabaseFull))
# PostgreSQL SQLSTATE classes and codes (psycopg2 errors carry ``pgcode``).
_PG_CODES = (("53100", DatabaseFull), ("53", DatabaseFull),  # 53: insufficient resources
             ("55P03", DatabaseBusy), ("40P01", DatabaseBusy), ("40001", DatabaseBusy),
             ("57014", DatabaseBusy),  # lock / statement timeout, deadlock, serialization
             ("25006", DatabaseNotWritable), ("57P", DatabaseUnreachable),  # admin shutdown
             ("08", DatabaseUnreachable), ("XX001", DatabaseCorrupt),
             ("XX002", DatabaseCorrupt), ("22001", _TOO_LONG), ("22003", _OUT_OF_RANGE),
             ("22008", _OUT_OF_RANGE), ("22021", _BAD_TEXT), ("22P05", _BAD_TEXT))
_ROLLBACK_FAILED = ("cannot rollback", "no transaction is active", "cannot commit")


def _chain(exc: BaseException):
    """``exc`` and what caused it: the explicit cause, the exception being handled when it
    was raised, and the driver's error a peewee error wraps (its first argument)."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        wrapped = e.args[0] if e.args and isinstance(e.args[0], BaseException) else None
        todo.extend((wrapped, e.__cause__, e.__context__))


def _classify(e: BaseException):
    """A DatabaseError subclass or one of the value msgids, or None."""
    if isinstance(e, DomainError):
        return None
    text = str(e).lower()
    kind = type(e).__name__
    name = getattr(e, "sqlite_errorname", "") or ""
    for prefix, found_ in _SQLITE_CODES:
        if name.startswith(prefix):
            return found_
    pgcode = getattr(e, "pgcode", None) or ""
    for prefix, found_ in _PG_CODES:
        if pgcode.startswith(prefix):
            return found_
    if isinstance(e, OverflowError):  # an int past 2**63, a date past year 9999
        return _OUT_OF_RANGE
    if (isinstance(e, UnicodeEncodeError) and "surrogate" in text) or "nul (0x00)" in text:
        return _BAD_TEXT
    if kind in ("DiskFull",):
        return DatabaseFull
    module = type(e).__module__ or ""
    if not (module.startswith(("sqlite3", "peewee", "psycopg2"))
            or kind in ("OperationalError", "InterfaceError", "DataError", "DatabaseError")):
        return None
    for needle, found_ in _SQLITE_TEXTS:
        if needle in text:
            return found_
    if "value too long" in text:
        return _TOO_LONG
    if "out of range" in text:
        return _OUT_OF_RANGE
    if module.startswith("psycopg2") and not pgcode and kind in ("OperationalError",
                                                                 "InterfaceError"):
        return DatabaseUnreachable  # could not connect, server closed the connection
    if kind == "InterfaceError" and ("closed" in text or "connection" in text):
        return DatabaseUnreachable
    return None


def database_failure(exc: BaseException) -> DomainError | None:
    """The sentence for a low-level database error (or a value no database can store), or
    None when ``exc`` is none of those. A domain error is returned as it is.

    A failed rollback never hides the real error: when SQLite gives up a transaction by
    itself (a full disk), peewee's ``atomic`` then fails to roll back ("cannot rollback - no
    transaction is active"); the error that caused it is found on the chain and reported."""
    if isinstance(exc, DomainError):
        return exc
    found_ = None
    for e in _chain(exc):
        if any(t in str(e).lower() for t in _ROLLBACK_FAILED):
            continue  # look further down the chain for what made the rollback fail
        found_ = _classify(e)
        if found_ is not None:
            break
    if found_ is None:
        return None
    err = (ValueNotStorable(found_) if isinstance(found_, str)
           else found_(_DB_SENTENCES[found_]))
    err.__cause__ = exc
    return err


# --- credentials (docs/design.md, Credentials) ---------------------------------------------


class PasswordNeeded(DomainError):
    """The database server asks for a password we do not have, or refused the one we had:
    the window and the command line ask the user for it, then open again."""


class LoginThrottled(PermissionDenied):
    """Too many failed log-ins for one login: refused, even with the right password, until
    ``params["until"]`` (a datetime); ``params["locked"]`` when only an owner can lift it
    before then (docs/rules.md §10)."""

    def message(self) -> str:
        until = self.params.get("until")
        params = dict(self.params, until=until.strftime("%Y-%m-%d %H:%M:%S")
                      if hasattr(until, "strftime") else until)
        return _(self.msgid).format(**params)


class DatabaseRefused(SchemaError):
    """The file is not a ComplaintDesk database that can be opened (empty, cut short, not a
    database, another program's, unreadable): it is left untouched (docs/design.md,
    Integrity and backups)."""


class DatabaseDamaged(DatabaseCorrupt):
    """SQLite's check found errors in the file: it is open read-only, a backup may be
    restored."""


class DatabaseReadOnly(DatabaseNotWritable):
    """The database is open read-only (a read-only file, folder or medium, or a damaged file):
    nothing can be changed."""


class BackupError(DomainError):
    """A backup could not be made, verified or restored; nothing was replaced."""
