"""Chinese sample texts for the demo data (services.demo): firms, staff, names and complaint topics.

This is data, not user interface: it is never translated. Templates use ``{slots}`` that the
generator fills (``{who}`` the person complained about, ``{car}``, ``{product}``, ``{amount}``
for the decision's sum of money …).
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple


class Topic(NamedTuple):
    """One kind of complaint with a coherent story: what happened, what is asked, what the
    investigation found and what was decided (rules.md §3, §4)."""

    description: str
    request: str
    findings: str = "经核实，投诉反映的情况基本属实。"
    decision: str = ""
    # what the complainant is told of the decision, where the decision also holds internal
    # measures (discipline, appraisal, claims on suppliers) that never go into a letter
    reply: str = ""
    reasons: str = "投诉人意见合理，予以采纳。"
    remedy: str = "explanation"  # one of services.firm.REMEDIES
    amount: tuple[int, int] | None = None  # decision's sum of money, yuan
    responsibility: str = ""
    causes: tuple[str, ...] = ("沟通不到位",)
    firm_share: int | None = None  # rules.md §6 split of responsibility, percent
    answer: str = ""  # what is said when answered on the spot (simple categories)
    major: bool = False  # likely to be a major (重大) complaint
    who: str = ""  # the generic word for {who} when no staff member is named


def _staff(table: str) -> tuple[tuple[str, str, str, str], ...]:
    """A staff table, one person a line: login, name, roles, department code; after "#", a
    note for the reader (the person's title)."""
    rows = []
    for line in table.strip().splitlines():
        login, name, roles, department = line.partition("#")[0].split()
        rows.append((login, name, roles, department))
    return tuple(rows)


PASSWORD = "demo123"
OWNER_LOGIN = "owner"


class FirmPreset(NamedTuple):
    name: str
    address: str
    phone: str
    owner_name: str


FIRMS = {
    "repair-shop": FirmPreset("顺达汽车维修有限公司", "杭州市拱墅区莫干山路1280号", "0571-88235610",
                              "周建国"),
    "law-firm": FirmPreset("明正律师事务所", "杭州市西湖区文三路478号华星大厦12层", "0571-87961200",
                           "郑国华"),
    "company": FirmPreset("华信电器有限公司", "杭州市钱塘区江东大道3699号", "0571-86720088",
                          "吴振华"),
    "bank": FirmPreset("汇通商业银行城西支行", "杭州市西湖区古墩路702号", "0571-88820955",
                       "钱国栋"),
}

# login, name, roles, department code (services.firm.profiles.DEPARTMENTS). rules.md §2 roles:
# receivers at the front desk, handlers, department heads, a manager, and HR staff.
STAFF: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "repair-shop": _staff("""
        wangzhiqiang  王志强  manager        front     # 副经理
        zhaomin       赵敏    receiver,head  front     # 客服主任
        chenjing      陈静    receiver       front     # 总台接待
        liuyang       刘洋    receiver       front
        sunhaitao     孙海涛  head           workshop  # 车间主任
        lijun         李军    handler        workshop
        zhangwei      张伟    handler        workshop
        huangkai      黄凯    handler        workshop  # 质检员
        mashuai       马帅    handler        workshop
        xuli          徐丽    head           parts
        hepeng        何鹏    handler        parts
        linxiaohong   林晓红  manager        hr        # 人事行政部经理
        guofang       郭芳    handler        hr
        tangli        唐莉    receiver       hr
    """),
    "law-firm": _staff("""
        caohong    曹宏    manager        litigation      # 分管合伙人
        yangfan    杨帆    receiver,head  admin           # 行政主管
        hanxue     韩雪    receiver       admin           # 前台
        fengyu     冯宇    head           litigation
        dengliang  邓亮    handler        litigation
        xiaoran    肖然    handler        litigation
        jiangtao   蒋涛    handler        litigation
        songjia    宋佳    head           non_litigation
        luwen      陆文    handler        non_litigation
        yeziqi     叶子琪  handler        non_litigation
        pandan     潘丹    manager        hr
        dongli     董丽    handler        hr
        yuanmei    袁梅    receiver       hr
    """),
    "company": _staff("""
        zhengkai  郑凯  manager        service     # 副总经理
        yangli    杨莉  receiver,head  service     # 客服主任
        heyan     何燕  receiver       service
        luoqian   罗倩  receiver       service
        zhouhang  周航  handler        service
        xieming   谢明  handler        service
        tianyu    田宇  head           sales
        jiabin    贾斌  handler        sales
        caijing   蔡静  handler        sales
        dinglei   丁磊  head           production
        renjie    任杰  handler        production
        shenyue   沈悦  handler        production
        yaoli     姚丽  manager        hr          # 人事行政部经理
        lushan    卢珊  handler        hr
        jiangyan  姜燕  receiver       hr
    """),
    "bank": _staff("""
        qinfeng  秦峰  manager   counter  # 副行长
        fanjing  范晶  receiver  counter  # 大堂经理
        shiyu    石雨  receiver  counter
        yinhao   尹浩  receiver  counter
        wutong   武彤  head      counter  # 营业部主管
        kongwei  孔伟  handler   counter
        maoxin   毛欣  handler   counter
        xiongbo  熊波  head      credit
        duyu     杜宇  handler   credit
        wanlin   万琳  handler   credit
        xuehui   薛慧  manager   hr       # 综合部经理
        houjie   侯洁  handler   hr
        leiyun   雷芸  receiver  hr
    """),
}

