"""Registering, finding and reading complaints (rules.md §3, the register 台账)."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import JOIN, SQL, Column, NodeList, Table, fn

import services.complaints.numbering as numbering
from models.base import compiled, id_page, key_page, merged_key_page, name_key
from models.db import database, is_postgres
from models.entities import (
    Attachment,
    Category,
    Complainant,
    Complaint,
    ComplaintAccess,
    Department,
    Event,
    User,
)
from models.search import (
    PG_SEARCH_EXPRESSION,
    PG_WORDS_EXPRESSION,
    short_words,
    sqlite_token,
)
from services import clock
from services.complaints.merging import alias_targets
from services.complaints.path import (
    CLOSED_STATES,
    OPEN_STATES,
    STATES,
    TRANSITIONS,
    ActionResult,
    allowed_in,
    fired_changes,
    firm,
    outlook_in,
    refusal,
)
from services.complaints.path import candidates as path_candidates
from services.complaints.path import load as path_load
from services.errors import NotYours, PermissionDenied, ValidationError
from services.firm import CHANNELS, KINDS, SEVERITIES
from services.i18n import N_, localized
from services.people import (
    grant,
    has_role,
    list_users,
    not_respondent,
    require_visible,
    sees_only_involved,
    visible_candidates,
    visible_filter,
)
from services.timelimits import clocks as timelimits
from services.validation import (
    check_characters,
    clean_choice,
    clean_past_moment,
    clean_phone,
    clean_text,
)


@dataclass
class ComplaintInput:
    """What the register form (or the CLI) collects for a new complaint (rules.md §3)."""

    kind: str = "customer"
    channel: str = "phone"
    channel_detail: str = ""
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_address: str = ""
    complainant_email: str = ""
    contract_no: str = ""
    complainant_department: str = ""  # employees: department code
    respondent_user: str = ""  # login
    respondent_department: str = ""  # code
    respondent_text: str = ""
    received_at: datetime | None = None
    occurred_at: datetime | None = None
    location: str = ""
    description: str = ""
    request: str = ""
    category: str = ""
    severity: str = "normal"


def _dept(code: str, field_name: str) -> Department | None:
    if not code:
        return None
    dept = Department.get_or_none((Department.code == code) & (Department.active == True))  # noqa: E712
    if dept is None:
        raise ValidationError(N_("Unknown department: {code}."), field=field_name, code=code)
    return dept


def validate_input(data: ComplaintInput) -> dict:
    """Check every field; return clean values. Raises ValidationError naming the field."""
    for name, value in vars(data).items():  # broken text never reaches a lookup or the driver
        if isinstance(value, str):
            check_characters(value, field=name, label=name, multiline=True)
    kind = clean_choice(data.kind, KINDS, field="kind", label=N_("Kind"))
    channel = clean_choice(data.channel, CHANNELS, field="channel", label=N_("Channel"))
    severity = clean_choice(data.severity or "normal", SEVERITIES, field="severity",
                            label=N_("Severity"))
    name = clean_text(data.complainant_name, field="complainant_name",
                      label=N_("Complainant"), max_length=100)
    phone = clean_phone(data.complainant_phone, field="complainant_phone")
    received = clean_past_moment(data.received_at or clock.now(), field="received_at",
                                 label=N_("Received at"))
    occurred = None
    if data.occurred_at is not None:
        occurred = clean_past_moment(data.occurred_at, field="occurred_at",
                                     label=N_("Happened at"))
        if occurred > received:
            raise ValidationError(N_("It cannot have happened after the complaint was received."),
                                  field="occurred_at")
    description = clean_text(data.description, field="description", label=N_("What happened"),
                             max_length=8000)
    cat = Category.get_or_none((Category.code == (data.category or "").strip())
                               & (Category.active == True))  # noqa: E712
    if cat is None or cat.kind not in ("any", kind):
        raise ValidationError(N_("Unknown category: {code}."), field="category",
                              code=data.category or "")
    respondent = None
    if data.respondent_user:
        respondent = User.get_or_none(User.login == data.respondent_user.strip())
        if respondent is None:
            raise ValidationError(N_("No user with the login {login}."), field="respondent_user",
                                  login=data.respondent_user)
    if kind == "employee" and not data.complainant_department:
        raise ValidationError(N_("Give the employee's department."),
                              field="complainant_department")
    return dict(
        kind=kind, channel=channel, severity=severity, name=name, phone=phone,
        received=received, occurred=occurred, description=description, category=cat,
        respondent=respondent,
        channel_detail=clean_text(data.channel_detail, field="channel_detail",
                                  label=N_("Forwarded by"), max_length=200, required=False),
        address=clean_text(data.complainant_address, field="complainant_address",
                           label=N_("Address"), max_length=300, required=False),
        email=clean_text(data.complainant_email, field="complainant_email", label=N_("E-mail"),
                         max_length=200, required=False),
        contract_no=clean_text(data.contract_no, field="contract_no",
                               label=N_("Contract / order no."), max_length=60, required=False),
        complainant_department=_dept(data.complainant_department, "complainant_department"),
        respondent_department=_dept(data.respondent_department, "respondent_department"),
        respondent_text=clean_text(data.respondent_text, field="respondent_text",
                                   label=N_("Respondent"), max_length=200, required=False),
        location=clean_text(data.location, field="location", label=N_("Place"),
                            max_length=200, required=False),
        request=clean_text(data.request, field="request", label=N_("Request"),
                           max_length=4000, required=False),
    )


def register(data: ComplaintInput, *, actor: User, note: str = "") -> ActionResult:
    """Record a new complaint and give it its ticket number (rules.md §3, §4 登记)."""
    t = TRANSITIONS["register"]
    if not has_role(actor, *t.who):
        raise PermissionDenied(N_("You may not register complaints."))
    firm()
    v = validate_input(data)
    if v["respondent"] is not None and v["respondent"].id == actor.id:
        raise PermissionDenied(N_("You cannot register a complaint about yourself; ask a "
                                  "colleague (recusal)."), field="respondent_user")
    now = clock.now()
    with database.atomic():
        person = Complainant.create(name=v["name"], phone=v["phone"], address=v["address"],
                                    email=v["email"], contract_no=v["contract_no"],
                                    department=v["complainant_department"])
        seq, ticket = numbering.next_number(v["received"])
        complaint = Complaint.create(
            ticket=ticket, year=v["received"].year, seq=seq, kind=v["kind"],
            channel=v["channel"], channel_detail=v["channel_detail"], complainant=person,
            complainant_name=v["name"], name_key=name_key(v["name"]),
            complainant_phone=v["phone"],
            contract_no=v["contract_no"], respondent_user=v["respondent"],
            respondent_department=v["respondent_department"],
            respondent_text=v["respondent_text"], received_at=v["received"],
            occurred_at=v["occurred"], location=v["location"], description=v["description"],
            request=v["request"], category=v["category"], severity=v["severity"],
            state="registered", registered_by=actor.id, registered_at=now, updated_at=now)
        grant(complaint, actor, "registered")
        timelimits.on_triggers(complaint, ["register"], at=v["received"], responsible=actor)
        complaint.save()
        event = Event.create(complaint=complaint.id, action="register", from_state="",
                             to_state="registered", actor=actor.id, at=v["received"],
                             recorded_at=now, note=clean_text(note, field="note", label=N_("Note"),
                                                              max_length=4000, required=False),
                             data={"ticket": ticket, "channel": v["channel"]})
        reported = fired_changes(complaint, event)  # penalties may propose entries
    return ActionResult(complaint.id, ticket, "register", event.id, "", "registered",
                        {"ticket": ticket}, reported=reported)


# --- finding -------------------------------------------------------------------------------


@dataclass
class ComplaintFilter:
    """What the register is narrowed to: text, kind, category, state, handler, dates, overdue."""
    text: str = ""
    kind: str = ""
    category: str = ""
    state: str = ""  # a state, or "open" / "closed"
    handler: str = ""  # login
    received_from: date | None = None
    received_to: date | None = None
    overdue_only: bool = False


SORT_COLUMNS = {
    "ticket": Complaint.ticket, "received": Complaint.received_at, "kind": Complaint.kind,
    "complainant": Complaint.name_key, "category": Complaint.category,
    "state": Complaint.state, "next_due": Complaint.next_due_at, "handler": Complaint.handler,
}


def _where(actor: User, f: ComplaintFilter, *, visibility: bool = True,
           ordered: bool = False, text: bool = True):
    """The filter as SQL. ``ordered``: for a page in register order rather than a count (a
    filter keeping several states then leaves the state index alone on SQLite, see below).
    ``text=False`` leaves the search out (a capped count joins the search index instead)."""
    cond = visible_filter(actor) if visibility else not_respondent(actor)
    few = visible_candidates(actor) if visibility else None
    if few is not None:  # read from the user's own rows (docs/design.md)
        cond &= Complaint.id.in_(few)
    if text and f.text.strip():  # a merged duplicate's number also finds its original
        text = f.text.strip()
        merged = alias_targets(text)
        cond &= (_text_match(text, ordered) if merged is None
                 else _text_match(text, ordered) | Complaint.id.in_(merged))
    if f.kind:
        cond &= Complaint.kind == f.kind
    if f.category:
        # by id, so that the (category, received_at, id) index orders the page (migration 13);
        # an IN (subquery) made SQLite sort every complaint of the category
        cat = Category.get_or_none(Category.code == f.category)
        cond &= Complaint.category == (cat.id if cat is not None else 0)
    if f.state in ("open", "closed"):
        # The states by name: an index range each, where NOT IN read every row. Several
        # ranges of the state index come out of date order and are sorted for a page: fine
        # for the open complaints (few, and the recent ones), not for the closed (nearly all):
        # a page of those reads the date index and keeps the rows in these states ("+" hides
        # the column from SQLite's planner; PostgreSQL chooses from its statistics).
        states = OPEN_STATES if f.state == "open" else CLOSED_STATES
        column = (NodeList((SQL("+"), Complaint.state), glue="")
                  if ordered and f.state == "closed" and not is_postgres()
                  else Complaint.state)
        cond &= column.in_(states)
    elif f.state:
        cond &= Complaint.state == clean_choice(f.state, STATES, field="state",
                                                label=N_("State"))
    if f.handler:
        handler = User.get_or_none(User.login == f.handler)
        cond &= Complaint.handler == (handler.id if handler is not None else 0)
    if f.received_from:
        cond &= Complaint.received_at >= datetime.combine(f.received_from, datetime.min.time())
    if f.received_to:
        cond &= Complaint.received_at < datetime.combine(f.received_to + timedelta(days=1),
                                                          datetime.min.time())
    if f.overdue_only:
        cond &= Complaint.next_due_at < clock.now()
    return cond


def _pg_ids(where: str, params: tuple):
    """PostgreSQL: the complaints among the matches the search index finds, as
    ``ctid = ANY(ARRAY(…))``: the matches are listed first, then fetched and put in order.
    As ``IN (subquery)`` the planner was free to walk the date index computing each row's
    words (6 s for a rare name at 100,000 complaints) or, for a couple of thousand matches,
    to read the whole table for a hash join (57 ms against 8 ms this way). Listed by their
    row address (ctid, one snapshot for the whole statement) rather than their id, each
    match is fetched straight from the table instead of through the id index: 11,100
    matches at a million, 25 -> 8 ms."""
    return Column(Complaint, "ctid") == fn.ANY(
        SQL(f'ARRAY(SELECT ctid FROM "complaint" WHERE {where})', params))


def _text_match(text: str, ordered: bool = False):
    """Ticket no., name, phone, contract no. or the text of the complaint contains ``text``.

    Three characters or more use the full-text index (SQLite FTS5 trigram, PostgreSQL
    pg_trgm; see migration 4). One or two characters look up the word index of migration 9:
    the name or the description holding them anywhere, or a ticket, phone or contract number
    beginning with them; ASCII letters in either case (rules.md §10). ``ordered``: for a page
    in register order rather than a count.
    """
    if len(text) >= 3:
        if is_postgres():
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            match = f"({PG_SEARCH_EXPRESSION}) ILIKE %s"
            # A count checks the trigram index's matches on their rows and stops at its cap.
            # A page: a phrase in a good part of the register is checked on the rows as the
            # page reads the register's order; any other is listed from the index first (by
            # row address) and its matches put in order. Left to itself, the planner took an
            # estimate of 7,700 matches for leave to walk the date order (49,000 rows read
            # for a page of 没有人 at a million: 148 ms; docs/design.md, "Search").
            if not ordered or _pg_common(match, (pattern,)):
                return SQL(match, (pattern,))
            return _pg_ids(match, (pattern,))
        phrase = '"' + text.replace('"', '""') + '"'
        return Complaint.id.in_(SQL("(SELECT rowid FROM complaint_fts WHERE complaint_fts "
                                    "MATCH ?)", (phrase,)))
    anywhere, beginning = short_words(text)
    query = f'"{sqlite_token(anywhere)}" OR "{sqlite_token(beginning)}"'
    if _common_word(query, anywhere, beginning):
        # Found in a good part of the register (a letter pair such as "dd" in most contract
        # numbers): listing every match to look up a page cost seconds at a million; the page
        # reads the register's order and checks each row (few are passed over), with LIKE,
        # which finds the same rows as the index (tests/services/test_short_search.py).
        return _like_short(text)
    if is_postgres():
        return _pg_ids(f"{PG_WORDS_EXPRESSION} && ARRAY[%s, %s]::text[]", (anywhere, beginning))
    listed = SQL("(SELECT rowid FROM complaint_words WHERE complaint_words MATCH ?)", (query,))
    if ordered and _walk_along(query):
        # Thousands of matches (a common surname): the page reads the register's order and
        # keeps the rows found in the list of matches, instead of looking each match up to
        # sort them all. The unary + keeps SQLite from driving the query by the list; the
        # same rows either way. At a million, 9,600 matches for 谭: 22 -> 2.5 ms.
        return NodeList((SQL("+"), Complaint.id), glue="").in_(listed)
    return Complaint.id.in_(listed)


def _sqlite_index_match(text: str):
    """SQLite: the search index table that holds ``text`` and its MATCH expression, for a
    capped count to read the matches straight from the index (``_capped_from_index``)."""
    if len(text) >= 3:
        return "complaint_fts", '"' + text.replace('"', '""') + '"'
    anywhere, beginning = short_words(text)
    return "complaint_words", f'"{sqlite_token(anywhere)}" OR "{sqlite_token(beginning)}"'


# A short word is "common" when reading the register's order and checking each row with LIKE
# is cheaper than looking up each of its matches to put them in date order (the word index
# gives them by id). Counting the first COUNTED_AT_ONCE of m matches among n complaints the
# first way reads COUNTED_AT_ONCE × n / m rows, the second looks up m: the first wins once
# m² > LIKE_COST × COUNTED_AT_ONCE × n, LIKE_COST being what checking one row costs beside one
# look-up (measured at 100,000 complaints, docs/benchmarks.md: about 3 on PostgreSQL for a
# word with ASCII letters, whose translate() folds the whole description, about 0.4 for one
# without, which LIKE matches on the columns as they are; about 1/4 on SQLite). At least
# COMMON_LEAST.
COUNTED_AT_ONCE = 1_000  # as far as the register counts at once (ui/widgets/lazy_table.py)
LIKE_COST = {"sqlite": 0.25, "postgres": 3.0, "postgres, no letters": 0.4}
COMMON_LEAST = 2_000
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _common_word(query: str, anywhere: str, beginning: str) -> bool:
    """Whether many complaints hold the word: SQLite counts its index entries (stopping there:
    a few thousand at most); PostgreSQL asks its planner's estimate (its statistics of the
    word index), which costs no reading."""
    if is_postgres():
        return _pg_common(f"{PG_WORDS_EXPRESSION} && ARRAY[%s, %s]::text[]",
                          (anywhere, beginning), folded=_has_letters(anywhere[1:]))
    enough = _enough()
    return _sqlite_word_entries(query, enough + 1) > enough


def _sqlite_word_entries(query: str, at_most: int) -> int:
    """SQLite: how many entries the word index holds for ``query``, counted up to
    ``at_most``."""
    return database.execute_sql(
        "SELECT count(*) FROM (SELECT rowid FROM complaint_words WHERE complaint_words "
        "MATCH ? LIMIT ?)", (query, at_most)).fetchone()[0]


def _register_size() -> int:
    """The highest complaint id: the register's size, read from the end of the id index."""
    return database.execute_sql('SELECT max("id") FROM "complaint"').fetchone()[0] or 0


