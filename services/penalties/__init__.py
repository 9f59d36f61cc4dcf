"""The penalty ledger (奖惩台账): proposals, approval, reversal, month totals, payroll export.

One import for callers (``from services import penalties``); the parts:
- ``rules``: the firm's reward-and-penalty rules, presets per profile, amount checks
  (editing them: ``services.penalties.rules``);
- ``ledger``: reading: the lazy list, one entry, month totals;
- ``proposals``: what is proposed when a limit is missed, approval, rejection, reversal;
- ``export``: a month as .csv/.xlsx for payroll.

The ledger reacts to the complaint path through ``services.hooks`` (docs/design.md): a
recorded step may propose entries (a limit missed; a "link" step naming an earlier complaint
this one repeats or skips a level over), and a new firm gets its profile's preset rules.
"""
from __future__ import annotations

from services import hooks
from services.changes import Changes
from services.penalties import rules
from services.penalties.export import ExportResult, export_month
from services.penalties.ledger import (
    COUNTED,
    OWNER_DECIDES,
    STATUS_NAMES,
    STATUSES,
    ClockInfo,
    DepartmentTotal,
    EntryDetail,
    FilterChoices,
    LedgerFilter,
    LedgerRow,
    MonthTotals,
    PersonTotal,
    StatusChange,
    clean_month,
    count,
    entry_detail,
    filter_choices,
    ids,
    ledger,
    may_decide,
    may_deduct,
    month_entries,
    month_of,
    month_totals,
    page_after,
    page_at,
    page_before,
    pending_count,
    rows,
)
from services.penalties.proposals import (
    ChangeResult,
    ScanResult,
    approve,
    mark_deducted,
    on_event,
    propose,
    reject,
    reverse,
    scan_overdue,
)
from services.penalties.rules import (
    APPLIES_TO,
    APPLIES_TO_NAMES,
    CONDITION_NAMES,
    CONDITIONS,
    TRIGGER_NAMES,
    TRIGGERS,
    codes,
    ensure_rules,
    seed_rules,
)


def _seed_presets(firm, now) -> None:
    seed_rules(firm.profile)  # rules.md "penalties": a new firm's preset rules apply at once


def _propose_for_step(complaint, event) -> Changes:
    """A step met a limit late (or closed it by a late extension), or linked this complaint to
    an earlier one as its repeat or skip-level complaint: propose entries."""
    return Changes(ledger=bool(on_event(complaint, event)))


hooks.event_recorded.subscribe(_propose_for_step)
hooks.firm_created.subscribe(_seed_presets)