# Which department usually handles a customer category (a code, or a choice of codes).
HANDLING_DEPARTMENT = {
    "repair-shop": {"repair_quality": "workshop", "billing": "front", "attitude": "front",
                    "product_quality": "parts", "service_quality": "workshop",
                    "grumble": "front", "suggestion": "front", "packaging": "parts"},
    "law-firm": {"grumble": "admin", "suggestion": "admin",
                 "fees": ("admin", "litigation", "non_litigation"),
                 "service_quality": ("litigation", "non_litigation"),
                 "conduct": ("litigation", "non_litigation"),
                 "communication": ("litigation", "non_litigation")},
    "company": {"product_quality": "production", "packaging": "production",
                "service_quality": "service", "grumble": "service", "suggestion": "service"},
    "bank": {"business": "counter", "fees": "counter", "service_quality": "counter",
             "product_quality": "credit", "grumble": "counter", "suggestion": "counter"},
}

# How often each category comes up; categories not listed (a firm's own) weigh 1.
CATEGORY_WEIGHTS = {
    "repair-shop": {"repair_quality": 30, "billing": 20, "attitude": 12, "service_quality": 12,
                    "product_quality": 10, "grumble": 10, "suggestion": 5, "packaging": 0},
    "law-firm": {"communication": 24, "service_quality": 20, "fees": 18, "conduct": 12,
                 "grumble": 14, "suggestion": 6},
    "company": {"product_quality": 30, "service_quality": 22, "packaging": 16, "grumble": 18,
                "suggestion": 8},
    "bank": {"business": 30, "service_quality": 20, "fees": 18, "grumble": 16, "suggestion": 8,
             "product_quality": 6, "packaging": 0},
}

# "{who}" when no staff member is named.
WHO_GENERIC = {"repair-shop": "接待人员", "law-firm": "承办律师", "company": "客服人员",
               "bank": "工作人员"}
WHO_NAMED = {"repair-shop": "{name}", "law-firm": "{name}律师", "company": "{name}",
             "bank": "{name}"}

