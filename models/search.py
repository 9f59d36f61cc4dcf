"""What the complaint search looks in: the columns and, on PostgreSQL, the indexed expression.

Live code reads these; migration m0004 keeps its own frozen copy.
"""
from __future__ import annotations

SEARCH_COLUMNS = ("ticket", "complainant_name", "complainant_phone", "contract_no", "description")
PG_SEARCH_EXPRESSION = " || ' ' || ".join(f'"{c}"' for c in SEARCH_COLUMNS)
