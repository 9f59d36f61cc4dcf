"""When the database fails, the user reads a sentence and nothing is half-written; what the
user types is bounded before it reaches the database (docs/design.md, When something fails).

A full disk (SQLite's max_page_count), a lock held past a tiny busy timeout, values no column
can hold, and property tests over the cleaners of services/validation.py."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal

import peewee
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.db import database, is_postgres
from models.entities import ClockPause, Complainant, Complaint, Event, TicketCounter
from services import clock
from services.complaints import path as workflow
from services.errors import (
    DatabaseBusy,
    DatabaseFull,
    DatabaseUnreachable,
    DomainError,
    ValidationError,
    ValueNotStorable,
    database_failure,
)
from services.firm import close_database, open_database
from services.validation import (
    MAX_AMOUNT,
    MAX_INT,
    clean_amount,
    clean_day,
    clean_id,
    clean_int,
    clean_past_moment,
    clean_phone,
    clean_text,
)
from tests.helpers import register, walk_to


@pytest.fixture(autouse=True)
def _english_sentences():
    """The sentences are compared in English (the program's default language is Chinese)."""
    from services.i18n import language
    with language("en"):
        yield



def _counts() -> tuple:
    return (Complaint.select().count(), Event.select().count(), Complainant.select().count(),
            [(t.year, t.last) for t in TicketCounter.select().order_by(TicketCounter.year)])


def _failure_of(call) -> DomainError:
    with pytest.raises(Exception) as info:
        call()
    failure = database_failure(info.value)
    assert failure is not None, repr(info.value)
    return failure


# --- a full disk -----------------------------------------------------------------------------


def test_full_disk_refuses_registration_with_its_sentence(sqlite_firm):
    """SQLite gives up the transaction by itself on SQLITE_FULL; peewee's rollback then fails
    ("cannot rollback - no transaction is active"): the full disk is what is reported."""
    register(sqlite_firm.rec)  # the firm works
    before = _counts()
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")  # this connection: "disk full"
    with pytest.raises(Exception) as info:
        register(sqlite_firm.rec, description="外壳开裂" * 2000, request="换货" * 2000)
    assert "full" in repr(info.value) or "rollback" in repr(info.value)
    failure = database_failure(info.value)
    assert isinstance(failure, DatabaseFull)
    assert failure.message().startswith("The disk holding the database is full.")
    # nothing half-written, and the file still opens and works
    database.execute_sql(f"PRAGMA max_page_count = {2**30}")
    assert _counts() == before
    close_database()
    open_database(sqlite_firm.location)
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _counts() == before
    r = register(sqlite_firm.rec)
    assert r.ticket.endswith(f"{before[0] + 1:03d}")  # the number was given back


def test_full_disk_behind_a_failed_rollback_is_found_on_the_chain():
    """The audit's case, without a database: the rollback's error hides the real one."""
    real = sqlite3.OperationalError("database or disk is full")
    try:
        try:
            raise peewee.OperationalError(real, *real.args) from real
        except peewee.OperationalError:
            raise peewee.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except peewee.OperationalError as exc:
        assert isinstance(database_failure(exc), DatabaseFull)


@pytest.mark.parametrize("error, expected", [
    (sqlite3.OperationalError("database is locked"), DatabaseBusy),
    (sqlite3.OperationalError("database or disk is full"), DatabaseFull),
    (sqlite3.OperationalError("attempt to write a readonly database"), "NotWritable"),
    (sqlite3.DatabaseError("database disk image is malformed"), "Corrupt"),
    (sqlite3.DatabaseError("file is not a database"), "Corrupt"),
    (peewee.OperationalError("could not connect to server: Connection refused"), None),
    (OverflowError("Python int too large to convert to SQLite INTEGER"), ValueNotStorable),
    (ValueError("A string literal cannot contain NUL (0x00) characters."), ValueNotStorable),
    (ValueError("something else"), None),
    (KeyError("x"), None),
])
def test_each_low_level_error_has_its_sentence(error, expected):
    failure = database_failure(error)
    if expected is None:
        assert failure is None
    elif isinstance(expected, str):
        assert type(failure).__name__ == "Database" + expected
    else:
        assert isinstance(failure, expected)
    if failure is not None:
        assert failure.__cause__ is error
        assert failure.message().endswith(("saved.", "again.", "shorten it.", "backup.",
                                           "in a moment."))


def test_a_psycopg2_connection_error_reads_as_unreachable():
    psycopg2 = pytest.importorskip("psycopg2")
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host="127.0.0.1", port=1, dbname="x", connect_timeout=1)
    assert isinstance(database_failure(info.value), DatabaseUnreachable)


