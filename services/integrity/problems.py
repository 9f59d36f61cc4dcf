"""What a check finds, in plain words (docs/design.md, Tamper evidence)."""
from __future__ import annotations

from dataclasses import dataclass

from services.i18n import N_, _

# What a sealed row is, for people.
WHAT = {
    "event": N_("Timeline event"),
    "attachment": N_("Attachment"),
    "complaint_link": N_("Complaint link"),
    "penalty_entry": N_("Penalty entry"),
    "penalty_entry_event": N_("Penalty entry status"),
    "user": N_("User"),
    "complaint_access": N_("Complaint access"),
    "seal": N_("Seal"),
}

# kind → message; {what} {id} the row, {where} " (complaint …)" or "".
MESSAGES = {
    "altered": N_("{what} {id} was changed outside ComplaintDesk{where}."),
    "unsealed": N_("{what} {id} was added outside ComplaintDesk{where}."),
    "missing": N_("{what} {id} was deleted outside ComplaintDesk{where}."),
    "forged_seal": N_("The seal of {what} {id} was forged or the seal table was edited{where}."),
    "seals_cut": N_("Seals were removed from the end of the seal table (seal {id} and after)."),
    "no_key": N_("The seal key of this database is missing ({path}): the records cannot be "
                 "checked or sealed. Copy the key file from the PC that set the database up."),
}


@dataclass(frozen=True)
class Problem:
    """One row (or seal) that does not match the chain."""

    kind: str  # altered | unsealed | missing | forged_seal | seals_cut | no_key
    table: str
    row_id: int
    complaint_id: int | None = None
    ticket: str = ""
    seal_id: int | None = None
    path: str = ""

    def describe(self) -> str:
        where = (_(" (complaint {ticket})").format(ticket=self.ticket) if self.ticket else "")
        return _(MESSAGES[self.kind]).format(what=_(WHAT.get(self.table, self.table)),
                                            id=self.row_id, where=where, path=self.path)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "table": self.table, "row_id": self.row_id,
                "complaint_id": self.complaint_id, "ticket": self.ticket,
                "seal_id": self.seal_id, "text": self.describe()}


@dataclass(frozen=True)
class Report:
    """The result of a check: how much was looked at and what did not match."""

    full: bool
    seals: int  # seals whose chain was checked
    rows: int  # rows compared with their latest seal
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return _("All records are as ComplaintDesk wrote them ({seals} seals, {rows} rows "
                     "checked).").format(seals=self.seals, rows=self.rows)
        return _("Records that do not match what ComplaintDesk wrote: {count}. They were "
                 "changed outside the program.").format(count=len(self.problems))
