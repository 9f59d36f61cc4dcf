"""Time limits: the working-day calendar, deadline arithmetic and the clocks that run on
complaints (docs/rules.md §5).

One import for callers (``from services import timelimits``); the parts:
- ``workcalendar``: the Chinese calendar of holidays and make-up working days, provisional years;
- ``arithmetic``: reading a limit ("15 working days") and computing when it falls due;
- ``clocks``: starting, pausing, extending and stopping the limits of a complaint.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from services import later_parts
from services.timelimits import clocks, workcalendar
from services.timelimits.arithmetic import (
    DAYS,
    MAX_LENGTH,
    UNIT_NAMES,
    UNITS,
    WORKING_DAYS,
    Due,
    check_limit,
    compute_due,
    describe_limit,
    parse_limit,
)
from services.timelimits.clocks import (
    CLOCK_FLAGS,
    CLOCK_PAUSED,
    CLOCK_STATUS_NAMES,
    clock_flags,
    time_left_text,
)
from services.timelimits.workcalendar import (
    WorkCalendar,
    export_calendar,
    import_calendar,
    mark_year,
    parse_calendar,
    revision,
    seed_from_package,
    set_day,
    statutory_holidays,
    year_days,
)

# The work queue (Due & overdue) loads when first used: the register's first paint does not
# need it (docs/design.md, Start-up).
__getattr__ = later_parts(__name__, {"queue": ("QueueChoices", "QueueFilter", "QueueRow",
                                               "QueueTotals")})
if TYPE_CHECKING:
    from services.timelimits import queue
    from services.timelimits.queue import QueueChoices, QueueFilter, QueueRow, QueueTotals
