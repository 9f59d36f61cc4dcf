"""The owners' reports: the figures behind the Reports screen, its spreadsheet and the printed
summaries (docs/rules.md §8.8–§8.9). No rendering here: services.documents prints them.

One import for callers (``from services import reports``); the parts:
- ``summary``: the monthly summary against the month before, its tables, the .xlsx export;
- ``figures``: the grouped SQL behind it;
- ``register``: the yearly register's lines;
- ``half_year``: the bank profile's half-year totals (customer complaints), summed from the
  monthly summaries, and the reminder of the report due next (30 January, 30 July);
- ``weekly``: the weekly classification statistics (received per category, week on week).
"""
from __future__ import annotations

from services.reports.half_year import (
    DUE_SOON_DAYS,
    HalfYear,
    HalfYearDue,
    describe_due,
    filing_date,
    half_year_due,
    half_year_totals,
    mark_half_year_filed,
)
from services.reports.register import (
    RegisterLine,
    RegisterTotals,
    YearlyRegister,
    register_chunks,
    register_totals,
    yearly_register,
)
from services.reports.summary import (
    COUNT_COLUMNS,
    COUNT_TABLES,
    FIGURE_COLUMNS,
    HEADLINE_LABELS,
    MONEY_FIELDS,
    RULE_COLUMNS,
    DayCount,
    Figure,
    MonthlySummary,
    export_xlsx,
    monthly_summary,
    sheet_tables,
)
from services.reports.weekly import (
    WEEKLY_COLUMNS,
    WeeklyRow,
    WeeklyStatistics,
    clean_week,
    recent_weeks,
    week_label,
    weekly_statistics,
)
