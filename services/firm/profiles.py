"""Firm profiles and their presets: categories, time limits, approval, the routes a reply
names (rules.md §1, §3, §5, §8.3)."""
from __future__ import annotations

from dataclasses import dataclass

from models.db import database
from models.entities import Category, DeadlineRule, Firm
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
    """A complaint category a firm profile starts with."""
    code: str
    name_zh: str
    name_en: str
    kind: str = "customer"
    simple: bool = False


@dataclass(frozen=True)
class RulePreset:
    """A time-limit rule a firm profile starts with: when its clock starts and stops, and how
    long it runs."""
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
# company rulebook 5.2.4: a complaint whose answer needs the manufacturing centre's data (the
# order's production steps, shipping date…); its handler's answer has 20 minutes, not 30
# (rule data_20m below).
_MANUFACTURING_DATA = CategoryPreset("manufacturing_data", "制造数据查询",
                                     "Manufacturing data enquiry")
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
    "company": _GENERAL + (_MANUFACTURING_DATA,) + _EMPLOYEE,
    "repair-shop": _GENERAL + _REPAIR + _EMPLOYEE,
    "law-firm": _LAW + _EMPLOYEE,
    "bank": _GENERAL + _BANK + _EMPLOYEE,
}

# rules.md §5 presets. start_on/stop_on name steps of the path (see services.settings.TRIGGERS).
_REPLY_STOPS = "reply,answer_on_spot"
# company rulebook 5.1.2, 7.1.1 (受理人在接到员工投诉时，对不能处理的事件应于当日上报): an
# employee complaint the receiver cannot settle is passed on (transferred) the same day; one
# answered on the spot needs no report. Every profile takes employee complaints.
_EMPLOYEE_REPORT_SAME_DAY = RulePreset(
    "employee_report_same_day", "对不能处理的员工投诉应于当日上报",
    "Employee complaint the receiver cannot handle: reported the same day",
    "register", "transfer,answer_on_spot", 0, "days", kind="employee")
_EMPLOYEE_REPLY_3D = RulePreset(
    "employee_reply_3d", "员工投诉3日内答复", "Employee complaint: reply in 3 days",
    "register", _REPLY_STOPS, 3, "days", kind="employee")