AUTHORITIES = {
    "repair-shop": ("道路运输管理所", "市场监督管理局", "消费者协会", "12315投诉热线"),
    "law-firm": ("市司法局", "区司法局", "律师协会", "12345市民热线"),
    "company": ("消费者协会", "市场监督管理局", "12345市民热线", "12315投诉热线"),
    "bank": ("国家金融监督管理总局杭州监管分局", "中国人民银行杭州市分行",
             "银行业协会消费者权益保护中心", "12378银行保险消费者投诉热线"),
}
MEDIA = ("微博", "抖音", "小红书", "本地论坛", "今日头条", "晚报热线")
ONLINE = ("官网留言", "微信公众号", "电子邮件", "小程序留言")
EMPLOYEE_ONLINE = ("内部邮箱", "企业微信", "意见箱")

MEETINGS = {
    "repair-shop": ("投诉处理小组会议", "经理办公会"),
    "law-firm": ("所务会议", "合伙人会议"),
    "company": ("投诉处理小组会议", "总经理办公会"),
    "bank": ("消费者权益保护工作小组会议", "行务会议"),
}

EXTERNAL_ROUTES = {
    "repair-shop": (("mediation", "经道路运输管理机构调解，双方达成和解。"),
                    ("arbitration", "客户已申请仲裁，仲裁委已受理。"),
                    ("authority", "客户向消费者协会投诉，经调解维持原处理意见。")),
    "law-firm": (("authority", "当事人向律师协会投诉，协会调查后认为处理得当。"),
                 ("court", "当事人已向法院起诉，案件审理中。")),
    "company": (("authority", "客户向消费者协会投诉，经调解双方达成一致。"),
                ("arbitration", "客户申请仲裁，仲裁委已受理。"),
                ("court", "客户已向法院起诉。")),
    "bank": (("authority", "客户向监管部门投诉，经调解双方达成一致。"),
             ("arbitration", "客户申请金融纠纷仲裁，已受理。"),
             ("court", "客户已向法院起诉，案件审理中。")),
}

PAUSE_REASONS = {
    "repair-shop": ("等待客户送车复检", "等待厂家技术鉴定报告", "等待配件供应商检测结果"),
    "law-firm": ("等待投诉人补充书面材料", "等待律师协会调查意见",
                 "承办律师外地开庭，投诉人同意暂缓"),
    "company": ("等待客户寄回产品检测", "等待第三方检测报告", "等待物流公司出具破损证明"),
    "bank": ("等待客户补充身份证明材料", "等待清算中心查询结果", "等待对方银行回函"),
    "employee": ("等待当事员工休假返岗", "等待相关部门提供考勤记录"),
}
EXTEND_REASONS = {
    "repair-shop": ("需厂家技术支持确认故障原因，已电话告知客户延期答复",
                    "配件需从厂家调货，客户同意延期"),
    "law-firm": ("案情复杂需调阅卷宗并听取双方意见，已书面告知投诉人延期原因",
                 "需征求律师协会意见，已告知投诉人新的答复期限"),
    "company": ("需质检部门出具检测报告，已告知客户延期答复",
                "涉及供应商责任认定，已告知客户延期原因"),
    "bank": ("涉及跨行查询，需对方银行反馈，已告知客户延期原因及新的办结时限",
             "需调阅交易监控录像并核实流水，已告知客户延期原因"),
    "employee": ("需核对近半年考勤和工资记录，已告知员工延期答复",),
}
SEND_BACK_NOTES = ("处理意见依据不足，请补充调查后重新提出", "赔偿金额偏高，请与投诉人重新协商",
                   "责任认定不清，请补充相关人员的书面说明")
WITHDRAW_NOTES = ("投诉人表示问题已自行解决，主动撤回投诉",
                  "投诉人与承办人员沟通后表示理解，撤回投诉",
                  "投诉人来电撤回投诉，不再要求处理")
REOPEN_NOTES = ("回访时投诉人反映问题复发，重新处理", "投诉人补充了新的证据，重新调查")
NOTES = ("已电话联系投诉人，约定面谈时间", "投诉人再次来电询问进度，已告知正在处理",
         "已调取监控录像并留存", "已向当事人了解情况并制作谈话笔录")
