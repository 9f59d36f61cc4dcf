"""The Reports section: the monthly summary on screen and as XLSX (SPEC §8.8, issue 6)."""
from __future__ import annotations

from ui.reports.view import ReportsView

__all__ = ["ReportsView"]
