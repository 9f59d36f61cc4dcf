"""What the command line prints: JSON conversion, text tables and field blocks, error lines,
and the display names of the codes it shows (one place for all of them)."""
from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.i18n import N_, _

# --- display names -------------------------------------------------------------------------

# Labels for what a timeline event records (its data keys), for the human output of `show`.
EVENT_DATA_LABELS = {
    "to_name": N_("To"), "contact": N_("Contact"), "answer": N_("What was said"),
    "decision": N_("Decision"), "reasons": N_("Reasons"), "remedy": N_("Remedy"),
    "amount": N_("Amount"), "responsibility": N_("Responsibility"),
    "firm_share": N_("Firm's share (%)"), "findings": N_("Findings"), "text": N_("Reply"),
    "method": N_("Reply method"), "satisfied": N_("Satisfied"), "route": N_("External route"),
    "outcome": N_("Outcome"), "result": N_("Visit result"), "root_cause": N_("Root cause"),
    "level": N_("Level"), "review_level": N_("Review level"), "attendees": N_("Attendees"),
    "meeting": N_("Meeting"), "changes": N_("Changes"), "new_limit": N_("New limit"),
    "new_due": N_("New due"), "ticket": N_("Ticket"), "channel": N_("Channel"),
}
# Event data keys that `show` leaves out of the text (internal, or shown elsewhere).
EVENT_DATA_HIDDEN = {"to", "from_handler", "year", "clocks", "old_limit", "old_due", "rule",
                     "provisional", "kind", "language", "sha256"}
# Labels for the summary of `demo`.
DEMO_LABELS = {
    "firm_name": N_("Firm name"), "profile": N_("Firm profile"), "complaints": N_("Complaints"),
    "by_state": N_("By state"), "overdue": N_("Overdue"), "extended": N_("Extended"),
    "archived": N_("Archived"), "users": N_("Users"), "password": N_("Password"),
    "seconds": N_("Seconds"), "vehicles": N_("Vehicles"),
    "warranty_claims": N_("Warranty claims"), "penalty_entries": N_("Penalty proposals"),
}


def display_name(names: dict[str, str], code: str) -> str:
    """The translated name of ``code`` in ``names``, or the code itself when it has none."""
    return _(names[code]) if code in names else code


# --- JSON ----------------------------------------------------------------------------------


def json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=json_default))


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- text layout ----------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch)
               else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [_width(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    return "\n".join(lines)


def fields_block(pairs: Sequence[tuple[str, str]]) -> str:
    pairs = [(label, value) for label, value in pairs if value not in ("", None)]
    width = max((_width(label) for label, _v in pairs), default=0)
    return "\n".join(f"{_pad(label + ':', width + 1)} {value}" for label, value in pairs)


def value_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=json_default)
    return str(value)


# --- errors ----------------------------------------------------------------------------------


def fail(message: str) -> None:
    """The one line on stderr that explains a failed command."""
    print(_("error: {message}").format(message=" ".join(str(message).split())), file=sys.stderr)


def progress_printer() -> Callable[[float], None] | None:
    """A percentage on stderr for long work, when a person watches (a terminal); else None."""
    if not sys.stderr.isatty():
        return None

    def progress(fraction: float) -> None:
        sys.stderr.write(f"\r{int(fraction * 100):3d}%")
        if fraction >= 1:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress
