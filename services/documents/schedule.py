"""The owner's scheduled monthly summary: on a day of the month, the previous month's summary
is produced as PDF into a folder.

The schedule is a firm setting shared by every PC. Whichever PC runs ComplaintDesk first on
or after that day produces it (the window checks on start and every hour; offices that
want it without anyone logged in run ``python main.py report run-scheduled`` from the
Windows Task Scheduler). Each month is produced once: the months done are recorded in the
same transaction that claims them, so two PCs never both write it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.db import database
from models.entities import Setting
from services import clock
from services.documents.monthly_summary import render_monthly_summary
from services.errors import ValidationError
from services.i18n import N_, normalize
from services.people import require_role

KEY = "monthly_report_schedule"
DONE_KEY = "monthly_report_done"


@dataclass(frozen=True)
class Schedule:
    enabled: bool
    day: int  # 1-28: every month has it
    folder: str
    language: str


def get_schedule() -> Schedule:
    row = Setting.get_or_none(Setting.key == KEY)
    v = row.value if row else {}
    return Schedule(bool(v.get("enabled", False)), int(v.get("day", 1)), v.get("folder", ""),
                    v.get("language", "zh_CN"))


def set_schedule(*, actor, enabled: bool, day: int, folder: str, language: str) -> Schedule:
    require_role(actor, "owner")
    try:
        day = int(day)
    except (TypeError, ValueError):
        raise ValidationError(N_("The day must be a number from 1 to 28."), field="day") from None
    if not 1 <= day <= 28:
        raise ValidationError(N_("The day must be a number from 1 to 28."), field="day")
    folder = (folder or "").strip()
    if enabled and not folder:
        raise ValidationError(N_("Choose the folder the summaries are saved in."),
                              field="folder")
    try:
        language = normalize(language)
    except ValueError:
        raise ValidationError(N_("Unknown language: {lang}."), field="language",
                              lang=language) from None
    value = {"enabled": bool(enabled), "day": day, "folder": folder, "language": language}
    with database.atomic():
        (Setting.insert(key=KEY, value=value)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())
    return get_schedule()


def _previous_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def due_month(now: datetime | None = None) -> str | None:
    """The month whose summary is due now and not yet produced, or None."""
    s = get_schedule()
    now = now or clock.now()
    if not s.enabled or now.day < s.day:
        return None
    month = _previous_month(now.date())
    done = Setting.get_or_none(Setting.key == DONE_KEY)
    return None if done and month in (done.value or []) else month


def run_due(*, actor, now: datetime | None = None) -> Path | None:
    """Produce the due month's summary into the schedule's folder; None if nothing is due.
    The month is claimed before rendering, inside one transaction with the write, so a
    failure leaves it due and a second PC finds it done."""
    month = due_month(now)
    if month is None:
        return None
    s = get_schedule()
    with database.atomic():
        row = Setting.get_or_none(Setting.key == DONE_KEY)
        done = list(row.value or []) if row else []
        if month in done:  # another PC was quicker
            return None
        pdf = render_monthly_summary(month, actor=actor, lang=s.language)
        folder = Path(s.folder)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"monthly-summary-{month}-{s.language}.pdf"
        target.write_bytes(pdf)
        done.append(month)
        (Setting.insert(key=DONE_KEY, value=done)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: done}).execute())
    return target
