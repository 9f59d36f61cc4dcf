"""Readable text for what the complaint view shows: timeline events, clocks, sizes.

Plain functions over the services' dataclasses (no Qt), so the timeline reads the same in a
tooltip, a cell or a test.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from services import documents, settings
from services.complaints import (
    ACTION_NAMES,
    AMENDABLE_NAMES,
    LEVEL_NAMES,
    LINK_KIND_NAMES,
    REPLY_METHOD_NAMES,
    REVIEW_OUTCOME_NAMES,
    STATE_NAMES,
)
from services.firm import CHANNEL_NAMES, EXTERNAL_ROUTE_NAMES, REMEDY_NAMES
from services.i18n import (
    N_,
    _,
    format_datetime,
    format_money,
    format_number,
    ngettext,
)
from services.timelimits import (
    CLOCK_STATUS_NAMES,
    clock_flags,
    describe_limit,
    time_left_text,
)

# What a clock's marks mean, for the complaint view and the due list alike.
PAUSED_TIP = N_("The clock is paused (waiting for the customer or an outside inspection); "
                "the paused time does not count.")
PROVISIONAL_TIP = N_("There is no official holiday calendar for that year yet: the due time "
                     "is worked out from weekends and the statutory holidays and may change.")


def name_of(names: dict[str, str], key) -> str:
    """A choice's translated name, or the raw value when it is not a known choice."""
    return _(names[key]) if key in names else ("" if key is None else str(key))


def action_name(action: str) -> str:
    return name_of(ACTION_NAMES, action)


def state_name(state: str) -> str:
    return name_of(STATE_NAMES, state)


def human_size(size: int) -> str:
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{format_number(round(value, 1))} {unit}"


def time_left(clk) -> str:
    """For a clock (services.timelimits.ClockView): time left or how long overdue, as the
    due list words it ("—" while paused); nothing once it has ended."""
    return time_left_text(clk.remaining) if clk.status in ("running", "paused") else ""


# What a clock's flags (services.timelimits.clock_flags) add to its marks and its tooltip.
_FLAG_MARKS = {"overdue": N_("overdue"), "due_soon": N_("due soon"), "late": N_("late"),
               "provisional": N_("provisional")}
_FLAG_TIPS = {"paused": PAUSED_TIP, "in_time": N_("It was done in time."),
              "late": N_("It was done after the due time."), "provisional": PROVISIONAL_TIP}


def _flags(clk) -> tuple[str, ...]:
    flags = clock_flags(clk)
    if clk.status == "met" and "late" not in flags:
        flags = ("in_time", *flags)
    return flags


def clock_tips(clk) -> list[str]:
    """What the clock's marks mean, a line each."""
    return [_(_FLAG_TIPS[f]) for f in _flags(clk) if f in _FLAG_TIPS]


def clock_marks(clk) -> tuple[str, str]:
    """The clock's status marks and a tooltip explaining them."""
    marks = [name_of(CLOCK_STATUS_NAMES, clk.status)]
    marks += [_(_FLAG_MARKS[f]) for f in _flags(clk) if f in _FLAG_MARKS]
    tips = clock_tips(clk)
    if clk.responsible:
        tips.append(_("Responsible: {name}").format(name=clk.responsible))
    return " · ".join(marks), "\n".join(tips)


def _money(value) -> str:
    try:
        return format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _moment(text) -> str:
    try:
        return format_datetime(datetime.fromisoformat(str(text)))
    except ValueError:
        return str(text)


def _yes_no(value: bool) -> str:
    return _("satisfied") if value else _("dissatisfied")


def _decision_lines(data: dict) -> list[str]:
    lines = []
    meeting = data.get("meeting")
    if meeting:
        # The service stores its default meeting name as a msgid.
        lines.append(_("Meeting: {name}").format(name=_(meeting)))
    if data.get("attendees"):
        lines.append(_("Attendees: {names}").format(names=", ".join(data["attendees"])))
    if data.get("decision"):
        lines.append(_("Decision: {text}").format(text=data["decision"]))
    if data.get("reasons"):
        lines.append(_("Reasons: {text}").format(text=data["reasons"]))
    remedies = [r for r in (data.get("remedies") or [data.get("remedy")]) if r and r != "none"]
    if remedies:
        lines.append(_("Remedy: {name}").format(
            name=", ".join(name_of(REMEDY_NAMES, r) for r in remedies)))
    if data.get("amount") not in (None, ""):
        lines.append(_("Amount: {amount}").format(amount=_money(data["amount"])))
    if data.get("responsibility"):
        lines.append(_("Responsibility: {text}").format(text=data["responsibility"]))
    if data.get("firm_share") is not None:
        lines.append(_("Firm's share: {percent}%").format(percent=data["firm_share"]))
    return lines


def _amend_lines(changes: dict) -> list[str]:
    categories = {c.code: c.name for c in settings.categories(include_inactive=True)}
    lines = []
    for name, change in changes.items():
        old, new = change.get("old"), change.get("new")
        if name == "category":
            old, new = categories.get(old, old), categories.get(new, new)
        lines.append(_("{field}: {old} → {new}").format(
            field=name_of(AMENDABLE_NAMES, name), old=old if old not in (None, "") else "—",
            new=new if new not in (None, "") else "—"))
    return lines


