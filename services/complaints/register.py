"""Registering, finding and reading complaints (rules.md §3, the register 台账)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import JOIN, SQL, fn

import services.complaints.numbering as numbering
from models.base import id_page, key_page
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
from services.complaints.path import (
    OPEN_STATES,
    STATES,
    TRANSITIONS,
    ActionResult,
    allowed_in,
    fired_changes,
    firm,
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
            complainant_name=v["name"], complainant_phone=v["phone"],
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
    "complainant": Complaint.complainant_name, "category": Complaint.category,
    "state": Complaint.state, "next_due": Complaint.next_due_at, "handler": Complaint.handler,
}


def _where(actor: User, f: ComplaintFilter, *, visibility: bool = True):
    cond = visible_filter(actor) if visibility else not_respondent(actor)
    if f.text.strip():
        cond &= _text_match(f.text.strip())
    if f.kind:
        cond &= Complaint.kind == f.kind
    if f.category:
        cond &= Complaint.category.in_(Category.select(Category.id)
                                       .where(Category.code == f.category))
    if f.state == "open":
        cond &= Complaint.state.in_(OPEN_STATES)
    elif f.state == "closed":
        cond &= ~Complaint.state.in_(OPEN_STATES)
    elif f.state:
        cond &= Complaint.state == clean_choice(f.state, STATES, field="state",
                                                label=N_("State"))
    if f.handler:
        cond &= Complaint.handler.in_(User.select(User.id).where(User.login == f.handler))
    if f.received_from:
        cond &= Complaint.received_at >= datetime.combine(f.received_from, datetime.min.time())
    if f.received_to:
        cond &= Complaint.received_at < datetime.combine(f.received_to + timedelta(days=1),
                                                          datetime.min.time())
    if f.overdue_only:
        cond &= Complaint.next_due_at < clock.now()
    return cond


def _text_match(text: str):
    """Ticket no., name, phone, contract no. or the text of the complaint contains ``text``.

    Three characters or more use the full-text index (SQLite FTS5 trigram, PostgreSQL
    pg_trgm; see migration 4). One or two characters look up the word index of migration 9:
    the name or the description holding them anywhere, or a ticket, phone or contract number
    beginning with them; ASCII letters in either case (rules.md §10).
    """
    if len(text) >= 3:
        if is_postgres():
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            return SQL(f"({PG_SEARCH_EXPRESSION}) ILIKE %s", (pattern,))
        phrase = '"' + text.replace('"', '""') + '"'
        return Complaint.id.in_(SQL("(SELECT rowid FROM complaint_fts WHERE complaint_fts "
                                    "MATCH ?)", (phrase,)))
    anywhere, beginning = short_words(text)
    if is_postgres():
        return SQL(f"{PG_WORDS_EXPRESSION} && ARRAY[%s, %s]::text[]", (anywhere, beginning))
    query = f'"{sqlite_token(anywhere)}" OR "{sqlite_token(beginning)}"'
    return Complaint.id.in_(SQL("(SELECT rowid FROM complaint_words WHERE complaint_words "
                                "MATCH ?)", (query,)))


def count(actor: User, f: ComplaintFilter | None = None, *, at_most: int | None = None) -> int:
    """How many complaints match; with ``at_most``, counting stops there (a capped count reads
    at most that many rows: the register shows "10,000+" until the exact count, made in the
    background, arrives; rules.md §10)."""
    f = f or ComplaintFilter()
    if sees_only_involved(actor):
        # Counting from the user's own access rows reads thousands of rows, not the whole
        # register (rules.md §10; 4x faster than the EXISTS form for a receiver).
        q = (Complaint.select(Complaint.id)
             .join(ComplaintAccess, on=((ComplaintAccess.complaint == Complaint.id)
                                        & (ComplaintAccess.user == actor.id)))
             .where(_where(actor, f, visibility=False)
                    # rules.md §2: an employee complaint only for who registered it
                    & ((Complaint.kind == "customer")
                       | (Complaint.registered_by == actor.id))))
    else:
        q = Complaint.select(Complaint.id).where(_where(actor, f))
    if at_most is not None:
        return Complaint.select(fn.COUNT(SQL("1"))).from_(q.limit(at_most).alias("capped")).scalar()
    return q.select(fn.COUNT(Complaint.id)).scalar()


def ids(actor: User, f: ComplaintFilter | None = None, *, sort: str = "received",
        descending: bool = True, offset: int = 0, limit: int | None = None) -> list[int]:
    """Ids in register order; the register model asks for pages of them (rules.md §10)."""
    q = Complaint.select(Complaint.id).where(_where(actor, f or ComplaintFilter()))
    return id_page(q, SORT_COLUMNS.get(sort, Complaint.received_at), Complaint.id,
                   descending=descending, offset=offset, limit=limit)


# --- keyset paging (rules.md §10) ------------------------------------------------------------
# A page is a list of ``(id, key)``: ``key`` is the row's ``(sort value, id)``, an opaque value
# the register hands back to ask for the page after or before that row. Each sortable column
# has a (column, id) index (migration 10), so a page is one index range, anywhere in the list.


def _keyed(rows: list[tuple]) -> list[tuple[int, tuple]]:
    return [(i, (v, i)) for i, v in rows]


def _paged(actor: User, f: ComplaintFilter | None):
    return Complaint.select(Complaint.id).where(_where(actor, f or ComplaintFilter()))


def page_after(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
               descending: bool = True, after_key: tuple | None = None,
               limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` complaints just after the row whose key is ``after_key`` (None: the
    first page), in register order, without OFFSET."""
    return _keyed(key_page(_paged(actor, f), SORT_COLUMNS.get(sort, Complaint.received_at),
                           Complaint.id, descending=descending, key=after_key, limit=limit))


