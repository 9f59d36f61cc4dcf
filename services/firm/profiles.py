"""Firm profiles and their presets: categories, time limits, approval (rules.md §1, §3, §5)."""
from __future__ import annotations

from dataclasses import dataclass

from services.i18n import N_

# Each table of names lists its codes in their order; the tuple of codes is read from it.
PROFILE_NAMES = {
    "repair-shop": N_("Repair shop"),
    "law-firm": N_("Law firm"),
    "company": N_("General company"),
    "bank": N_("Bank branch"),
}
PROFILES = tuple(PROFILE_NAMES)

CHANNEL_NAMES = {
    "phone": N_("Phone"), "walk_in": N_("Walk-in"), "letter": N_("Letter"),
    "online": N_("E-mail / online"), "authority": N_("Forwarded by an authority"),
    "media": N_("Media / internet"),
}
CHANNELS = tuple(CHANNEL_NAMES)
KIND_NAMES = {"customer": N_("Customer"), "employee": N_("Employee")}
KINDS = tuple(KIND_NAMES)
SEVERITY_NAMES = {"normal": N_("Normal"), "major": N_("Major")}
SEVERITIES = tuple(SEVERITY_NAMES)
REMEDY_NAMES = {
    "none": N_("No remedy"), "repair": N_("Repair"), "refund": N_("Refund"),
    "discount": N_("Discount"), "return": N_("Return"), "apology": N_("Apology"),
    "compensation": N_("Compensation"), "explanation": N_("Explanation"),
    "rework": N_("Free rework"), "quote": N_("Quote"),
}
REMEDIES = tuple(REMEDY_NAMES)
EXTERNAL_ROUTE_NAMES = {
    "arbitration": N_("Arbitration"), "court": N_("Court"),
    "authority": N_("Complaint to an authority"),
    "mediation": N_("Mediation by the road transport authority"),
}
EXTERNAL_ROUTES = tuple(EXTERNAL_ROUTE_NAMES)


@dataclass(frozen=True)
class CategoryPreset:
    code: str
    name_zh: str
    name_en: str
    kind: str = "customer"
    simple: bool = False


@dataclass(frozen=True)
class RulePreset:
    code: str
    name_zh: str
    name_en: str
    start_on: str
    stop_on: str
    length: int
    unit: str
    kind: str = "any"
    severity: str = "any"
    max_total: int | None = None
    active: bool = True
    senior_above: int | None = None  # extensions past this total need a manager or the owner
    roll_to_workday: bool = True  # calendar days: a last day that is a rest day rolls on
    category: str = ""  # a Category code: this category only, replacing the general limit


_GRUMBLE = CategoryPreset("grumble", "抱怨类", "Grumble", simple=True)
_SUGGESTION = CategoryPreset("suggestion", "建议类", "Suggestion", simple=True)
_SERVICE_QUALITY = CategoryPreset("service_quality", "服务质量类", "Service quality")
_GENERAL = (
    _GRUMBLE,
    _SUGGESTION,
    CategoryPreset("product_quality", "产品质量类", "Product quality"),
    CategoryPreset("packaging", "外观包装类", "Appearance / packaging"),
    _SERVICE_QUALITY,
)
_EMPLOYEE = (
    CategoryPreset("work_conditions", "工作环境", "Working conditions", kind="employee"),
    CategoryPreset("pay_benefits", "薪酬福利", "Pay and benefits", kind="employee"),
    CategoryPreset("management", "管理方式", "Management", kind="employee"),
    CategoryPreset("colleagues", "同事关系", "Colleagues", kind="employee"),
    CategoryPreset("employee_other", "其他（员工）", "Other (employee)", kind="employee"),
)
_REPAIR = (
    CategoryPreset("repair_quality", "维修质量", "Repair quality"),
    CategoryPreset("billing", "工时材料费用结算", "Labour / material billing"),
    CategoryPreset("attitude", "服务态度", "Service attitude"),
)
_LAW = (
    _GRUMBLE,
    _SUGGESTION,
    _SERVICE_QUALITY,
    CategoryPreset("fees", "收费争议", "Fee dispute"),
    CategoryPreset("conduct", "执业行为", "Professional conduct"),
    CategoryPreset("communication", "沟通不及时", "Slow communication"),
)
_BANK = (
    CategoryPreset("business", "业务办理", "Business handling"),
    CategoryPreset("fees", "收费", "Fees and charges"),
)

