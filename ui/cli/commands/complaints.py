"""Command line: the complaint register and its workflow (`complaints list|show|register|act|
due`)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from services.complaints import (
    DUE_STATUS_NAMES,
    LINK_KIND_NAMES,
    SATISFACTION_NAMES,
    ComplaintFilter,
    ComplaintInput,
    merge,
)
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.firm import (
    CHANNEL_NAMES,
    CHANNELS,
    EXTERNAL_ROUTE_NAMES,
    KIND_NAMES,
    KINDS,
    REMEDY_NAMES,
    SEVERITIES,
    SEVERITY_NAMES,
)
from services.i18n import N_, _, format_datetime
from services.people import users
from services.timelimits import CLOCK_STATUS_NAMES, clock_flags
from ui.cli.args import (
    UsageError,
    one_of,
    parse_count,
    parse_day,
    parse_key_value,
    parse_moment,
    parse_yes_no,
)
from ui.cli.context import CliContext
from ui.cli.output import (
    EVENT_DATA_HIDDEN,
    EVENT_DATA_LABELS,
    display_name,
    fields_block,
    iso,
    table,
    value_text,
)


class ActFlag(NamedTuple):
    """A convenience flag of `complaints act`: --key (with dashes) passes ``key`` to
    workflow.act's keyword params, only when given."""

    key: str
    help: str
    metavar: str = "TEXT"
    choices: Iterable[str] = ()  # the names it may be, shown as the metavar a|b|c
    kind: Callable[[str], object] = str


ACT_FLAGS = (
    ActFlag("to", N_("transfer/escalate: the person it goes to"), metavar="LOGIN"),
    ActFlag("contact", N_("acknowledge: the contact given to the complainant")),
    ActFlag("answer", N_("answer_on_spot: what was said")),
    ActFlag("findings", N_("record_findings: what the investigation found")),
    ActFlag("decision", N_("decide/hold_meeting: the decision")),
    ActFlag("reasons", N_("decide/hold_meeting: its reasons")),
    ActFlag("remedy", N_("decide: the remedy"), choices=REMEDY_NAMES),
    ActFlag("amount", N_("decide: compensation amount"), metavar="YUAN"),
    ActFlag("responsibility", N_("who or what is responsible")),
    ActFlag("firm_share", N_("decide: the firm's share in percent"), metavar="PERCENT"),
    ActFlag("attendees", N_("hold_meeting: who attended"), metavar="A,B"),
    ActFlag("text", N_("reply: the reply (default: the decision)")),
    ActFlag("satisfied", N_("record_satisfaction/visit: is the complainant satisfied"),
            metavar="yes|no", kind=parse_yes_no),
    ActFlag("route", N_("external_route: which route"), choices=EXTERNAL_ROUTE_NAMES),
    ActFlag("outcome", N_("external_route: its outcome; review: keep_reply, keep_close or "
                          "change")),
    ActFlag("what", N_("deliver: what was handed back")),
    ActFlag("handling", N_("internal_handling: repair, shipping")),
    ActFlag("accountable", N_("internal_handling: who is accountable")),
    ActFlag("regulator", N_("report_regulator: to whom (default: who forwarded it)")),
    ActFlag("content", N_("report_regulator: what was reported")),
    ActFlag("earlier", N_("link: the earlier complaint's ticket"), metavar="TICKET"),
    ActFlag("kind", N_("link: repeat or skip_level"), choices=LINK_KIND_NAMES),
    ActFlag("firm_percent", N_("quality_memo: the firm's share in percent"), metavar="PERCENT"),
    ActFlag("customer_percent", N_("quality_memo: the customer's share in percent"),
            metavar="PERCENT"),
    ActFlag("measures", N_("quality_memo: the measures taken")),
    ActFlag("result", N_("visit: the visit's result")),
    ActFlag("limit", N_('extend: the new total limit, e.g. "30 working days"'), metavar="LIMIT"),
    ActFlag("told", N_("extend: what the complainant is told, printed in the extension notice "
                       "(default: a neutral sentence with the new limit; --note stays "
                       "internal)")),
    ActFlag("root_cause", N_("archive: the root-cause tag"), metavar="TAG"),
    ActFlag("level", N_("escalate: 1 department head, 2 top management"), metavar="1|2",
            kind=parse_count),
)