RULES: dict[str, tuple[RulePreset, ...]] = {
    "repair-shop": (
        RulePreset("reply_24h", "受理后24小时内答复", "Reply within 24 hours of receipt",
                   "register", _REPLY_STOPS, 24, "hours", kind="customer"),
        RulePreset("visit_weekly", "结案后一周内回访", "Follow-up visit within a week of closing",
                   "reply", "visit", 7, "days", kind="customer"),
        # furniture-maker rulebook 4.4 1): the visit on the 2nd day after the repaired goods
        # (here: the reworked vehicle) are delivered.
        RulePreset("visit_after_delivery_2d", "返修产品交货期第2天回访客户",
                   "Follow-up visit on the 2nd day after the repaired goods are delivered",
                   "deliver", "visit", 2, "days", kind="customer"),
        _EMPLOYEE_REPORT_SAME_DAY,
        _EMPLOYEE_REPLY_3D,
    ),
    "company": (
        RulePreset("transfer_30m", "30分钟内转交处理人", "Transfer to a handler within 30 minutes",
                   "register", "transfer,answer_on_spot", 30, "minutes", kind="customer"),
        RulePreset("handler_30m", "处理人30分钟内答复", "Handler answers within 30 minutes",
                   "transfer", "decide,escalate", 30, "minutes", kind="customer"),
        # company rulebook 5.2.4; replaces handler_30m for this category (same steps).
        RulePreset("data_20m", "制造中心20分钟内将相关数据提报第二受理人",
                   "Manufacturing data: the handler answers within 20 minutes",
                   "transfer", "decide,escalate", 20, "minutes", kind="customer",
                   category="manufacturing_data"),
        RulePreset("reply_10m", "结果出来后10分钟内答复客户",
                   "Reply within 10 minutes of the result",
                   "decide,approve", "reply", 10, "minutes", kind="customer"),
        RulePreset("head_1h", "部门负责人1小时内答复", "Department head answers within 1 hour",
                   "escalate:1", "decide,escalate:2,hold_meeting", 1, "hours"),
        RulePreset("top_same_day", "最高管理层当日解决", "Top management resolves the same day",
                   "escalate:2", "decide,hold_meeting", 0, "days"),
        # furniture-maker rulebook 4.2.3.3 2)⑦, 3)③; 4.2.3.4 3); 4.2.3.5 3); 4.4 1).
        RulePreset("quality_memo_pq_2wd", "《客户产品质量投诉处理备忘单》第2个工作日内完成",
                   "Quality memo with the responsibility split by the 2nd working day",
                   "register", "quality_memo", 2, "working_days", kind="customer",
                   category="product_quality"),
        RulePreset("internal_handling_3wd", "内部处理不得超过接收投诉后的3个工作日",
                   "Internal handling (repair, shipping, accountability) in 3 working days",
                   "register", "internal_handling", 3, "working_days", kind="customer",
                   category="product_quality"),
        RulePreset("packaging_2wd", "外观包装类投诉在第2个工作日完成处理意见",
                   "Packaging complaint: opinion by the 2nd working day",
                   "register", "record_findings", 2, "working_days", kind="customer",
                   category="packaging"),
        RulePreset("service_quality_2wd", "服务质量类投诉在接收后第2个工作日完成处理意见",
                   "Service-quality complaint: opinion by the 2nd working day",
                   "register", "record_findings", 2, "working_days", kind="customer",
                   category="service_quality"),
        RulePreset("visit_after_delivery_2d", "返修产品交货期第2天回访客户",
                   "Follow-up visit on the 2nd day after the repaired goods are delivered",
                   "deliver", "visit", 2, "days", kind="customer", category="product_quality"),
        _EMPLOYEE_REPORT_SAME_DAY,
        _EMPLOYEE_REPLY_3D,
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
        # 2020 measures: 15 days; a complex complaint up to 30; an especially complex one a
        # further 30 with a senior's approval (past 30 needs a manager or the owner).
        RulePreset("decision_15d_2020", "15日内作出处理决定（2020年办法）",
                   "Decision within 15 days (2020 measures)",
                   "register", "decide,hold_meeting", 15, "days", kind="customer",
                   max_total=60, senior_above=30, active=False),
        # bank notice 第十条 (及时向交办机构报告处理结果) gives no number: our default.
        RulePreset("authority_report_5wd", "转办投诉及时向交办机构报告处理结果",
                   "Results reported to the forwarding authority within 5 working days",
                   "reply:authority", "report_regulator", 5, "working_days", kind="customer"),
        # bank notice 第十五条 (大规模投诉或投诉事项重大…应当及时向银监会或其派出机构报告): "及时",
        # no number; our default is 24 hours, clock time (no weekend roll for a major case).
        RulePreset("major_report_24h", "重大或大规模投诉及时向监管机构报告",
                   "Major or mass complaint reported to the regulator within 24 hours",
                   "register", "report_regulator", 24, "hours", kind="customer",
                   severity="major"),
        _EMPLOYEE_REPORT_SAME_DAY,
        _EMPLOYEE_REPLY_3D,
    ),
    "law-firm": (
        RulePreset("reply_15wd", "15个工作日内答复", "Reply within 15 working days",
                   "register", _REPLY_STOPS, 15, "working_days"),
        _EMPLOYEE_REPORT_SAME_DAY,
    ),
}

# rules.md §4: "在作出处理决定前不得做任何承诺" — approval before reply, on by default for every
# profile but the general company, whose seed answers within minutes.
APPROVAL_REQUIRED = {"repair-shop": True, "law-firm": True, "company": False, "bank": True}

