"""A PostgreSQL database is backed up by the server's own tool, pg_dump: the exact command for
the open database, without its password (docs/design.md, Integrity and backups)."""
from __future__ import annotations

import re
from datetime import datetime

from peewee import PostgresqlDatabase

from models import db as dbmod
from services import clock

_SAFE = re.compile(r"^[A-Za-z0-9_.:/@%+=-]+$")


def _arg(text: str) -> str:
    return text if _SAFE.match(text) else '"' + text.replace('"', '\\"') + '"'


def pg_commands(now: datetime | None = None) -> tuple[str, str] | None:
    """(pg_dump command, pg_restore command) for the open PostgreSQL database; None on
    SQLite. pg_dump asks for the password itself (or reads PGPASSWORD / .pgpass)."""
    db = dbmod.database.obj
    if not isinstance(db, PostgresqlDatabase):
        return None
    params = db.connect_params
    host, port, user = params.get("host") or "127.0.0.1", params.get("port") or 5432, \
        params.get("user") or ""
    name = db.database
    day = (now or clock.now()).strftime("%Y%m%d")
    target = f"{name}-{day}.dump"
    who = [f"--host={_arg(str(host))}", f"--port={port}"]
    if user:
        who.append(f"--username={_arg(user)}")
    dump = " ".join(["pg_dump", *who, "--format=custom", f"--file={_arg(target)}", _arg(name)])
    restore = " ".join(["pg_restore", *who, "--clean", "--if-exists", f"--dbname={_arg(name)}",
                        _arg(target)])
    return dump, restore