# SQLite, a short word with fewer matches than that: a page walks the register's order and
# keeps the matches (see _text_match) once the word has WALK_FACTOR × n matches or more
# (squared) among n complaints. Walking reads about R × n / m rows of the order for m matches
# and a page of R rows (200 at most) and probes each in the list of matches; listing looks
# every match up. A probe costs about 1/30 of a look-up (measured at a million: 0.07 against
# 2 µs), and the matches of a real word are not spread evenly over the years: × 4.
WALK_FACTOR = 25


def _walk_along(query: str) -> bool:
    """SQLite: whether a page should walk the register's order for the short word ``query``
    (its index counted up to the threshold, a few thousand entries at most)."""
    least = math.isqrt(WALK_FACTOR * _register_size())
    return _sqlite_word_entries(query, least) >= least


def _enough(folded: bool = True) -> int:
    """From how many matches a word is common: where reading the register's order and
    checking each row costs less than listing every match first. ``folded``: PostgreSQL
    checks each row with its columns' ASCII letters folded (a word with letters)."""
    cost = LIKE_COST["sqlite" if not is_postgres() else "postgres" if folded
                     else "postgres, no letters"]
    return max(COMMON_LEAST, math.isqrt(int(cost * COUNTED_AT_ONCE * _register_size())))