# rules.md §8.3: where a customer who does not accept the decision may turn, printed in the
# written reply in the document's language. A firm has its profile's preset until the owner
# saves its own list in Settings › Firm (Setting REPLY_ROUTES_KEY, a list of {"zh": …, "en": …};
# services.settings.reply_routes). Data, not msgids: the firm rewrites them in both languages.
REPLY_ROUTES_KEY = "reply_routes"
_ARBITRATION = {"zh": "依据合同约定申请仲裁；", "en": "apply for arbitration under your contract;"}
_COURT = {"zh": "向人民法院提起诉讼。", "en": "bring a lawsuit before the people's court."}
REPLY_ROUTES: dict[str, tuple[dict[str, str], ...]] = {
    # repair-shop rulebook, complaints 3: arbitration, court, and for a repair under its
    # quality warranty mediation by the road transport authority.
    "repair-shop": (
        _ARBITRATION,
        {"zh": "向人民法院提起诉讼；", "en": "bring a lawsuit before the people's court;"},
        {"zh": "对仍在质量保证期内的维修，申请道路运输管理机构调解。",
         "en": "for a repair still under its quality warranty, ask the road transport "
               "authority to mediate."}),
    # law-firm rulebook: the bar association and the judicial administration oversee lawyers.
    "law-firm": (
        {"zh": "向律师协会投诉；", "en": "complain to the bar association;"},
        {"zh": "向司法行政机关（司法局）投诉。",
         "en": "complain to the judicial administration (the justice bureau)."}),
    # bank notice: the banking regulator and its consumer hotline.
    "bank": (
        {"zh": "向国家金融监督管理总局或其派出机构反映；",
         "en": "turn to the National Financial Regulatory Administration or its local "
               "office;"},
        {"zh": "拨打银行保险消费者投诉维权热线12378。",
         "en": "call the banking and insurance consumer hotline 12378."}),
    "company": (
        {"zh": "拨打12315消费者投诉举报热线，向市场监督管理部门投诉；",
         "en": "call the 12315 consumer hotline to complain to the market regulator;"},
        _ARBITRATION,
        _COURT),
}


def preset_reply_routes(profile: str) -> list[dict[str, str]]:
    """The routes a firm of ``profile`` starts with (copies, safe to change)."""
    return [dict(r) for r in REPLY_ROUTES.get(profile, ())]


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


def add_missing_presets(profile: str | None = None) -> list[str]:
    """Give an existing database the categories and time limits its profile presets and it
    lacks — those added to the presets after it was set up (rules.md §1). A code the database
    already has is left alone, whether edited or made inactive; nothing is ever changed or
    removed. Returns the codes added ("category:…" / "rule:…"). Safe to call any number of
    times; a database with no firm gets nothing."""
    firm = Firm.select(Firm.profile).first()
    if firm is None:
        return []
    profile = profile or firm.profile
    added: list[str] = []
    with database.atomic():
        have = {c for (c,) in Category.select(Category.code).tuples()}
        sort = Category.select().count()
        for c in CATEGORIES.get(profile, ()):
            if c.code not in have:
                Category.create(code=c.code, name_zh=c.name_zh, name_en=c.name_en, kind=c.kind,
                                simple=c.simple, sort=sort)
                sort += 1
                added.append(f"category:{c.code}")
        have = {c for (c,) in DeadlineRule.select(DeadlineRule.code).tuples()}
        sort = DeadlineRule.select().count()
        for r in RULES.get(profile, ()):
            if r.code not in have:
                DeadlineRule.create(code=r.code, name_zh=r.name_zh, name_en=r.name_en,
                                    start_on=r.start_on, stop_on=r.stop_on, length=r.length,
                                    unit=r.unit, kind=r.kind, severity=r.severity,
                                    max_total=r.max_total, active=r.active, sort=sort,
                                    senior_above=r.senior_above,
                                    roll_to_workday=r.roll_to_workday, category=r.category)
                sort += 1
                added.append(f"rule:{r.code}")
    return added