def event_lines(ev) -> list[str]:
    """What an event (services.complaints.EventView) recorded, line by line."""
    d, a = ev.data or {}, ev.action
    lines: list[str] = []
    if a == "register":
        lines.append(_("Ticket {ticket}, channel: {channel}").format(
            ticket=d.get("ticket", ""), channel=name_of(CHANNEL_NAMES, d.get("channel"))))
    elif a == "acknowledge" and d.get("contact"):
        lines.append(_("Contact given: {contact}").format(contact=d["contact"]))
    elif a == "answer_on_spot":
        lines.append(_("Said: {text}").format(text=d.get("answer", "")))
    elif a in ("transfer", "escalate"):
        line = _("To: {name}").format(name=d.get("to_name") or d.get("to", ""))
        level = d.get("level")
        if a == "escalate" and level in LEVEL_NAMES:
            line += " (" + name_of(LEVEL_NAMES, level) + ")"
        lines.append(line)
    elif a == "record_findings":
        lines.append(_("Findings: {text}").format(text=d.get("findings", "")))
        if d.get("responsibility"):
            lines.append(_("Responsibility: {text}").format(text=d["responsibility"]))
    elif a in ("decide", "hold_meeting"):
        lines.extend(_decision_lines(d))
    elif a == "reply":
        lines.append(_("Reply ({method}): {text}").format(
            method=name_of(REPLY_METHOD_NAMES, d.get("method")), text=d.get("text", "")))
    elif a == "record_satisfaction" and "satisfied" in d:
        lines.append(_("The complainant is {answer}.").format(answer=_yes_no(d["satisfied"])))
    elif a == "review":
        lines.append(_("Final review by the owner") if d.get("kind") == "final"
                     else _("Review by the next level up"))
        if d.get("outcome") in REVIEW_OUTCOME_NAMES:
            lines.append(name_of(REVIEW_OUTCOME_NAMES, d["outcome"]))
    elif a == "deliver":
        lines.append(_("Delivered: {text}").format(text=d.get("what", "")))
    elif a == "internal_handling":
        lines.append(_("Handling: {text}").format(text=d.get("handling", "")))
        lines.append(_("Accountable: {text}").format(text=d.get("accountable", "")))
    elif a == "report_regulator":
        lines.append(_("Reported to {regulator}: {text}").format(
            regulator=d.get("regulator", ""), text=d.get("content", "")))
    elif a == "link":
        lines.append(_("{kind} of {ticket}").format(
            kind=name_of(LINK_KIND_NAMES, d.get("kind")), ticket=d.get("earlier_ticket", "")))
    elif a == "quality_memo" and "firm_percent" in d:
        lines.append(_("Findings: {text}").format(text=d.get("findings", "")))
        lines.append(_("Responsibility: firm {firm} %, customer {customer} %").format(
            firm=d["firm_percent"], customer=d["customer_percent"]))
    elif a == "external_route":
        lines.append(_("Route: {route}").format(
            route=name_of(EXTERNAL_ROUTE_NAMES, d.get("route"))))
        if d.get("outcome"):
            lines.append(_("Outcome: {text}").format(text=d["outcome"]))
    elif a == "visit":
        lines.append(_("Visit result: {text}").format(text=d.get("result", "")))
        if "satisfied" in d:
            lines.append(_("The complainant is {answer}.").format(
                answer=_yes_no(d["satisfied"])))
    elif a == "extend":
        if "unit" in d:
            old_limit = describe_limit(d["old_length"], d["unit"])
            new_limit = describe_limit(d["new_length"], d["unit"])
        else:
            old_limit, new_limit = d.get("old_limit", ""), d.get("new_limit", "")
        lines.append(_("Time limit {old} → {new}, now due {due}").format(
            old=old_limit, new=new_limit,
            due=_moment(d.get("new_due", ""))))
        if d.get("provisional"):
            lines.append(_("(provisional: the holiday calendar is not published yet)"))
    elif a in ("pause", "resume") and d.get("clocks") is not None:
        n = int(d["clocks"])
        lines.append((ngettext("{n} clock stopped", "{n} clocks stopped", n) if a == "pause"
                      else ngettext("{n} clock restarted", "{n} clocks restarted", n)
                      ).format(n=n))
    elif a == "archive" and d.get("root_cause"):
        lines.append(_("Root cause: {text}").format(text=d["root_cause"]))
    elif a == "amend":
        lines.extend(_amend_lines(d.get("changes", {})))
    elif a == "attach":
        lines.append(_("File: {name} ({size}), SHA-256 {hash}…").format(
            name=d.get("filename", ""), size=human_size(int(d.get("size") or 0)),
            hash=str(d.get("sha256", ""))[:12]))
    elif a == "document":
        kind_names = documents.KIND_NAMES
        lines.append(_("Document: {kind}, SHA-256 {hash}…").format(
            kind=_(kind_names[d["kind"]]) if d.get("kind") in kind_names else d.get("kind", ""),
            hash=str(d.get("sha256", ""))[:12]))
    return lines


def event_details(ev) -> str:
    """The event's note (if any) then what it recorded."""
    lines = []
    if ev.note:
        lines.append(_("Note: {text}").format(text=ev.note) if ev.action != "note" else ev.note)
    lines.extend(event_lines(ev))
    return "\n".join(lines)


def state_change(ev) -> str:
    if not ev.from_state or ev.from_state == ev.to_state:
        return state_name(ev.to_state) if not ev.from_state else ""
    return f"{state_name(ev.from_state)} → {state_name(ev.to_state)}"