ACK_NOTES = ("已告知受理单号、处理时限及联系人", "已出具受理回执")
TRANSFER_NOTES = ("转交处理联系单已由双方签字，受理人留存一联", "")
VISIT_RESULTS = ("电话回访，投诉人对处理结果表示满意。", "回访时投诉人反映问题已经解决。",
                 "上门回访，投诉人提出的问题已整改到位。",
                 "投诉人表示基本满意，希望今后服务更及时。",
                 "短信回访，投诉人回复满意。")
WITHDRAWN_CAUSES = ("客户误解", "已自行解决")
SPOT_CAUSES = ("服务细节", "设施不足", "流程不便")

# One pick a complaint: either words of the complainant's own that end the description, or a
# remark of the receiver's, which is internal and goes into the registration's note, never
# into the description that a receipt or a letter may quote.
DESCRIPTION_TAILS = ("", "", "", ("note", "投诉人情绪较激动。"), "如不解决，将向有关部门反映。",
                     ("note", "已留存照片和票据复印件。"), "希望尽快得到答复。")


def staff_phone(firm_phone: str, index: int) -> str:
    """A staff member's extension on the firm's own exchange: the firm's number with its last
    two digits replaced (0571-87961200 → 0571-87961211, 0571-87961212 …)."""
    return f"{firm_phone[:-2]}{11 + index:02d}"


def daytime(moment: datetime) -> datetime:
    """``moment`` moved into office hours (08:00–19:59) on the same day, minutes kept: people
    complain about what happened while the firm was open."""
    if 8 <= moment.hour < 20:
        return moment
    return moment.replace(hour=8 + moment.hour % 12)

# The common surnames, most frequent first.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
            "蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段"
            "雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "玉兰", "鑫", "婷", "浩",
         "宇", "欣怡", "子涵", "晨", "嘉怡", "志强", "海燕", "建国", "晓东", "丽华", "国强", "春梅",
         "亚男", "雪", "琳", "斌", "鹏", "俊", "凯", "慧", "颖", "倩", "佳", "一鸣", "思远", "雨桐",
         "梓萱", "浩然", "子轩", "梦琪", "红梅", "卫东", "秀兰", "德明", "金凤", "海波", "立新")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176",
                   "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191",
                   "198", "199")
CITY = "杭州市"
DISTRICTS = ("西湖区", "拱墅区", "上城区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区")
ROADS = ("文三路", "教工路", "莫干山路", "延安路", "凤起路", "古墩路", "江南大道", "金城路",
         "庆春路", "天目山路", "学院路", "秋涛路", "建国北路", "湖墅南路", "丰潭路", "东新路")
ESTATES = ("翠苑", "嘉绿苑", "大关", "朝晖", "采荷", "闻涛苑", "金色海岸", "城北花园", "桂花城",
           "紫金庭园", "和睦新村", "景芳")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CARS = ("大众朗逸", "丰田卡罗拉", "本田雅阁", "日产轩逸", "别克英朗", "比亚迪秦PLUS", "吉利星瑞",
        "哈弗H6", "奥迪A4L", "宝马3系", "长安CS75", "五菱宏光")
PRODUCTS = ("电水壶", "电饭煲", "空气炸锅", "吸尘器", "电风扇", "豆浆机", "电暖器", "加湿器",
            "破壁机", "扫地机器人")
CASES = ("离婚纠纷", "劳动争议", "房屋买卖合同纠纷", "民间借贷纠纷", "交通事故赔偿", "股权转让纠纷",
         "建设工程款纠纷", "继承纠纷")
