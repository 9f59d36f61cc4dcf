"""The Reports section: the monthly summary on screen and as XLSX (rules.md §8.8)."""
from __future__ import annotations

from ui.reports.view import ReportsView

__all__ = ["ReportsView"]
