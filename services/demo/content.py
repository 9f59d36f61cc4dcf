"""Chinese sample texts for the demo data (services.demo): firms, staff, names and complaint topics.

This is data, not user interface: it is never translated. Templates use ``{slots}`` that the
generator fills (``{who}`` the person complained about, ``{car}``, ``{product}``, ``{amount}``
for the decision's sum of money …).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import NamedTuple


class Topic(NamedTuple):
    """One kind of complaint with a coherent story: what happened, what is asked, what the
    investigation found and what was decided (rules.md §3, §4)."""

    description: str
    request: str
    findings: str = "经核实，投诉反映的情况基本属实。"
    decision: str = ""
    reasons: str = "投诉人意见合理，予以采纳。"
    remedy: str = "explanation"  # one of services.profiles.REMEDIES
    amount: tuple[int, int] | None = None  # decision's sum of money, yuan
    responsibility: str = ""
    causes: tuple[str, ...] = ("沟通不到位",)
    firm_share: int | None = None  # rules.md §6 split of responsibility, percent
    answer: str = ""  # what is said when answered on the spot (simple categories)
    major: bool = False  # likely to be a major (重大) complaint
    who: str = ""  # the generic word for {who} when no staff member is named


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

# login, name, roles, department code (services.profiles.DEPARTMENTS). rules.md §2 roles:
# receivers at the front desk, handlers, department heads, a manager, and HR staff.
STAFF: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "repair-shop": (
        ("wangzhiqiang", "王志强", "manager", "front"),  # 副经理
        ("zhaomin", "赵敏", "receiver,head", "front"),  # 客服主任
        ("chenjing", "陈静", "receiver", "front"),  # 总台接待
        ("liuyang", "刘洋", "receiver", "front"),
        ("sunhaitao", "孙海涛", "head", "workshop"),  # 车间主任
        ("lijun", "李军", "handler", "workshop"),
        ("zhangwei", "张伟", "handler", "workshop"),
        ("huangkai", "黄凯", "handler", "workshop"),  # 质检员
        ("mashuai", "马帅", "handler", "workshop"),
        ("xuli", "徐丽", "head", "parts"),
        ("hepeng", "何鹏", "handler", "parts"),
        ("linxiaohong", "林晓红", "manager", "hr"),  # 人事行政部经理
        ("guofang", "郭芳", "handler", "hr"),
        ("tangli", "唐莉", "receiver", "hr"),
    ),
    "law-firm": (
        ("caohong", "曹宏", "manager", "litigation"),  # 分管合伙人
        ("yangfan", "杨帆", "receiver,head", "admin"),  # 行政主管
        ("hanxue", "韩雪", "receiver", "admin"),  # 前台
        ("fengyu", "冯宇", "head", "litigation"),
        ("dengliang", "邓亮", "handler", "litigation"),
        ("xiaoran", "肖然", "handler", "litigation"),
        ("jiangtao", "蒋涛", "handler", "litigation"),
        ("songjia", "宋佳", "head", "non_litigation"),
        ("luwen", "陆文", "handler", "non_litigation"),
        ("yeziqi", "叶子琪", "handler", "non_litigation"),
        ("pandan", "潘丹", "manager", "hr"),
        ("dongli", "董丽", "handler", "hr"),
        ("yuanmei", "袁梅", "receiver", "hr"),
    ),
    "company": (
        ("zhengkai", "郑凯", "manager", "service"),  # 副总经理
        ("yangli", "杨莉", "receiver,head", "service"),  # 客服主任
        ("heyan", "何燕", "receiver", "service"),
        ("luoqian", "罗倩", "receiver", "service"),
        ("zhouhang", "周航", "handler", "service"),
        ("xieming", "谢明", "handler", "service"),
        ("tianyu", "田宇", "head", "sales"),
        ("jiabin", "贾斌", "handler", "sales"),
        ("caijing", "蔡静", "handler", "sales"),
        ("dinglei", "丁磊", "head", "production"),
        ("renjie", "任杰", "handler", "production"),
        ("shenyue", "沈悦", "handler", "production"),
        ("yaoli", "姚丽", "manager", "hr"),  # 人事行政部经理
        ("lushan", "卢珊", "handler", "hr"),
        ("jiangyan", "姜燕", "receiver", "hr"),
    ),
    "bank": (
        ("qinfeng", "秦峰", "manager", "counter"),  # 副行长
        ("fanjing", "范晶", "receiver", "counter"),  # 大堂经理
        ("shiyu", "石雨", "receiver", "counter"),
        ("yinhao", "尹浩", "receiver", "counter"),
        ("wutong", "武彤", "head", "counter"),  # 营业部主管
        ("kongwei", "孔伟", "handler", "counter"),
        ("maoxin", "毛欣", "handler", "counter"),
        ("xiongbo", "熊波", "head", "credit"),
        ("duyu", "杜宇", "handler", "credit"),
        ("wanlin", "万琳", "handler", "credit"),
        ("xuehui", "薛慧", "manager", "hr"),  # 综合部经理
        ("houjie", "侯洁", "handler", "hr"),
        ("leiyun", "雷芸", "receiver", "hr"),
    ),
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

# rules.md §4: the reply tells a repair-shop customer the routes if they disagree.
REPLY_ROUTES = {
    "repair-shop": ("如对处理结果有异议，可向仲裁机构申请仲裁或向人民法院起诉；"
                    "车辆在质量保证期内的，也可申请道路运输管理机构调解。"),
    "law-firm": "如对处理结果有异议，可向司法行政机关或律师协会反映。",
    "company": "如对处理结果有异议，可向消费者协会申请调解或依法维权。",
    "bank": "如对处理结果有异议，可向银行业保险业监督管理机构反映，或依法申请仲裁、提起诉讼。",
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

DESCRIPTION_TAILS = ("", "", "", "投诉人情绪较激动。", "投诉人表示如不解决将向有关部门反映。",
                     "已留存照片和票据复印件。", "投诉人希望尽快得到答复。")

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

_R = "repair-shop"
_L = "law-firm"
_C = "company"
_B = "bank"

TOPICS: dict[tuple[str, str], tuple[Topic, ...]] = {
    (_R, "repair_quality"): (
        Topic("{car}（{plate}）{days}天前在我厂更换前刹车片，回家后踩刹车仍有明显异响，低速时尤其明显。",
              "免费重新检查，彻底排除异响。",
              "复检发现刹车片安装时未涂抹消音膏，卡钳导向销缺少润滑。",
              "免费返工排除刹车异响，并赠送一次制动系统保养。",
              "异响系安装工艺不到位所致，责任在我厂。", "rework", None, "车间维修技师",
              ("操作不规范",), 100),
        Topic("{car}（{plate}）在我厂做完二级维护后第{days}天发动机故障灯亮起，怠速抖动，只能叫拖车。",
              "查明原因并免费修复，承担拖车费用。",
              "检测为点火线圈插头未插到位，属维修作业时遗漏，质检也未发现。",
              "免费修复并报销拖车费{amount}元。", "故障与本次维修作业直接相关。", "compensation",
              (150, 400), "车间维修技师、质检员", ("操作不规范", "质检漏检"), 100),
        Topic("{car}（{plate}）更换空调压缩机后制冷效果仍然很差，出风口温度偏高。",
              "重新检修空调，达不到效果就退还配件费。",
              "复检发现冷媒加注量不足，另有一处管路接头因老化轻微泄漏。",
              "免费补漏并重新加注冷媒，该项目质保期延长三个月。",
              "加注量不足属我厂作业问题；接头泄漏为旧件老化，已一并处理。", "repair", None,
              "车间维修技师", ("操作不规范", "配件质量"), 70),
        Topic("{car}（{plate}）做完四轮定位后方向盘不正，高速行驶时明显跑偏。",
              "重新做四轮定位。", "定位仪录入的车型参数有误。",
              "免费重新定位并调整方向盘中位，交车前路试确认。", "参数录入错误，责任在我厂。",
              "rework", None, "车间维修技师", ("操作不规范",), 100),
        Topic("{car}（{plate}）更换的机油滤清器{days}天后出现渗油，车库地面有油迹。",
              "免费更换并清洗发动机底部。", "滤清器密封圈有压痕，系该批次配件质量问题。",
              "免费更换滤清器及机油，并向配件供应商索赔。", "经鉴定为配件质量问题，我厂先行负责。",
              "repair", None, "配件供应商", ("配件质量",), 100),
        Topic("{car}（{plate}）钣金喷漆后{days}天漆面起泡，颜色与原车有明显色差。",
              "重新喷漆，颜色要与原车一致。", "烤漆房温度控制不当，调色时未做试板比对。",
              "免费重新喷漆并抛光，交车前请客户当面验收。", "喷漆工艺不达标，责任在我厂。",
              "rework", None, "钣喷车间", ("操作不规范", "设备维护不到位"), 100, major=False),
    ),
    (_R, "billing"): (
        Topic("结算单上的工时费比接车时的报价高出{fee}元，事先没有任何人告知。",
              "按报价结算，退还多收的费用。",
              "接待员报价时漏算了拆装保险杠的工时，增项未经客户签字确认。",
              "按原报价结算，退还差价{amount}元。",
              "维修增项须经客户签字确认，未确认的增项不得收费。", "refund", (120, 800),
              "前台接待", ("收费不透明", "沟通不到位")),
        Topic("更换的配件按原厂件收费，拆开包装发现是副厂件。",
              "退还差价并更换原厂件，要求书面说明。", "配件部出库时误将副厂件登记为原厂件。",
              "免费更换原厂配件，退还差价{amount}元并赠送保养券。",
              "配件登记错误，属我厂管理问题。", "refund", (200, 1500), "配件部",
              ("配件管理混乱", "收费不透明"), major=True),
        Topic("结算单中有一项“发动机舱清洗”，我并没有要求做，车也没有洗过。", "取消该项收费。",
              "维修系统套餐默认勾选了该项目，前台结算时未核对。",
              "取消该项收费并退款{amount}元。", "未提供的服务不得收费。", "refund", (80, 300),
              "前台接待", ("收费不透明",)),
        Topic("同样的保养项目，这次比上次贵了{fee}元，前台解释不清楚。", "给出详细的收费明细。",
              "本次使用的机油品牌升级，前台接车时未向客户说明价格差异。",
              "提供详细收费清单并当面解释，赠送一次精洗。", "价格变化有依据，但告知不充分。",
              "explanation", None, "前台接待", ("沟通不到位",)),
        Topic("保险理赔车辆，我自付部分的金额与保险公司定损单对不上。",
              "核对定损金额，多收部分退还。",
              "定损单与维修项目已逐项核对，差额为客户要求加做的项目。",
              "向客户逐项解释差额构成，不予退款。",
              "差额为客户自选加装项目，有客户签字的委托书为证。", "explanation", None, "",
              ("客户误解",), 0),
    ),
    (_R, "attitude"): (
        Topic("到店时{who}态度冷淡，问了几遍都没人理，等了{hours}个小时才开始接车。",
              "要求道歉，并改进接待流程。", "当日客流高峰，接待人员未按规定先登记后分流。",
              "由客服主任当面致歉，当事接待人员停岗培训一天。", "接待服务不符合服务规范。",
              "apology", None, "前台接待", ("服务态度", "人员培训不足")),
        Topic("取车时和{who}沟通维修项目，对方说话很不耐烦，还说“不懂就别问”。",
              "当事人道歉。", "经调取监控录音，当事人确有不当言语。",
              "当事人书面道歉，扣罚当月服务考核分。", "当事人言语不当，违反服务规范。", "apology",
              None, "前台接待", ("服务态度",)),
        Topic("打电话询问车辆修好没有，连续三天被告知“再等等”，没有人主动回电。",
              "明确交车时间，以后主动通知。", "配件到货延迟，接待员未及时告知客户。",
              "向客户致歉，提供代步车直至交车。", "未履行主动告知义务。", "apology", None,
              "前台接待", ("沟通不到位",)),
    ),
    (_R, "product_quality"): (
        Topic("在我厂更换的蓄电池{days}天后就亏电，早上打不着火。", "免费更换新电池。",
              "检测电池内部单格短路，属产品质量问题。", "免费更换同品牌新蓄电池。",
              "三包期内的配件质量问题，由我厂负责更换。", "return", None, "配件供应商",
              ("配件质量",), 100),
        Topic("换的雨刮片用了不到一个月就刮不干净，挡风玻璃上有明显水痕。", "换一副质量好的。",
              "该批次雨刮胶条偏硬。", "免费更换原厂雨刮片。", "配件质量不稳定。", "return", None,
              "配件供应商", ("配件质量",), 100),
        Topic("新换的轮胎行驶不到{km}公里侧面就鼓包了。", "免费更换轮胎。",
              "轮胎侧壁有撞击痕迹，非质量问题；我厂协助向厂家申请三包鉴定。",
              "协助客户向轮胎厂家申请三包，减免更换工时费。",
              "鼓包由外力撞击造成，但我厂出于服务考虑给予协助。", "discount", None, "客户",
              ("客户使用不当", "配件质量"), 30),
    ),
    (_R, "service_quality"): (
        Topic("交车时车内地毯有油污，座椅上有手印，维修时没有使用三件套。", "清洗内饰并道歉。",
              "维修人员作业时未按规定使用座椅套、方向盘套和脚垫。", "免费精洗内饰并致歉。",
              "违反车辆防护作业规范。", "apology", None, "车间维修技师", ("操作不规范",)),
        Topic("约好下午五点交车，实际拖到晚上八点，影响了第二天出行。", "说明原因，给予补偿。",
              "质检排队，接待员未提前通知客户延迟交车。", "赠送一次免费保养并致歉。",
              "延迟交车且未提前告知。", "discount", None, "前台接待",
              ("交付延误", "沟通不到位")),
        Topic("车辆在厂维修期间里程表多了{trip}公里，怀疑被私自开出去。", "查明原因，作出解释。",
              "经查为质检路试所需，路试记录齐全，但事先未告知客户。",
              "向客户出示路试记录并解释，完善路试告知制度。", "路试必要，但告知不到位。",
              "explanation", None, "", ("沟通不到位",)),
    ),
    (_R, "grumble"): (
        Topic("周末来保养排队时间太长，等了{hours}个小时。", "希望增加周末接待人手。",
              answer="已向客户致歉，说明周末客流较大，建议下次电话预约，预约客户优先接车。"),
        Topic("休息区空调太冷，饮水机也没有热水。", "",
              answer="当场调高空调温度并送上热水，已通知行政部检修饮水机。"),
        Topic("停车场车位太少，来了好几次都没地方停。", "希望增加车位。",
              answer="说明厂区车位有限，已为客户安排临时车位，并介绍附近的公共停车场。"),
    ),
    (_R, "suggestion"): (
        Topic("建议在微信上可以查看维修进度，不用每次打电话问。", "",
              answer="感谢建议，已转交管理层研究；目前可联系接待员获取维修进度照片。"),
        Topic("希望休息区增加手机充电插座和无线网络。", "",
              answer="感谢建议，已记录并报行政部落实。"),
        Topic("建议保养到期提醒提前一周发短信。", "",
              answer="感谢建议，已转客服主任调整提醒时间。"),
    ),
    (_L, "service_quality"): (
        Topic("委托{who}代理的{case}案件，开庭前一天才通知我准备证据，时间太仓促。",
              "要求说明情况，必要时更换承办律师。",
              "承办律师工作安排不当，未按约定提前一周通知当事人。",
              "向当事人致歉，增派一名律师协助办理，此后每周通报案件进展。",
              "承办律师未尽及时告知义务。", "apology", None, "承办律师",
              ("沟通不到位", "工作安排不合理")),
        Topic("{who}多次在约定的会面时间迟到，有一次直接没来，也没有提前说明。",
              "道歉并保证以后按时。", "承办律师日程冲突，未提前告知当事人。",
              "承办律师书面致歉，所内予以通报批评。", "违反所内接待当事人的工作规范。",
              "apology", None, "承办律师", ("执业纪律松懈",)),
        Topic("收到的法律意见书错漏较多，连当事人名字都写错了。", "重新出具意见书，退还部分费用。",
              "意见书未经复核即发出。", "重新出具意见书，并免除该项服务费{amount}元。",
              "文书质量未达到本所标准。", "refund", (500, 3000), "承办律师",
              ("质量控制缺失",)),
    ),
    (_L, "fees"): (
        Topic("签约时说好律师费全包，现在又要另收差旅费和复印费共{fee}元。",
              "按合同约定收费，退还额外费用。",
              "委托合同约定差旅费另计，但签约时律师未作重点说明。",
              "差旅费按实际票据结算，复印费予以减免；加强签约时的收费说明。",
              "合同条款明确，但告知不充分。", "discount", None, "承办律师",
              ("收费不透明", "沟通不到位"), 50),
        Topic("{case}案件撤诉后，要求按工作量退还部分律师费被拒。", "按工作量退还部分律师费。",
              "律师已完成起诉、证据交换等主要工作。", "按已完成工作量结算，退还{amount}元。",
              "按委托合同约定的分阶段收费标准计算。", "refund", (2000, 15000), "",
              ("收费不透明",)),
        Topic("风险代理的收费比例与签约时律师的口头承诺不一致。", "按口头承诺的比例收费。",
              "合同约定的比例经当事人签字确认，口头承诺无证据。",
              "按合同执行，由分管合伙人向当事人当面解释。", "以书面合同为准。", "explanation",
              None, "", ("客户误解", "沟通不到位"), 0),
    ),
    (_L, "conduct"): (
        Topic("{who}在庭审中准备不充分，对方提交的证据都没有发表质证意见。",
              "更换律师，赔偿损失。", "调阅庭审笔录，承办律师的质证意见确有遗漏。",
              "更换承办律师，减免后续代理费{amount}元，对原承办律师予以内部处分。",
              "承办律师未尽勤勉义务。", "discount", (3000, 20000), "承办律师",
              ("执业能力不足", "质量控制缺失"), major=True),
        Topic("怀疑{who}同时为对方当事人的关联公司提供服务，存在利益冲突。",
              "查明是否存在利益冲突，给出书面答复。",
              "经利益冲突检索，对方关联公司曾为本所顾问单位，但已于两年前解除。",
              "书面答复当事人利益冲突审查结果：不存在现实利益冲突。", "审查记录完整，结论明确。",
              "explanation", None, "", ("沟通不到位",)),
        Topic("{who}私下向我收取“办案费”{fee}元，没有开具发票。", "退还费用并处理当事律师。",
              "经调查情况属实，系律师私自收费。",
              "全额退还私收费用{amount}元，对该律师停止执业活动并报律师协会。",
              "违反律师执业纪律，私自收费。", "refund", (2000, 10000), "承办律师",
              ("执业纪律松懈",), major=True),
    ),
    (_L, "communication"): (
        Topic("委托后两个多月没有任何消息，{who}电话不接、微信不回。", "要求律师及时告知案件进展。",
              "承办律师同时办理多起案件，未按约定定期通报进展。",
              "承办律师当面汇报案件进展，此后每两周书面通报一次。", "未履行定期告知义务。",
              "apology", None, "承办律师", ("沟通不到位",)),
        Topic("{case}案件法院已经开过庭了，我是看到法院短信才知道的，律师事先没有告诉我。",
              "说明为什么没有告知。", "助理漏发开庭通知，承办律师未核实。",
              "向当事人致歉，完善开庭通知双人核对制度。", "开庭通知流程存在漏洞。", "apology",
              None, "承办律师", ("沟通不到位", "工作安排不合理")),
        Topic("多次要求查阅案卷材料，{who}一直以“在忙”推脱。", "安排查阅案卷。",
              "承办律师未及时安排。", "三日内安排查阅并提供复印件。", "当事人有权查阅案卷材料。",
              "explanation", None, "承办律师", ("服务意识不足",)),
    ),
    (_L, "grumble"): (
        Topic("到律所咨询时等候时间过长，前台没有主动安排。", "",
              answer="当场致歉，已安排律师接待，并告知以后可以电话预约。"),
        Topic("律所电话经常占线，打了好几次才接通。", "",
              answer="致歉并提供承办律师的直线电话和助理手机号。"),
    ),
    (_L, "suggestion"): (
        Topic("建议律所定期以书面形式把案件进展发给当事人。", "",
              answer="感谢建议，已转交主任研究，近期将推行案件进度月报。"),
        Topic("希望可以通过微信预约咨询时间。", "", answer="感谢建议，已转行政部研究开通。"),
    ),
    (_C, "product_quality"): (
        Topic("购买的{product}使用{days}天后无法开机，指示灯不亮。", "更换新机。",
              "检测为主板电源模块故障，属产品质量问题。", "按三包规定免费更换新机。",
              "三包期内出现性能故障。", "return", None, "生产部", ("产品质量", "来料检验不严"),
              100),
        Topic("{product}使用时有焦糊味，外壳发烫，家里有小孩很担心安全。", "退货退款。",
              "检测发现温控器失灵，同批次产品存在同样隐患。",
              "办理退货并全额退款{amount}元，该批次产品下架排查。", "存在安全隐患的质量问题。",
              "refund", (199, 899), "生产部", ("产品质量",), 100, major=True),
        Topic("{product}噪音很大，和宣传的“静音”不符。", "换货或退货。",
              "测试噪音值在国家标准范围内，但高于同类型号。", "同意换成静音款，差价减半。",
              "产品合格，但宣传用语易引起误解。", "discount", None, "销售部",
              ("宣传不准确", "客户期望偏高"), 50),
    ),
    (_C, "packaging"): (
        Topic("收到的{product}外包装严重破损，机身有划痕。", "换新机。",
              "物流运输中挤压所致，包装缓冲材料不足。",
              "免费换新，向物流公司索赔，并改进包装内衬。", "包装防护不足。", "return", None,
              "生产部", ("包装设计缺陷", "物流管理")),
        Topic("包装盒里少了配件，说明书也没有。", "补发配件和说明书。",
              "装箱工位漏装，出厂检验未发现。", "48小时内补发配件并致歉。",
              "装箱漏装，属我司责任。", "apology", None, "生产部", ("操作不规范", "质检漏检")),
        Topic("外包装上印的功率参数和机身铭牌不一致。", "说明以哪个为准。",
              "包装印刷使用了旧版文件。", "书面说明以铭牌为准，包装文件已更新。",
              "包装文件版本管理疏漏。", "explanation", None, "生产部", ("文件管理",)),
    ),
    (_C, "service_quality"): (
        Topic("{who}答应三天内上门维修，结果一周了都没人来。", "尽快上门，给个说法。",
              "派单系统漏派，客服未跟踪。", "次日上门维修，赠送延保一年。", "服务承诺未兑现。",
              "repair", None, "客服部", ("流程衔接不畅", "沟通不到位")),
        Topic("客服电话里{who}态度很差，问题还没说完就挂断了电话。", "道歉。",
              "通话录音显示客服在客户未说完时结束通话。", "当事客服致歉，纳入月度考核。",
              "违反客服服务规范。", "apology", None, "客服部", ("服务态度",)),
        Topic("上门安装的师傅额外收取{fee}元材料费，事先没有说。", "退还材料费。",
              "安装师傅违规收费。", "全额退还{amount}元，并对安装师傅处罚。",
              "安装服务不得额外收费。", "refund", (50, 300), "客服部",
              ("收费不透明", "服务规范执行不到位")),
    ),
    (_C, "grumble"): (
        Topic("客服电话等待时间太长，转了三次才接通人工。", "",
              answer="致歉并说明高峰时段可使用微信公众号在线客服。"),
        Topic("门店营业员推销太热情，让人反感。", "",
              answer="致歉，已提醒门店注意服务分寸。"),
        Topic("送货师傅没有提前电话联系，家里没人只能改约。", "",
              answer="致歉并重新约定送货时间，已提醒物流提前联系。"),
    ),
    (_C, "suggestion"): (
        Topic("建议说明书多一些图示，老人看不懂文字。", "",
              answer="感谢建议，已转产品部门改进说明书。"),
        Topic("希望官网能查询维修进度。", "", answer="感谢建议，已记录并转信息部门研究。"),
    ),
    (_B, "business"): (
        Topic("办理转账时柜员操作失误，把{fee}元转到了别人账户。", "尽快追回资金，赔偿损失。",
              "柜员录入收款账号时输错一位，已联系对方银行冻结。",
              "已追回全部资金退回客户账户，赔偿利息损失{amount}元并致歉。",
              "柜员操作失误，责任在我行。", "compensation", (50, 300), "营业部柜员",
              ("操作不规范",), major=True),
        Topic("申请房贷等了{days}天还没有结果，客户经理的说法前后不一致。", "明确审批进度。",
              "补件通知未送达客户，客户经理未跟进。",
              "三个工作日内给出审批结果，客户经理书面致歉。", "告知不及时。", "apology", None,
              "信贷部", ("沟通不到位", "流程衔接不畅")),
        Topic("银行卡被无故冻结，到柜台也说不清原因。", "解冻并说明原因。",
              "系统风控规则触发，需客户补充身份核验资料。",
              "协助客户完成身份核验并解冻，说明相关风控规定。", "按规定实施风控，但解释不到位。",
              "explanation", None, "", ("客户误解", "告知不充分")),
        Topic("理财产品到期收益低于客户经理口头承诺的收益。", "按承诺收益补足。",
              "产品说明书载明为业绩比较基准，非保本承诺；客户经理销售时表述不规范。",
              "向客户解释产品风险，对客户经理的不规范销售行为予以处理。",
              "收益以产品合同为准，销售行为另行处理。", "explanation", None, "理财经理",
              ("销售不规范", "客户误解"), 20),
    ),
    (_B, "fees"): (
        Topic("账户被扣了{fee}元管理费，之前没有任何通知。", "退还管理费。",
              "小额账户管理费按规定收取，但短信提醒未发送成功。",
              "退还本次管理费{amount}元，今后按规定提前告知。", "告知义务未履行到位。",
              "refund", (10, 60), "营业部", ("收费不透明", "告知不充分")),
        Topic("提前还款被收了违约金，签合同时没有人说明。", "免除违约金。",
              "合同条款已载明，签约时已作提示。", "违约金按合同减半收取。",
              "合同约定有效，出于客户关系考虑予以减免。", "discount", None, "信贷部",
              ("客户误解",)),
        Topic("跨行转账手续费比网点公示的标准高。", "说明并退还差额。",
              "网点公示牌未及时更新收费标准。", "退还差额{amount}元，立即更新公示。",
              "公示与实际收费不一致。", "refund", (5, 50), "营业部", ("收费不透明",)),
    ),
    (_B, "service_quality"): (
        Topic("{who}办理业务时一直在看手机，还让我多等了很久。", "道歉。",
              "调阅监控，情况属实。", "当事员工致歉，纳入服务考核。", "违反柜面服务规范。",
              "apology", None, "营业部", ("服务态度",)),
        Topic("大堂经理推销保险，我拒绝后对方态度明显变差。", "道歉，不要再推销。",
              "大堂经理营销方式不当。", "当事人致歉，加强营销行为管理。", "违反营销行为规范。",
              "apology", None, "营业部", ("销售不规范", "服务态度")),
        Topic("办理挂失等了{hours}个小时，窗口开得太少。", "改进窗口安排。",
              "当日两名柜员请假，未及时调配人手。", "致歉并优化高峰时段弹性排班。",
              "人手调配不及时。", "apology", None, "营业部", ("人员调配不当",)),
    ),
    (_B, "product_quality"): (
        Topic("信用卡芯片失效，刷卡总提示读卡失败。", "免费补卡。", "卡片芯片损坏。",
              "免费补发新卡并加急寄送。", "卡片质量问题。", "return", None, "",
              ("产品质量",)),
        Topic("U盾经常无法识别，影响对公付款。", "更换U盾。", "U盾驱动与新系统不兼容。",
              "免费更换新版U盾并上门安装驱动。", "设备兼容性问题。", "return", None, "",
              ("产品质量",)),
    ),
    (_B, "grumble"): (
        Topic("排队时间太长，只开了两个窗口。", "",
              answer="当场致歉，已安排大堂经理引导使用自助设备，并增开一个窗口。"),
        Topic("叫号系统声音太小，听不清叫号。", "", answer="致歉并当场调大叫号音量。"),
    ),
    (_B, "suggestion"): (
        Topic("建议增设老年人专用窗口。", "", answer="感谢建议，已报支行研究。"),
        Topic("手机银行字体太小，希望有大字版。", "",
              answer="感谢建议，已向总行反馈，目前可开启关怀模式。"),
    ),
}

# Shared by every profile; used when a category has no topic of its own.
GENERAL_TOPICS: dict[str, tuple[Topic, ...]] = {
    "grumble": (
        Topic("等候时间太长，也没有人解释原因。", "",
              answer="当场致歉并说明原因，已优先安排办理。"),
        Topic("接待区环境嘈杂，没有地方坐。", "", answer="致歉，已安排座位并转行政部改进。"),
    ),
    "suggestion": (
        Topic("建议增加线上预约和进度查询。", "", answer="感谢建议，已转管理层研究。"),
    ),
    "product_quality": (
        Topic("购买的产品使用{days}天就出现故障。", "免费维修或更换。", "检测确认为质量问题。",
              "免费更换。", "三包期内的质量问题。", "return", None, "", ("产品质量",), 100),
    ),
    "packaging": (
        Topic("收到的货品外包装破损。", "更换。", "运输挤压造成。", "免费更换并改进包装。",
              "包装防护不足。", "return", None, "", ("包装设计缺陷",)),
    ),
    "service_quality": (
        Topic("{who}服务态度差，办事拖拉。", "道歉并改进。", "情况基本属实。",
              "当事人致歉，加强培训。", "服务不符合规范。", "apology", None, "", ("服务态度",)),
    ),
}
GENERIC_TOPICS = (
    Topic("对办理过程不满意，认为处理时间过长、没有人主动说明进度。", "尽快处理并说明原因。",
          "经核实，办理过程中存在衔接不畅的问题。", "向投诉人说明情况并致歉，优化办理流程。",
          "流程衔接存在问题。", "apology", None, "", ("流程衔接不畅", "沟通不到位")),
    Topic("认为收费与事先告知的不一致。", "说明收费依据，多收部分退还。", "收费告知不够清楚。",
          "向投诉人说明收费依据，退还差额{amount}元。", "告知不充分。", "refund", (20, 500), "",
          ("收费不透明",)),
)

EMPLOYEE_TOPICS: dict[str, tuple[Topic, ...]] = {
    "work_conditions": (
        Topic("{dept}夏天空调不制冷，室内温度超过三十度，影响工作。",
              "尽快维修空调，先发放防暑用品。", "空调压缩机故障，报修后行政部未跟进。",
              "一周内更换空调，先行发放防暑降温用品。", "工作环境不符合劳动保护要求。", "repair",
              None, "人事行政部", ("设施维护不到位",)),
        Topic("{dept}照明不足，加班时看不清，已经反映过两次没人管。", "更换照明设备。",
              "灯具老化，报修单未及时处理。", "三日内更换全部灯具，建立报修跟踪制度。",
              "设施报修流程不畅。", "repair", None, "人事行政部", ("设施维护不到位",)),
        Topic("员工休息室太小，午饭时间大家只能在工位上吃饭。", "增加休息和就餐区域。",
              "休息室面积确实不足。", "调整会议室作为午间就餐区。", "员工意见合理。", "none",
              None, "", ("后勤管理",)),
    ),
    "pay_benefits": (
        Topic("{month}月工资条显示加班费计算有误，少算了{hours}小时加班。", "核实后补发加班费。",
              "考勤系统未导入周末加班记录。",
              "下月工资中补发加班费{amount}元，并修正考勤导入流程。", "加班事实有打卡记录为证。",
              "compensation", (200, 1200), "人事行政部", ("考勤管理疏漏",)),
        Topic("社保按最低基数缴纳，与实际工资不符。", "按实际工资补缴社保。",
              "入职时按试用期工资申报基数，转正后未调整。",
              "自下月起按实际工资调整缴费基数，并补缴差额。", "缴费基数应按实际工资申报。",
              "compensation", None, "人事行政部", ("制度执行不到位",), major=True),
        Topic("年休假申请被主管以“忙”为由多次驳回。", "安排年休假。",
              "部门人手紧张，但年休假应予保障。", "与主管协调，本季度内安排休假。",
              "年休假是员工的法定权利。", "explanation", None, "部门主管", ("管理方式",)),
    ),
    "management": (
        Topic("{who}在例会上当众批评员工，言语带有侮辱性。", "要求主管道歉。",
              "多名员工证实情况属实。", "主管向当事员工当面道歉，公司对主管进行诫勉谈话。",
              "管理方式粗暴，违反员工行为规范。", "apology", None, "部门主管",
              ("管理方式粗暴",), who="部门主管"),
        Topic("排班不公平，节假日总是安排同几个人值班。", "公开排班规则，轮流值班。",
              "排班由主管个人决定，没有书面规则。", "制定轮班规则并公示。", "排班缺少公开规则。",
              "explanation", None, "部门主管", ("制度不健全",)),
        Topic("绩效考核扣分没有说明依据，扣分理由不清楚。", "公开考核依据并复核。",
              "考核记录不完整。", "人事行政部复核考核结果，向员工说明评分依据。",
              "考核依据应当公开。", "explanation", None, "部门主管", ("考核制度不透明",)),
    ),
    "colleagues": (
        Topic("{who}经常把自己的工作推给我，还在领导面前抢功。", "明确岗位分工。",
              "岗位职责划分不清。", "部门主管明确岗位分工，并与双方谈话。", "岗位职责需书面明确。",
              "explanation", None, "", ("岗位职责不清",), who="个别同事"),
        Topic("{who}在工作群里发表针对我的不当言论。", "要求对方道歉。", "聊天记录证实情况属实。",
              "对方在群内致歉，人事行政部进行提醒谈话。", "言论不当，影响团结。", "apology",
              None, "", ("沟通不到位",), who="个别同事"),
    ),
    "employee_other": (
        Topic("员工食堂饭菜质量下降，价格却上涨了。", "改善伙食。", "供餐单位更换食材供应商。",
              "更换供餐单位，价格维持不变。", "员工意见合理。", "none", None, "",
              ("后勤管理",)),
        Topic("通勤班车经常晚点，导致员工迟到被扣钱。", "班车准点，取消迟到扣款。",
              "班车线路调整后时间未重新核定。", "调整班车发车时间，班车晚点造成的迟到不予扣款。",
              "迟到系班车原因。", "compensation", None, "人事行政部", ("后勤管理",)),
    ),
}
EMPLOYEE_GENERIC = (
    Topic("对公司的一项内部管理规定有意见，认为执行不公平。", "复核规定并公开说明。",
          "规定执行存在差异。", "人事行政部复核并统一执行标准。", "应统一执行标准。",
          "explanation", None, "", ("制度执行不到位",)),
)


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
