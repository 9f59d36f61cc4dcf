"""The firm's reward-and-penalty rules: presets per profile, editing, amounts (rules.md §7)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.db import database, generation
from models.entities import DeadlineRule, Firm
from models.penalties import PenaltyRule
from services import clock
from services.errors import NotFound, ValidationError
from services.i18n import N_, BilingualName
from services.people import require_role
from services.validation import ZERO, clean_amount, clean_choice, clean_text, money

# Who a rule is about. "dealer" and "store" are units outside the staff, named in words;
# every other target is a person with a login.
APPLIES_TO = ("responsible", "receiver", "head", "leader", "sales_manager", "sender", "person",
              "dealer", "store")
APPLIES_TO_NAMES = {
    "responsible": N_("The person responsible for the missed step"),
    "receiver": N_("The receiver"),
    "head": N_("The department head"),
    "leader": N_("The department's top leader"),
    "sales_manager": N_("The sales manager"),
    "sender": N_("The sender of the notice"),
    "person": N_("That person"),
    "dealer": N_("A dealer"),
    "store": N_("A direct store"),
}
UNIT_TARGETS = ("dealer", "store")

TRIGGERS = ("missed_clock", "repeat_complaint", "manual")
TRIGGER_NAMES = {
    "missed_clock": N_("A missed time limit"),
    "repeat_complaint": N_("A repeat complaint before the first is answered"),
    "manual": N_("Entered by hand"),
}

# What must also have happened for the program to propose (rules.md §7, "…complained again"):
# a complaint the receiver linked to the one whose limit was missed, as its repeat ("repeat")
# or as a repeat or a skip-level complaint ("repeat_or_skip"). "": the miss alone proposes.
CONDITIONS = ("", "repeat", "repeat_or_skip")
CONDITION_NAMES = {
    "": N_("No condition"),
    "repeat": N_("A repeat complaint is linked to it"),
    "repeat_or_skip": N_("A repeat or skip-level complaint is linked to it"),
}
# The link kinds (models.entities.ComplaintLink.kind) that satisfy each condition.
CONDITION_KINDS: dict[str, tuple[str, ...]] = {
    "": (),
    "repeat": ("repeat",),
    "repeat_or_skip": ("repeat", "skip_level"),
}


def link_kinds(rule) -> tuple[str, ...]:
    """The link kinds a rule waits for: its condition's, or for the repeat-complaint trigger
    without one, a repeat link (the trigger is the link itself)."""
    kinds = CONDITION_KINDS.get(rule.condition or "", ())
    if not kinds and rule.trigger == "repeat_complaint":
        return ("repeat",)
    return kinds


@dataclass(frozen=True)
class RulePreset:
    code: str
    name_zh: str
    name_en: str
    applies_to: str
    min_amount: str
    max_amount: str
    trigger: str = "manual"
    clock_rules: str = ""
    plus_loss: bool = False
    reward: bool = False
    condition: str = ""


# rules.md §7, the rule table of the seeds (yuan per occurrence). Rewards are negative amounts.
_RECEIVER_CLOCKS = ("transfer_30m,reply_10m,reply_24h,reply_15wd,resolve_15wd,visit_weekly,"
                    "visit_after_delivery_2d")
PRESETS = (
    RulePreset("hr_no_reply_3d", "员工投诉3日内未答复，导致重复投诉或越级投诉",
               "Employee complaint not answered in 3 days, leading to a repeat or skip-level "
               "complaint", "responsible", "50", "50", "missed_clock", "employee_reply_3d",
               condition="repeat_or_skip"),
    RulePreset("head_no_answer_1h", "部门负责人1小时内未答复，客户再次投诉",
               "Department head did not answer in 1 hour; the customer complained again",
               "head", "30", "30", "missed_clock", "head_1h", condition="repeat"),
    RulePreset("complex_overdue", "复杂投诉未经客户同意未按时办结，客户再次投诉",
               "Complex complaint not done in time without the customer's consent; the "
               "customer complained again", "responsible", "50", "200", "repeat_complaint",
               condition="repeat"),
    RulePreset("top_not_same_day", "部门最高领导未当日解决，客户再次投诉",
               "Top leader of the department did not resolve it the same day; the customer "
               "complained again", "leader", "100", "100", "missed_clock", "top_same_day",
               condition="repeat"),
    RulePreset("receiver_late", "受理人未及时答复、跟踪或回访",
               "Receiver late to reply, follow up or visit", "receiver", "30", "50",
               "missed_clock", _RECEIVER_CLOCKS),
    RulePreset("dealer_bad_handling", "经销商处理不当或态度恶劣（从货款中扣除）",
               "Dealer handled it badly or was rude (deducted from payment)", "dealer",
               "200", "200"),
    RulePreset("store_bad_handling", "直营店处理不当或态度恶劣（取消当月投诉奖金）",
               "Direct store handled it badly or was rude (its complaint bonus for the month "
               "forfeited)", "store", "1", "100000"),
    RulePreset("staff_misconduct", "员工处理不当、违反规定或态度恶劣",
               "Staff handled it badly, broke the rules or was rude", "person", "30", "200"),
    RulePreset("staff_media", "员工处理不当并造成媒体或网络曝光",
               "Staff handled it badly and it reached the media or the internet", "person",
               "100", "500", plus_loss=True),
    RulePreset("late_media", "交货、质量或售后服务不及时，造成媒体曝光",
               "Delivery, quality or after-sales service late and it reached the media",
               "person", "50", "500", plus_loss=True),
    RulePreset("policy_unexplained", "销售经理未解释清楚政策，导致客户误解",
               "Customer misunderstood a policy the sales manager should have explained",
               "sales_manager", "50", "50"),
    RulePreset("notice_unapproved", "未经审批向客户发送通知",
               "Notice sent to customers without approval", "sender", "50", "50"),
    RulePreset("notice_complaint", "未经审批向客户发送通知并引起投诉",
               "Notice sent to customers without approval that caused a complaint", "sender",
               "100", "100"),
    RulePreset("written_praise", "客户书面表扬（奖励）", "Written praise from a customer (reward)",
               "person", "-500", "-50", reward=True),
)
_STAFF = ("complex_overdue", "receiver_late", "staff_misconduct", "staff_media")
PROFILE_RULES: dict[str, tuple[str, ...]] = {
    "company": tuple(p.code for p in PRESETS),
    "repair-shop": ("hr_no_reply_3d", *_STAFF, "late_media", "written_praise"),
    "law-firm": (*_STAFF, "written_praise"),
    "bank": ("hr_no_reply_3d", *_STAFF, "notice_unapproved", "notice_complaint",
             "written_praise"),
}


def seed_rules(profile: str, *, effective_from: date | None = None) -> int:
    """Add the profile's preset rules that are missing (idempotent; never changes a rule the
    firm edited). Returns how many were added."""
    wanted = set(PROFILE_RULES.get(profile, ()))
    existing = {code for (code,) in PenaltyRule.select(PenaltyRule.code).tuples()}
    added = 0
    with database.atomic():
        for sort, p in enumerate(PRESETS):
            if p.code not in wanted or p.code in existing:
                continue
            (PenaltyRule.insert(
                code=p.code, name_zh=p.name_zh, name_en=p.name_en, applies_to=p.applies_to,
                min_amount=Decimal(p.min_amount), max_amount=Decimal(p.max_amount),
                plus_loss=p.plus_loss, reward=p.reward, clock_rules=p.clock_rules,
                trigger=p.trigger, condition=p.condition, active=True,
                effective_from=effective_from, sort=sort)
             .on_conflict_ignore().execute())  # another PC may be seeding at the same time
            added += 1
    return added


_seeded: dict[str, int] = {}


def ensure_rules() -> None:
    """Seed a firm that predates the ledger, once per opened database. Its rules apply from
    today, so two years of old misses do not flood the proposals."""
    if _seeded.get("generation") == generation():
        return
    if not PenaltyRule.select().exists():
        firm = Firm.select().first()
        if firm is None:
            return
        seed_rules(firm.profile, effective_from=clock.now().date())
    _seeded["generation"] = generation()


# --- reading and editing -------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo(BilingualName):
    id: int
    code: str
    name_zh: str
    name_en: str
    applies_to: str
    min_amount: Decimal
    max_amount: Decimal
    plus_loss: bool
    reward: bool
    clock_rules: tuple[str, ...]
    trigger: str
    active: bool
    effective_from: date | None
    condition: str = ""

    @property
    def fixed(self) -> bool:
        return self.min_amount == self.max_amount

    @property
    def for_unit(self) -> bool:
        return self.applies_to in UNIT_TARGETS

    @property
    def default_amount(self) -> Decimal:
        return default_amount(self)


def default_amount(rule) -> Decimal:
    """What a proposal starts at: the amount nearest zero (the least fine, the least reward);
    the approver may change it within the range."""
    return money(rule.max_amount if rule.reward else rule.min_amount)


def info(rule: PenaltyRule) -> RuleInfo:
    return RuleInfo(rule.id, rule.code, rule.name_zh, rule.name_en, rule.applies_to,
                    money(rule.min_amount), money(rule.max_amount), rule.plus_loss,
                    rule.reward, codes(rule.clock_rules), rule.trigger, rule.active,
                    rule.effective_from, rule.condition or "")


def codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in (text or "").split(",") if c.strip())


def rules(*, include_inactive: bool = True) -> list[RuleInfo]:
    ensure_rules()
    q = PenaltyRule.select().order_by(PenaltyRule.sort, PenaltyRule.id)
    if not include_inactive:
        q = q.where(PenaltyRule.active == True)  # noqa: E712
    return [info(r) for r in q]


def get_rule(code: str) -> PenaltyRule:
    ensure_rules()
    rule = PenaltyRule.get_or_none(PenaltyRule.code == (code or "").strip())
    if rule is None:
        raise ValidationError(N_("No penalty rule {code}."), field="rule", code=code or "")
    return rule


def check_amount(rule, value, *, field: str = "amount") -> Decimal:
    """``value`` as a Decimal inside the rule's range, else a ValidationError on ``field``."""
    amount = clean_amount(value, field=field, label=N_("Amount"), allow_negative=True)
    if amount is None:
        raise ValidationError(N_("Give the amount."), field=field)
    low, high = money(rule.min_amount), money(rule.max_amount)
    if not low <= amount <= high:
        if low == high:
            raise ValidationError(N_("The amount under this rule is {amount} yuan."),
                                  field=field, amount=f"{low:.2f}")
        raise ValidationError(N_("The amount under this rule must be between {min} and {max} "
                                 "yuan."), field=field, min=f"{low:.2f}", max=f"{high:.2f}")
    return amount


