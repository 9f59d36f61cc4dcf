"""Which spreadsheet column holds which part of a complaint: the fields an import can fill,
the header words (Chinese and English) each is guessed from, and turning one cell into the
value ComplaintInput wants. Pure: no database (docs/design.md, Data in and out)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from services.errors import ValidationError, tr_param
from services.i18n import N_

# The fields a column can be mapped to, in the order the mapping step shows them.
# "" leaves a column out. The first nine are the ones the brief's registers carry.
FIELD_NAMES = {
    "original_no": N_("Original number"),
    "received_at": N_("Received at"),
    "complainant_name": N_("Complainant"),
    "complainant_phone": N_("Phone"),
    "category": N_("Category"),
    "description": N_("What happened"),
    "request": N_("Request"),
    "result": N_("Outcome so far"),
    "status": N_("Status in the old register"),
    "kind": N_("Kind"),
    "channel": N_("Channel"),
    "severity": N_("Severity"),
    "complainant_address": N_("Address"),
    "complainant_email": N_("E-mail"),
    "contract_no": N_("Contract / order no."),
    "occurred_at": N_("Happened at"),
    "location": N_("Place"),
    "respondent_text": N_("Respondent"),
    "remarks": N_("Remarks"),
}
FIELDS = tuple(FIELD_NAMES)
# Fields kept on the registration's note rather than in a ComplaintInput field.
NOTE_FIELDS = ("result", "status", "remarks")

# Header words, normalized (see _norm); an exact match wins over a header that contains one.
_HEADERS = {
    "original_no": ("单号", "投诉单号", "原单号", "编号", "投诉编号", "工单号", "ticket",
                    "ticketno", "no", "number", "originalnumber", "originalno", "ref"),
    "received_at": ("受理时间", "投诉时间", "登记时间", "受理日期", "投诉日期", "登记日期", "日期",
                    "时间", "received", "receivedat", "date", "datereceived"),
    "complainant_name": ("投诉人", "投诉人姓名", "客户", "客户姓名", "姓名", "complainant", "name",
                         "customer"),
    "complainant_phone": ("电话", "联系电话", "手机", "手机号", "联系方式", "phone", "tel",
                          "telephone", "mobile"),
    "category": ("类别", "投诉类别", "分类", "投诉分类", "投诉类型", "category"),
    "description": ("事情经过", "投诉内容", "经过", "内容", "问题描述", "投诉事项", "whathappened",
                    "description", "details"),
    "request": ("诉求", "客户诉求", "要求", "request", "demand"),
    "result": ("处理结果", "处理情况", "处理意见", "结果", "result", "outcome", "outcomesofar",
               "resolution"),
    "status": ("状态", "处理状态", "status", "state", "statusintheoldregister"),
    "kind": ("内外部", "投诉性质", "kind"),
    "channel": ("渠道", "投诉渠道", "来源", "投诉方式", "channel", "source"),
    "severity": ("严重程度", "等级", "严重性", "severity"),
    "complainant_address": ("地址", "联系地址", "address"),
    "complainant_email": ("邮箱", "电子邮件", "email", "e-mail"),
    "contract_no": ("合同号", "订单号", "合同/订单号", "合同编号", "contract", "contractno",
                    "contract/orderno", "order"),
    "occurred_at": ("发生时间", "发生日期", "happenedat", "occurred", "occurredat"),
    "location": ("地点", "发生地点", "place", "location"),
    "respondent_text": ("被投诉人", "被投诉对象", "被投诉部门", "respondent"),
    "remarks": ("备注", "remarks", "remark", "note", "notes"),
}


def _norm(header) -> str:
    text = "" if header is None else str(header)
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # "电话（手机）" → "电话"
    return re.sub(r"[\s:：_.*]+", "", text).lower()


def guess_mapping(headers, extra: dict[str, str] | None = None) -> dict[int, str]:
    """Column index → field, from the header words; each field at most once. ``extra`` adds
    header texts (e.g. the translated field names of an export) for fields."""
    words = {f: {_norm(w) for w in ws} for f, ws in _HEADERS.items()}
    for text, f in (extra or {}).items():
        words.setdefault(f, set()).add(_norm(text))
    normalized = [_norm(h) for h in headers]
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for i, h in enumerate(normalized):
            if not h or i in mapping:
                continue
            for f in FIELDS:
                if f in taken:
                    continue
                hit = h in words[f] if exact else any(
                    len(w) >= 2 and not w.isascii() and w in h for w in words[f])
                if hit:
                    mapping[i] = f
                    taken.add(f)
                    break
    return mapping


# --- cells ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_of(value) -> str:
    """A cell as text: whole numbers without ".0", dates in ISO, the export's guard quote off."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_START:  # escaped by an export
        text = text[1:]
    return text


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                 "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M",
                 "%Y.%m.%d", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M",
                 "%Y年%m月%d日 %H时%M分", "%Y年%m月%d日")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def moment_of(value, *, field: str) -> datetime | None:
    """A cell as a wall-clock moment (a day alone is taken at 00:00); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return (_EXCEL_EPOCH + timedelta(days=float(value))).replace(microsecond=0)
    text = re.sub(r"\s+", " ", str(value).strip())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValidationError(N_("{value} is not a date (use e.g. 2026-03-05 14:30)."), field=field,
                          value=text)


_KINDS = {"customer": ("customer", "客户", "外部", "客户投诉", "external"),
          "employee": ("employee", "员工", "内部", "员工投诉", "internal")}
_CHANNELS = {
    "phone": ("phone", "电话", "来电", "热线"),
    "walk_in": ("walk_in", "walk-in", "上门", "来访", "现场", "当面"),
    "letter": ("letter", "书面", "信件", "来信", "信函"),
    "online": ("online", "e-mail / online", "email", "e-mail", "网络", "网上", "邮件", "电子邮件",
               "在线", "微信", "网站"),
    "authority": ("authority", "forwarded by an authority", "转办", "主管部门", "上级转办",
                  "监管转办", "司法行政机关", "律师协会", "监管部门"),
    "media": ("media", "media / internet", "媒体", "网络媒体", "舆情"),
}
_SEVERITIES = {"normal": ("normal", "一般", "普通", "正常"), "major": ("major", "重大", "严重")}


def _choice(value, table: dict, default: str, *, field: str, label: str) -> str:
    text = text_of(value).strip().lower()
    if not text:
        return default
    for code, words in table.items():
        if text in words:
            return code
    raise ValidationError(N_("{label}: unknown choice {value}."), field=field,
                          label=tr_param(label), value=text_of(value))


def kind_of(value) -> str:
    return _choice(value, _KINDS, "customer", field="kind", label=N_("Kind"))


def channel_of(value) -> str:
    # An old register without a channel column: the complaints are taken as phoned in.
    return _choice(value, _CHANNELS, "phone", field="channel", label=N_("Channel"))


def severity_of(value) -> str:
    return _choice(value, _SEVERITIES, "normal", field="severity", label=N_("Severity"))
