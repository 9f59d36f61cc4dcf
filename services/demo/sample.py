"""Realistic sample data: a firm, its staff and complaints with full timelines (``main.py demo``).

Each complaint's life is built in Python by ``services.demo.timeline`` following the real rules
(rules.md §2–§5); this module sets up the firm and its staff and writes the rows batch by batch:
multi-row inserts (PostgreSQL: COPY), one transaction per batch, so progress is real, memory
stays bounded and a cancel keeps what was committed. A thread builds the next batch while one
is written (``_Ahead``). Nothing goes through ``workflow.act``: 100,000 complaints take
seconds, not hours (docs/design.md, Tamper evidence, for how the batches are sealed).
"""
from __future__ import annotations

import gc
import io
import json
import queue
import random
import re
import sqlite3
import sys
import threading
import time as timer
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from operator import methodcaller

import services.demo.content as text
from models import seals
from models.base import name_key
from models.db import database, is_postgres
from models.entities import (
    Clock,
    ClockPause,
    Complainant,
    Complaint,
    ComplaintAccess,
    Department,
    Event,
    Firm,
    TicketCounter,
    User,
)
from models.seals import Seal
from models.search import sqlite_words
from services import clock as wallclock
from services import integrity
from services.complaints import STATES, numbering
from services.demo.penalties import generate_penalties
from services.demo.timeline import Case, Staff, TimelineBuilder
from services.demo.warranty import generate_warranty
from services.errors import ValidationError
from services.firm import PROFILES, FirmSetup, init_firm
from services.i18n import N_, language
from services.people import users
from services.timelimits import clocks as timelimits
from services.validation import clean_choice

BATCH = 2000  # complaints per transaction
SPAN_DAYS = 730  # complaints are received over the last two years

# The encoding of models.base.JSONField.db_value, with one encoder instead of one per call.
_encode_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


@dataclass(frozen=True)
class DemoSummary:
    firm_name: str
    profile: str
    complaints: int
    by_state: dict[str, int]
    overdue: int  # with a running time limit past due at the end moment (rules.md §5)
    extended: int
    archived: int
    users: list[tuple[str, str, str]]  # login, name, roles of the accounts with the password
    password: str
    seconds: float
    vehicles: int = 0  # repair-shop sample vehicles (rules.md §6), from generate_all
    warranty_claims: int = 0
    penalty_entries: int = 0  # proposals in the sample ledger (rules.md §7), from generate_all


