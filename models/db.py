"""The one database connection: SQLite by default, PostgreSQL when given a URL."""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from peewee import DatabaseError, DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from models.drivers import load_postgres_driver

# Folders and locations as text live in models.paths (no driver): offered here as before.
from models.paths import (  # noqa: E402, F401
    APP_NAME,
    DATA_CHOICE_FILE,
    DATA_CHOICES,
    absolute_location,
    data_choice,
    data_dir,
    default_location,
    is_postgres_url,
    set_data_choice,
    shared_data_dir,
    user_data_dir,
)

database = DatabaseProxy()

# rules.md §10: nothing a user saved is ever lost — WAL, synchronous=FULL for the commit
# that matters, foreign keys enforced, and a busy timeout so two PCs/threads wait
# for each other instead of failing.
SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "full"),
    ("busy_timeout", 15000),
    ("cache_size", -16000),
)
# A read-only file: nothing that writes, not even the WAL setting (docs/design.md, Integrity
# and backups).
SQLITE_READ_ONLY_PRAGMAS = (
    ("foreign_keys", 1),
    ("busy_timeout", 15000),
    ("cache_size", -16000),
)
SQLITE_MAGIC = b"SQLite format 3\x00"


class AppSqliteDatabase(SqliteDatabase):
    """SQLite with what ComplaintDesk needs to know of the file: its ``path`` and whether it
    is open ``read_only``. A write refused by a read-only file, or a page found damaged,
    raises ``refuse("read_only")`` / ``refuse("damaged")`` (the services give the error with
    its sentence) instead of SQLite's own."""

    path = ""
    read_only = False
    refuse: Callable[[str], Exception] | None = None

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except DatabaseError as exc:
            kind = refusal_kind(exc)
            if self.refuse is not None and kind:
                raise self.refuse(kind) from exc
            raise


def refusal_kind(exc: BaseException) -> str:
    """"read_only" or "damaged" for SQLite's errors that say so, else ""."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return "read_only"
    if "malformed" in text or "not a database" in text:
        return "damaged"
    return ""


def sqlite_uri(path: str, *, immutable: bool = False) -> str:
    """The read-only URI of a file; ``immutable`` for a read-only folder or medium, where
    SQLite could not create the WAL's shared-memory file."""
    uri = Path(path).expanduser().resolve().as_uri() + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def make_database(location: str | None = None, *, read_only: bool = False,
                  refuse: Callable[[str], Exception] | None = None):
    """Build (but do not connect) a peewee database for a path or a PostgreSQL URL.

    ``read_only`` (SQLite): open the file with ``mode=ro`` and write no setting to it."""
    location = absolute_location(location or default_location())
    if is_postgres_url(location):
        load_postgres_driver()  # the window imported peewee without it (models/drivers.py)
        url = urlparse(location)
        return PostgresqlDatabase(
            unquote(url.path.lstrip("/")) or "complaintdesk",
            user=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            autoconnect=True,
        )
    if read_only and location != ":memory:":
        immutable = not folder_writable(location)
        db = AppSqliteDatabase(sqlite_uri(location, immutable=immutable), uri=True,
                               pragmas=SQLITE_READ_ONLY_PRAGMAS, lock_type="DEFERRED",
                               check_same_thread=False)
    else:
        if location != ":memory:":
            Path(location).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two writers
        # queue on busy_timeout instead of deadlocking on a read→write upgrade.
        db = AppSqliteDatabase(
            location, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
        )
    db.path = location
    db.read_only = read_only
    db.refuse = refuse
    return db


_generation = 0


def generation() -> int:
    """Changes each time a database is bound, so per-database caches know to reload."""
    return _generation


def bind(location: str | None = None, *, read_only: bool = False,
         refuse: Callable[[str], Exception] | None = None):
    """Point the proxy at a database and return it (not yet migrated)."""
    global _generation
    _generation += 1
    old = database.obj
    if old is not None and not old.is_closed():
        try:  # this thread's connection to the database bound before: not left holding it
            old.close()
        except Exception:  # noqa: BLE001 - inside a transaction: peewee keeps it open
            pass
    db = make_database(location, read_only=read_only, refuse=refuse)
    database.initialize(db)
    return db


def is_postgres() -> bool:
    return isinstance(database.obj, PostgresqlDatabase)


def location_label() -> str:
    db = database.obj
    if db is None:
        return ""
    if isinstance(db, PostgresqlDatabase):
        params = db.connect_params
        return f"postgresql://{params.get('host', '')}:{params.get('port', '')}/{db.database}"
    return str(getattr(db, "path", "") or db.database)


def sqlite_path() -> str | None:
    """The file of the bound SQLite database (None for PostgreSQL or in memory)."""
    db = database.obj
    if db is None or isinstance(db, PostgresqlDatabase):
        return None
    path = str(getattr(db, "path", "") or db.database)
    return None if path == ":memory:" else path


def is_read_only() -> bool:
    return bool(getattr(database.obj, "read_only", False))


# --- what a SQLite file is, before it is used (docs/design.md, Integrity and backups) -------


