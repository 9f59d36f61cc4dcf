"""Migration 4: full-text search over the register (rules.md §10: search under 50 ms on
100,000 complaints, Chinese included).

SQLite: an FTS5 table with the trigram tokenizer (any substring of three or more
characters, Chinese or not) kept in step with ``complaint`` by triggers.
PostgreSQL: a pg_trgm GIN index on the same text, used by ILIKE.
"""
from __future__ import annotations

from peewee import PostgresqlDatabase

VERSION = 4

COLUMNS = ("ticket", "complainant_name", "complainant_phone", "contract_no", "description")
PG_EXPRESSION = " || ' ' || ".join(f'"{c}"' for c in COLUMNS)


def apply(db) -> None:
    if isinstance(db, PostgresqlDatabase):
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        db.execute_sql(f'CREATE INDEX complaint_search_trgm ON "complaint" '
                       f"USING gin (({PG_EXPRESSION}) gin_trgm_ops)")
        return
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    db.execute_sql(f"CREATE VIRTUAL TABLE complaint_fts USING fts5({cols}, content='complaint', "
                   "content_rowid='id', tokenize='trigram')")
    db.execute_sql(f"CREATE TRIGGER complaint_fts_insert AFTER INSERT ON complaint BEGIN "
                   f"INSERT INTO complaint_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    db.execute_sql(f"CREATE TRIGGER complaint_fts_delete AFTER DELETE ON complaint BEGIN "
                   f"INSERT INTO complaint_fts(complaint_fts, rowid, {cols}) "
                   f"VALUES ('delete', old.id, {old}); END")
    db.execute_sql(f"CREATE TRIGGER complaint_fts_update AFTER UPDATE OF {cols} ON complaint "
                   f"BEGIN INSERT INTO complaint_fts(complaint_fts, rowid, {cols}) "
                   f"VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO complaint_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    db.execute_sql("INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild')")