def generate_all(*, profile: str, complaints: int = 300, seed: int = 1,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> DemoSummary:
    """Complaints, then (repair shops) vehicles, repairs and warranty claims, then the
    penalty ledger built from the misses: the whole sample the CLI and the wizard load."""
    import dataclasses

    def part(start: float, end: float):
        if progress is None:
            return None
        return lambda f: progress(start + (end - start) * max(0.0, min(1.0, f)))

    summary = generate(profile=profile, complaints=complaints, seed=seed,
                       progress=part(0.0, 0.8), cancelled=cancelled)
    if cancelled is not None and cancelled():
        return summary
    extra = {}
    if summary.profile == "repair-shop":
        w = generate_warranty(seed=seed, count=max(5, min(40, complaints // 20)),
                              progress=part(0.8, 0.9))
        extra.update(vehicles=w.vehicles, warranty_claims=w.claims)
    p = generate_penalties(seed=seed, progress=part(0.9, 1.0))
    extra["penalty_entries"] = p.proposed
    if progress is not None:
        progress(1.0)
    return dataclasses.replace(summary, **extra)


def generate(*, profile: str, complaints: int = 300, seed: int = 1, today: date | None = None,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> DemoSummary:
    """Add ``complaints`` sample complaints to the bound database, creating the firm (named
    for ``profile``) and its demo staff first when missing. An existing firm keeps its own
    profile, users and categories. ``today`` (a date, or a datetime for an exact moment) is
    the latest any event may be; by default now. Stops between batches when ``cancelled()``.
    """
    started = timer.perf_counter()
    clean_choice(profile, PROFILES, field="profile", label=N_("Firm profile"))
    if complaints < 0:
        raise ValidationError(N_("The number of complaints cannot be negative."),
                              field="complaints")
    end = _end_moment(today)
    since = end - timedelta(days=SPAN_DAYS + 1)
    firm, password_hash = _ensure_firm(profile, since)
    staff = _ensure_staff(firm.profile, password_hash, since)
    rng = random.Random(seed)
    writer = _Writer(firm, staff, rng, end)
    received = received_times(rng, complaints, end, weekend_work=firm.profile == "repair-shop")
    collecting = gc.isenabled()
    # Millions of short-lived tuples and no reference cycles: the cyclic collector would only
    # rescan them over and over (refcounting frees everything).
    gc.disable()
    parts = [received[start:start + BATCH] for start in range(0, len(received), BATCH)]
    # After each statement the writing thread waits for the GIL while the thread building the
    # next batch holds it: by default up to 5 ms, a few hundred times a batch.
    switching = sys.getswitchinterval()
    sys.setswitchinterval(min(switching, 0.0005))
    restore, ahead = [], None
    try:
        restore = _bulk_settings()
        ahead = _Ahead(writer, parts, firm.language)
        for n in range(len(parts)):
            if cancelled is not None and cancelled():
                break
            batch = ahead.next()
            with database.atomic():
                if is_postgres():  # sample data: see _bulk_settings
                    database.execute_sql("SET LOCAL synchronous_commit = off")
                if not _reserve(batch):
                    # Somebody else took ids or ticket numbers since the batch was built:
                    # build it again, in this transaction, with those it got (and the
                    # random draws it had), then go on ahead from there.
                    ahead.stop()
                    batch = writer.rebuild(batch)
                writer.write(batch)
            writer.count_in(batch)
            if ahead.thread is None:
                ahead.start(n + 1)  # from what is committed now
            if progress is not None:
                progress(min((n + 1) * BATCH, len(received)) / len(received))
    finally:
        if ahead is not None:
            ahead.stop()
        sys.setswitchinterval(switching)
        if collecting:
            gc.enable()
        for pragma, value in restore:
            database.execute_sql(f"PRAGMA {pragma} = {int(value)}")
    if is_postgres() and received:
        # fresh statistics for the planner after a bulk load (autovacuum may be off or late)
        database.execute_sql("ANALYZE")
    if progress is not None and not received:
        progress(1.0)
    accounts = [(u.login, u.name, u.roles) for u in
                User.select().where(User.password_hash == password_hash).order_by(User.id)]
    return DemoSummary(
        firm_name=firm.name, profile=firm.profile, complaints=writer.count,
        by_state={s: writer.by_state.get(s, 0) for s in STATES}, overdue=writer.overdue,
        extended=writer.extended, archived=writer.by_state.get("archived", 0), users=accounts,
        password=text.PASSWORD, seconds=round(timer.perf_counter() - started, 2))


def _end_moment(today: date | None) -> datetime:
    now = wallclock.now()
    if today is None:
        return now
    if isinstance(today, datetime):
        moment = today.replace(microsecond=0, tzinfo=None)
    elif today > now.date():
        moment = datetime.combine(today, time())  # in the future: refused below
    elif today == now.date():
        moment = now
    else:
        moment = datetime.combine(today, time(18))  # the end of that office day
    if moment > now:
        raise ValidationError(N_("{label} cannot be in the future."), field="today",
                              label=N_("Date"))
    return moment


def received_times(rng: random.Random, n: int, end: datetime, *, weekend_work: bool
                   ) -> list[datetime]:
    """When the complaints came in, oldest first: over the last two years, denser recently
    (the business grew), in office hours, fewer at weekends unless the firm works them."""
    keep_weekend = 0.8 if weekend_work else 0.25
    rand, out = rng.random, []
    last_day = end.date()
    while len(out) < n:
        day = last_day - timedelta(days=int(SPAN_DAYS * rand() ** 1.5))
        if day.weekday() >= 5 and rand() > keep_weekend:
            continue
        moment = datetime(day.year, day.month, day.day, 8, 30) + timedelta(
            seconds=int(rng.triangular(0, 36000, 14400)))
        if moment >= end:
            moment = end - timedelta(seconds=rng.randint(120, 7200))
        out.append(moment)
    out.sort()
    return out


# --- firm and staff --------------------------------------------------------------------------


def _ensure_firm(profile: str, since: datetime) -> tuple[Firm, str]:
    """The firm, created with its owner if the database has none, and the demo password's
    hash: one scrypt for every demo account (users.create_user takes a ready hash)."""
    firm = Firm.select().first()
    if firm is None:
        preset = text.FIRMS[profile]
        firm = init_firm(FirmSetup(profile=profile, firm_name=preset.name,
                                   owner_login=text.OWNER_LOGIN, owner_password=text.PASSWORD,
                                   owner_name=preset.owner_name, address=preset.address,
                                   phone=preset.phone))
        # the firm and its people predate the two years of complaints
        Firm.update(created_at=since).where(Firm.id == firm.id).execute()
        User.update(created_at=since).where(User.login == text.OWNER_LOGIN).execute()
        return Firm.get_by_id(firm.id), users.get_user(text.OWNER_LOGIN).password_hash
    logins = [row[0] for row in text.STAFF[firm.profile]] + [text.OWNER_LOGIN]
    for u in User.select().where(User.login.in_(logins)):
        if users.check_password(text.PASSWORD, u.password_hash):
            return firm, u.password_hash
    return firm, users.hash_password(text.PASSWORD)


def _ensure_staff(profile: str, password_hash: str, since: datetime) -> Staff:
    """Add the profile's demo staff that are missing; every active user takes part."""
    departments = {d.code for d in Department.select(Department.code)}
    existing = {u.login for u in User.select(User.login)}
    made = []
    for i, (login, name, roles, dept) in enumerate(text.STAFF[profile]):
        if login not in existing:
            users.create_user(login=login, name=name, password="", password_hash=password_hash,
                              roles=roles, department=dept if dept in departments else None,
                              phone=text.staff_phone(text.FIRMS[profile].phone, i))
            made.append(login)
    if made:
        User.update(created_at=since).where(User.login.in_(made)).execute()
    return Staff(list(User.select().where(User.active == True).order_by(User.id)))  # noqa: E712


# --- rows ------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, firm: Firm, staff: Staff, rng: random.Random, end: datetime):
        self.profile, self.rng, self.end = firm.profile, rng, end
        # SQLite stores datetimes as text; formatting them here once beats the driver's
        # adapter (at and recorded_at share one string). PostgreSQL takes them as they are.
        self.stamp = _same if is_postgres() else _iso
        self._json_cache: dict = {}
        self.builder = TimelineBuilder(
            profile=firm.profile, approval_required=firm.approval_required, staff=staff,
            rng=rng, end=end, calendar=timelimits.calendar(), office=timelimits.office_hours(),
            stamp=_same if is_postgres() else methodcaller("isoformat", " "), encode=self._json)
        self.count = self.overdue = self.extended = 0
        self.by_state: Counter = Counter()
        self.parameters = _parameter_limit()

    def _json(self, data: dict) -> str:
        """JSONField's text for an event's data; most steps record the same few payloads
        (satisfied, the same handler, the same findings), so each is encoded once."""
        try:
            key = tuple(data.items())
            found = self._json_cache.get(key)
        except TypeError:  # a list inside (meeting attendees)
            return _encode_json(data)
        if found is None:
            if len(self._json_cache) > 100_000:
                self._json_cache.clear()
            found = self._json_cache[key] = _encode_json(data)
        return found

    def prepare(self, received: list[datetime], seqs: dict[int, int], take,
                ahead: integrity.SealsAhead | None = None) -> _Batch:
        """Build a batch's rows: ``seqs`` each year's first ticket count, ``take(model, n)``
        ``n`` ids of the model's table, ``ahead`` links the seals. Touches no database (it
        runs ahead, on a thread)."""
        batch = _Batch(received, self.rng.getstate(), dict(seqs))
        seqs = dict(seqs)
        ids = take(Complaint, len(received))
        person_ids = take(Complainant, len(received))
        rows = batch.rows
        for cid, pid, when in zip(ids, person_ids, received, strict=True):
            seq = seqs[when.year]
            seqs[when.year] = seq + 1
            ticket = numbering.format_ticket(when, seq)
            self._rows(self.builder.build(when, cid, ticket), pid, when, seq, ticket, batch)
        clock_ids = take(Clock, len(rows.clocks))
        for row in rows.clocks:
            row[0] = clock_ids[row[0]]
        for row in rows.pauses:
            row[0] = clock_ids[row[0]]
        access_ids = take(ComplaintAccess, len(rows.access))
        event_ids = take(Event, len(rows.events))
        rows.access = [(i, *row) for i, row in zip(access_ids, rows.access, strict=True)]
        rows.events = [(i, *row) for i, row in zip(event_ids, rows.events, strict=True)]
        batch.ids = {Complaint: ids, Complainant: person_ids, Clock: clock_ids,
                     ComplaintAccess: access_ids, Event: event_ids}
        # The seals' digests, from the values written: each is what the database gives back
        # (text, ints, None; datetimes as written), so they are those a check computes
        # (docs/design.md, Tamper evidence). Chained in the batch's transaction (write).
        digest = seals.digest
        batch.seals = (
            [("event", row[0], digest("event", row[0], row[1:]), row[1]) for row in rows.events]
            + [("complaint_access", row[0], digest("complaint_access", row[0], row[1:]), row[1])
               for row in rows.access])
        # What _insert sends, made here: the thread writing only waits on the database
        limit = self.parameters
        batch.ready = {model: _rows_ready(part, len(fields), limit) for model, fields, part in (
            (Complainant, _PERSON_FIELDS, rows.people),
            (Complaint, _COMPLAINT_FIELDS, rows.complaints),
            (ComplaintAccess, _ACCESS_FIELDS, rows.access), (Event, _EVENT_FIELDS, rows.events),
            (Clock, _CLOCK_FIELDS, rows.clocks), (ClockPause, _PAUSE_FIELDS, rows.pauses))}
        if ahead is not None:
            batch.linked = ahead.link(batch.seals)
            if batch.linked is not None:
                batch.ready[Seal] = _rows_ready(batch.linked[1], len(_SEAL_FIELDS), limit)
        return batch

    def rebuild(self, batch: _Batch) -> _Batch:
        """The batch again, with the ids and ticket counts _reserve took for it."""
        self.rng.setstate(batch.rng_state)
        taken = batch.taken
        return self.prepare(batch.received, taken.pop("seqs"),
                            lambda model, n: _exactly(taken[model], n))

    def write(self, batch: _Batch) -> None:
        rows, ready = batch.rows, batch.ready
        _insert(Complainant, _PERSON_FIELDS, rows.people, ready.get(Complainant))
        with _copy_triggers_per_batch(Complaint, batch.ids[Complaint]):
            _insert(Complaint, _COMPLAINT_FIELDS, rows.complaints, ready.get(Complaint))
        _insert(ComplaintAccess, _ACCESS_FIELDS, rows.access, ready.get(ComplaintAccess))
        _insert(Event, _EVENT_FIELDS, rows.events, ready.get(Event))
        _insert(Clock, _CLOCK_FIELDS, rows.clocks, ready.get(Clock))
        _insert(ClockPause, _PAUSE_FIELDS, rows.pauses, ready.get(ClockPause))

        def write_seals(values):  # through _insert like every other row of the demo
            linked = batch.linked is not None and values is batch.linked[1]
            _insert(Seal, _SEAL_FIELDS, values, ready.get(Seal) if linked else None)

        integrity.seal_written(batch.seals, linked=batch.linked, write=write_seals)

    def count_in(self, batch: _Batch) -> None:
        """Add a committed batch to the summary's counts."""
        self.count += batch.count
        self.by_state.update(batch.by_state)
        self.overdue += batch.overdue
        self.extended += batch.extended

    def _rows(self, c: Case, pid: int, received: datetime, seq: int, ticket: str,
              batch: _Batch) -> None:
        rng, stamp, fill, rows = self.rng, self.stamp, self.builder.fill, batch.rows
        cid, channel, detail = c.cid, c.channel, c.detail
        employee = c.kind == "employee"
        name, phone = text.person_name(rng), text.mobile(rng)
        contract = text.contract_no(rng, self.profile, employee, received)
        mail = text.email(rng) if channel == "online" and not employee and rng.random() < 0.5 \
            else ""
        rows.people.append((pid, name, phone, text.address(rng), mail, contract,
                            c.complainant_dept))
        description = fill(c.topic.description, c)
        if channel == "authority":
            description = f"{detail}转来投诉件：{description}"
        elif channel == "media":
            description = f"投诉人在{detail}发帖反映：{description}"
        tail = self.builder.pick(text.DESCRIPTION_TAILS)
        if isinstance(tail, tuple):  # the receiver's remark: the registration's note
            first = c.events[0]
            c.events[0] = first[:7] + (tail[1],) + first[8:]
        else:
            description += tail
        respondent_text = ""
        if c.respondent is None and c.resp_dept is None and not employee and rng.random() < 0.3:
            respondent_text = c.slots.get("who") or text.WHO_GENERIC.get(self.profile, "")
        location = self.builder.pick(
            text.LOCATIONS.get("employee" if employee else self.profile, ("",)))
        occurred = text.daytime(received - timedelta(seconds=int(rng.random() * 864000) + 1800))
        if occurred >= received:
            occurred -= timedelta(days=1)
        soonest = None
        for k in c.clocks:
            if k.status == "running" and (soonest is None or k.due < soonest.due):
                soonest = k  # timelimits.refresh_next_due
        when = stamp(received)
        rows.complaints.append((
            cid, ticket, received.year, seq, c.kind, channel,
            detail, pid, name, phone, contract, c.respondent, c.resp_dept, respondent_text,
            when, stamp(occurred), location, description, fill(c.topic.request, c),
            c.category.id, c.severity, c.state, c.level, c.review_level, c.handler, c.registrar,
            when, c.decision, c.reasons, c.remedy, c.compensation, c.responsibility,
            c.satisfaction, c.external_route, c.root_cause,
            stamp(soonest.due) if soonest else None, soonest.rule.code if soonest else "",
            stamp(c.closed_at), stamp(c.last), name_key(name)))
        rows.access.extend([(cid, user, reason) for user, reason in c.access.items()])
        rows.events.extend(c.events)
        for k in c.clocks:
            index = len(rows.clocks)
            rows.clocks.append([index, cid, k.rule.id, stamp(k.started), k.length, k.unit,
                                stamp(k.due), k.provisional, k.status, stamp(k.paused_since),
                                stamp(k.stopped), k.late, k.responsible])
            for begin, ended, reason in k.pauses:
                rows.pauses.append([index, stamp(begin), stamp(ended), reason])
        batch.count += 1
        batch.by_state[c.state] += 1
        batch.extended += c.extended
        if soonest is not None and soonest.due < self.end:
            batch.overdue += 1


class _Batch:
    """One batch's rows, built ahead of its transaction, with what they were built from."""

    def __init__(self, received: list[datetime], rng_state, seqs: dict[int, int]):
        self.received, self.rng_state, self.seqs = received, rng_state, seqs
        self.rows = _Rows()
        self.ids: dict = {}
        self.seals: list = []
        self.linked: tuple | None = None  # the seals chained ahead (SealsAhead.link)
        self.ready: dict = {}  # what _insert sends for each table's rows (_rows_ready)
        self.taken: dict = {}  # what _reserve got, when it differs
        self.count = self.overdue = self.extended = 0
        self.by_state: Counter = Counter()


class _Ahead:
    """Builds the next batches on a thread while the current one is written.

    Building a batch (timelines, texts, seal digests) is Python; writing it is mostly the
    database's work (SQLite's inserts run without the GIL, PostgreSQL's in the server), so
    on two cores they overlap. A batch is built with the ids and ticket counts it will get
    if nobody else writes meanwhile (read from the database before starting, then counted
    on); _reserve checks that in the batch's transaction. One thread only ever uses the
    random generator and the builder at a time: the main thread after stop()."""

    def __init__(self, writer: _Writer, parts: list[list[datetime]], lang: str):
        self.writer, self.parts, self.lang = writer, parts, lang
        self.thread: threading.Thread | None = None
        self.start(0)

    def start(self, first: int) -> None:
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.halt = threading.Event()
        if first >= len(self.parts):
            return
        ids = {model: _next_id(model) for model in (Complaint, Complainant, Clock,
                                                    ComplaintAccess, Event)}
        seqs = {t.year: t.last + 1 for t in TicketCounter.select()}
        chain = integrity.SealsAhead()
        self.thread = threading.Thread(target=self._run, args=(first, ids, seqs, chain),
                                       name="demo-ahead", daemon=True)
        self.thread.start()

    def _run(self, first: int, ids: dict, seqs: dict[int, int],
             chain: integrity.SealsAhead) -> None:
        def take(model, n: int) -> list[int]:
            start = ids[model]
            ids[model] = start + n
            return list(range(start, start + n))

        try:
            with language(self.lang):  # texts the real steps write in the firm's language
                for part in self.parts[first:]:
                    if self.halt.is_set():
                        return
                    firsts = {}
                    for year, n in sorted(Counter(r.year for r in part).items()):
                        firsts[year] = seqs.get(year, 1)
                        seqs[year] = firsts[year] + n
                    self._put(self.writer.prepare(part, firsts, take, chain))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, raised there
            self._put(exc)

    def _put(self, item) -> None:
        while not self.halt.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def next(self) -> _Batch:
        item = self.queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def stop(self) -> None:
        if self.thread is None:
            return
        self.halt.set()
        self.thread.join()
        self.thread = None


def _next_id(model) -> int:
    """The id the next row of the model's table gets, unless someone else writes first."""
    table = model._meta.table_name
    if is_postgres():
        last, called = database.execute_sql(
            f"SELECT last_value, is_called FROM {_sequence(table)}").fetchone()
        return last + 1 if called else last
    return (database.execute_sql(f'SELECT MAX("id") FROM "{table}"').fetchone()[0] or 0) + 1


def _sequence(table: str) -> str:
    return database.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')",
                                (f'"{table}"',)).fetchone()[0]


def _reserve(batch: _Batch) -> bool:
    """Take the batch's ticket counts and ids in the current transaction (rules.md §3:
    gap-free ticket numbers); True when they are those it was built with. Otherwise what was
    taken is kept on the batch for _Writer.rebuild."""
    taken = {"seqs": _take_numbers(batch.received)}
    for model, ids in batch.ids.items():
        taken[model] = _take_ids(model, len(ids))
    if all(taken[model] == ids for model, ids in batch.ids.items()) \
            and taken["seqs"] == batch.seqs:
        return True
    batch.taken = taken
    return False


def _exactly(ids: list[int], n: int) -> list[int]:
    if len(ids) != n:  # the same random draws build the same rows
        raise RuntimeError(f"demo batch rebuilt with {n} rows instead of {len(ids)}")
    return ids


class _Rows:
    __slots__ = ("people", "complaints", "access", "events", "clocks", "pauses")

    def __init__(self):
        self.people, self.complaints, self.access = [], [], []
        self.events, self.clocks, self.pauses = [], [], []


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(" ")


def _same(moment):
    return moment


# --- writing many rows fast ------------------------------------------------------------------


def _bulk_settings() -> list[tuple[str, int]]:
    """SQLite, while the demo writes: a 128 MB page cache, so the register's indexes stay in
    memory as the file grows past a few hundred MB, and commits without waiting for the disk
    (synchronous=NORMAL; with the WAL a power cut may lose the last batches, never the
    database). Sample data, not what a user saved: the program's own writes keep FULL
    (models/db.py); on PostgreSQL each batch sets synchronous_commit off likewise. Returns
    the settings to restore."""
    if is_postgres():
        return []
    previous = [(pragma, database.execute_sql(f"PRAGMA {pragma}").fetchone()[0])
                for pragma in ("cache_size", "synchronous")]
    database.execute_sql("PRAGMA cache_size = -131072")
    database.execute_sql("PRAGMA synchronous = NORMAL")
    return previous


def _parameter_limit() -> int:
    """SQLite: how many parameters a statement may have (32766 by default, 999 before 3.32)."""
    if is_postgres():
        return 32766
    try:
        return database.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):
        return 999


def _take_numbers(received: list[datetime]) -> dict[int, int]:
    """Reserve each year's next ticket counts in one statement per year (rules.md §3: gap-free,
    in order of receipt, continuing the TicketCounter); return each year's first count."""
    first = {}
    for year, n in sorted(Counter(r.year for r in received).items()):
        result = (TicketCounter.insert(year=year, last=n)
                  .on_conflict(conflict_target=[TicketCounter.year],
                               update={TicketCounter.last: TicketCounter.last + n})
                  .returning(TicketCounter.last).execute())
        row = next(iter(result))  # INSERT … RETURNING, as in numbering.next_number
        first[year] = (row[0] if isinstance(row, tuple) else row.last) - n + 1
    return first


def _take_ids(model, n: int) -> list[int]:
    """Reserve ``n`` primary keys inside the current transaction, so events, access rows and
    clocks can point at rows written in the same batch without reading them back."""
    if n == 0:
        return []
    table = model._meta.table_name
    if is_postgres():
        cursor = database.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (table, n))
        return [row[0] for row in cursor.fetchall()]
    # SQLite: the transaction began IMMEDIATE, so nobody else inserts until we commit.
    top = database.execute_sql(f'SELECT MAX("id") FROM "{table}"').fetchone()[0] or 0
    return list(range(top + 1, top + n + 1))


def _insert(model, fields, rows, ready=None) -> None:
    """Insert ready values; ``ready``: the same rows as _rows_ready made them ahead.

    peewee's insert_many spends ~5 µs per value building its statement; executemany is
    faster but steps row by row, taking the GIL back after each row, which stalls while
    another thread builds the next batch. SQLite gets multi-row INSERTs of up to _PER_INSERT
    rows, their values bound from one flat tuple (each statement's rows go in without the
    GIL); PostgreSQL gets COPY."""
    if not rows:
        return
    if ready is None:
        ready = _rows_ready(rows, len(fields))
    if is_postgres():
        _copy(model, fields, ready)
        return
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    mark = "(" + ", ".join("?" * len(fields)) + ")"
    cursor = database.cursor()
    for n, values in ready:
        cursor.execute(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
                       + ", ".join([mark] * n), values)


_PER_INSERT = 1000  # rows per SQLite statement, fewer where the parameters would not fit


def _rows_ready(rows, width: int, limit: int = 32766):
    """What _insert sends for ``rows`` of ``width`` values: PostgreSQL, COPY's text; SQLite,
    [(row count, their values in one tuple)] within ``limit`` parameters a statement."""
    if is_postgres():
        return _copy_text(rows)
    per = max(1, min(_PER_INSERT, limit // width))
    flat = chain.from_iterable
    return [(len(part), tuple(flat(part)))
            for part in (rows[start:start + per] for start in range(0, len(rows), per))]


def _copy(model, fields, text: str) -> None:
    """PostgreSQL's COPY of rows in its text format: no statement text to build on the client
    and none to parse on the server."""
    if not text:
        return
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    database.cursor().copy_expert(f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN',
                                  io.StringIO(text), size=1 << 20)


def _copy_text(rows) -> str:
    return "".join(["\t".join(map(_copy_value, row)) + "\n" for row in rows])


# COPY's text format: backslash, tab, newline and carriage return escaped; NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _copy_value(value) -> str:
    kind = value.__class__
    if kind is str:
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    # datetime, date, Decimal, float: str() is what PostgreSQL reads in
    return str(value).translate(_COPY_ESCAPES)


# An AFTER INSERT trigger whose whole body copies the new row into another table, as the
# search index's does (migration m0004): INSERT INTO t(a, b) VALUES (new.x, new.y);
_COPY_TRIGGER = re.compile(
    r'CREATE\s+TRIGGER\s+"?(?P<name>\w+)"?\s+AFTER\s+INSERT\s+ON\s+"?(?P<table>\w+)"?\s+BEGIN\s+'
    r"INSERT\s+INTO\s+(?P<target>\w+)\s*\((?P<columns>[^()]*)\)\s*"
    r"VALUES\s*\((?P<values>[^()]*)\)\s*;\s*END", re.IGNORECASE)


@contextmanager
def _copy_triggers_per_batch(model, ids: list[int]):
    """Run the table's copy-on-insert triggers once for the whole batch instead of per row.

    SQLite's FTS5 index costs about five times more fed row by row from a trigger than by
    one INSERT … SELECT. DDL is transactional: the trigger is dropped and re-created inside
    the batch's transaction, so no other connection ever sees the table without it, and a
    failure rolls it back. Triggers of any other shape stay and run as usual.
    """
    if is_postgres() or not ids:
        yield
        return
    table = model._meta.table_name
    copies = []
    for name, sql in database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,)).fetchall():
        if name == "complaint_words_insert":  # the short-word index (migration m0009)
            copies.append((name, sql, "INSERT INTO complaint_words(rowid, words) SELECT c.id, "
                                      f'{sqlite_words("c")} FROM "{table}" AS c '
                                      "WHERE c.id BETWEEN ? AND ? ORDER BY c.id"))
            continue
        found = _COPY_TRIGGER.fullmatch((sql or "").strip())
        values = [v.strip() for v in found["values"].split(",")] if found else []
        if not values or not all(re.fullmatch(r"new\.\w+", v, re.IGNORECASE) for v in values):
            continue
        source = ", ".join(f'"{v[4:]}"' for v in values)
        copies.append((name, sql, f'INSERT INTO {found["target"]} ({found["columns"]}) '
                                  f'SELECT {source} FROM "{table}" WHERE "id" BETWEEN ? AND ? '
                                  f'ORDER BY "id"'))
    for name, _sql, _copy in copies:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql, copy in copies:
        database.execute_sql(copy, (ids[0], ids[-1]))  # the batch's ids are one range
        database.execute_sql(sql)


_PERSON_FIELDS = (Complainant.id, Complainant.name, Complainant.phone, Complainant.address,
                  Complainant.email, Complainant.contract_no, Complainant.department)
_COMPLAINT_FIELDS = (
    Complaint.id, Complaint.ticket, Complaint.year, Complaint.seq, Complaint.kind,
    Complaint.channel, Complaint.channel_detail, Complaint.complainant,
    Complaint.complainant_name, Complaint.complainant_phone, Complaint.contract_no,
    Complaint.respondent_user, Complaint.respondent_department, Complaint.respondent_text,
    Complaint.received_at, Complaint.occurred_at, Complaint.location, Complaint.description,
    Complaint.request, Complaint.category, Complaint.severity, Complaint.state, Complaint.level,
    Complaint.review_level, Complaint.handler, Complaint.registered_by, Complaint.registered_at,
    Complaint.decision, Complaint.decision_reasons, Complaint.remedy, Complaint.compensation,
    Complaint.responsibility, Complaint.satisfaction, Complaint.external_route,
    Complaint.root_cause, Complaint.next_due_at, Complaint.next_due_rule, Complaint.closed_at,
    Complaint.updated_at, Complaint.name_key)
_ACCESS_FIELDS = (ComplaintAccess.id, ComplaintAccess.complaint, ComplaintAccess.user,
                  ComplaintAccess.reason)
_EVENT_FIELDS = (Event.id, Event.complaint, Event.action, Event.from_state, Event.to_state,
                 Event.actor, Event.at, Event.recorded_at, Event.note, Event.data)
_CLOCK_FIELDS = (Clock.id, Clock.complaint, Clock.rule, Clock.started_at, Clock.length,
                 Clock.unit, Clock.due_at, Clock.provisional, Clock.status, Clock.paused_since,
                 Clock.stopped_at, Clock.late, Clock.responsible)
_SEAL_FIELDS = (Seal.table_name, Seal.row_id, Seal.digest, Seal.chain, Seal.complaint)
_PAUSE_FIELDS = (ClockPause.clock, ClockPause.started_at, ClockPause.ended_at,
                 ClockPause.reason)

__all__ = ["DemoSummary", "generate", "received_times"]