@dataclass(frozen=True)
class SqliteProbe:
    """``state``: new (no file, or SQLite with no table yet), ok, empty (0 bytes), truncated,
    not_sqlite, foreign (SQLite, but not ComplaintDesk's), damaged (fails quick_check),
    unreadable. ``read_only``: the file or its folder cannot be written. ``detail``: what
    SQLite said, for the log."""

    state: str
    read_only: bool = False
    detail: str = ""


def folder_writable(path: str) -> bool:
    return os.access(Path(path).expanduser().resolve().parent, os.W_OK)


def connect_read_only(path: str, *, timeout: float = 15.0) -> sqlite3.Connection:
    """A plain read-only connection to a SQLite file (checks, backups, counts)."""
    immutable = not folder_writable(path)
    return sqlite3.connect(sqlite_uri(path, immutable=immutable), uri=True, timeout=timeout,
                           isolation_level=None, check_same_thread=False)


def quick_check(conn: sqlite3.Connection, *, full: bool = False) -> list[str]:
    """SQLite's own check: [] when the file is sound, else what it found (at most 20 lines).
    ``full``: integrity_check (also compares every index with its table), else quick_check."""
    pragma = "integrity_check(20)" if full else "quick_check(20)"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    return [] if rows == ["ok"] else [str(r) for r in rows]


def _header_problem(path: Path, size: int) -> str | None:
    """empty / not_sqlite / truncated / damaged from the size and the first 100 bytes."""
    if size == 0:
        return "empty"
    with path.open("rb") as f:
        head = f.read(100)
    if head[:16] != SQLITE_MAGIC:
        return "truncated" if SQLITE_MAGIC.startswith(head) else "not_sqlite"
    if len(head) < 100:
        return "truncated"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "damaged"
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None  # the newest pages may be in the WAL: quick_check decides
    pages = int.from_bytes(head[28:32], "big")
    header_valid = pages > 0 and head[92:96] == head[24:28]
    if size % page_size or (header_valid and size < pages * page_size):
        return "truncated"
    return None


# Files up to this size get SQLite's quick_check before they are used (about 20,000
# complaints); larger ones right after start, in the background.
QUICK_CHECK_MAX = 64 * 1024 * 1024


def size_of(path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def probe_sqlite(location: str) -> SqliteProbe:
    """What the file at ``location`` is, without changing it: read-only connection only."""
    path = Path(location).expanduser()
    if not path.exists():
        return SqliteProbe("new", read_only=not folder_writable(str(path)))
    if not os.access(path, os.R_OK):
        return SqliteProbe("unreadable", read_only=True)
    read_only = not os.access(path, os.W_OK) or not folder_writable(str(path))
    try:
        problem = _header_problem(path, path.stat().st_size)
    except OSError as exc:
        return SqliteProbe("unreadable", read_only=True, detail=str(exc))
    if problem:
        return SqliteProbe(problem, read_only=read_only)
    try:
        conn = connect_read_only(str(path))
    except sqlite3.Error as exc:
        return SqliteProbe("unreadable", read_only=read_only, detail=str(exc))
    try:
        # quick_check reads every page: ~1.4 s at 100,000 complaints. Up to QUICK_CHECK_MAX
        # bytes it runs before the file is used; a larger file is checked right after start,
        # on the worker (services.backup.start_check), so that opening stays instant.
        found = quick_check(conn) if size_of(path) <= QUICK_CHECK_MAX else []
        if found:
            return SqliteProbe("damaged", read_only=read_only, detail="\n".join(found))
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    except sqlite3.DatabaseError as exc:
        # "file is not a database", "database disk image is malformed": the header said SQLite
        return SqliteProbe("damaged", read_only=read_only, detail=str(exc))
    finally:
        conn.close()
    if not tables:
        return SqliteProbe("new", read_only=read_only)  # a start interrupted before set-up
    if "schema_history" not in tables:
        return SqliteProbe("foreign", read_only=read_only)
    return SqliteProbe("ok", read_only=read_only)


# docs/design.md, Credentials: a server password is never written in clear — not in the
# per-PC preferences, the log, or what a command prints. These helpers take it out of a URL.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^\s:/@]*):(?P<pw>[^\s/]*)@",
                           re.IGNORECASE)


def redact(location: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    return redact_text(location) if location else location


def redact_text(text: str) -> str:
    """Every URL password in a free text (a log line, an error message) as ``***``."""
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}:***@", text)


def split_password(location: str) -> tuple[str, str | None]:
    """A location without its password, and the password (None when it has none)."""
    if not is_postgres_url(location or ""):
        return location, None
    match = _URL_PASSWORD.search(location)
    if match is None:
        return location, None
    return location[:match.start()] + match["head"] + "@" + location[match.end():], \
        unquote(match["pw"])


def with_password(location: str, password: str | None) -> str:
    """The URL to connect with (kept in memory only); the location as is without one."""
    if not password or not is_postgres_url(location):
        return location
    url = urlparse(split_password(location)[0])
    user = quote(unquote(url.username or ""), safe="")
    host = url.netloc.rpartition("@")[2]
    return url._replace(netloc=f"{user}:{quote(password, safe='')}@{host}").geturl()
