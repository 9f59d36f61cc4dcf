"""The penalty ledger screens (rules.md §7): ledger, proposals, entry, month totals, rules."""
from __future__ import annotations

from ui.penalties.view import PenaltiesView

__all__ = ["PenaltiesView"]
