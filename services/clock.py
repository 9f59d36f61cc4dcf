"""The current time, in the firm's time zone, replaceable in tests and the demo."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

_frozen: datetime | None = None
_zone = "Asia/Shanghai"


def set_timezone(name: str) -> None:
    global _zone
    ZoneInfo(name)  # fail early on a bad name
    _zone = name


def now() -> datetime:
    """Naive wall-clock time in the firm's zone, to the second (see models.entities)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(ZoneInfo(_zone)).replace(tzinfo=None, microsecond=0)


def freeze(moment: datetime | None) -> None:
    """Pin now() (tests, demo generation); None lets time run again."""
    global _frozen
    _frozen = moment


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """now() pinned to ``moment`` inside the block, then back to what it was (frozen or
    running): the demo writes a record as if at the desk at that moment."""
    global _frozen
    before = _frozen
    _frozen = moment
    try:
        yield
    finally:
        _frozen = before
