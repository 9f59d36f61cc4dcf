"""The PostgreSQL driver, loaded when a server is first opened rather than with peewee.

peewee looks for psycopg2 once, as it is imported, and keeps what it found. Importing
psycopg2 (with ``ssl`` and its C extension) costs about 10 ms, which a start on the embedded
SQLite file never needs (docs/design.md, Start-up). The window imports peewee through
``import_peewee_without_postgres_driver()``; ``load_postgres_driver()``, called before a
PostgreSQL database is made (``models.db.make_database``), binds the driver into peewee as
peewee's own import would have. Both are no-ops once the driver is in.
"""
from __future__ import annotations

import sys


def import_peewee_without_postgres_driver() -> None:
    """Import peewee without letting it import psycopg2 (unless either is imported already)."""
    if "peewee" in sys.modules or "psycopg2" in sys.modules:
        return
    sys.modules["psycopg2"] = None  # peewee's `import psycopg2` fails at once
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg2"]


def load_postgres_driver() -> None:
    """Bind psycopg2 into peewee if peewee was imported without it: the names peewee's
    import binds (peewee 4.5.3, pinned in requirements.txt), and the transaction states its
    psycopg2 adapter reads."""
    import peewee

    if peewee.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = register_uuid
    peewee.Json_pg2 = Json
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
    peewee.psycopg2 = psycopg2  # last: the check at the top says "loaded" once all is bound