def page_before(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
                descending: bool = True, before_key: tuple | None = None,
                limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` complaints just before the row whose key is ``before_key`` (None: the
    last page), in register order."""
    return _keyed(key_page(_paged(actor, f), SORT_COLUMNS.get(sort, Complaint.received_at),
                           Complaint.id, descending=descending, key=before_key, limit=limit,
                           backwards=True))


def page_at(actor: User, f: ComplaintFilter | None = None, sort: str = "received",
            descending: bool = True, offset: int = 0, limit: int = 200,
            total: int | None = None) -> list[tuple[int, tuple]]:
    """The page at row ``offset`` when no neighbouring page is known (a jump into the middle
    of the list): counted from the nearer end of the list when ``total`` is known."""
    column = SORT_COLUMNS.get(sort, Complaint.received_at)
    q = _paged(actor, f)
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
    q = (Complaint.select(Complaint, Category.name_zh, Category.name_en,
                          Category.code.alias("category_code"),
                          Handler.name.alias("handler_name"),
                          Respondent.name.alias("respondent_name"),
                          RespDept.name.alias("dept_name"))
         .join(Category).switch(Complaint)
         .join(Handler, JOIN.LEFT_OUTER, on=(Complaint.handler == Handler.id)).switch(Complaint)
         .join(Respondent, JOIN.LEFT_OUTER, on=(Complaint.respondent_user == Respondent.id))
         .switch(Complaint)
         .join(RespDept, JOIN.LEFT_OUTER, on=(Complaint.respondent_department == RespDept.id))
         .where(Complaint.id.in_(complaint_ids) & visible_filter(actor)))
    now = clock.now()
    out = {}
    for c in q.objects():
        respondent = " / ".join(x for x in (getattr(c, "respondent_name", None) or "",
                                            getattr(c, "dept_name", None) or "",
                                            c.respondent_text) if x)
        out[c.id] = RegisterRow(
            id=c.id, ticket=c.ticket, received=c.received_at, kind=c.kind,
            complainant=c.complainant_name, category=localized(c.name_zh, c.name_en),
            category_code=c.category_code, respondent=respondent,
            handler=getattr(c, "handler_name", "") or "", state=c.state,
            next_due=c.next_due_at, next_due_rule=c.next_due_rule,
            overdue=c.next_due_at is not None and c.next_due_at < now, severity=c.severity)
    return [out[i] for i in complaint_ids if i in out]


# --- reading one ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
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
    id: int
    filename: str
    size: int
    sha256: str
    mime: str
    added_by: str
    added_at: datetime


@dataclass
class ComplaintDetail:
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
        for a in Attachment.select().where(Attachment.complaint == c.id).order_by(Attachment.id)]
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
        allowed=allowed_in(ctx, actor))


# What the registrar of an employee complaint outside HR still sees (rules.md §2).
_RECEIPT_EVENTS = ("register", "acknowledge", "transfer")


def due_list(actor: User, *, limit: int | None = None, offset: int = 0):
    """Every open clock of the complaints the actor may see, soonest first (rules.md §5)."""
    return timelimits.open_clocks(visible_filter(actor), limit=limit, offset=offset)


DUE_STATUS_NAMES = {"overdue": N_("OVERDUE"), "due_soon": N_("due soon"), "ok": N_("on time"),
                    "paused": timelimits.CLOCK_PAUSED}


@dataclass(frozen=True)
class NextDue:
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
