"""The Warranty section of the window (rules.md §6, repair-shop profile)."""
from __future__ import annotations

from ui.warranty.status_panel import WarrantyStatusPanel
from ui.warranty.view import WarrantyView

__all__ = ["WarrantyStatusPanel", "WarrantyView"]
