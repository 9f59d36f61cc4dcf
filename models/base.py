"""Base model, JSON and money fields, the append-only guard and the list-entry columns shared
by the tables, and a page of ids in a sort order."""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from decimal import ROUND_HALF_UP

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DecimalField,
    Field,
    IntegerField,
    Model,
    ModelUpdate,
    PostgresqlDatabase,
    TextField,
    Tuple,
)

from models.db import database

# docs/design.md, Tamper evidence: a service registers ``fn(model, ids)`` here to hear of every
# row written through the models — save()/create(), and query-level update() of the tables it
# names. Code writing rows another way (a query-level insert) calls rows_written() itself.
_write_hooks: list = []
_watched_updates: set[str] = set()


def on_rows_written(fn, *, updates_of=()) -> None:
    if fn not in _write_hooks:
        _write_hooks.append(fn)
    _watched_updates.update(updates_of)


def rows_written(model, ids) -> None:
    for fn in _write_hooks:
        fn(model, list(ids))


class _UpdateThenTell(ModelUpdate):
    """An UPDATE that tells the write hooks which rows it changed (read before it runs)."""

    def _execute(self, database):
        pk = self.model._meta.primary_key
        query = self.model.select(pk)
        ids = [r[0] for r in (query if self._where is None else query.where(self._where))
               .tuples()]
        result = super()._execute(database)
        if ids:
            rows_written(self.model, ids)
        return result


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def update(cls, __data=None, **update):
        if cls._meta.table_name not in _watched_updates:
            return super().update(__data, **update)
        return _UpdateThenTell(cls, cls._normalize_data(__data, update))

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        if result and _write_hooks:
            rows_written(type(self), [self._pk])
        return result


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


