"""What each step of the complaint path needs and records (rules.md §4).

``apply()`` is called by ``path.act`` inside its transaction, after the state, role and
recusal checks; it validates the step's own inputs, changes the complaint's fields and
returns what the timeline event should record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.db import database
from models.entities import (
    Category,
    Complaint,
    ComplaintLink,
    Department,
    Firm,
    Setting,
    User,
)
from services.errors import PermissionDenied, StateError, ValidationError, tr_param
from services.firm import EXTERNAL_ROUTES, REMEDIES, SEVERITIES
from services.i18n import N_, _, language
from services.people import grant, roles_of
from services.timelimits import clocks as timelimits
from services.timelimits import describe_limit
from services.validation import clean_amount, clean_choice, clean_phone, clean_text

# The codes the steps record, each with its display name (msgids, shown with _()) for the
# window, the command line and the documents alike.
REPLY_METHODS = ("written", "phone", "in_person", "email")
REPLY_METHOD_NAMES = {"written": N_("In writing"), "phone": N_("By phone"),
                      "in_person": N_("In person"), "email": N_("By e-mail")}
LEVEL_NAMES = {1: N_("department head"), 2: N_("top management")}  # Complaint.level
REVIEW_NAMES = {1: N_("Reviewed by a manager"), 2: N_("Final review by the owner")}
SATISFACTION_NAMES = {"satisfied": N_("Satisfied"), "dissatisfied": N_("Dissatisfied")}
# Remedies that pay money: only a decision with one of them may carry an amount (rules.md §4).
MONEY_REMEDIES = ("refund", "discount", "compensation")

# Root causes (源头治理, rules.md §4): the firm's list, kept in a Setting so the owner can edit
# it; the presets follow the profile. Archiving picks one; anything else is "Other: …".
ROOT_CAUSES_KEY = "root_causes"
_COMMON_CAUSES = (N_("Staff attitude"), N_("Staff training"), N_("Communication"),
                  N_("Management practice"), N_("Process or rules"),
                  N_("Misunderstanding by the customer"))
ROOT_CAUSE_PRESETS = {
    "repair-shop": (N_("Parts supplier"), N_("Workmanship"), N_("Diagnosis"),
                    N_("Pricing and charges"), N_("Waiting time")) + _COMMON_CAUSES,
    "law-firm": (N_("Fees"), N_("Case handling"), N_("Response time"),
                 N_("Conflict of interest")) + _COMMON_CAUSES,
    "bank": (N_("Fees and charges"), N_("Product sale"), N_("System failure"),
             N_("Waiting time")) + _COMMON_CAUSES,
    "company": (N_("Product quality"), N_("Delivery and installation"),
                N_("After-sales service"), N_("Pricing and charges")) + _COMMON_CAUSES,
}
OTHER_CAUSE = N_("Other: {text}")


@dataclass
class Outcome:
    """What a step's own handler decided: the state it goes to, what it records, what else it
    triggers."""
    target: str | None = None
    data: dict = field(default_factory=dict)
    extra_triggers: list[str] = field(default_factory=list)
    responsible: User | None = None


def _text(value, name: str, label: str, *, max_length: int = 4000, required: bool = True) -> str:
    return clean_text(value, field=name, label=label, max_length=max_length, required=required)


def _user(value, *, field_name: str) -> User:
    """The person a step hands the complaint to, already checked by the path's table
    (``path.eligible``: active, a fitting role, never the respondent)."""
    if not isinstance(value, User):
        raise ValidationError(N_("Choose a person."), field=field_name)
    return value


def apply(action: str, complaint: Complaint, *, actor: User, at: datetime, note: str, ctx,
          **params) -> Outcome:
    """``ctx`` is the path's PathContext (the complaint's timeline, people, clocks)."""
    handler = _HANDLERS.get(action, _plain)
    if handler in _WITH_CONTEXT:
        params["ctx"] = ctx
    return handler(complaint, actor=actor, at=at, note=note, **params)


def _plain(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    return Outcome()


def _no_extra(params: dict) -> None:
    if params:
        raise ValidationError(N_("Unexpected input: {names}."), field=next(iter(params)),
                              names=", ".join(sorted(params)))


def _acknowledge(complaint, *, actor, at, note, contact: str = "", **params) -> Outcome:
    _no_extra(params)
    contact = _text(contact or actor.phone or actor.name, "contact", N_("Contact"),
                    max_length=200)
    return Outcome(data={"contact": contact})


def _answer_on_spot(complaint, *, actor, at, note, answer: str = "", **params) -> Outcome:
    _no_extra(params)
    answer = _text(answer, "answer", N_("What was said"))
    complaint.decision = answer
    complaint.satisfaction = ""
    return Outcome(data={"answer": answer})


def _transfer(complaint, *, actor, at, note, to=None, **params) -> Outcome:
    _no_extra(params)
    target = _user(to, field_name="to")
    previous = complaint.handler_id
    complaint.handler = target.id
    grant(complaint, target, "handler")
    # rules.md §4: the transfer slip is signed by both; the event names both sides.
    new_state = ("assigned" if complaint.state in ("registered", "acknowledged", "assigned")
                 else None)
    return Outcome(target=new_state, responsible=target,
                   data={"to": target.login, "to_name": target.name, "from_handler": previous})


def _findings(complaint, *, actor, at, note, findings: str = "", responsibility: str = "",
              **params) -> Outcome:
    _no_extra(params)
    findings = _text(findings, "findings", N_("Findings"))
    responsibility = _text(responsibility, "responsibility", N_("Responsibility"),
                           max_length=200, required=False)
    if responsibility:
        complaint.responsibility = responsibility
    return Outcome(data={"findings": findings, "responsibility": responsibility})


def _escalate(complaint, *, actor, at, note, to=None, level: int | None = None,
              **params) -> Outcome:
    _no_extra(params)
    try:
        level = int(level) if level not in (None, "") else min(complaint.level + 1, 2)
    except (TypeError, ValueError):
        raise ValidationError(N_("The level must be 1 (department head) or 2 (the top)."),
                              field="level") from None
    if level <= complaint.level or level > 2:
        raise ValidationError(N_("Escalation goes one level up: to the department head, then to "
                                 "the top."), field="level")
    target = _user(to, field_name="to")
    if level == 2 and not roles_of(target) & {"manager", "owner"}:
        raise ValidationError(N_("{name} does not have a role that can take this on."),
                              field="to", name=target.name)
    complaint.level = level
    complaint.handler = target.id
    grant(complaint, target, "escalated")
    return Outcome(responsible=target, extra_triggers=[f"escalate:{level}"],
                   data={"to": target.login, "to_name": target.name, "level": level})


def _decision_fields(complaint, params: dict) -> dict:
    decision = _text(params.pop("decision", ""), "decision", N_("Decision"))
    reasons = _text(params.pop("reasons", ""), "reasons", N_("Reasons"))
    remedies = clean_remedies(params.pop("remedies", None) or params.pop("remedy", None))
    params.pop("remedy", None)
    amount = clean_amount(params.pop("amount", None), field="amount", label=N_("Amount"))
    if amount is not None and amount != 0 and not set(remedies) & set(MONEY_REMEDIES):
        raise ValidationError(N_("An amount goes only with a remedy that pays money (refund, "
                                 "discount or compensation): choose one, or clear the "
                                 "amount."), field="amount", rule="amount_needs_money_remedy")
    remedy = remedies[0]
    responsibility = _text(params.pop("responsibility", complaint.responsibility),
                           "responsibility", N_("Responsibility"), max_length=200,
                           required=False)
    share = params.pop("firm_share", None)
    if share not in (None, ""):
        try:
            share = int(share)
        except (TypeError, ValueError):
            raise ValidationError(N_("The firm's share must be a whole percentage."),
                                  field="firm_share") from None
        if not 0 <= share <= 100:
            raise ValidationError(N_("The firm's share must be between 0 and 100 percent."),
                                  field="firm_share")
    else:
        share = None
    complaint.decision = decision
    complaint.decision_reasons = reasons
    complaint.remedy = remedy
    complaint.compensation = amount
    complaint.responsibility = responsibility
    return {"decision": decision, "reasons": reasons, "remedy": remedy,
            "remedies": remedies if len(remedies) > 1 else None,
            "amount": str(amount) if amount is not None else None,
            "responsibility": responsibility, "firm_share": share}


def clean_remedies(value) -> list[str]:
    """One remedy code, several (a list, or codes separated by commas), or none: the
    decision's remedies, each known, in the order given, without repeats ("none" alone when
    nothing is chosen)."""
    if value is None or value == "":
        codes = []
    elif isinstance(value, str):
        codes = [v.strip() for v in value.split(",") if v.strip()]
    else:
        codes = [str(v).strip() for v in value if str(v).strip()]
    out = []
    for code in codes:
        code = clean_choice(code, REMEDIES, field="remedy", label=N_("Remedy"))
        if code not in out:
            out.append(code)
    real = [c for c in out if c != "none"]
    return real or ["none"]


def decision_remedies(data: dict | None, remedy: str = "") -> list[str]:
    """The remedies a decision recorded (its event's data), else ``remedy`` alone."""
    data = data or {}
    found = data.get("remedies") or ([data["remedy"]] if data.get("remedy") else [])
    found = found or ([remedy] if remedy else [])
    return [r for r in found if r and r != "none"]


def root_causes(profile: str | None = None) -> list[str]:
    """The firm's root causes to pick from when archiving: the owner's list (a Setting),
    else the profile's presets in the firm's document language."""
    row = Setting.get_or_none(Setting.key == ROOT_CAUSES_KEY)
    if row is not None and isinstance(row.value, list) and row.value:
        return [str(v) for v in row.value]
    firm = Firm.select(Firm.profile, Firm.document_language).first()
    profile = profile or (firm.profile if firm else "company")
    lang = firm.document_language if firm else None
    with language(lang or "zh_CN"):
        return [_(m) for m in ROOT_CAUSE_PRESETS.get(profile, _COMMON_CAUSES)]


def set_root_causes(names, *, actor: User) -> list[str]:
    """Replace the firm's list of root causes (owner or manager)."""
    if not roles_of(actor) & {"owner", "manager"}:
        raise PermissionDenied(N_("Only a manager or the owner may edit the root causes."),
                               rule="roles")
    clean = []
    for name in names:
        text = _text(name, "root_causes", N_("Root cause"), max_length=100)
        if text not in clean:
            clean.append(text)
    if not clean:
        raise ValidationError(N_("Keep at least one root cause."), field="root_causes")
    with database.atomic():
        (Setting.insert(key=ROOT_CAUSES_KEY, value=clean)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: clean}).execute())
    return clean


