"""Migration 9: an index of one- and two-character words for the register's search (rules.md
§10). The trigram index of migration 4 serves three characters or more; a surname (王) or a
two-character name (孔强) made the search read every row.

What is indexed, ASCII letters folded to lower case (as SQLite's LIKE does):
- ``g`` + every character and every pair of adjacent characters of the complainant's name and
  of the description (the search finds them anywhere in these);
- ``p`` + the first character and the first two of the ticket number, the phone number and
  the contract number (the search finds these by their beginning).

SQLite: a contentless FTS5 table (detail=none: only which complaints hold a word) of these
words, each written as ``g``/``p`` and the hex of its UTF-8 bytes so that no tokenizer splits
it; triggers keep it in step with ``complaint``, drawing character positions from a table of
numbers (a trigger cannot loop). PostgreSQL: a GIN index on an immutable function returning
the same words as an array, used by ``&&``; nothing to keep in step.

Frozen copy: live code reads models/search.py.
"""
from __future__ import annotations

from peewee import PostgresqlDatabase

VERSION = 9

LONGEST = 20000  # characters indexed per column (the description is at most 8,000)
_LOWER = "lower"  # SQLite's lower() folds ASCII only, as its LIKE does


def sqlite_words(row: str) -> str:
    """The words of one complaint row (``new``, ``old`` or a table alias) as an SQL expression:
    one string, the words separated by spaces."""

    def pairs(column: str) -> str:
        x = f'{_LOWER}({row}."{column}")'
        return (f"coalesce((SELECT group_concat('g' || hex(substr({x}, n, 1)) || ' g' || "
                f"hex(substr({x}, n, 2)), ' ') FROM complaint_word_n "
                f'WHERE n <= length({row}."{column}")), \'\')')

    def prefix(column: str) -> str:
        x = f'{_LOWER}({row}."{column}")'
        return f"'p' || hex(substr({x}, 1, 1)) || ' p' || hex(substr({x}, 1, 2))"

    return " || ' ' || ".join([pairs("complainant_name"), pairs("description"),
                               prefix("ticket"), prefix("complainant_phone"),
                               prefix("contract_no")])


COLUMNS = ("ticket", "complainant_name", "complainant_phone", "contract_no", "description")

PG_FUNCTION = """
CREATE FUNCTION complaint_words(ticket text, complainant_name text, complainant_phone text,
                                contract_no text, description text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT w FROM (
    SELECT 'g' || substr(t.x, i, k.k) AS w
      FROM unnest(ARRAY[complainant_name, description]) AS t(x),
           generate_series(1, length(coalesce(t.x, ''))) AS i, (VALUES (1), (2)) AS k(k)
    UNION ALL
    SELECT 'p' || left(t.x, k.k)
      FROM unnest(ARRAY[ticket, complainant_phone, contract_no]) AS t(x),
           (VALUES (1), (2)) AS k(k)
     WHERE coalesce(t.x, '') <> ''
  ) AS s)
$$
"""
# ASCII letters only, as on SQLite (PostgreSQL's lower() follows the locale).
_ASCII_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
PG_EXPRESSION = "complaint_words({})".format(
    ", ".join(_ASCII_LOWER.format(f'"{c}"') for c in COLUMNS))


def apply(db) -> None:
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(PG_FUNCTION)
        db.execute_sql(f'CREATE INDEX complaint_words_gin ON "complaint" '
                       f"USING gin (({PG_EXPRESSION}))")
        return
    db.execute_sql("CREATE TABLE complaint_word_n (n INTEGER PRIMARY KEY)")
    db.execute_sql("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                   f"WHERE n < {LONGEST}) INSERT INTO complaint_word_n SELECT n FROM c")
    db.execute_sql("CREATE VIRTUAL TABLE complaint_words USING fts5(words, content='', "
                   "detail=none, tokenize='ascii')")
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    add = f"INSERT INTO complaint_words(rowid, words) VALUES (new.id, {sqlite_words('new')});"
    remove = (f"INSERT INTO complaint_words(complaint_words, rowid, words) "
              f"VALUES ('delete', old.id, {sqlite_words('old')});")
    db.execute_sql(f"CREATE TRIGGER complaint_words_insert AFTER INSERT ON complaint BEGIN "
                   f"{add} END")
    db.execute_sql(f"CREATE TRIGGER complaint_words_delete AFTER DELETE ON complaint BEGIN "
                   f"{remove} END")
    db.execute_sql(f"CREATE TRIGGER complaint_words_update AFTER UPDATE OF {cols} ON complaint "
                   f"BEGIN {remove} {add} END")
    rebuild(db)


def rebuild(db) -> None:
    """SQLite: index every complaint there is (the index is empty or was emptied)."""
    db.execute_sql(f"INSERT INTO complaint_words(rowid, words) "
                   f"SELECT c.id, {sqlite_words('c')} FROM complaint AS c")