LOCATIONS = {
    "repair-shop": ("前台接待区", "维修车间", "客户休息区", "道路救援现场", "结算窗口"),
    "law-firm": ("本所接待室", "法院", "电话沟通", "本所会议室"),
    "company": ("客户家中", "专卖门店", "售后服务中心", "电商平台"),
    "bank": ("营业厅", "手机银行", "自助服务区", "理财室"),
    "employee": ("办公区", "车间", "员工食堂", "会议室"),
}

# The complaint topics of the sample data are data, not code: resources/demo/topics.json, by
# profile and category ("repair-shop/billing"), shared by every profile ("general", "generic"),
# and for employee complaints. Each topic lists only the fields that differ from Topic's.
_TOPIC_FILE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "topics.json"


def _topics(items: list[dict]) -> tuple[Topic, ...]:
    return tuple(Topic(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()})
                 for item in items)


def _load_topics() -> dict:
    data = json.loads(_TOPIC_FILE.read_text(encoding="utf-8"))
    return {
        "by_profile": {tuple(key.split("/")): _topics(v) for key, v in data["by_profile"].items()},
        "general": {key: _topics(v) for key, v in data["general"].items()},
        "generic": _topics(data["generic"]),
        "employee": {key: _topics(v) for key, v in data["employee"].items()},
        "employee_generic": _topics(data["employee_generic"]),
    }


_LOADED = _load_topics()
TOPICS: dict[tuple[str, str], tuple[Topic, ...]] = _LOADED["by_profile"]
GENERAL_TOPICS: dict[str, tuple[Topic, ...]] = _LOADED["general"]  # any profile's category
GENERIC_TOPICS: tuple[Topic, ...] = _LOADED["generic"]  # a category with no topic of its own
EMPLOYEE_TOPICS: dict[str, tuple[Topic, ...]] = _LOADED["employee"]
EMPLOYEE_GENERIC: tuple[Topic, ...] = _LOADED["employee_generic"]


# --- people and numbers ------------------------------------------------------------------------


def _pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def person_name(rng: random.Random) -> str:
    return _pick(rng, SURNAMES) + _pick(rng, GIVEN)


def mobile(rng: random.Random) -> str:
    """A mainland mobile number: 1[3-9]x and eight more digits."""
    return _pick(rng, MOBILE_PREFIXES) + f"{int(rng.random() * 10**8):08d}"


def address(rng: random.Random) -> str:
    district = _pick(rng, DISTRICTS)
    if rng.random() < 0.6:
        return (f"{CITY}{district}{_pick(rng, ESTATES)}小区{rng.randint(1, 30)}幢"
                f"{rng.randint(1, 4)}单元{rng.randint(1, 28)}0{rng.randint(1, 4)}室")
    return f"{CITY}{district}{_pick(rng, ROADS)}{rng.randint(1, 999)}号"


def email(rng: random.Random) -> str:
    return f"{rng.randrange(10**7, 10**10)}@{_pick(rng, ('qq.com', '163.com', '126.com'))}"


def plate(rng: random.Random) -> str:
    return "浙A" + _pick(rng, PLATE_LETTERS) + f"{int(rng.random() * 10**4):04d}"


def contract_no(rng: random.Random, profile: str, employee: bool, received: datetime) -> str:
    """委托书号 / 合同号 / 订单号 / 卡号 as the profile writes them; an employee's number."""
    if employee:
        return f"工号{rng.randint(1001, 1999)}"
    if rng.random() < 0.2:
        return ""
    signed = received - timedelta(days=rng.randint(0, 60))
    if profile == "repair-shop":
        return f"WT{signed:%y%m%d}{rng.randint(1, 60):03d}"
    if profile == "law-firm":
        return f"（{signed.year}）民代字第{rng.randint(1, 400)}号"
    if profile == "bank":
        if rng.random() < 0.5:
            return f"6217****{rng.randint(0, 9999):04d}"
        return f"JK{signed.year}{rng.randint(10**7, 10**8 - 1)}"
    return f"DD{signed:%Y%m%d}{rng.randint(10**5, 10**6 - 1)}"