def _decide(complaint, *, actor, at, note, **params) -> Outcome:
    data = _decision_fields(complaint, params)
    _no_extra(params)
    return Outcome(data=data)


def _meeting(complaint, *, actor, at, note, ctx, attendees=None, meeting: str = "",
             **params) -> Outcome:
    data = _decision_fields(complaint, params)
    _no_extra(params)
    names = [a.strip() for a in (attendees.split(",") if isinstance(attendees, str)
                                 else (attendees or [])) if a and a.strip()]
    if len(names) < 2:
        raise ValidationError(N_("A meeting needs at least two attendees."), field="attendees")
    respondent = ctx.person(complaint.respondent_user_id)
    if respondent is not None and any(n.casefold() in (respondent.name.casefold(),
                                                       respondent.login.casefold())
                                      for n in names):
        # rules.md §2 recusal: the person complained about takes no part in the decision.
        raise PermissionDenied(N_("Recusal: {name} is the person complained about and cannot "
                                  "attend the meeting on this complaint."), field="attendees",
                               name=respondent.name, rule="recusal")
    meeting = _text(meeting or N_("Complaint group meeting"), "meeting", N_("Meeting"),
                    max_length=200)
    data.update(attendees=names, meeting=meeting)
    return Outcome(data=data)


def _send_back(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    if not note:
        raise ValidationError(N_("Say why the decision is sent back."), field="note")
    return Outcome()


def _reply(complaint, *, actor, at, note, text: str = "", method: str = "written",
           **params) -> Outcome:
    _no_extra(params)
    text = _text(text or complaint.decision, "text", N_("Reply"))
    method = clean_choice(method, REPLY_METHODS, field="method", label=N_("Reply method"))
    complaint.satisfaction = ""
    return Outcome(data={"text": text, "method": method})


_YES = ("1", "yes", "y", "true", "satisfied", "满意", "是")
_NO = ("0", "no", "n", "false", "dissatisfied", "不满意", "否")


def _yes_no(value, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(N_("Answer yes or no, not \"{value}\"."), field=field, value=value)


def _satisfaction(complaint, *, actor, at, note, satisfied=None, **params) -> Outcome:
    _no_extra(params)
    satisfied = _yes_no(satisfied, "satisfied")
    if satisfied is None:
        raise ValidationError(N_("Say whether the complainant is satisfied."), field="satisfied")
    complaint.satisfaction = "satisfied" if satisfied else "dissatisfied"
    return Outcome(data={"satisfied": bool(satisfied)})


REVIEW_OUTCOMES = ("keep_reply", "keep_close", "change")
REVIEW_OUTCOME_NAMES = {
    "keep_reply": N_("Keep the decision and reply again"),
    "keep_close": N_("Keep the decision and close with the reviewer's note"),
    "change": N_("Change the decision (back to deciding)"),
}


def _review(complaint, *, actor, at, note, outcome: str = "", **params) -> Outcome:
    """rules.md §4 复审/终审: a manager's review, or the owner's, which is final. Keeping the
    decision sends the reply again (or closes with the reviewer's note); changing it goes back
    to deciding, with the reviewer as handler."""
    _no_extra(params)
    if not outcome:
        raise ValidationError(N_("Choose the outcome of the review: keep the decision (reply "
                                 "again, or close) or change it."), field="outcome")
    outcome = clean_choice(outcome, REVIEW_OUTCOMES, field="outcome",
                           label=N_("Review outcome"))
    if outcome == "keep_close" and not note:
        raise ValidationError(N_("Write the reviewer's note that closes the complaint."),
                              field="note")
    final = "owner" in roles_of(actor)
    complaint.review_level = 2 if final else 1
    kind = "final" if final else "review"
    data = {"review_level": complaint.review_level, "kind": kind, "outcome": outcome}
    if outcome == "keep_reply":
        complaint.satisfaction = ""
        return Outcome(target="approved", responsible=actor, data=data)
    if outcome == "keep_close":
        return Outcome(target="replied", responsible=actor, data=data)
    complaint.satisfaction = ""
    complaint.handler = actor.id
    return Outcome(target="investigating", responsible=actor, data=data)


def _external(complaint, *, actor, at, note, route: str = "", outcome: str = "",
              **params) -> Outcome:
    _no_extra(params)
    route = clean_choice(route, EXTERNAL_ROUTES, field="route", label=N_("External route"))
    outcome = _text(outcome, "outcome", N_("Outcome"), max_length=1000, required=False)
    complaint.external_route = route
    return Outcome(data={"route": route, "outcome": outcome})


def _visit(complaint, *, actor, at, note, result: str = "", satisfied=None, **params) -> Outcome:
    _no_extra(params)
    result = _text(result, "result", N_("Visit result"), max_length=2000)
    data = {"result": result}
    satisfied = _yes_no(satisfied, "satisfied")
    if satisfied is not None:
        data["satisfied"] = satisfied
    return Outcome(data=data)


def extension_told(length: int | None = None, unit: str = "", lang: str | None = None) -> str:
    """What the complainant is told about an extension unless the handler writes otherwise:
    a neutral sentence with the new limit (rules.md §8.4), in ``lang`` (default: the firm's
    document language, the letter's). Without a limit, the sentence without it."""
    if lang is None:
        lang = Firm.select(Firm.document_language).scalar() or "zh_CN"
    with language(lang):
        if length is None or not unit:
            return _("To handle your complaint properly we need more time to look into it.")
        return _("To handle your complaint properly we need more time to look into it; the "
                 "time limit is extended to {limit}.").format(limit=describe_limit(length, unit))


def _extend(complaint, *, actor, at, note, limit: str = "", rule=None, told: str = "",
            **params) -> Outcome:
    """rules.md §5: a longer limit with a reason; past the rule's senior step only a manager
    or the owner may extend; an extension recorded after the due keeps the miss.

    The note is the internal reason; ``told`` is what the complainant is told (the extension
    notice prints it, never the note, rules.md §8.4), by default ``extension_told``."""
    _no_extra(params)
    if not note:
        raise ValidationError(N_("Give the reason for the extension (kept on file; the "
                                 "complainant is told only what is written for them)."),
                              field="note")
    if not limit:
        raise ValidationError(N_("Give the new time limit."), field="limit")
    told = _text(told, "told", N_("Told to the complainant"), max_length=2000, required=False)
    data = timelimits.extend(complaint, limit=limit, rule_code=rule, at=at,
                             senior=bool(roles_of(actor) & {"manager", "owner"}))
    return Outcome(data={**data, "told": told or extension_told(data["new_length"],
                                                                 data["unit"])})


def _pause(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    if not note:
        raise ValidationError(N_("Say why the clock stops (waiting for the customer, an "
                                 "inspection...)."), field="note")
    return Outcome(data={"clocks": timelimits.pause_all(complaint, at=at, reason=note)})


def _resume(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    return Outcome(data={"clocks": timelimits.resume_all(complaint, at=at)})


def _archive(complaint, *, actor, at, note, root_cause: str = "", **params) -> Outcome:
    _no_extra(params)
    if complaint.state != "withdrawn" or root_cause:
        # rules.md §4 源头治理: each closed complaint gets a root-cause tag.
        complaint.root_cause = _text(root_cause or complaint.root_cause, "root_cause",
                                     N_("Root cause"), max_length=100)
    return Outcome(data={"root_cause": complaint.root_cause, "year": complaint.year})


def _withdraw(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    if not note:
        raise ValidationError(N_("Say why the complaint is withdrawn."), field="note")
    return Outcome()


def _reopen(complaint, *, actor, at, note, **params) -> Outcome:
    _no_extra(params)
    if not note:
        raise ValidationError(N_("Say why the complaint is reopened."), field="note")
    complaint.satisfaction = ""
    if complaint.state == "withdrawn" or complaint.handler_id is None:
        return Outcome(target="acknowledged")
    return Outcome(target="investigating")


_AMENDABLE = {
    "description": (N_("What happened"), 8000), "request": (N_("Request"), 4000),
    "location": (N_("Place"), 200), "complainant_phone": (N_("Phone"), 50),
    "contract_no": (N_("Contract / order no."), 60), "respondent_text": (N_("Respondent"), 200),
}
# Every field an amendment may correct, by its name (the timeline shows old → new).
AMENDABLE_NAMES = {**{name: label for name, (label, _length) in _AMENDABLE.items()},
                   "category": N_("Category"), "severity": N_("Severity"),
                   "respondent_department": N_("Department")}


def _amend(complaint, *, actor, at, note, **params) -> Outcome:
    """A correction is a new event recording old and new values (rules.md §3)."""
    changes = {}
    for name, value in params.items():
        if name in _AMENDABLE:
            label, max_length = _AMENDABLE[name]
            value = _text(value, name, label, max_length=max_length,
                          required=name == "description")
            if name == "complainant_phone":
                value = clean_phone(value, field=name)
        elif name == "category":
            cat = Category.get_or_none((Category.code == value) & (Category.active == True))  # noqa: E712
            if cat is None or cat.kind not in ("any", complaint.kind):
                raise ValidationError(N_("Unknown category: {code}."), field="category",
                                      code=value)
            changes[name] = {"old": Category.get_by_id(complaint.category_id).code,
                             "new": cat.code}
            complaint.category = cat.id
            continue
        elif name == "severity":
            value = clean_choice(value, SEVERITIES, field=name, label=N_("Severity"))
        elif name == "respondent_department":
            dept = Department.get_or_none(Department.code == value) if value else None
            if value and dept is None:
                raise ValidationError(N_("Unknown department: {code}."), field=name, code=value)
            changes[name] = {"old": complaint.respondent_department_id,
                             "new": dept.id if dept else None}
            complaint.respondent_department = dept
            continue
        else:
            raise ValidationError(N_("{name} cannot be corrected here."), field=name, name=name)
        old = getattr(complaint, name)
        if old != value:
            changes[name] = {"old": old, "new": value}
            setattr(complaint, name, value)
    if not changes:
        raise ValidationError(N_("Nothing was changed."), field=next(iter(params), None))
    if not note:
        raise ValidationError(N_("Say why the details are corrected."), field="note")
    return Outcome(data={"changes": changes})


def _note(complaint, *, actor, at, note, data: dict | None = None, **params) -> Outcome:
    """A note; services may attach structured facts (a warranty verdict) as ``data``."""
    _no_extra(params)
    if not note:
        raise ValidationError(N_("The note is empty."), field="note")
    if data is not None and not isinstance(data, dict):
        raise ValidationError(N_("Unexpected input: {names}."), field="data", names="data")
    return Outcome(data=data or {})


def _document(complaint, *, actor, at, note, kind: str = "", language: str = "",
              sha256: str = "", **params) -> Outcome:
    _no_extra(params)
    if not kind or not sha256:
        raise StateError(N_("A document event needs the document kind and its hash."))
    return Outcome(data={"kind": kind, "language": language, "sha256": sha256})


def _attach(complaint, *, actor, at, note, attachment: dict | None = None, **params) -> Outcome:
    _no_extra(params)
    if not attachment:
        raise ValidationError(N_("Choose a file to attach."), field="file")
    return Outcome(data=attachment)


def _percent(value, name: str, label: str) -> int:
    try:
        number = int(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise ValidationError(N_("{label} must be a whole percentage."), field=name,
                              label=tr_param(label)) from None
    if not 0 <= number <= 100:
        raise ValidationError(N_("{label} must be between 0 and 100 percent."), field=name,
                              label=tr_param(label))
    return number


def _quality_memo(complaint, *, actor, at, note, ctx, memo: dict | None = None, findings: str = "",
                  firm_percent=None, customer_percent=None, measures: str = "", **params
                  ) -> Outcome:
    """rules.md §5, §8.5: the quality memo. A warranty claim's memo is validated and stored by
    services.warranty (``memo``); any other product-quality complaint's memo is recorded here:
    findings, the responsibility split between the firm and the customer (summing to 100 %),
    and the measures."""
    _no_extra(params)
    if memo:
        return Outcome(data=memo)
    if ctx.has_claim:
        raise StateError(N_("This complaint is a warranty claim: write its quality memo on the "
                            "warranty screen, where the rework estimate is kept."))
    findings = _text(findings, "findings", N_("Findings"))
    ours = _percent(firm_percent, "firm_percent", N_("Firm's share"))
    theirs = _percent(customer_percent, "customer_percent", N_("Customer's share"))
    if ours + theirs != 100:
        raise ValidationError(N_("The firm's and the customer's shares must add up to 100 % "
                                 "(now {total} %)."), field="customer_percent",
                              total=ours + theirs)
    measures = _text(measures, "measures", N_("Measures"), required=False)
    complaint.responsibility = _text(f"{ours}/{theirs}", "firm_percent", N_("Responsibility"),
                                     max_length=200)
    return Outcome(data={"findings": findings, "firm_percent": ours,
                         "customer_percent": theirs, "measures": measures})


def _deliver(complaint, *, actor, at, note, what: str = "", **params) -> Outcome:
    """Repaired goods handed back to the customer; starts the follow-up visit limit."""
    _no_extra(params)
    what = _text(what or note, "what", N_("What was delivered"), max_length=500)
    return Outcome(data={"what": what})


def _internal_handling(complaint, *, actor, at, note, handling: str = "",
                       accountable: str = "", **params) -> Outcome:
    """rules.md §5: a quality complaint's internal handling (repair, shipping) and who is
    accountable, within three working days."""
    _no_extra(params)
    handling = _text(handling, "handling", N_("Handling (repair, shipping)"), max_length=2000)
    accountable = _text(accountable, "accountable", N_("Who is accountable"), max_length=200)
    return Outcome(data={"handling": handling, "accountable": accountable})


def _report_regulator(complaint, *, actor, at, note, regulator: str = "",
                      content: str = "", **params) -> Outcome:
    """rules.md §5 (bank): a result reported back to the authority that forwarded the
    complaint, or a major complaint reported to the regulator."""
    _no_extra(params)
    regulator = _text(regulator or complaint.channel_detail, "regulator", N_("Regulator"),
                      max_length=200)
    content = _text(content, "content", N_("What was reported"), max_length=4000)
    return Outcome(data={"regulator": regulator, "content": content})


LINK_KINDS = ("repeat", "skip_level")
LINK_KIND_NAMES = {"repeat": N_("Repeat complaint"), "skip_level": N_("Skip-level complaint")}


def _merge(complaint, *, actor, at, note, into: str = "", **params) -> Outcome:
    """The duplicate's side of a merge (services.complaints.merging): it names its original, so
    no number leads nowhere; the original's side is written by ``merging.merge``."""
    _no_extra(params)
    into = str(into or "").strip()
    if not into:
        raise ValidationError(N_("Merging needs the original complaint: use 'Merge into…' in "
                                 "the complaint window or 'complaints merge DUPLICATE --into "
                                 "ORIGINAL'."), field="into", rule="merge_needs_original")
    return Outcome(data={"into": into})


def _link(complaint, *, actor, at, note, earlier: str = "", kind: str = "repeat",
          **params) -> Outcome:
    """rules.md §7: this complaint is the repeat (or skip-level complaint) of an earlier one;
    the penalty rules whose condition is a repeat read these links."""
    _no_extra(params)
    kind = clean_choice(kind or "repeat", LINK_KINDS, field="kind", label=N_("Link"))
    key = str(earlier or "").strip()
    if not key:
        raise ValidationError(N_("Give the earlier complaint's ticket number."),
                              field="earlier")
    other = Complaint.get_or_none(Complaint.ticket == key)
    if other is None or other.id == complaint.id or other.received_at > complaint.received_at:
        raise ValidationError(N_("No earlier complaint {ticket}."), field="earlier", ticket=key)
    if ComplaintLink.select().where((ComplaintLink.complaint == complaint.id)
                                    & (ComplaintLink.earlier == other.id)
                                    & (ComplaintLink.kind == kind)).exists():
        raise ValidationError(N_("This complaint is already linked to {ticket}."),
                              field="earlier", ticket=key)
    ComplaintLink.create(complaint=complaint.id, earlier=other.id, kind=kind,
                         linked_by=actor.id, linked_at=at)
    return Outcome(data={"earlier_id": other.id, "earlier_ticket": other.ticket,
                         "kind": kind})


_HANDLERS = {
    "acknowledge": _acknowledge, "answer_on_spot": _answer_on_spot, "transfer": _transfer,
    "record_findings": _findings, "escalate": _escalate, "decide": _decide,
    "hold_meeting": _meeting, "send_back": _send_back, "reply": _reply,
    "record_satisfaction": _satisfaction, "review": _review, "external_route": _external,
    "visit": _visit, "extend": _extend, "pause": _pause, "resume": _resume,
    "archive": _archive, "withdraw": _withdraw, "reopen": _reopen, "amend": _amend,
    "note": _note, "document": _document, "attach": _attach, "quality_memo": _quality_memo,
    "deliver": _deliver, "internal_handling": _internal_handling,
    "report_regulator": _report_regulator, "link": _link, "merge": _merge,
}
_WITH_CONTEXT = (_meeting, _quality_memo)