class JSONField(TextField):
    """Small structured payloads (event details) as JSON text on both databases."""

    def db_value(self, value):
        # one encoder for the process: building one per value doubled the cost of an event
        return None if value is None else _ENCODER.encode(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class MoneyField(DecimalField):
    """An amount in yuan to the fen, the column every amount uses (DECIMAL(12, 2)): rounded
    half up on the way in, and always read back as a Decimal with two places (SQLite gives
    30 for 30.00). Decimal end to end, never a float (docs/design.md)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, auto_round=True,
                         rounding=ROUND_HALF_UP, **kwargs)

    def python_value(self, value):
        value = super().python_value(value)
        return None if value is None else value.quantize(self._exp, rounding=self.rounding)


class ListEntry(BaseModel):
    """A line of a list the firm keeps in its settings (complaint categories, time-limit rules,
    penalty rules): a unique code, an order, and never deleted once in use, only made inactive.
    Each table adds its names in both languages and what the line means."""

    id = AutoField()
    code = CharField(max_length=40, unique=True)
    active = BooleanField(default=True)
    sort = IntegerField(default=0)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change a row of an append-only table (rules.md §3, §7)."""


class AppendOnlyModel(BaseModel):
    """Rows are inserted once; updates and deletes are refused here and by DB triggers."""

    def save(self, force_insert=False, only=None):
        if self._pk is not None and not force_insert:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


def id_page(query, column, id_column, *, descending: bool, offset: int = 0,
            limit: int | None = None, values: bool = False, reverse: bool = False,
            query_only: bool = False):
    """The ids ``query`` selects, by ``column`` (empty values last) and then by id, from
    ``offset`` on, at most ``limit``: lists too long to load whole are read a page at a time
    (rules.md §10). ``values``: ``(id, value of column)`` pairs; ``reverse``: the order read
    from its end (``offset`` counts from the last row), so a row near the end is reached
    skipping the fewest rows. ``query_only``: the query of ``(id, value)`` pairs, unread, for
    a caller walking a long list row by row."""
    # A NOT NULL column orders plainly, so its (column, id) index serves the order (migration
    # 10); NULLS LAST on PostgreSQL's DESC, or on SQLite's ASC, would make it sort instead.
    nullable = getattr(column, "null", True)
    down = descending != reverse
    nulls = "FIRST" if reverse else "LAST"
    if down:
        first = column.desc(nulls=nulls) if nullable else column.desc()
    else:
        first = column.asc(nulls=nulls) if nullable else column.asc()
    order = [first, id_column.desc() if down else id_column.asc()]
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    if query_only:
        return query.select(id_column, column)
    if values:
        return list(query.select(id_column, column).tuples())
    return [row[0] for row in query.tuples()]


def key_page(query, column, id_column, *, descending: bool, key: tuple | None = None,
             limit: int, backwards: bool = False) -> list[tuple]:
    """Keyset paging in id_page's order: ``(id, value of column)`` of at most ``limit`` rows
    just after ``key`` (a ``(value, id)`` of a row; None: from the start), or with
    ``backwards`` the rows just before it (None: the last rows), in the forward order either
    way. Row-value comparisons on (column, id) walk that index from the key, so a page costs
    the same at the end of the list as at its start, where OFFSET reads every row before it
    (rules.md §10). Empty values come last: they are read as a segment of their own."""
    nullable = getattr(column, "null", True)
    pair = Tuple(column, id_column)
    forward = not backwards
    # ascending in the direction of travel?
    up = forward != descending
    cmp = (lambda a, b: a > b) if up else (lambda a, b: a < b)

    def order(*cols):
        return [c.asc() if up else c.desc() for c in cols]

    def valued(cond):
        cond = cond if not nullable else (column.is_null(False) & cond if cond is not None
                                          else column.is_null(False))
        q = query if cond is None else query.where(cond)
        return q.order_by(*order(column, id_column))

    def empty(cond):
        cond = column.is_null() & cond if cond is not None else column.is_null()
        return query.where(cond).order_by(*order(id_column))

    def value_of(v):
        # a column's own conversion; an expression (peewee answers any attribute of a
        # function with another function, so hasattr would not tell) takes the value as it is
        return column.db_value(v) if isinstance(column, Field) else v

    if key is None:
        segments = [valued(None)] + ([empty(None)] if nullable else [])
    elif key[0] is None:  # the key is in the empty segment
        segments = [empty(cmp(id_column, key[1]))]
        if backwards:
            segments.append(valued(None))
    else:
        segments = [valued(cmp(pair, Tuple(value_of(key[0]), key[1])))]
        if forward and nullable:
            segments.append(empty(None))
    if backwards and key is None:
        segments.reverse()  # from the end: the empty values first
    out: list[tuple] = []
    for q in segments:
        if len(out) >= limit:
            break
        out.extend(q.select(id_column, column).limit(limit - len(out)).tuples())
    return out[::-1] if backwards else out


def merged_key_page(queries, column, id_column, *, descending: bool, key: tuple | None = None,
                    limit: int, backwards: bool = False) -> list[tuple]:
    """key_page over the union of ``queries`` (disjoint, e.g. one per state), for a column
    that is never empty, in one statement: each part is read in (column, id) order from its
    own index range and the parts are merged as they are read (PostgreSQL's Merge Append), so
    a page reads about ``limit`` rows in all, however the parts lie in the whole order. For
    PostgreSQL: SQLite does not allow ORDER BY in the parts of a UNION."""
    forward = not backwards
    up = forward != descending
    way = "ASC" if up else "DESC"
    parts, params = [], []
    for q in queries:
        if key is not None:
            pair, at = Tuple(column, id_column), Tuple(column.db_value(key[0]), key[1])
            q = q.where(pair > at if up else pair < at)
        sql, values = (q.select(id_column, column)
                       .order_by(*[c.asc() if up else c.desc() for c in (column, id_column)])
                       .limit(limit).sql())
        parts.append(f"({sql})")
        params.extend(values)
    if not parts:
        return []
    sql = (f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS merged "
           f"ORDER BY 2 {way}, 1 {way} LIMIT {int(limit)}")
    rows = [tuple(r) for r in database.execute_sql(sql, params).fetchall()]
    return rows[::-1] if backwards else rows


# --- queries compiled once --------------------------------------------------------------------
# peewee turns a query into SQL anew at every run: for a wide select with joins (a complaint
# with its category, complainant and firm, ~70 columns) that costs more than running it
# (docs/design.md, "A complaint with its timeline"). A query run often in one shape is compiled
# once per shape and backend, with stand-ins where its values go; each run puts its values in
# their places and executes the SQL as it is.
_COMPILED: OrderedDict = OrderedDict()
_COMPILED_KEPT = 256
_compiled_lock = threading.Lock()
_STAND_IN = -7_391_245_000  # an id no row has, one per value: -7391245000, -7391245001, …


def compiled(shape, build, *values) -> list:
    """The rows (model instances, as iterating the query gives them) of the query
    ``build(*stand_ins)`` returns, run with ``values`` in place of the stand-ins. ``shape`` must
    name everything the query's SQL depends on other than ``values`` (the caller's branch, the
    user a visibility filter is built for…): queries of one shape share their SQL."""
    key = (shape, type(database.obj))
    with _compiled_lock:  # the GUI thread and the worker both open complaints
        entry = _COMPILED.get(key)
        if entry is not None:
            _COMPILED.move_to_end(key)
    if entry is None:
        stand_ins = [_STAND_IN - i for i in range(len(values))]
        query = build(*stand_ins)
        sql, params = query.sql()
        # a stand-in compared with a text column comes back as text
        marks = {m: i for i, s in enumerate(stand_ins) for m in (s, str(s))}
        places = [(at, marks[p]) for at, p in enumerate(params)
                  if isinstance(p, (int, str)) and not isinstance(p, bool) and p in marks]
        if sorted({i for _at, i in places}) != list(range(len(values))):
            raise ValueError(f"compiled({shape!r}): a value is missing from the query")
        entry = (query, sql, tuple(params), tuple(places))
        with _compiled_lock:
            _COMPILED[key] = entry
            while len(_COMPILED) > _COMPILED_KEPT:
                _COMPILED.popitem(last=False)
    query, sql, params, places = entry
    params = list(params)
    for at, i in places:
        params[at] = values[i]
    if isinstance(database.obj, PostgresqlDatabase):
        return list(query._get_cursor_wrapper(_run_prepared(key, sql, params)))
    return list(query._get_cursor_wrapper(database.execute_sql(sql, params)))


# PostgreSQL plans a statement at every run unless it is prepared: for the complaint with its
# joins that was 1 ms of 1.1. A compiled query is PREPAREd once per connection (a connection's
# prepared statements end with it) and EXECUTEd with its values.
_prepared: dict[int, tuple[object, dict]] = {}  # id(connection) -> (connection, key -> name)
_PLACEHOLDER = re.compile(r"%[s%]")


def _run_prepared(key, sql: str, params: list):
    conn = database.connection()
    with _compiled_lock:
        held = _prepared.get(id(conn))
        if held is None or held[0] is not conn:
            for number in [n for n, (c, _names) in _prepared.items() if c.closed]:
                del _prepared[number]
            held = _prepared[id(conn)] = (conn, {})
    names = held[1]  # this connection's: used by its own thread only
    name = names.get(key)
    if name is None:
        name = f"cd_compiled_{len(names) + 1}"
        counter = iter(range(1, len(params) + 1))
        numbered = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(counter)}",
                                    sql)
        database.execute_sql(f"PREPARE {name} AS {numbered}".replace("%", "%%"), ())
        names[key] = name
    if not params:
        return database.execute_sql(f"EXECUTE {name}")
    return database.execute_sql(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})",
                                params)


