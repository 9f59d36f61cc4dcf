"""The ledger's table model: a lazy table over services.penalties (ui.widgets.lazy_table),
filtered and sorted in SQL and read a page at a time by key, so the scroll bar and Ctrl+End
reach its last entry however long it is. With ``checkable`` the first column carries a check
box (the Proposals tab's bulk choice).
"""
from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from services import penalties
from services.i18n import N_, _, format_datetime
from services.penalties import LedgerFilter, LedgerRow
from ui.penalties.common import THE_PROGRAM, entry_amount, money, status_name
from ui.widgets.lazy_table import RIGHT, Column, LazyTableModel

COLUMNS = (
    Column("id", N_("No."), "id"),
    Column("date", N_("Date"), None),
    Column("person", N_("Person or unit"), "person"),
    Column("department", N_("Department"), "department"),
    Column("rule", N_("Rule"), "rule"),
    Column("amount", N_("Amount"), "amount"),
    Column("status", N_("Status"), "status"),
    Column("month", N_("Month"), "month",
           tip=N_("The month the entry counts in: when it was approved, or the payroll "
                  "month it was deducted in.")),
    Column("complaint", N_("Complaint"), None),
    Column("reason", N_("Reason"), None),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


def _status_text(r: LedgerRow) -> str:
    text = status_name(r.status)
    if r.reversed_by is not None:
        text = _("{status}, reversed").format(status=text)
    return text


# What each column shows of an entry.
_TEXT = {
    "id": lambda r: str(r.id),
    "date": lambda r: format_datetime(r.status_at),
    "person": attrgetter("person"),
    "department": attrgetter("department"),
    "rule": attrgetter("rule_name"),
    "amount": lambda r: entry_amount(r.total, r.reward),  # "Reward ¥100.00", not "-¥100.00"
    "status": _status_text,
    "month": attrgetter("month"),
    "complaint": attrgetter("ticket"),
    "reason": lambda r: " ".join(r.reason.split()),
}
STATUS_COLOURS = {"proposed": "#a15c00", "rejected": "#5f6368", "deducted": "#1b5e20"}


class LedgerModel(LazyTableModel):
    """The entries of the ledger the session's user may see (docs/rules.md)."""

    columns = COLUMNS
    service = penalties
    default_sort = "id"
    cached_row_pages = 8
    # Every matching entry is there from the start; pages are read by key (rules.md §10).
    keyset = True
    checked_changed = Signal()

    def __init__(self, session, parent=None, *, checkable: bool = False,
                 base: LedgerFilter | None = None):
        super().__init__(session, parent, item_filter=base or LedgerFilter())
        self.checkable = checkable
        self._base = base  # fixed parts of the filter (the Proposals tab: status=proposed)
        self.checked: set[int] = set()

    def set_filter(self, f: LedgerFilter) -> None:
        if self._base is not None:
            f.status = self._base.status or f.status
            f.not_about = self._base.not_about
        super().set_filter(f)

    def forget(self) -> None:
        # read again (a new filter, or after a change): a checked entry no longer listed
        # is no longer checked
        if self.checked:
            kept = self.checked & set(self._matching())
            if kept != self.checked:
                self.checked = kept
                self.checked_changed.emit()

    def _matching(self) -> list[int]:
        return penalties.ids(self.session.user, self._filter, sort=self.sort_key or "id",
                             descending=self.descending)

    # --- checking (Proposals) -----------------------------------------------------------

    def set_all_checked(self, checked: bool) -> None:
        """Check every entry listed (or none)."""
        self.checked = set(self._matching()) if checked else set()
        if self.total:
            self.dataChanged.emit(self.index(0, 0), self.index(self.total - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()

    def checked_rows(self) -> list[LedgerRow]:
        wanted = [i for i in self._matching() if i in self.checked]
        return penalties.rows(self.session.user, wanted)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.checkable and index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.CheckStateRole:
            if not (self.checkable and index.isValid() and index.column() == 0):
                return None
            return (Qt.CheckState.Checked if self.item_id(index.row()) in self.checked
                    else Qt.CheckState.Unchecked)
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self.checkable and index.isValid() and index.column() == 0
                and role == Qt.ItemDataRole.CheckStateRole):
            return False
        entry_id = self.item_id(index.row())
        if entry_id is None:
            return False
        state = value.value if hasattr(value, "value") else value
        if state == Qt.CheckState.Checked.value:
            self.checked.add(entry_id)
        else:
            self.checked.discard(entry_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True

    # --- cells ------------------------------------------------------------------------

    def cell(self, r: LedgerRow, key: str, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return _TEXT[key](r)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if key in ("amount", "id") else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "status" and r.status in STATUS_COLOURS:
                return QColor(STATUS_COLOURS[r.status])
            if key == "amount" and r.total < 0:
                return QColor("#1b5e20")  # a reward, or a reversal
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, key)
        return None

    @staticmethod
    def _tooltip(r: LedgerRow, key: str) -> str | None:
        if key == "reason":
            return r.reason
        if key == "rule":
            return r.rule_name
        if key == "amount" and r.loss:
            return _("{amount} plus the loss {loss}").format(amount=money(r.amount),
                                                            loss=money(r.loss))
        if key == "person":
            return _("Proposed by {who}").format(who=r.proposed_by or _(THE_PROGRAM))
        if key == "id" and r.reverses is not None:
            return _("Reverses entry {id}").format(id=r.reverses)
        return None