# --- a lock held past the busy timeout ------------------------------------------------------


class _Holder:
    """Another connection holding the write lock (SQLite) or a table lock (PostgreSQL), and a
    tiny wait on ours."""

    def __init__(self, location: str):
        if is_postgres():
            import psycopg2

            params = database.obj.connect_params
            self.conn = psycopg2.connect(dbname=database.obj.database, **params)
            self.conn.cursor().execute("LOCK TABLE complainant IN ACCESS EXCLUSIVE MODE")
            database.execute_sql("SET lock_timeout = '50ms'")
        else:
            self.conn = sqlite3.connect(location, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
            database.execute_sql("PRAGMA busy_timeout = 20")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.rollback() if is_postgres() else self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


def test_a_lock_held_too_long_reads_as_busy(firm):
    before = _counts()
    holder = _Holder(firm.location)
    try:
        failure = _failure_of(lambda: register(firm.rec))
    finally:
        holder.release()
    assert isinstance(failure, DatabaseBusy) and failure.retry
    assert "try again" in failure.message()
    assert _counts() == before
    register(firm.rec)  # free again


def test_the_worker_tries_again_then_says_so(firm, tasks, monkeypatch):
    """On the worker, a busy database is tried again after short pauses; when it stays busy
    the screen gets the sentence (a domain error, shown inline), never the error dialog."""
    import ui.tasks as worker

    holder = _Holder(firm.location)
    pauses = []
    monkeypatch.setattr(worker, "RETRY_DELAYS", (0.0, 0.0))
    monkeypatch.setattr(worker.time, "sleep", pauses.append)
    got = []
    try:
        worker.run_service(_Session(tasks), register, actor=firm.rec,
                           on_done=got.append, on_domain_error=got.append)
    finally:
        holder.release()
    assert pauses == [0.0, 0.0]
    assert len(got) == 1 and isinstance(got[0], DatabaseBusy)

    # released during the pause: the second try succeeds
    holder = _Holder(firm.location)
    monkeypatch.setattr(worker.time, "sleep", lambda _s: holder.release())
    got.clear()
    worker.run_service(_Session(tasks), register, actor=firm.rec,
                       on_done=got.append, on_domain_error=got.append)
    assert len(got) == 1 and got[0].ticket, got


class _Session:
    def __init__(self, tasks):
        self.tasks = tasks
        self.told = []

    def notify(self, changes) -> None:
        self.told.append(changes)


# --- values no column can hold: a sentence on both backends ---------------------------------


def test_bad_inputs_are_refused_with_a_sentence(firm):
    before = _counts()
    bad = {
        "complainant_name": "张\x00三",  # NUL: PostgreSQL cannot store it
        "description": "开裂\ud800",  # a lone surrogate: not UTF-8
        "location": "门店\n二楼",  # a line break in a one-line field
        "received_at": datetime(9999, 12, 31, 23, 0),
        "occurred_at": datetime(1999, 1, 1),
        "complainant_phone": "1" + "-" * 60 + "3800138000",
    }
    for name, value in bad.items():
        with pytest.raises(ValidationError) as info:
            register(firm.rec, **{name: value})
        assert info.value.field == name, name
    assert _counts() == before
    # a multi-line text keeps its line breaks and tabs
    r = register(firm.rec, description="第一行\n第二行\t完")
    assert Complaint.get_by_id(r.complaint_id).description == "第一行\n第二行\t完"


def test_an_absurd_amount_is_refused(firm):
    r = walk_to(firm, "investigating")
    for amount in (2**63, "1e400", "NaN", "9" * 50):
        with pytest.raises(ValidationError) as info:
            workflow.act(r.complaint_id, "decide", actor=firm.han, decision="赔偿",
                         reasons="质量问题", remedy="compensation", amount=amount)
        assert info.value.field == "amount"


def test_a_long_pause_note_is_kept_whole_on_the_timeline(firm):
    """ClockPause.reason holds 200 characters: the pause keeps the first 200 (cut with "…"),
    the timeline the whole note — the same on SQLite and PostgreSQL."""
    r = walk_to(firm, "investigating")
    note = "等待客户送检" * 33 + "完毕"  # 200 + … = 201 characters
    assert len(note) == 200
    note += "。"
    result = workflow.act(r.complaint_id, "pause", actor=firm.han, note=note)
    assert Event.get_by_id(result.event_id).note == note
    reasons = [p.reason for p in ClockPause.select()]
    assert reasons and all(len(x) == 200 and x.endswith("…") and note.startswith(x[:-1])
                           for x in reasons)
    with pytest.raises(ValidationError):  # the note itself is bounded by its own limit
        workflow.act(r.complaint_id, "resume", actor=firm.han, note="x" * 4001)


def test_a_value_past_the_cleaners_still_reads_as_a_sentence(firm):
    """The net under the cleaners: an id past 2**63 or a NUL sent straight to a query."""
    failure = _failure_of(lambda: Complaint.get_or_none(Complaint.id == 2**63 + 1)
                          if not is_postgres() else
                          Complaint.get_or_none(Complaint.ticket == "1\x00"))
    assert isinstance(failure, ValueNotStorable) and "Nothing was saved" in failure.message()


# --- the cleaners, over any input -------------------------------------------------------------

_MAX = 200


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=260), st.booleans())
def test_clean_text_returns_only_what_every_column_stores(text, multiline):
    try:
        out = clean_text(text, field="f", label="Label", max_length=_MAX, multiline=multiline,
                         required=False)
    except ValidationError as exc:
        assert exc.field == "f" and exc.message()
        return
    assert len(out) <= _MAX
    out.encode("utf-8")  # no lone surrogate
    allowed = "\t\n\r" if multiline else ""
    assert not any((ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) and c not in allowed for c in out)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.text(max_size=60), st.decimals(allow_nan=True),
                 st.floats()))