CATEGORIES: dict[str, tuple[CategoryPreset, ...]] = {
    "company": _GENERAL + _EMPLOYEE,
    "repair-shop": _GENERAL + _REPAIR + _EMPLOYEE,
    "law-firm": _LAW + _EMPLOYEE,
    "bank": _GENERAL + _BANK + _EMPLOYEE,
}

# rules.md §5 presets. start_on/stop_on name steps of the path (see services.settings.TRIGGERS).
_REPLY_STOPS = "reply,answer_on_spot"
RULES: dict[str, tuple[RulePreset, ...]] = {
    "repair-shop": (
        RulePreset("reply_24h", "受理后24小时内答复", "Reply within 24 hours of receipt",
                   "register", _REPLY_STOPS, 24, "hours", kind="customer"),
        RulePreset("visit_weekly", "结案后一周内回访", "Follow-up visit within a week of closing",
                   "reply", "visit", 7, "days", kind="customer"),
        RulePreset("employee_reply_3d", "员工投诉3日内答复", "Employee complaint: reply in 3 days",
                   "register", _REPLY_STOPS, 3, "days", kind="employee"),
    ),
    "company": (
        RulePreset("transfer_30m", "30分钟内转交处理人", "Transfer to a handler within 30 minutes",
                   "register", "transfer,answer_on_spot", 30, "minutes", kind="customer"),
        RulePreset("handler_30m", "处理人30分钟内答复", "Handler answers within 30 minutes",
                   "transfer", "decide,escalate", 30, "minutes", kind="customer"),
        RulePreset("reply_10m", "结果出来后10分钟内答复客户",
                   "Reply within 10 minutes of the result",
                   "decide,approve", "reply", 10, "minutes", kind="customer"),
        RulePreset("head_1h", "部门负责人1小时内答复", "Department head answers within 1 hour",
                   "escalate:1", "decide,escalate:2,hold_meeting", 1, "hours"),
        RulePreset("top_same_day", "最高管理层当日解决", "Top management resolves the same day",
                   "escalate:2", "decide,hold_meeting", 0, "days"),
        RulePreset("employee_reply_3d", "员工投诉3日内答复", "Employee complaint: reply in 3 days",
                   "register", _REPLY_STOPS, 3, "days", kind="employee"),
        RulePreset("employee_major_1d", "重大员工投诉1日内报总经理",
                   "Major employee complaint: report to the GM within 1 day",
                   "register", "escalate:2,hold_meeting", 1, "days", kind="employee",
                   severity="major"),
        RulePreset("visit_weekly", "结案后一周内回访", "Follow-up visit within a week of closing",
                   "reply", "visit", 7, "days", kind="customer"),
    ),
    "bank": (
        RulePreset("resolve_15wd", "15个工作日内办结", "Resolve within 15 working days",
                   "register", _REPLY_STOPS, 15, "working_days", kind="customer", max_total=60),
        RulePreset("decision_15d_2020", "15日内作出处理决定（2020年办法）",
                   "Decision within 15 days (2020 measures)",
                   "register", "decide,hold_meeting", 15, "days", kind="customer", active=False),
        RulePreset("employee_reply_3d", "员工投诉3日内答复", "Employee complaint: reply in 3 days",
                   "register", _REPLY_STOPS, 3, "days", kind="employee"),
    ),
    "law-firm": (
        RulePreset("reply_15wd", "15个工作日内答复", "Reply within 15 working days",
                   "register", _REPLY_STOPS, 15, "working_days"),
    ),
}

# rules.md §4: "在作出处理决定前不得做任何承诺" — approval before reply, on by default for every
# profile but the general company, whose seed answers within minutes.
APPROVAL_REQUIRED = {"repair-shop": True, "law-firm": True, "company": False, "bank": True}

DEPARTMENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "repair-shop": (("front", "前台", False), ("workshop", "车间", False),
                    ("parts", "配件部", False), ("hr", "人事行政部", True)),
    "law-firm": (("admin", "行政部", False), ("litigation", "诉讼部", False),
                 ("non_litigation", "非诉部", False), ("hr", "人事行政部", True)),
    "company": (("service", "客服部", False), ("sales", "销售部", False),
                ("production", "生产部", False), ("hr", "人事行政部", True)),
    "bank": (("counter", "营业部", False), ("credit", "信贷部", False),
             ("hr", "综合部", True)),
}
