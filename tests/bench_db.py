"""Benchmark databases of any size, built fast and kept for the next run (docs/benchmarks.md).

    python -m tests.bench_db --complaints 1000000 [--backend sqlite|postgres|both]

A database of ``n`` complaints is a demo firm with a seed of real complaints (the demo
generator: full timelines, access rows, clocks), then copies of the seed written by
``INSERT … SELECT`` inside the database: each copy is moved back by whole multiples of three
years (so its tickets and ``(year, seq)`` pairs never meet another copy's) and, beyond ten
years, numbered after the earlier copies. Complaints, their access rows (who may see them)
and their timelines are copied; the indexes and SQLite's triggers (the search indexes) are
kept up as in any write. PostgreSQL is then ANALYZEd (models.base.analyze).

SQLite files are kept under ~/.cache/complaintdesk-bench/, PostgreSQL databases by name
(``cd_bench_<n>``) on the test server; either is reused when present, complete and of the
right size, and brought up to the current schema by the ordinary migrations.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

PG_SERVER = os.environ.get("COMPLAINTDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
CACHE = Path(os.environ.get("COMPLAINTDESK_BENCH_CACHE",
                            Path.home() / ".cache" / "complaintdesk-bench"))
SEED = 10_000  # complaints made by the demo generator; the rest are copies of them
YEARS_PER_COPY = 3  # the demo spans two years: three calendar years at most
STACKED = 4  # copies moved back in time before numbering continues (~12 years of data)
DONE_MARK = "bench_db_done"
# A benchmark opens its database many times a day: no daily backup of gigabytes at each open
# (a user's PC makes one a day, on the worker; not what these figures measure).
os.environ.setdefault("COMPLAINTDESK_DAILY_BACKUP", "0")


def location(backend: str, complaints: int) -> str:
    if backend == "sqlite":
        return str(CACHE / f"bench-{complaints}.sqlite3")
    return f"{PG_SERVER}/cd_bench_{complaints}"


def _pg_admin(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG_SERVER}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def _pg_exists(name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(f"{PG_SERVER}/postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return cur.fetchone() is not None
    finally:
        conn.close()


def _complete(db, complaints: int) -> bool:
    if DONE_MARK not in db.get_tables():
        return False
    row = db.execute_sql(f"SELECT complaints FROM {DONE_MARK}").fetchone()
    return row is not None and row[0] == complaints


def ensure(backend: str, complaints: int, *, log=print) -> str:
    """The location of a database of ``complaints`` complaints on ``backend``, built if
    missing or incomplete, else reused; it is left open (bound) and migrated."""
    os.environ.setdefault("COMPLAINTDESK_HOME", tempfile.mkdtemp(prefix="cd-bench-home-"))
    from models import migrations
    from models.db import database
    from services.firm import open_database

    # a benchmark database is made again rather than restored: no copy before a migration
    migrations.copy_aside = lambda db, label: None

    where = location(backend, complaints)
    name = where.rsplit("/", 1)[-1]
    if backend == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        if Path(where).exists():
            open_database(where)
            if _complete(database.obj, complaints):
                return where
            database.obj.close()
            for suffix in ("", "-wal", "-shm"):
                Path(where + suffix).unlink(missing_ok=True)
    else:
        if _pg_exists(name):
            open_database(where)
            if _complete(database.obj, complaints):
                return where
            database.obj.close()
            _pg_admin(f'DROP DATABASE "{name}"')
        _pg_admin(f'CREATE DATABASE "{name}"')
    open_database(where)
    began = time.perf_counter()
    build(database.obj, complaints, log=log)
    log(f"{backend}: built {complaints:,} complaints in {time.perf_counter() - began:.0f} s "
        f"({where})")
    return where


def build(db, complaints: int, *, log=print) -> None:
    """Fill the bound, empty, migrated database with ``complaints`` complaints."""
    from models.base import analyze
    from services import demo

    seed = min(SEED, complaints)
    began = time.perf_counter()
    demo.generate(profile="company", complaints=seed, seed=7)
    log(f"  seed: {seed:,} complaints by the demo generator in "
        f"{time.perf_counter() - began:.0f} s")
    postgres = "sqlite" not in type(db).__name__.lower()
    top = db.execute_sql("SELECT max(id), max(seq) FROM complaint").fetchone()
    width, seq_step = int(top[0]), int(top[1]) + 1
    copies = -(-complaints // seed) - 1
    columns = [c.name for c in db.get_columns("complaint")]
    event_columns = [c.name for c in db.get_columns("event")]
    dates = {"received_at", "occurred_at", "registered_at", "next_due_at", "closed_at",
             "updated_at"}
    for k in range(1, copies + 1):
        years = (k % STACKED) * YEARS_PER_COPY
        seq_plus = (k // STACKED) * seq_step
        wanted = min(seed, complaints - k * seed)  # the last copy may be partial
        shift = _shift(postgres, years)

        def expr(col: str, alias: str = "c", k=k, seq_plus=seq_plus, years=years,
                 shift=shift) -> str:
            q = f'{alias}."{col}"'
            if col == "id":
                return f"{q} + {k * width}"
            if col == "seq":
                return f"{q} + {seq_plus}"
            if col == "year":
                return f"{q} - {years}"
            if col in dates:
                return shift(q)
            if col == "ticket":
                received, seq = shift(f'{alias}."received_at"'), f'{alias}."seq" + {seq_plus}'
                if postgres:
                    return (f"to_char({received}, 'YYMMDD') || "
                            f"CASE WHEN {seq} < 1000 THEN lpad(({seq})::text, 3, '0') "
                            f"ELSE ({seq})::text END")
                return f"substr(strftime('%Y%m%d', {received}), 3) || printf('%03d', {seq})"
            return q

        cols = ", ".join(f'"{c}"' for c in columns)
        picked = f'c."id" <= (SELECT "id" FROM complaint ORDER BY "id" LIMIT 1 OFFSET {wanted - 1})'
        with db.atomic():
            db.execute_sql(f'INSERT INTO complaint ({cols}) SELECT '
                           f'{", ".join(expr(c) for c in columns)} FROM complaint AS c '
                           f'WHERE c."id" <= {width} AND {picked}')
            db.execute_sql(f'INSERT INTO complaint_access ("complaint_id", "user_id", "reason") '
                           f'SELECT a."complaint_id" + {k * width}, a."user_id", a."reason" '
                           f'FROM complaint_access AS a JOIN complaint AS c '
                           f'ON c."id" = a."complaint_id" WHERE {picked}')
            ev = [c for c in event_columns if c != "id"]
            ev_expr = [f'e."complaint_id" + {k * width}' if c == "complaint_id"
                       else shift(f'e."{c}"') if c in ("at", "recorded_at") else f'e."{c}"'
                       for c in ev]
            db.execute_sql(f'INSERT INTO event ({", ".join(chr(34) + c + chr(34) for c in ev)}) '
                           f'SELECT {", ".join(ev_expr)} FROM event AS e JOIN complaint AS c '
                           f'ON c."id" = e."complaint_id" WHERE {picked}')
        if k % 10 == 0 or k == copies:
            log(f"  copies: {(k + 1) * seed:,} complaints, {time.perf_counter() - began:.0f} s")
    if postgres:
        db.execute_sql("SELECT setval(pg_get_serial_sequence('complaint', 'id'), "
                       "(SELECT max(id) FROM complaint))")
    db.execute_sql("UPDATE ticket_counter SET last = (SELECT max(seq) FROM complaint AS c "
                   "WHERE c.year = ticket_counter.year)")
    db.execute_sql('INSERT INTO ticket_counter ("year", "last") SELECT year, max(seq) '
                   'FROM complaint WHERE year NOT IN (SELECT year FROM ticket_counter) '
                   'GROUP BY year')
    analyze(db)
    if postgres:  # as autovacuum would have by now: index-only scans need the visibility map
        for table in ("complaint", "complaint_access", "event"):
            db.execute_sql(f'VACUUM "{table}"')
    db.execute_sql(f"CREATE TABLE {DONE_MARK} (complaints INTEGER)")
    db.execute_sql(f"INSERT INTO {DONE_MARK} VALUES ({complaints})")


def _shift(postgres: bool, years: int):
    if years == 0:
        return lambda q: q
    if postgres:
        return lambda q: f"({q} - interval '{years} years')"
    # the text peewee writes and reads: 'YYYY-MM-DD HH:MM:SS[.ffffff]'
    return lambda q: (f"CASE WHEN {q} IS NULL THEN NULL ELSE "
                      f"strftime('%Y-%m-%d %H:%M:%f', {q}, '-{years} years') END")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    args = parser.parse_args(argv)
    for backend in (("sqlite", "postgres") if args.backend == "both" else (args.backend,)):
        print(ensure(backend, args.complaints))
    return 0


if __name__ == "__main__":
    sys.exit(main())