def add_commands(command, commands) -> None:
    group = command(commands, "complaints", _("the complaint register and its workflow"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    p = command(sub, "list", _("list complaints (the register)"), cmd_list)
    p.add_argument("--state", type=one_of(("open", "closed") + workflow.STATES),
                   metavar="STATE|open|closed", help=_("only this state, or all open/closed"))
    p.add_argument("--kind", type=one_of(KINDS), metavar="|".join(KINDS))
    p.add_argument("--category", metavar="CODE", help=_("only this category"))
    p.add_argument("--search", metavar="TEXT",
                   help=_("ticket, complainant, phone, contract no. or description"))
    p.add_argument("--overdue", action="store_true", help=_("only overdue complaints"))
    p.add_argument("--handler", metavar="LOGIN", help=_("only those this user handles"))
    p.add_argument("--from", dest="date_from", type=parse_day, metavar="DATE",
                   help=_("received on or after"))
    p.add_argument("--to", dest="date_to", type=parse_day, metavar="DATE",
                   help=_("received on or before"))
    p.add_argument("--limit", type=parse_count, default=50, metavar="N",
                   help=_("at most N rows (default: 50)"))

    p = command(sub, "show", _("one complaint: facts, time limits, timeline, next actions"),
                cmd_show)
    p.add_argument("ticket", metavar="TICKET")

    p = command(sub, "register", _("register a new complaint"), cmd_register)
    p.add_argument("--kind", type=one_of(KINDS), default="customer", metavar="|".join(KINDS))
    p.add_argument("--channel", required=True, type=one_of(CHANNELS),
                   metavar="|".join(CHANNELS))
    p.add_argument("--channel-detail", default="", metavar="TEXT",
                   help=_("e.g. which authority forwarded it"))
    p.add_argument("--name", required=True, help=_("complainant's name"))
    p.add_argument("--phone", default="")
    p.add_argument("--address", default="")
    p.add_argument("--email", default="")
    p.add_argument("--contract", default="", help=_("contract / order no."))
    p.add_argument("--department", default="", metavar="CODE",
                   help=_("employee complaints: the employee's department"))
    p.add_argument("--respondent-user", default="", metavar="LOGIN",
                   help=_("the staff member complained about"))
    p.add_argument("--respondent-department", default="", metavar="CODE",
                   help=_("the department complained about"))
    p.add_argument("--respondent-text", default="", metavar="TEXT",
                   help=_("the respondent, in words"))
    p.add_argument("--received", type=parse_moment, metavar="DATETIME", help=_("default: now"))
    p.add_argument("--occurred", type=parse_moment, metavar="DATETIME", help=_("when it happened"))
    p.add_argument("--location", default="", help=_("where it happened"))
    p.add_argument("--description", required=True, help=_("what happened"))
    p.add_argument("--request", default="", help=_("what the complainant asks for"))
    p.add_argument("--category", required=True, metavar="CODE")
    p.add_argument("--severity", type=one_of(SEVERITIES), default="normal",
                   metavar="|".join(SEVERITIES))
    p.add_argument("--note", default="", help=_("a note on the timeline"))

    p = command(sub, "act", _("take one step on a complaint"), cmd_act,
                epilog=_("Actions: {actions}").format(actions=", ".join(workflow.ACTIONS)))
    p.add_argument("ticket", metavar="TICKET")
    p.add_argument("action", type=one_of(workflow.ACTIONS, dashes=True), metavar="ACTION",
                   help=_("e.g. acknowledge, transfer, start-investigation, decide, approve"))
    p.add_argument("--note", default="", help=_("a note on the timeline (the reason, for "
                                                "extend/pause/withdraw/reopen)"))
    p.add_argument("--at", type=parse_moment, metavar="DATETIME",
                   help=_("when it happened (default: now)"))
    p.add_argument("--param", action="append", type=parse_key_value, default=[],
                   metavar="KEY=VALUE", help=_("any other input of the action; may be repeated"))
    p.add_argument("--expect-version", type=parse_count, metavar="N", dest="expect_version",
                   help=_("refuse the step if the complaint is no longer at this version "
                          "(as 'complaints show --json' gave it)"))
    for flag in ACT_FLAGS:
        p.add_argument("--" + flag.key.replace("_", "-"), dest=f"param_{flag.key}",
                       type=flag.kind, help=_(flag.help),
                       metavar="|".join(flag.choices) if flag.choices else flag.metavar)

    command(sub, "due", _("what is due next on every open complaint"), cmd_due)

    p = command(sub, "merge", _("merge a duplicate into the original complaint (its number "
                                "then opens the original)"), cmd_merge)
    p.add_argument("ticket", metavar="DUPLICATE")
    p.add_argument("--into", required=True, metavar="ORIGINAL",
                   help=_("the original complaint's ticket number"))
    p.add_argument("--reason", default="", help=_("why they are the same complaint"))


def cmd_list(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    f = ComplaintFilter(text=a.search or "", kind=a.kind or "", category=a.category or "",
                        state=a.state or "", handler=a.handler or "", received_from=a.date_from,
                        received_to=a.date_to, overdue_only=a.overdue)
    total = complaints.count(actor, f)
    found = complaints.rows(actor, complaints.ids(actor, f, limit=a.limit))
    data = [{"ticket": r.ticket, "kind": r.kind, "state": r.state, "category": r.category_code,
             "category_name": r.category, "received": iso(r.received),
             "next_due": iso(r.next_due), "next_due_rule": r.next_due_rule,
             "overdue": r.overdue, "complainant": r.complainant, "respondent": r.respondent,
             "handler": r.handler, "severity": r.severity} for r in found]

    def text() -> str:
        headers = [_("Ticket"), _("Received"), _("Kind"), _("Complainant"), _("Category"),
                   _("State"), _("Handler"), _("Next due")]
        body = [[r.ticket, format_datetime(r.received), display_name(KIND_NAMES, r.kind),
                 r.complainant + (" " + _("(major)") if r.severity == "major" else ""),
                 r.category, display_name(workflow.STATE_NAMES, r.state), r.handler,
                 format_datetime(r.next_due) + (" " + _("OVERDUE") if r.overdue else "")]
                for r in found]
        return "\n".join([table(headers, body),
                          _("{shown} of {total}").format(shown=len(found), total=total)])

    s.emit(data, text)
    return 0


def _clock_json(k) -> dict:
    return {"rule": k.rule_code, "rule_name": k.rule_name, "limit": k.limit,
            "started": iso(k.started_at), "due": iso(k.due_at), "status": k.status,
            "provisional": k.provisional, "overdue": k.overdue, "due_soon": k.due_soon,
            "late": k.late, "responsible": k.responsible}


# The command line's words for a clock's flags (services.timelimits.clock_flags).
CLOCK_MARKS = {"overdue": N_("OVERDUE"), "due_soon": N_("due soon"), "late": N_("late"),
               "provisional": N_("provisional")}


def _clock_text(k) -> str:
    marks = [_(CLOCK_STATUS_NAMES.get(k.status, k.status))]
    marks += [_(CLOCK_MARKS[flag]) for flag in clock_flags(k) if flag in CLOCK_MARKS]
    return _("{rule} ({limit}): due {due} — {marks}").format(
        rule=k.rule_name, limit=k.limit, due=format_datetime(k.due_at), marks=", ".join(marks))


def _change(before: str, after: str) -> str:
    """"Registered → Acknowledged", or just the state when it did not change."""
    names = workflow.STATE_NAMES
    if not before or before == after:
        return display_name(names, after)
    return f"{display_name(names, before)} → {display_name(names, after)}"


def _event_json(e) -> dict:
    return {"id": e.id, "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
            "actor": e.actor, "at": iso(e.at), "recorded_at": iso(e.recorded_at),
            "note": e.note, "data": e.data}


def _event_text(e) -> str:
    lines = [f"{format_datetime(e.at)}  {e.actor}  {display_name(workflow.ACTION_NAMES, e.action)}"
             f"  [{_change(e.from_state, e.to_state)}]"]
    if e.note:
        lines.append(f"    {e.note}")
    for key, value in (e.data or {}).items():
        if key in EVENT_DATA_HIDDEN or value in (None, "", [], {}):
            continue
        if key == "remedy":
            value = display_name(REMEDY_NAMES, value)
        elif key == "route":
            value = display_name(EXTERNAL_ROUTE_NAMES, value)
        elif key == "channel":
            value = display_name(CHANNEL_NAMES, value)
        label = _(EVENT_DATA_LABELS[key]) if key in EVENT_DATA_LABELS else key
        lines.append(f"    {label}: {value_text(value)}")
    return "\n".join(lines)


def cmd_show(s: CliContext) -> int:
    actor = s.log_in()
    d = complaints.detail(s.args.ticket, actor=actor)
    c, person = d.complaint, d.complainant
    row = next(iter(complaints.rows(actor, [c.id])), None)
    departments = {dept.id: dept.code for dept in users.list_departments()}
    data = {
        "ticket": c.ticket, "kind": c.kind, "state": c.state, "version": c.version,
        "channel": c.channel,
        "channel_detail": c.channel_detail, "category": row.category_code if row else None,
        "category_name": d.category_name, "severity": c.severity,
        "complainant": {"name": person.name, "phone": person.phone, "address": person.address,
                        "email": person.email, "contract_no": person.contract_no,
                        "department": departments.get(person.department_id)},
        "respondent": d.respondent, "handler": d.handler, "registered_by": d.registered_by,
        "received": iso(c.received_at), "occurred": iso(c.occurred_at),
        "location": c.location, "description": c.description, "request": c.request,
        "decision": c.decision, "decision_reasons": c.decision_reasons, "remedy": c.remedy,
        "compensation": c.compensation, "responsibility": c.responsibility,
        "satisfaction": c.satisfaction, "external_route": c.external_route,
        "root_cause": c.root_cause, "level": c.level, "review_level": c.review_level,
        "next_due": iso(c.next_due_at), "overdue": row.overdue if row else False,
        "closed": iso(c.closed_at),
        "clocks": [_clock_json(k) for k in d.clocks],
        "timeline": [_event_json(e) for e in d.events],
        "attachments": [{"filename": x.filename, "size": x.size, "sha256": x.sha256,
                         "added_by": x.added_by, "added_at": iso(x.added_at)}
                        for x in d.attachments],
        "allowed": d.allowed,
    }

    def text() -> str:
        facts = fields_block([
            (_("Ticket"), c.ticket), (_("State"), display_name(workflow.STATE_NAMES, c.state)),
            (_("Kind"), display_name(KIND_NAMES, c.kind)),
            (_("Channel"), " ".join(x for x in (display_name(CHANNEL_NAMES, c.channel),
                                                c.channel_detail) if x)),
            (_("Category"), d.category_name),
            (_("Severity"), display_name(SEVERITY_NAMES, c.severity)),
            (_("Complainant"), " / ".join(x for x in (person.name, person.phone, person.address,
                                                      person.email) if x)),
            (_("Contract / order no."), person.contract_no),
            (_("Respondent"), d.respondent), (_("Received"), format_datetime(c.received_at)),
            (_("Happened at"), format_datetime(c.occurred_at)), (_("Place"), c.location),
            (_("What happened"), c.description), (_("Request"), c.request),
            (_("Registered by"), d.registered_by), (_("Handler"), d.handler),
            (_("Decision"), c.decision), (_("Reasons"), c.decision_reasons),
            (_("Remedy"), display_name(REMEDY_NAMES, c.remedy) if c.remedy else ""),
            (_("Amount"), str(c.compensation) if c.compensation is not None else ""),
            (_("Responsibility"), c.responsibility),
            (_("Satisfaction"), display_name(SATISFACTION_NAMES, c.satisfaction)),
            (_("External route"), display_name(EXTERNAL_ROUTE_NAMES, c.external_route)
             if c.external_route else ""),
            (_("Root cause"), c.root_cause),
        ])
        parts = [facts, "", _("Time limits:")]
        parts += [f"  {_clock_text(k)}" for k in d.clocks] or ["  " + _("none")]
        if d.attachments:
            parts += ["", _("Attachments:")]
            parts += [f"  {x.filename} ({x.size} B, {x.added_by}, {format_datetime(x.added_at)})"
                      for x in d.attachments]
        parts += ["", _("Timeline (newest first):")]
        parts += ["  " + _event_text(e).replace("\n", "\n  ") for e in d.events]
        parts += ["", _("You may now: {actions}").format(
            actions=", ".join(f"{a} ({display_name(workflow.ACTION_NAMES, a)})" for a in d.allowed)
            or _("nothing"))]
        return "\n".join(parts)

    s.emit(data, text)
    return 0


def cmd_register(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    result = complaints.register(ComplaintInput(
        kind=a.kind, channel=a.channel, channel_detail=a.channel_detail,
        complainant_name=a.name, complainant_phone=a.phone, complainant_address=a.address,
        complainant_email=a.email, contract_no=a.contract, complainant_department=a.department,
        respondent_user=a.respondent_user, respondent_department=a.respondent_department,
        respondent_text=a.respondent_text, received_at=a.received, occurred_at=a.occurred,
        location=a.location, description=a.description, request=a.request,
        category=a.category, severity=a.severity), actor=actor, note=a.note)
    _report_step(s, actor, result, _("Registered complaint {ticket}.").format(
        ticket=result.ticket))
    return 0


def _report_step(s: CliContext, actor, result: workflow.ActionResult, headline: str) -> None:
    row = next(iter(complaints.rows(actor, [result.complaint_id])), None)
    data = {"ticket": result.ticket, "state": result.state, "action": result.action,
            "from_state": result.from_state, "event_id": result.event_id, "data": result.data,
            "next_due": iso(row.next_due) if row else None}

    def text() -> str:
        lines = [headline]
        if row is not None and row.next_due is not None:
            lines.append(_("Next due: {due}").format(due=format_datetime(row.next_due))
                         + (" " + _("OVERDUE") if row.overdue else ""))
        return "\n".join(lines)

    s.emit(data, text)


def cmd_act(s: CliContext) -> int:
    a = s.args
    params = dict(a.param)
    for flag in ACT_FLAGS:
        key = flag.key
        value = getattr(a, f"param_{key}")
        if value is None:
            continue
        if key in params:
            raise UsageError(N_("{name} is given twice (as a flag and with --param)."),
                             field=key, name=key)
        params[key] = value
    actor = s.log_in()
    complaint = complaints.find(a.ticket, actor=actor)
    result = workflow.act(complaint.id, a.action, actor=actor, note=a.note, at=a.at,
                          expected_version=a.expect_version, **params)
    _report_step(s, actor, result, _("{ticket}: {action} [{change}]").format(
        ticket=result.ticket, action=display_name(workflow.ACTION_NAMES, result.action),
        change=_change(result.from_state, result.state)))
    return 0


def cmd_due(s: CliContext) -> int:
    s.open_db(need_firm=True)
    items = complaints.next_due(s.actor())
    data = [{"ticket": n.ticket, "rule": n.rule, "due": iso(n.due), "status": n.status}
            for n in items]
    s.emit(data, lambda: table(
        [_("Ticket"), _("Time limit"), _("Due"), _("Status")],
        [[n.ticket, n.rule, format_datetime(n.due), display_name(DUE_STATUS_NAMES, n.status)]
         for n in items]) if items else _("Nothing is due."))
    return 0


def cmd_merge(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    result = merge(a.ticket, a.into, actor=actor, reason=a.reason)
    data = {"duplicate": result.duplicate_ticket, "original": result.original_ticket,
            "events_copied": result.events_copied,
            "attachments_copied": result.attachments_copied,
            "links_copied": result.links_copied, "claim_moved": result.claim_moved}
    s.emit(data, lambda: _("{duplicate} merged into {original}: {events} timeline entries "
                           "and {files} attachments copied; {duplicate} now opens "
                           "{original}.").format(
        duplicate=result.duplicate_ticket, original=result.original_ticket,
        events=result.events_copied, files=result.attachments_copied))
    return 0