def _pg_common(where: str, params: tuple, *, folded: bool = True) -> bool:
    """PostgreSQL: whether the planner expects more than ``_enough(folded)`` complaints to
    meet ``where`` (its estimate, from the index's statistics, costs no reading)."""
    plan = database.execute_sql(f'EXPLAIN (FORMAT JSON) SELECT 1 FROM "complaint" WHERE {where}',
                                params).fetchone()[0]
    return plan[0]["Plan"]["Plan Rows"] > _enough(folded)


def _has_letters(folded: str) -> bool:
    """Whether ``folded`` (a search text, its ASCII letters folded) holds any ASCII letter."""
    return any(ch in _LOWER for ch in folded)


def _like_short(text: str):
    """The short-word search as a LIKE of the five columns, ASCII letters in either case:
    the name or description holds ``text``, a number begins with it."""
    if not is_postgres():  # SQLite's LIKE folds ASCII letters only, as the word index does
        return (Complaint.complainant_name.contains(text) | Complaint.description.contains(text)
                | Complaint.ticket.startswith(text) | Complaint.complainant_phone.startswith(text)
                | Complaint.contract_no.startswith(text))
    folded = text.translate(str.maketrans(_UPPER, _LOWER))
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # Folding a column changes its ASCII letters only, one for one: a pattern without any
    # matches the column as it is. Not folding the description of every row read saves most
    # of the work (向 in 148,500 complaints at a million, counted to 1,001: 47 -> 4 ms).
    fold = _has_letters(folded)

    def low(column: str) -> str:
        return f"translate(\"{column}\", '{_UPPER}', '{_LOWER}')" if fold else f'"{column}"'

    return SQL(f"({low('complainant_name')} LIKE %s OR {low('description')} LIKE %s OR "
               f"{low('ticket')} LIKE %s OR {low('complainant_phone')} LIKE %s OR "
               f"{low('contract_no')} LIKE %s)",
               (f"%{escaped}%", f"%{escaped}%", f"{escaped}%", f"{escaped}%", f"{escaped}%"))


def count(actor: User, f: ComplaintFilter | None = None, *, at_most: int | None = None) -> int:
    """How many complaints match; with ``at_most``, counting stops there (a capped count reads
    at most that many rows: the register shows "1,000+" until the exact count, made in the
    background, arrives; rules.md §10)."""
    f = f or ComplaintFilter()
    text = f.text.strip()
    # SQLite, a search counted up to a cap: the matches come from the search index one by
    # one, joined to their complaints, and counting stops at the cap (1.4 ms for a character
    # in 18,700 complaints at a million, where reading the register's order with LIKE for
    # the first 1,000 read 53,000 rows: 61 ms). Not for a merged duplicate's number, which
    # also finds its original (an OR the index cannot answer), nor from a user's own rows,
    # where the planner would look each of them up in the index (seconds).
    own_rows = sees_only_involved(actor) and visible_candidates(actor) is None
    by_index = (at_most is not None and bool(text) and not own_rows and not is_postgres()
                and alias_targets(text) is None)
    if own_rows:
        # Counting from the user's own access rows reads thousands of rows, not the whole
        # register (rules.md §10; 4x faster than the EXISTS form for a receiver). Whoever
        # registers a complaint has an access row from then on (register() grants it).
        q = (Complaint.select(Complaint.id)
             .join(ComplaintAccess, on=((ComplaintAccess.complaint == Complaint.id)
                                        & (ComplaintAccess.user == actor.id)))
             .where(_where(actor, f, visibility=False)
                    # rules.md §2: an employee complaint only for who registered it
                    & ((Complaint.kind == "customer")
                       | (Complaint.registered_by == actor.id))))
    else:
        q = Complaint.select(Complaint.id).where(_where(actor, f, text=not by_index))
    if by_index:
        table, match = _sqlite_index_match(text)
        index = Table(table).alias("found")
        q = (q.join(index, on=(Complaint.id == index.c.rowid))
             .where(SQL(f'"found"."{table}" MATCH ?', (match,))))
    if at_most is not None:
        return Complaint.select(fn.COUNT(SQL("1"))).from_(q.limit(at_most).alias("capped")).scalar()
    return q.select(fn.COUNT(Complaint.id)).scalar()


