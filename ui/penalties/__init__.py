"""The penalty ledger screens (SPEC §7): ledger, proposals, entry detail, month totals, rules."""
from __future__ import annotations

from ui.penalties.view import PenaltiesView

__all__ = ["PenaltiesView"]