def check_loss(rule, value, *, field: str = "loss") -> Decimal:
    """The loss added on top ("plus the loss"): only where the rule says so, never negative."""
    loss = clean_amount(value, field=field, label=N_("Loss"))
    if loss is None or loss == 0:
        return ZERO
    if not rule.plus_loss:
        raise ValidationError(N_("This rule does not add the loss to the amount."), field=field)
    return loss


_CODE = re.compile(r"[a-z0-9_]+")


def save_rule(*, actor, code: str, name_zh: str, name_en: str, applies_to: str,
              min_amount, max_amount, plus_loss: bool = False, reward: bool = False,
              clock_rules: str | list[str] = "", trigger: str = "manual", active: bool = True,
              effective_from: date | None = None, condition: str | None = None) -> RuleInfo:
    """Create or change a rule (the owner's, rules.md §2 settings). Entries already made keep
    their amounts; rules are never deleted, an unused one is made inactive. ``condition``
    (CONDITIONS) is what must also have happened for the program to propose; None keeps a
    rule's own (none for a new rule)."""
    require_role(actor, "owner")
    ensure_rules()
    code = clean_text(code, field="code", label=N_("Code"), max_length=40)
    if not _CODE.fullmatch(code):
        raise ValidationError(N_("A code may contain lower-case letters, digits and '_' only."),
                              field="code")
    low = clean_amount(min_amount, field="min_amount", label=N_("Lowest amount"),
                       allow_negative=True)
    high = clean_amount(max_amount if max_amount not in (None, "") else min_amount,
                        field="max_amount", label=N_("Highest amount"), allow_negative=True)
    if low is None:
        raise ValidationError(N_("Give the amount."), field="min_amount")
    if high < low:
        raise ValidationError(N_("The highest amount cannot be below the lowest."),
                              field="max_amount")
    if reward and high >= 0:
        raise ValidationError(N_("A reward is a negative amount (it lowers the balance)."),
                              field="max_amount")
    if not reward and low <= 0:
        raise ValidationError(N_("A fine is an amount above zero; make the rule a reward for "
                                 "a negative amount."), field="min_amount")
    if reward and plus_loss:
        raise ValidationError(N_("A reward cannot add a loss."), field="plus_loss")
    trigger = clean_choice(trigger, TRIGGERS, field="trigger", label=N_("Proposed on"))
    items = codes(clock_rules) if isinstance(clock_rules, str) else tuple(
        c.strip() for c in clock_rules if c and c.strip())
    known = {c for (c,) in DeadlineRule.select(DeadlineRule.code).tuples()}
    for item in items:
        if item not in known:
            raise ValidationError(N_("Unknown time limit: {code}."), field="clock_rules",
                                  code=item)
    if trigger == "missed_clock" and not items:
        raise ValidationError(N_("Name the time limits whose miss this rule covers."),
                              field="clock_rules")
    if condition is None:  # keep the rule's own; a rule entered by hand has none
        condition = "" if trigger == "manual" else PenaltyRule.select(
            PenaltyRule.condition).where(PenaltyRule.code == code).scalar() or ""
    condition = clean_choice(condition or "", CONDITIONS, field="condition",
                             label=N_("Only if"))
    if condition and trigger == "manual":
        raise ValidationError(N_("A condition applies to what the program proposes; a rule "
                                 "entered by hand has none (the proposer judges)."),
                              field="condition")
    values = dict(
        name_zh=clean_text(name_zh, field="name_zh", label=N_("Chinese name"), max_length=120),
        name_en=clean_text(name_en, field="name_en", label=N_("English name"), max_length=160),
        applies_to=clean_choice(applies_to, APPLIES_TO, field="applies_to",
                                label=N_("Applies to")),
        min_amount=low, max_amount=high, plus_loss=bool(plus_loss), reward=bool(reward),
        clock_rules=",".join(items), trigger=trigger, condition=condition,
        active=bool(active), effective_from=effective_from)
    if reward and values["applies_to"] in UNIT_TARGETS:
        raise ValidationError(N_("Rewards are for people, not for dealers or stores."),
                              field="applies_to")
    with database.atomic():
        existing = PenaltyRule.get_or_none(PenaltyRule.code == code)
        if existing is None:
            PenaltyRule.create(code=code, sort=PenaltyRule.select().count() + len(PRESETS),
                               **values)
        else:
            PenaltyRule.update(**values).where(PenaltyRule.id == existing.id).execute()
    rule = PenaltyRule.get_or_none(PenaltyRule.code == code)
    if rule is None:  # pragma: no cover - just written
        raise NotFound(N_("No penalty rule {code}."), code=code)
    return info(rule)
