"""Sample warranty data for a repair-shop demo firm (rules.md §6): vehicles and their owners,
finished repairs with the three inspections, and warranty claims that walk the complaint path
with their quality memos and decisions.

Everything goes through the real services (``services.warranty``, ``services.complaints``), so
the sample obeys the same rules as typed data; a few hundred rows take a few seconds.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import services.demo.content as text
from models.entities import User
from services import clock, warranty
from services.complaints import path as workflow
from services.errors import StateError
from services.i18n import N_
from services.people import roles_of
from services.warranty import PRESET_TERMS, RepairInput, vin_check_digit

SPAN_DAYS = 400  # repairs were finished over the last year or so
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_WMI = ("LSV", "LFV", "LHG", "LGB", "LVS", "LBV", "LGW")  # Chinese makers: check digit applies
_YEAR_CODES = "DEFGHJKLMNPRS"  # 2013 … 2025
_CLASSES = (("car", 0.86), ("motorcycle", 0.09), ("other", 0.05))
_MAKES = {"car": text.CARS, "motorcycle": ("五羊本田WH125", "豪爵铃木UY125", "雅马哈天剑"),
          "other": ("江淮轻卡", "福田欧马可", "东风多利卡")}
_TYPE_WEIGHTS = {"level1-maintenance": 30, "level2-maintenance": 20, "minor-repair": 25,
                 "parts-repair": 10, "special-repair": 10, "vehicle-overhaul": 2,
                 "assembly-overhaul": 3}
_WORK = {
    "level1-maintenance": ("更换机油、机滤，检查制动、转向及灯光", "机油4L、机油滤清器"),
    "level2-maintenance": ("二级维护：检查调整制动系、转向系、悬架，清洗节气门",
                           "机油、三滤、火花塞"),
    "minor-repair": ("更换前制动片，调整驻车制动", "前制动片一套"),
    "parts-repair": ("修复发电机，更换碳刷及轴承", "发电机碳刷、轴承"),
    "special-repair": ("空调系统检修，更换压缩机及膨胀阀", "空调压缩机、膨胀阀、冷媒"),
    "vehicle-overhaul": ("整车大修：发动机、变速器、底盘全面解体修复", "活塞环、缸垫、离合器片等"),
    "assembly-overhaul": ("发动机总成大修，镗缸磨轴", "活塞、活塞环、曲轴瓦、缸垫"),
}
_CLAIM_TEXTS = ("维修后制动仍有异响，低速时明显", "发动机故障灯亮起，怠速抖动",
                "空调制冷效果差，出风口温度偏高", "更换部位渗油，车库地面有油迹",
                "方向盘不正，高速行驶跑偏")
# What the memo found and the split of responsibility that follows from it (shop %, customer %
# is the rest): a workmanship fault is the shop's; a faulty part is the shop's towards the
# customer (it claims from its supplier); misuse is the customer's.
_FINDINGS = (("经检查，制动片安装时未涂抹消音脂，属维修工艺问题", (100, 100)),
             ("经检查，更换的配件本身存在质量缺陷，由我厂向配件供应商索赔", (100, 100)),
             ("经检查，故障系维修工艺与客户延误送修共同所致", (80, 50)),
             ("经检查，系客户使用不当所致，与本次维修无关", (0, 0)))
_INSPECTORS = ("李军", "张伟", "马帅", "孙海涛", "黄凯")


@dataclass(frozen=True)
class WarrantyDemoSummary:
    vehicles: int
    repairs: int
    claims: int
    reworks: int
    quotes: int
    disputed: int


def _vin(rng: random.Random, built: int) -> str:
    body = (rng.choice(_WMI) + "".join(rng.choice(_VIN_CHARS) for _ in range(5)) + "0"
            + _YEAR_CODES[min(max(built - 2013, 0), len(_YEAR_CODES) - 1)]
            + rng.choice("ABCDEFGH") + f"{rng.randrange(10**6):06d}")
    return body[:8] + vin_check_digit(body) + body[9:]


def _staff() -> dict[str, User]:
    """Who does what in the sample: a receiver, a workshop handler, a manager."""
    people = list(User.select().where(User.active == True).order_by(User.id))  # noqa: E712
    owner = next(u for u in people if "owner" in roles_of(u))

    def first(role: str) -> User:
        return next((u for u in people if role in roles_of(u) and u.id != owner.id), owner)

    return {"receiver": first("receiver"), "handler": first("handler"),
            "manager": first("manager"), "owner": owner}


def _moment(day: date, rng: random.Random, now: datetime) -> datetime:
    at = datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randrange(8 * 60))
    return min(at, now - timedelta(minutes=1))


def _repair(rng: random.Random, vehicle_class: str, day: date, km: int, number: str,
            now: datetime, *, repair_type: str | None = None, free: bool = False) -> RepairInput:
    choices = [t for t in _TYPE_WEIGHTS if (vehicle_class, t) in PRESET_TERMS]
    repair_type = repair_type or rng.choices(choices, [_TYPE_WEIGHTS[t] for t in choices])[0]
    work, parts = _WORK[repair_type]
    final = min(datetime.combine(day, time(16)) + timedelta(minutes=rng.randrange(90)),
                now - timedelta(minutes=1))
    team = final - timedelta(minutes=rng.randrange(20, 90))
    own = team - timedelta(minutes=rng.randrange(10, 60))
    labour = Decimal(0) if free else Decimal(rng.randrange(80, 3000, 10))
    material = Decimal(0) if free else Decimal(rng.randrange(0, 5000, 5))
    return RepairInput(
        repair_type=repair_type, work_done=("返修：" if free else "") + work, parts_used=parts,
        labour_amount=labour, material_amount=material, completed_on=day, completed_km=km,
        certificate_no=number, self_inspector=rng.choice(_INSPECTORS[:3]),
        self_inspected_at=own, team_inspector="孙海涛", team_inspected_at=team,
        final_inspector="黄凯", final_inspected_at=final)


def generate_warranty(*, seed: int = 1, count: int = 40,
                      progress: Callable[[float], None] | None = None) -> WarrantyDemoSummary:
    """Add ``count`` sample vehicles with their repairs and claims to the open repair-shop
    firm (made by ``services.demo.sample``); the same ``seed`` gives the same sample."""
    warranty.ready()  # a repair shop, with its terms and memo rule
    if count < 0:
        raise StateError(N_("The number of vehicles cannot be negative."))
    rng = random.Random(seed)
    staff = _staff()
    now = clock.now()
    serial = 0
    made = {"repairs": 0, "claims": 0, "rework": 0, "quote": 0, "disputed": 0}
    used_plates: set[str] = set()
    for i in range(count):
        vehicle_class = rng.choices([c for c, _w in _CLASSES], [w for _c, w in _CLASSES])[0]
        plate = text.plate(rng)
        while plate in used_plates:
            plate = text.plate(rng)
        used_plates.add(plate)
        saved = warranty.save_vehicle(
            actor=staff["receiver"], plate=plate, vehicle_class=vehicle_class,
            make_model=rng.choice(_MAKES[vehicle_class]), owner_name=text.person_name(rng),
            owner_phone=text.mobile(rng), owner_address=text.address(rng),
            vin=_vin(rng, now.year - rng.randrange(12)) if rng.random() < 0.95 else "")
        day = now.date() - timedelta(days=rng.randrange(30, SPAN_DAYS))
        km = rng.randrange(3000, 150000)
        while day < now.date():
            serial += 1
            data = _repair(rng, vehicle_class, day, km, f"HZ{day:%Y}{serial:05d}", now)
            repair = warranty.record_repair(actor=staff["receiver"],
                                            vehicle_id=saved.vehicle.id, data=data)
            made["repairs"] += 1
            if rng.random() < 0.22:
                serial = _claim(rng, staff, repair, serial, now, made)
            day += timedelta(days=rng.randrange(40, 200))
            km += rng.randrange(2000, 15000)
        if progress is not None:
            progress((i + 1) / max(count, 1))
    return WarrantyDemoSummary(count, made["repairs"], made["claims"], made["rework"],
                               made["quote"], made["disputed"])


def _claim(rng: random.Random, staff: dict[str, User], repair, serial: int, now: datetime,
           made: dict[str, int]) -> int:
    """A claim on ``repair`` that walks the complaint path as far as its age allows."""
    span = max(1, int(repair.term_days * 1.4))
    claim_day = repair.completed_on + timedelta(days=rng.randrange(1, span))
    if claim_day >= now.date():
        return serial
    received = _moment(claim_day, rng, now)
    claim_km = repair.completed_km + int(repair.term_km * rng.uniform(0.05, 1.3))
    with clock.frozen(received):  # registered at the desk the day it was claimed
        result = warranty.register_claim(
            actor=staff["receiver"], repair_id=repair.id, claim_date=claim_day,
            claim_km=claim_km, description=rng.choice(_CLAIM_TEXTS), request="免费返修",
            received_at=received)
    made["claims"] += 1
    cid = result.complaint_id
    steps = iter(received + timedelta(hours=h) for h in (1, 2, 4, 20, 26, 30, 48, 200, 400, 500))

    def act(action: str, who: str, **params) -> bool:
        at = next(steps)
        if at >= now:
            return False
        workflow.act(cid, action, actor=staff[who], at=at, **params)
        return True

    if not (act("acknowledge", "receiver")
            and act("transfer", "receiver", to=staff["handler"].login)
            and act("start_investigation", "handler")):
        return serial
    at = next(steps)
    if at >= now or rng.random() < 0.1:
        return serial  # the memo is still to come (or late): its clock shows it
    findings, shares = rng.choice(_FINDINGS)
    shop = rng.choice(shares)
    warranty.record_memo(actor=staff["handler"], claim_id=result.claim_id,
                         findings=findings, shop_percent=shop,
                         customer_percent=100 - shop,
                         cost_estimate=Decimal(rng.randrange(100, 2000, 10)),
                         delivery_promise="返修后当日交车，另行回访", at=at)
    # free rework only when the claim is in warranty and the shop bears the fault
    in_warranty = result.verdict.in_warranty and shop > 0
    remedy = "rework" if in_warranty else "quote"
    reasons = ("在质量保证期内" if in_warranty
               else "已超出质量保证期" if not result.verdict.in_warranty
               else "故障系使用不当所致，不属于质量保证范围")
    told = ("经检查，故障属于质量保证范围，我厂将为您免费返修，返修后当日交车。" if in_warranty
            else f"经检查，{reasons}，我厂可按报价为您维修，报价单已当面交给您。")
    if not (act("decide", "handler", decision="免费返修" if in_warranty else "按报价维修",
                reasons=reasons, remedy=remedy)
            and act("approve", "manager")
            and act("reply", "receiver", text=told)):
        return serial
    decided_at = next(steps)
    if decided_at >= now:
        return serial
    if in_warranty:
        serial += 1
        day = decided_at.date()
        rework = _repair(rng, repair.vehicle_class, day, claim_km + rng.randrange(0, 30),
                         f"HZ{day:%Y}{serial:05d}", now, repair_type=repair.repair_type,
                         free=True)
        warranty.decide_claim(actor=staff["receiver"], claim_id=result.claim_id,
                              outcome="rework", rework=rework, at=decided_at)
        made["rework"] += 1
    elif rng.random() < 0.75:
        warranty.decide_claim(actor=staff["receiver"], claim_id=result.claim_id,
                              outcome="quote", quote_amount=Decimal(rng.randrange(200, 3000)),
                              at=decided_at)
        made["quote"] += 1
    else:
        warranty.decide_claim(actor=staff["receiver"], claim_id=result.claim_id,
                              outcome="disputed", mediation_outcome="经道路运输管理机构调解，"
                              "双方各承担一半费用", at=decided_at)
        made["disputed"] += 1
    satisfied = rng.random() < 0.85
    if act("record_satisfaction", "receiver", satisfied=satisfied) and satisfied:
        act("archive", "receiver", root_cause="维修工艺")
    return serial
