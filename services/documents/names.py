"""The documents' names: for menus and the timeline (msgids; show them with _()), and the file
names they are saved under, in the document's language (docs/rules.md §8)."""
from __future__ import annotations

import re

from services.i18n import N_, _, language, normalize

KIND_NAMES = {
    "receipt": N_("Acknowledgement receipt"),
    "transfer_slip": N_("Transfer slip"),
    "reply": N_("Written reply"),
    "extension_notice": N_("Extension notice"),
    "memo": N_("Quality complaint memo"),
    "warranty_claim": N_("Warranty claim form"),
    "warranty_card": N_("Repair warranty card"),
}

# Every document a file is saved of: its name in a Chinese file name (the document's title,
# a msgid) and in an English one.
FILE_NAMES = {
    **{kind: (title, kind.replace("_", "-")) for kind, title in KIND_NAMES.items()},
    "transfer_slip": (N_("Customer complaint transfer slip"), "transfer-slip"),
    "penalty_notice": (N_("Penalty notice"), "penalty-notice"),
    "month_ledger": (N_("Penalty ledger (monthly)"), "penalty-ledger"),
    "monthly_summary": (N_("Monthly complaint summary"), "monthly-summary"),
    "yearly_register": (N_("Yearly complaint register"), "yearly-register"),
    "half_year_report": (N_("Half-year complaint statistics report"), "half-year-report"),
    "weekly_statistics": (N_("Weekly classification statistics"), "weekly-statistics"),
}

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(kind: str, key, lang: str) -> str:
    """The file a document is saved as, in its language: "261203002-书面答复.pdf",
    "261203002-reply.pdf", "2026-11-月度投诉汇总.pdf"; ``key`` is what tells it apart (a
    ticket, an entry no., a month, a year, a week). Characters no file system takes become
    "-"."""
    title, english = FILE_NAMES.get(kind, (kind, kind.replace("_", "-")))
    lang = normalize(lang)
    if lang == "zh_CN":
        with language(lang):
            name = _(title)
        # "奖惩台账（月度）": the bracketed part is the title's, not the file's.
        name = re.sub(r"[（(].*?[）)]", "", name).strip() or name
    else:
        name = english
    stem = "-".join(x for x in (str(key or "").strip(), name) if x)
    return _UNSAFE.sub("-", stem).strip("-") + ".pdf"