def analyze(db=None) -> None:
    """Refresh the planner's statistics after a bulk load (demo data, an import, a benchmark
    database): PostgreSQL plans from them, and without them (autovacuum may be off) it reads
    whole tables where an index would do (rules.md §10). SQLite is left without statistics, as
    a user's file is: its plans are the ones the indexes of the migrations were chosen for."""
    db = db if db is not None else database.obj
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ANALYZE")


# --- sorting names in pinyin order (migration 11) ----------------------------------------------
# GB2312's first level (3,755 common hanzi, 0xB0A1–0xD7F9) is laid out in pinyin order, so its
# byte order sorts names by pinyin without a dictionary: 李 (li) < 王 (wang) < 张 (zhang) <
# 赵 (zhao). Each character becomes a token of its pinyin initial and its GB2312 code, so Latin
# names fall in among the hanzi of the same initial ("Li Na" just before 李娜). The limit: a
# character outside that first level (a rare or traditional one: 堃, 喆, 張) has no known
# initial and sorts after z, in GBK order, then by code point.
_INITIALS = ((0xB0A1, "a"), (0xB0C5, "b"), (0xB2C1, "c"), (0xB4EE, "d"), (0xB6EA, "e"),
             (0xB7A2, "f"), (0xB8C1, "g"), (0xB9FE, "h"), (0xBBF7, "j"), (0xBFA6, "k"),
             (0xC0AC, "l"), (0xC2E8, "m"), (0xC4C3, "n"), (0xC5B6, "o"), (0xC5BE, "p"),
             (0xC6DA, "q"), (0xC8BB, "r"), (0xC8F6, "s"), (0xCBFA, "t"), (0xCDDA, "w"),
             (0xCEF4, "x"), (0xD1B9, "y"), (0xD4D1, "z"))
_STARTS = tuple(start for start, _letter in _INITIALS)
NAME_KEY_CHARS = 40  # characters of a name the key covers (the column holds 7 per character)
NAME_KEY_LENGTH = 7 * NAME_KEY_CHARS


def name_key(name: str) -> str:
    """The pinyin sort key of a person's name: ``ORDER BY name_key`` sorts names as a Chinese
    reader expects, with Latin names among them by their first letters."""
    out = []
    for ch in unicodedata.normalize("NFKC", name or "").strip()[:NAME_KEY_CHARS]:
        if ch.isascii():
            if ch.isalnum():
                out.append(ch.lower() + "0000")
            else:
                out.append(" 0000")  # spaces and punctuation: before any letter
            continue
        try:
            raw = ch.encode("gbk")
        except UnicodeEncodeError:
            out.append(f"|{ord(ch):06x}")
            continue
        code = int.from_bytes(raw, "big") if len(raw) == 2 else 0
        if 0xB0A1 <= code <= 0xD7F9:
            out.append(_INITIALS[bisect_right(_STARTS, code) - 1][1] + f"{code:04x}")
        else:
            out.append(f"{{{code:04x}")
    return "".join(out)
