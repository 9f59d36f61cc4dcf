"""Printed documents: PDF on A4 with ReportLab, no Qt (docs/rules.md §8).

One import for callers (``from services import documents``):
- a complaint's documents, by kind (KINDS, WARRANTY_KINDS, KIND_NAMES): ``render`` makes the
  PDF, ``produce`` also records it on the timeline and keeps the copy, ``reprint`` gives that
  copy back;
- the papers that are not a complaint's: ``render_warranty_card`` (any finished repair),
  ``render_penalty_notice``, ``render_month_ledger``, ``render_monthly_summary``,
  ``render_yearly_register``, ``render_half_year_report``, ``render_weekly_statistics``;
  each takes its language;
- ``file_name(kind, key, lang)``: the name a document is saved under, in its language;
- ``schedule``: the monthly summary produced into a folder on a day of the month.

One module per document (receipt, transfer_slip, reply, extension_notice, quality_memo,
warranty_claim, warranty_card, penalty_notice, month_ledger, monthly_summary,
yearly_register, half_year_report, weekly_statistics), on the page of ``base`` with the
shared parts of ``common``. The figures of the reports come from ``services.reports``.
"""
from __future__ import annotations

from services.documents import schedule
from services.documents.fonts import warm_up  # fonts and ReportLab, off the GUI thread
from services.documents.half_year_report import render_half_year_report
from services.documents.month_ledger import render_month_ledger
from services.documents.monthly_summary import render_monthly_summary
from services.documents.names import FILE_NAMES, KIND_NAMES, file_name
from services.documents.penalty_notice import render_penalty_notice
from services.documents.produce import (
    BUILDERS,
    KINDS,
    WARRANTY_KINDS,
    Produced,
    produce,
    render,
    reprint,
    stored_path,
)
from services.documents.warranty_card import render_warranty_card
from services.documents.weekly_statistics import render_weekly_statistics
from services.documents.yearly_register import render_yearly_register

