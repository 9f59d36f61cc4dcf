"""The one database connection: SQLite by default, PostgreSQL when given a URL."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

APP_NAME = "ComplaintDesk"

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


def data_dir() -> Path:
    """The user's data folder: %APPDATA%\\ComplaintDesk on Windows, XDG elsewhere."""
    override = os.environ.get("COMPLAINTDESK_HOME")
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / APP_NAME
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / APP_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_location() -> str:
    return str(data_dir() / "complaintdesk.sqlite3")


def is_postgres_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def make_database(location: str | None = None):
    """Build (but do not connect) a peewee database for a path or a PostgreSQL URL."""
    location = location or default_location()
    if is_postgres_url(location):
        url = urlparse(location)
        return PostgresqlDatabase(
            unquote(url.path.lstrip("/")) or "complaintdesk",
            user=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            autoconnect=True,
        )
    if location != ":memory:":
        Path(location).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two writers
    # queue on busy_timeout instead of deadlocking on a read→write upgrade.
    return SqliteDatabase(
        location, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
    )


_generation = 0


def generation() -> int:
    """Changes each time a database is bound, so per-database caches know to reload."""
    return _generation


def bind(location: str | None = None):
    """Point the proxy at a database and return it (not yet migrated)."""
    global _generation
    _generation += 1
    db = make_database(location)
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
    return str(db.database)
