"""The PostgreSQL driver held back while peewee is imported, and bound in when a server is
opened (models/drivers.py): a start on SQLite never loads it, and a server opened later works
exactly as if peewee had found the driver itself."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_ADMIN_URL

ROOT = Path(__file__).resolve().parents[2]

# What peewee's own import binds of psycopg2, read in a child process.
_BOUND = """
import json, sys
{prepare}
import peewee
{after}
a = peewee.Psycopg2Adapter
print(json.dumps({{
    'psycopg2': 'psycopg2' in sys.modules,
    'names': [getattr(peewee, n, None).__name__ if getattr(peewee, n, None) is not None
              else None for n in ('psycopg2', 'pg_extensions', 'Json_pg2',
                                  'pg_register_uuid')],
    'states': [getattr(a, n, None) for n in ('txn_idle', 'txn_inerror', 'txn_unknown')],
}}))
"""


def _child(prepare: str, after: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", _BOUND.format(prepare=prepare, after=after)],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_peewee_imported_without_the_driver_does_not_load_it():
    held = _child("from models import drivers\ndrivers.import_peewee_without_postgres_driver()")
    assert held["psycopg2"] is False
    assert held["names"] == [None, None, None, None]


def test_the_driver_bound_later_is_what_peewees_own_import_binds():
    own = _child("")
    later = _child("from models import drivers\ndrivers.import_peewee_without_postgres_driver()",
                   "drivers.load_postgres_driver()")
    assert own["psycopg2"] is True and own["names"][0] == "psycopg2"
    assert later == own


def test_a_server_opened_after_a_held_back_import_reads_and_writes():
    """Through the program's own opening (models.db.make_database), in a fresh process:
    a transaction that commits, one that rolls back, and a JSON value."""
    code = f"""
from models import drivers
drivers.import_peewee_without_postgres_driver()
import sys
assert 'psycopg2' not in sys.modules
from models.db import make_database
db = make_database({PG_ADMIN_URL!r})
db.connect()
db.execute_sql('CREATE TEMPORARY TABLE t (v jsonb)')
with db.atomic():
    db.execute_sql('INSERT INTO t VALUES (%s)', ('{{"a": 1}}',))
try:
    with db.atomic():
        db.execute_sql('INSERT INTO t VALUES (%s)', ('{{"b": 2}}',))
        raise RuntimeError('undo')
except RuntimeError:
    pass
print(db.execute_sql('SELECT v FROM t').fetchall(), db.in_transaction())
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "[({'a': 1},)] False"