def ids(actor: User, f: ComplaintFilter | None = None, *, sort: str = "received",
        descending: bool = True, offset: int = 0, limit: int | None = None) -> list[int]:
    """Ids in register order; the register model asks for pages of them (rules.md §10)."""
    q = Complaint.select(Complaint.id).where(_where(actor, f or ComplaintFilter(), ordered=True))
    return id_page(q, SORT_COLUMNS.get(sort, Complaint.received_at), Complaint.id,
                   descending=descending, offset=offset, limit=limit)


# --- keyset paging (rules.md §10) ------------------------------------------------------------
# A page is a list of ``(id, key)``: ``key`` is the row's ``(sort value, id)``, an opaque value
# the register hands back to ask for the page after or before that row. Each sortable column
# has a (column, id) index (migration 10), so a page is one index range, anywhere in the list.


def _keyed(rows: list[tuple]) -> list[tuple[int, tuple]]:
    return [(i, (v, i)) for i, v in rows]


def _paged(actor: User, f: ComplaintFilter | None):
    return Complaint.select(Complaint.id).where(_where(actor, f or ComplaintFilter(),
                                                       ordered=True))


def _page(actor: User, f: ComplaintFilter | None, sort: str, descending: bool,
          key: tuple | None, limit: int, backwards: bool) -> list[tuple]:
    column = SORT_COLUMNS.get(sort, Complaint.received_at)
    states = _one_range_each(f, column)
    if states is None:
        return key_page(_paged(actor, f), column, Complaint.id, descending=descending,
                        key=key, limit=limit, backwards=backwards)
    return merged_key_page([_paged(actor, dataclasses.replace(f, state=s)) for s in states],
                           column, Complaint.id, descending=descending, key=key, limit=limit,
                           backwards=backwards)


