"""`main.py penalties …`: the penalty ledger from the command line (docs/rules.md, penalties).

Every command logs the user in and calls services.penalties, so who may see, approve or
export an entry is decided there, exactly as in the window.
"""
from __future__ import annotations

from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

from services import penalties
from services.i18n import N_, _, format_datetime, format_money
from services.penalties import ChangeResult
from services.penalties import rules as penalty_rules
from services.people import NO_DEPARTMENT
from ui.cli.args import UsageError, one_of, parse_count, parse_yes_no
from ui.cli.context import CliContext
from ui.cli.output import display_name, fields_block, iso, table

RULE_COLUMNS_LIMIT = 36  # a rule's name is cut in the list's table (full in `show`)
# a rule's condition on the command line: "none" is "" (no condition), dashes for "_"
_CONDITION_WORDS = tuple(c.replace("_", "-") or "none" for c in penalties.CONDITIONS)


def _parse_condition(text: str) -> str:
    words = dict(zip(_CONDITION_WORDS, penalties.CONDITIONS, strict=True))
    return words[one_of(_CONDITION_WORDS)(text.strip().lower().replace("_", "-"))]


def add_commands(command, commands) -> None:
    """The `penalties` command group."""
    group = command(commands, "penalties", _("the penalty ledger: proposals, approval, month "
                                             "totals, payroll export"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    p = command(sub, "month", _("a month's totals per person and department"), cmd_month)
    p.add_argument("month", metavar="YYYY-MM")

    p = command(sub, "export", _("write a month for payroll (.xlsx or .csv)"), cmd_export)
    p.add_argument("month", metavar="YYYY-MM")
    p.add_argument("--out", required=True, metavar="FILE",
                   help=_("the file to write: .xlsx, or .csv (UTF-8)"))

    command(sub, "scan", _("propose entries for time limits already missed"), cmd_scan)

    p = command(sub, "list", _("list ledger entries"), cmd_list)
    p.add_argument("--status", type=str, metavar="|".join(penalties.STATUSES + ("counted",)),
                   help=_("only this status (counted: approved or deducted)"))
    p.add_argument("--month", metavar="YYYY-MM", help=_("only entries of this month"))
    p.add_argument("--person", metavar="LOGIN", help=_("only entries about this user"))
    p.add_argument("--unit", metavar="NAME", help=_("only entries about this dealer or store"))
    p.add_argument("--department", metavar="CODE", help=_("only this department"))
    p.add_argument("--rule", metavar="CODE", help=_("only this rule"))
    p.add_argument("--limit", type=parse_count, default=50, metavar="N",
                   help=_("at most N rows (default: 50)"))

    p = command(sub, "show", _("one entry with its history, complaint and time limit"),
                cmd_show)
    p.add_argument("entry", type=parse_count, metavar="ID")

    p = command(sub, "approve", _("approve proposals (managers and the owner)"), cmd_approve)
    p.add_argument("entries", nargs="+", type=parse_count, metavar="ID")
    p.add_argument("--amount", metavar="YUAN", help=_("a different amount, inside the rule's "
                                                      "range"))
    p.add_argument("--loss", metavar="YUAN", help=_("the loss added, where the rule says so"))
    p.add_argument("--note", default="", help=_("a note on the approval"))

    p = command(sub, "reject", _("reject proposals, with the reason"), cmd_reject)
    p.add_argument("entries", nargs="+", type=parse_count, metavar="ID")
    p.add_argument("--note", required=True, help=_("why they are rejected"))

    p = command(sub, "deduct", _("record approved entries as deducted in a payroll month"),
                cmd_deduct)
    p.add_argument("entries", nargs="+", type=parse_count, metavar="ID")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help=_("the payroll month"))

    p = command(sub, "reverse", _("correct an approved entry by a reversing entry"),
                cmd_reverse)
    p.add_argument("entry", type=parse_count, metavar="ID")
    p.add_argument("--reason", required=True, help=_("why it is reversed"))

    p = command(sub, "propose", _("propose an entry by hand (a fine or a reward)"),
                cmd_propose)
    p.add_argument("--rule", required=True, metavar="CODE")
    p.add_argument("--person", default="", metavar="LOGIN", help=_("the user it is about"))
    p.add_argument("--unit", default="", metavar="NAME",
                   help=_("the dealer or store it is about"))
    p.add_argument("--amount", metavar="YUAN", help=_("default: the rule's least amount"))
    p.add_argument("--loss", metavar="YUAN", help=_("the loss added, where the rule says so"))
    p.add_argument("--reason", required=True)
    p.add_argument("--complaint", metavar="TICKET", help=_("the complaint it is about"))

    command(sub, "rules", _("the firm's reward and penalty rules"), cmd_rules)

    p = command(sub, "rule", _("add or change a reward or penalty rule (the owner)"),
                cmd_rule)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name-zh", metavar="TEXT", help=_("the Chinese name"))
    p.add_argument("--name-en", metavar="TEXT", help=_("the English name"))
    p.add_argument("--applies-to", type=one_of(penalties.APPLIES_TO, dashes=True),
                   metavar="|".join(penalties.APPLIES_TO), help=_("who an entry is about"))
    p.add_argument("--min", dest="min_amount", metavar="YUAN",
                   help=_("the lowest amount (a reward is negative)"))
    p.add_argument("--max", dest="max_amount", metavar="YUAN",
                   help=_("the highest amount (default: the lowest)"))
    p.add_argument("--trigger", type=one_of(penalties.TRIGGERS, dashes=True),
                   metavar="|".join(penalties.TRIGGERS),
                   help=_("what proposes an entry under it"))
    p.add_argument("--limits", metavar="CODE,…",
                   help=_("the time limits whose miss it covers, comma-separated"))
    p.add_argument("--condition", type=_parse_condition,
                   metavar="|".join(_CONDITION_WORDS),
                   help=_("what must also have happened for the program to propose"))
    p.add_argument("--active", type=parse_yes_no, metavar="yes|no",
                   help=_("whether it is in use"))


def _status(code: str) -> str:
    return display_name(penalties.STATUS_NAMES, code)


def _money(value) -> str:
    return format_money(value)


def _row_json(r) -> dict:
    return {"id": r.id, "person": r.person, "login": r.login or None, "unit": r.unit or None,
            "department": r.department, "rule": r.rule_code, "rule_name": r.rule_name,
            "amount": r.amount, "loss": r.loss, "total": r.total, "status": r.status,
            "month": r.month, "status_at": iso(r.status_at), "reason": r.reason,
            "ticket": r.ticket or None, "reverses": r.reverses, "reversed_by": r.reversed_by,
            "proposed_by": r.proposed_by or None, "proposed_at": iso(r.proposed_at)}


def _short(text: str, width: int = RULE_COLUMNS_LIMIT) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def cmd_month(s: CliContext) -> int:
    s.open_db(need_firm=True)
    t = penalties.month_totals(s.actor(), s.args.month)
    data = {
        "month": t.month, "fines": t.fines, "rewards": t.rewards, "total": t.total,
        "entries": t.entries,
        "per_person": [{"login": p.login or None, "name": p.name, "unit": p.unit,
                        "department": p.department, "fines": p.fines, "rewards": p.rewards,
                        "total": p.total, "entries": p.entries} for p in t.per_person],
        "per_department": [{"department": d.department, "fines": d.fines,
                            "rewards": d.rewards, "total": d.total, "entries": d.entries,
                            "people": d.people} for d in t.per_department],
    }

    def text() -> str:
        if not t.entries:
            return _("No approved entries in {month}.").format(month=t.month)
        people = table([_("Person or unit"), _("Department"), _("Fines"), _("Rewards"),
                        _("Net"), _("Entries")],
                       [[p.name, p.department, _money(p.fines), _money(p.rewards),
                         _money(p.total), str(p.entries)] for p in t.per_person])
        depts = table([_("Department"), _("Fines"), _("Rewards"), _("Net"), _("Entries")],
                      [[d.department or _(NO_DEPARTMENT), _money(d.fines),
                        _money(d.rewards), _money(d.total), str(d.entries)]
                       for d in t.per_department])
        return "\n".join([_("Penalty ledger {month}").format(month=t.month), "", people, "",
                          depts, "", _("Total: {total} ({entries} entries)").format(
                              total=_money(t.total), entries=t.entries)])

    s.emit(data, text)
    return 0


def cmd_export(s: CliContext) -> int:
    target = Path(s.args.out).expanduser()
    if not target.parent.exists():
        raise UsageError(N_("The folder {path} does not exist."), field="out",
                         path=str(target.parent))
    s.open_db(need_firm=True)
    result = penalties.export_month(s.actor(), s.args.month, target)
    s.emit({"path": result.path, "month": result.month, "entries": result.entries,
            "total": result.total},
           lambda: _("Wrote {entries} entries of {month} to {path} (total {total}).").format(
               entries=result.entries, month=result.month, path=result.path,
               total=_money(result.total)))
    return 0


def cmd_scan(s: CliContext) -> int:
    s.log_in()  # a logged-in user starts it, like the ledger screen does
    result = penalties.scan_overdue()
    s.emit({"proposed": result.proposed, "entries": list(result.entry_ids)},
           lambda: _("{n} new proposals.").format(n=result.proposed))
    return 0


def cmd_list(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    f = penalties.LedgerFilter(person=a.person or "", unit=a.unit or "",
                               department=a.department or "", month=a.month or "",
                               status=a.status or "", rule=a.rule or "")
    total = penalties.count(actor, f)
    found = penalties.ledger(actor, f, limit=a.limit)

    def text() -> str:
        body = [[str(r.id), r.month, r.person, r.department, _short(r.rule_name),
                 _money(r.total), _status(r.status), r.ticket] for r in found]
        return "\n".join([table([_("No."), _("Month"), _("Person or unit"), _("Department"),
                                 _("Rule"), _("Amount"), _("Status"), _("Complaint")], body),
                          _("{shown} of {total}").format(shown=len(found), total=total)])

    s.emit([_row_json(r) for r in found], text)
    return 0


def cmd_show(s: CliContext) -> int:
    s.open_db(need_firm=True)
    d = penalties.entry_detail(s.actor(), s.args.entry)
    r = d.row
    data = _row_json(r) | {
        "history": [{"status": h.status, "actor": h.actor or None, "at": iso(h.at),
                     "amount": h.amount, "loss": h.loss, "month": h.month, "note": h.note}
                    for h in d.history],
        "clock": None if d.clock is None else {
            "rule": d.clock.rule_code, "rule_name": d.clock.rule_name,
            "ticket": d.clock.ticket, "due": iso(d.clock.due_at),
            "stopped": iso(d.clock.stopped_at), "status": d.clock.status,
            "late": d.clock.late}}

    def text() -> str:
        facts = fields_block([
            (_("Entry no."), str(r.id)), (_("Person or unit"), r.person),
            (_("Department"), r.department), (_("Rule"), r.rule_name),
            (_("Amount"), _money(r.amount)),
            (_("Loss"), _money(r.loss) if r.loss else ""), (_("Status"), _status(r.status)),
            (_("Month"), r.month), (_("Reason"), r.reason), (_("Complaint"), r.ticket),
            (_("Time limit"), "" if d.clock is None else _(
                "{rule}: due {due}, done {stopped}").format(
                rule=d.clock.rule_name, due=format_datetime(d.clock.due_at),
                stopped=format_datetime(d.clock.stopped_at) or _("not yet"))),
            (_("Proposed by"), r.proposed_by or _("the program")),
            (_("Reverses entry"), str(r.reverses or "")),
            (_("Reversed by entry"), str(r.reversed_by or "")),
        ])
        lines = [facts, "", _("History:")]
        for h in d.history:
            lines.append(f"  {format_datetime(h.at)}  {_status(h.status)}  "
                         f"{h.actor or _('the program')}  {_money(h.amount + h.loss)}"
                         + (f"  {h.note}" if h.note else ""))
        return "\n".join(lines)

    s.emit(data, text)
    return 0


def _entry_change(done: str, act: Callable[[object, Namespace], ChangeResult]):
    """A command that changes ledger entries: it opens the firm's database, calls
    ``act(actor, args)`` as the logged-in user and reports the entries changed; ``done``
    (marked with N_) names them as {n} and {ids}."""

    def run(s: CliContext) -> int:
        result = act(s.log_in(), s.args)
        ids = result.entry_ids
        s.emit({"status": result.status, "entries": list(ids)},
               lambda: _(done).format(n=len(ids), ids=", ".join(str(i) for i in ids)))
        return 0

    return run


cmd_approve = _entry_change(N_("Approved {n}: {ids}."), lambda actor, a: penalties.approve(
    actor=actor, entry_ids=a.entries, amount=a.amount, loss=a.loss, note=a.note))
cmd_reject = _entry_change(N_("Rejected {n}: {ids}."), lambda actor, a: penalties.reject(
    actor=actor, entry_ids=a.entries, note=a.note))
cmd_deduct = _entry_change(N_("Deducted {n}: {ids}."), lambda actor, a: penalties.mark_deducted(
    actor=actor, entry_ids=a.entries, payroll_month=a.month))
cmd_reverse = _entry_change(
    N_("Recorded the reversing entry {ids}."), lambda actor, a: penalties.reverse(
        actor=actor, entry_id=a.entry, reason=a.reason))
cmd_propose = _entry_change(
    N_("Proposed entry {ids}; it waits for approval."), lambda actor, a: penalties.propose(
        actor=actor, rule_code=a.rule, person=a.person, unit=a.unit, amount=a.amount,
        loss=a.loss, reason=a.reason, complaint=a.complaint))


def _rule_json(r) -> dict:
    return {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en,
            "applies_to": r.applies_to, "min_amount": r.min_amount,
            "max_amount": r.max_amount, "plus_loss": r.plus_loss, "reward": r.reward,
            "clock_rules": list(r.clock_rules), "trigger": r.trigger,
            "condition": r.condition, "active": r.active,
            "effective_from": iso(r.effective_from)}


def _condition(r) -> str:
    """The rule's condition in words; "—" for a rule entered by hand (it has none)."""
    return "—" if r.trigger == "manual" else display_name(penalties.CONDITION_NAMES,
                                                         r.condition)


def cmd_rules(s: CliContext) -> int:
    s.log_in()
    found = penalty_rules.rules()
    data = [_rule_json(r) for r in found]

    def amount(r) -> str:
        text = _money(r.min_amount) if r.fixed else f"{_money(r.min_amount)} – " \
                                                     f"{_money(r.max_amount)}"
        return text + (" " + _("plus the loss") if r.plus_loss else "")

    s.emit(data, lambda: table(
        [_("Code"), _("Rule"), _("Amount"), _("Proposed on"), _("Only if"), _("Active")],
        [[r.code, _short(r.name), amount(r), display_name(penalty_rules.TRIGGER_NAMES, r.trigger),
          _condition(r), _("yes") if r.active else _("no")] for r in found]))
    return 0


def cmd_rule(s: CliContext) -> int:
    """Add a rule, or change the terms given of an existing one (the rest stay as they are);
    services.penalties.rules.save_rule checks the owner and the terms."""
    a = s.args
    actor = s.log_in()
    current = next((r for r in penalty_rules.rules() if r.code == a.code.strip()), None)

    def pick(given, attr: str, default=""):
        if given is not None:
            return given
        return getattr(current, attr) if current is not None else default

    limits = a.limits if a.limits is not None else (
        ",".join(current.clock_rules) if current is not None else "")
    saved = penalty_rules.save_rule(
        actor=actor, code=a.code, name_zh=pick(a.name_zh, "name_zh"),
        name_en=pick(a.name_en, "name_en"), applies_to=pick(a.applies_to, "applies_to"),
        min_amount=pick(a.min_amount, "min_amount"),
        max_amount=pick(a.max_amount, "max_amount", None),
        plus_loss=pick(None, "plus_loss", False), reward=pick(None, "reward", False),
        clock_rules=limits, trigger=pick(a.trigger, "trigger", "manual"),
        condition=a.condition, active=pick(a.active, "active", True),
        effective_from=pick(None, "effective_from", None))
    s.emit(_rule_json(saved), lambda: _("Saved the rule {code}: {name}; only if: "
                                        "{condition}.").format(
        code=saved.code, name=saved.name, condition=_condition(saved)))
    return 0
