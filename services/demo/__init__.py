"""Sample data, kept apart from the rules it exercises: a firm, its staff and complaints with
full timelines, warranty records and a penalty ledger (``main.py demo``, the first-start wizard).

One import for callers (``from services import demo``); the parts:
- ``sample``: the firm, staff and complaints, and the order of the other parts;
- ``timeline``: one complaint's life, step by step, through the real path table;
- ``content``: the Chinese sample texts;
- ``warranty`` and ``penalties``: the repair-shop records and the ledger of the demo firm.
"""
from __future__ import annotations

from services.demo.content import PASSWORD
from services.demo.sample import SPAN_DAYS, DemoSummary, generate, generate_all

