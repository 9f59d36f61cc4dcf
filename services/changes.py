"""What a change touched, so each screen refreshes only what it shows (docs/design.md).

A service that changes data says what it changed, as Anki's ``OpChanges``: its result carries
``changes`` (a step on the path: that complaint, and the ledger when a hook proposed entries;
a penalty decision: the ledger; a calendar import: the calendar and every complaint). Where a
service returns nothing richer, the window names the ``Changes`` of the call it made. Either
way one ``Changes`` travels along the window's "data changed" signal, and each screen looks
at the fields it depends on. Plain data: no Qt here.

A change that alters how every complaint reads (a category renamed, the firm's approval step,
a staff member's name, the holiday calendar) names ``complaints=ALL``; one step on one
complaint names its id.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

ALL = "all"  # every complaint may read differently


@dataclass(frozen=True)
class Changes:
    """What a service call changed, so the open screens read again only what they show of it."""
    complaints: frozenset[int] | str = frozenset()  # ids, or ALL
    ledger: bool = False  # penalty entries and penalty rules
    settings: bool = False  # the firm's details, categories, time-limit rules
    users: bool = False  # staff, their roles and departments
    calendar: bool = False  # holidays and make-up working days
    warranty: bool = False  # vehicles, repairs, claims, the warranty terms
    language: bool = False  # the program's language on this PC: texts only, no data

    def __post_init__(self) -> None:
        value = self.complaints
        if isinstance(value, str):
            if value != ALL:
                raise ValueError(f"complaints must be ids or {ALL!r}, not {value!r}")
        else:
            object.__setattr__(self, "complaints", frozenset(int(i) for i in value))

    @classmethod
    def of_complaint(cls, complaint_id: int, **others) -> Changes:
        """One complaint changed (a step, an attachment, a document), and ``others``."""
        return cls(complaints=frozenset({complaint_id}), **others)

    def touches_complaint(self, complaint_id: int) -> bool:
        """Whether complaint ``complaint_id`` may read differently now."""
        return self.complaints == ALL or complaint_id in self.complaints

    @property
    def data(self) -> bool:
        """Anything stored changed (everything but the language)."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "language")

    def __bool__(self) -> bool:
        return self.data or self.language

    def __or__(self, other: Changes) -> Changes:
        """Both changes at once."""
        if not isinstance(other, Changes):
            return NotImplemented
        if ALL in (self.complaints, other.complaints):
            complaints: frozenset[int] | str = ALL
        else:
            complaints = self.complaints | other.complaints
        flags = {f.name: getattr(self, f.name) or getattr(other, f.name)
                 for f in fields(self) if f.name != "complaints"}
        return Changes(complaints=complaints, **flags)


__all__ = ["ALL", "Changes"]
