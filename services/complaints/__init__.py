"""Complaints: the path every complaint walks, the register, ticket numbers, attachments.

One import for callers (``from services import complaints``); the parts:
- ``path``: the one table of steps (states, who may take each step, to whom it may go, the
  written rules that guard it) and ``act``, which takes one;
- ``actions``: what each step needs and records, and the display names of its codes;
- ``register``: registering, finding and reading complaints, the register's lists;
- ``numbering``: ticket numbers YYMMDDNNN, gap-free per year;
- ``attachments``: originals kept unchanged.

A recorded step fires ``services.hooks.event_recorded`` (docs/design.md, Hooks).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from services import later_parts
from services.complaints import numbering, path, register
from services.complaints.actions import (
    AMENDABLE_NAMES,
    LEVEL_NAMES,
    LINK_KIND_NAMES,
    LINK_KINDS,
    MONEY_REMEDIES,
    OTHER_CAUSE,
    REPLY_METHOD_NAMES,
    REPLY_METHODS,
    REVIEW_NAMES,
    REVIEW_OUTCOME_NAMES,
    REVIEW_OUTCOMES,
    SATISFACTION_NAMES,
    decision_remedies,
    root_causes,
    set_root_causes,
)
from services.complaints.merging import MergeResult, merge, original_of, resolve_number
from services.complaints.path import (
    ACTION_NAMES,
    ACTIONS,
    CLOSED_STATES,
    HOLDER,
    MAIN_PATH,
    NEXT_STEPS,
    OPEN_STATES,
    STATE_NAMES,
    STATES,
    TRANSITIONS,
    Outlook,
    PathStep,
    Waiting,
    outlook,
    repeat_suggestions,
    waiting_for,
)
from services.complaints.register import (
    DUE_STATUS_NAMES,
    ComplaintDetail,
    ComplaintFilter,
    ComplaintInput,
    EventView,
    RegisterRow,
    detail,
    find,
)

# Attachments load when first used: the register's first paint does not need them
# (docs/design.md, Start-up).
__getattr__ = later_parts(__name__, {"attachments": ()})
if TYPE_CHECKING:
    from services.complaints import attachments