def test_clean_amount_fits_money_field(value):
    try:
        out = clean_amount(value, allow_negative=True)
    except ValidationError as exc:
        assert exc.field == "amount"
        return
    if out is not None:
        assert isinstance(out, Decimal) and abs(out) <= MAX_AMOUNT
        assert out == out.quantize(Decimal("0.01"))
        assert len(out.as_tuple().digits) <= 12  # DECIMAL(12, 2)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.text(max_size=30), st.none(), st.booleans()))
def test_clean_id_and_int_fit_an_integer_column(value):
    for cleaner in (clean_id, clean_int):
        try:
            out = cleaner(value, field="id", label="Id")
        except ValidationError as exc:
            assert exc.field == "id"
            continue
        assert isinstance(out, int) and 0 <= out <= MAX_INT


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23)))
def test_clean_past_moment_stays_in_the_years_the_program_counts(moment):
    now = datetime(2026, 9, 25, 10, 0)
    clock.freeze(now)
    try:
        out = clean_past_moment(moment, field="at", label="Time")
    except ValidationError as exc:
        assert exc.field == "at"
        return
    finally:
        clock.freeze(None)
    assert 2000 <= out.year <= 2100 and out <= now + timedelta(minutes=5)


@settings(max_examples=100, deadline=None)
@given(st.dates())
def test_clean_day_stays_in_2000_to_2100(day):
    try:
        out = clean_day(day, field="day", label="Day")
    except ValidationError:
        assert not 2000 <= day.year <= 2100
        return
    assert out == day and 2000 <= day.year <= 2100
    assert out + timedelta(days=3650) > date(2000, 1, 1)  # room for any limit: no overflow


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_clean_phone_fits_its_column(text):
    try:
        out = clean_phone(text)
    except ValidationError:
        return
    assert len(out) <= 50