def _one_range_each(f: ComplaintFilter | None, column) -> tuple[str, ...] | None:
    """PostgreSQL, the open complaints in date order: their states, to be read as one range
    of the (state, received_at, id) index each and merged as they are read (docs/design.md,
    "The register at a million"). Given the states in one IN, PostgreSQL walks the date
    index and skips every closed complaint on the way to the oldest open one: 63 ms for the
    last page at a million."""
    if f is None or f.state != "open" or column is not Complaint.received_at \
            or not is_postgres():
        return None
    return OPEN_STATES


def page_after(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
               descending: bool = True, after_key: tuple | None = None,
               limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` complaints just after the row whose key is ``after_key`` (None: the
    first page), in register order, without OFFSET."""
    return _keyed(_page(actor, f, sort, descending, after_key, limit, backwards=False))


def page_before(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
                descending: bool = True, before_key: tuple | None = None,
                limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` complaints just before the row whose key is ``before_key`` (None: the
    last page), in register order."""
    return _keyed(_page(actor, f, sort, descending, before_key, limit, backwards=True))


# A jump far into a long list starts from the nearest of these marks (docs/design.md, "The
# register at a million"): every SEEK_EVERY-th row's key, read once by the worker.
SEEK_EVERY = 1000


def seek_marks(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
               descending: bool = True, every: int = SEEK_EVERY) -> list[tuple]:
    """The keys of rows 0, ``every``, 2 × ``every``, … in register order: one pass over the
    list's index (the worker makes it beside the exact count), so that page_at can reach any
    row reading at most ``every`` rows more than the page, wherever the row is."""
    column = SORT_COLUMNS.get(sort, Complaint.received_at)
    query = id_page(_paged(actor, f), column, Complaint.id, descending=descending,
                    values=True, query_only=True)
    marks = []
    cursor = database.execute(query)
    at = 0
    for row in cursor:
        if at % every == 0:
            marks.append((column.python_value(row[1]) if hasattr(column, "python_value")
                          else row[1], row[0]))
        at += 1
    return marks


def page_at(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
            descending: bool = True, offset: int = 0, limit: int = 200,
            total: int | None = None, marks: list[tuple] | None = None,
            every: int = SEEK_EVERY) -> list[tuple[int, tuple]]:
    """The page at row ``offset`` when no neighbouring page is known (a jump into the middle
    of the list). With ``marks`` (seek_marks of the same list): read by key from the mark at
    or before it, at most ``every`` rows more than the page. Without: counted from the nearer
    end of the list when ``total`` is known (OFFSET: the rows skipped are read)."""
    column = SORT_COLUMNS.get(sort, Complaint.received_at)
    q = _paged(actor, f)
    if marks:
        m = min(offset // every, len(marks) - 1)
        key = marks[m]
        skip = offset - m * every  # rows after the mark's own row: skip - 1
        if skip == 0:
            rows = [(key[1], key)] + page_after(actor, f, sort, descending, key, limit - 1)
            return rows[:limit]
        rows = page_after(actor, f, sort, descending, key, skip - 1 + limit)
        return rows[skip - 1:]
    if total is not None and offset + limit / 2 > total / 2:
        skip = max(total - offset - limit, 0)
        wanted = min(limit, total - offset)
        if wanted <= 0:
            return []
        rows = id_page(q, column, Complaint.id, descending=descending, offset=skip,
                       limit=wanted, values=True, reverse=True)
        return _keyed(rows[::-1])
    return _keyed(id_page(q, column, Complaint.id, descending=descending, offset=offset,
                          limit=limit, values=True))


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register: the columns it shows of a complaint, read in one narrow query."""
    id: int
    ticket: str
    received: datetime
    kind: str
    complainant: str
    category: str
    category_code: str
    respondent: str
    handler: str
    state: str
    next_due: datetime | None
    next_due_rule: str
    overdue: bool
    severity: str


def rows(actor: User, complaint_ids: list[int]) -> list[RegisterRow]:
    """Register rows for the given ids, in that order (only those the actor may see)."""
    if not complaint_ids:
        return []
    Handler = User.alias()
    Respondent = User.alias()
    RespDept = Department.alias()
    # only the columns a row shows, as tuples: a whole Complaint object per row cost more
    # than the query (rules.md §10)
    q = (Complaint.select(Complaint.id, Complaint.ticket, Complaint.received_at, Complaint.kind,
                          Complaint.complainant_name, Category.name_zh, Category.name_en,
                          Category.code, Handler.name, Respondent.name, RespDept.name,
                          Complaint.respondent_text, Complaint.state, Complaint.next_due_at,
                          Complaint.next_due_rule, Complaint.severity)
         .join(Category).switch(Complaint)
         .join(Handler, JOIN.LEFT_OUTER, on=(Complaint.handler == Handler.id)).switch(Complaint)
         .join(Respondent, JOIN.LEFT_OUTER, on=(Complaint.respondent_user == Respondent.id))
         .switch(Complaint)
         .join(RespDept, JOIN.LEFT_OUTER, on=(Complaint.respondent_department == RespDept.id))
         .where(Complaint.id.in_(complaint_ids) & visible_filter(actor)))
    now = clock.now()
    out = {}
    for (cid, ticket, received, kind, name, name_zh, name_en, code, handler, respondent_name,
         dept_name, respondent_text, state, next_due, rule, severity) in q.tuples():
        respondent = " / ".join(x for x in (respondent_name or "", dept_name or "",
                                            respondent_text) if x)
        out[cid] = RegisterRow(
            id=cid, ticket=ticket, received=received, kind=kind, complainant=name,
            category=localized(name_zh, name_en), category_code=code, respondent=respondent,
            handler=handler or "", state=state, next_due=next_due, next_due_rule=rule,
            overdue=next_due is not None and next_due < now, severity=severity)
    return [out[i] for i in complaint_ids if i in out]


# --- reading one ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    """One step of a complaint's timeline as the complaint window shows it."""
    id: int
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    recorded_at: datetime
    note: str
    data: dict


@dataclass(frozen=True)
class AttachmentView:
    """An attachment as listed on its complaint (the file itself stays in the store)."""
    id: int
    filename: str
    size: int
    sha256: str
    mime: str
    added_by: str
    added_at: datetime


@dataclass
class ComplaintDetail:
    """One complaint with what its window shows: names, timeline, clocks, attachments and the
    steps its reader may take."""
    complaint: Complaint
    category_name: str
    category_code: str
    complainant: Complainant
    respondent: str
    handler: str
    registered_by: str
    events: list[EventView] = field(default_factory=list)  # newest first
    clocks: list = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    outlook: object = None  # path.Outlook: the step bar, next steps, what the path waits for


def find(ticket_or_id, *, actor: User) -> Complaint:
    """A complaint by ticket number or id, if the actor may open it (rules.md §2)."""
    key = str(ticket_or_id).strip()
    c = Complaint.get_or_none(Complaint.ticket == key)
    if c is None and key.isdigit() and len(key) < 9:
        c = Complaint.get_or_none(Complaint.id == int(key))
    if c is None:
        raise NotYours(key, rule="missing")
    require_visible(actor, c)
    return c


def detail(ticket_or_id, *, actor: User) -> ComplaintDetail:
    """A complaint as ``actor`` may see it, with the steps they may take now: five queries
    whatever the role (the path's context, then the attachments; rules.md §10)."""
    ctx = path_load(ticket_or_id, actor)
    err = refusal(ctx, actor, "document")
    if err is not None and err.params.get("rule") in ("recusal", "confidential"):
        raise err
    c = ctx.complaint
    names = {p.id: p.name for p in ctx.people.values()}
    receipt_only = ctx.sees_only_receipt(actor)
    events = [EventView(e.id, e.action, e.from_state, e.to_state, names.get(e.actor_id, "?"),
                        e.at, e.recorded_at, e.note, e.data or {})
              for e in reversed(ctx.events)
              if not receipt_only or e.action in _RECEIPT_EVENTS]
    attachments = [] if receipt_only else [
        AttachmentView(a.id, a.filename, a.size, a.sha256, a.mime,
                       names.get(a.added_by_id, "?"), a.added_at)
        for a in compiled(("detail.attachments",), lambda cid: Attachment.select().where(
            Attachment.complaint == cid).order_by(Attachment.id), c.id)]
    respondent_department = ctx.respondent_department
    respondent = " / ".join(x for x in (
        names.get(c.respondent_user_id, "") if c.respondent_user_id else "",
        respondent_department, c.respondent_text) if x)
    cat = c.category
    return ComplaintDetail(
        complaint=c, category_name=localized(cat.name_zh, cat.name_en), category_code=cat.code,
        complainant=c.complainant, respondent=respondent,
        handler=names.get(c.handler_id, "") if c.handler_id else "",
        registered_by=names.get(c.registered_by_id, ""), events=events,
        clocks=[] if receipt_only else ctx.clocks, attachments=attachments,
        allowed=(allowed := allowed_in(ctx, actor)), outlook=outlook_in(ctx, actor, allowed))


# What the registrar of an employee complaint outside HR still sees (rules.md §2).
_RECEIPT_EVENTS = ("register", "acknowledge", "transfer")


def due_list(actor: User, *, limit: int | None = None, offset: int = 0):
    """Every open clock of the complaints the actor may see, soonest first (rules.md §5)."""
    return timelimits.open_clocks(visible_filter(actor), limit=limit, offset=offset)


DUE_STATUS_NAMES = {"overdue": N_("OVERDUE"), "due_soon": N_("due soon"), "ok": N_("on time"),
                    "paused": timelimits.CLOCK_PAUSED}


@dataclass(frozen=True)
class NextDue:
    """A complaint's next time limit and whether it is overdue, due soon, running or paused."""
    ticket: str
    rule: str
    due: datetime | None
    status: str  # overdue | due_soon | ok | paused (DUE_STATUS_NAMES)


def next_due(actor: User) -> list[NextDue]:
    """For every open complaint: the next thing due, when, and whether overdue/due soon."""
    seen: dict[str, NextDue] = {}
    for clk in due_list(actor):
        if clk.ticket in seen and seen[clk.ticket].status != "paused":
            continue
        status = ("paused" if clk.status == "paused" else "overdue" if clk.overdue
                  else "due_soon" if clk.due_soon else "ok")
        if clk.ticket not in seen or status != "paused":
            seen[clk.ticket] = NextDue(clk.ticket, clk.rule_name, clk.due_at, status)
    return sorted(seen.values(), key=lambda n: (n.due or datetime.max))


def candidates(complaint_id: int, action: str, *, actor: User) -> list:
    """People a complaint may be given to by ``action`` (transfer, escalate), as the path's
    table says: active, a fitting role, never its respondent, employee complaints only to
    HR or seniors (rules.md §2)."""
    ids = {p.id for p in path_candidates(complaint_id, action, actor=actor)}
    return [u for u in list_users() if u.id in ids]


def overdue_count(actor: User) -> int:
    """How many open complaints the actor may see have a running limit past due
    (the status bar's figure; one indexed query)."""
    return count(actor, ComplaintFilter(overdue_only=True))
