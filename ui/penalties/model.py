"""The ledger's table model: entry ids in pages, rows built on demand (SPEC §10).

As the complaint register: the model first asks how many entries match and for one page of
ids; more come as the view scrolls (``canFetchMore``/``fetchMore``); rows are read a page at
a time and a few pages are kept. Filtering and sorting happen in SQL (services.penalties).
With ``checkable`` the first column carries a check box (the Proposals tab's bulk choice).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from services import penalties
from services.i18n import N_, _, format_datetime
from services.penalties import LedgerFilter, LedgerRow
from ui.penalties.common import THE_PROGRAM, money, status_name

PAGE_SIZE = 200
ROW_PAGE_SIZE = 50
CACHED_ROW_PAGES = 8
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # N_() msgid
    sort: str | None  # a key of services.penalties.SORTS


COLUMNS = (
    Column("id", N_("No."), "id"),
    Column("date", N_("Date"), None),
    Column("person", N_("Person or unit"), "person"),
    Column("department", N_("Department"), "department"),
    Column("rule", N_("Rule"), "rule"),
    Column("amount", N_("Amount"), "amount"),
    Column("status", N_("Status"), "status"),
    Column("month", N_("Month"), "month"),
    Column("complaint", N_("Complaint"), None),
    Column("reason", N_("Reason"), None),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
STATUS_COLOURS = {"proposed": "#a15c00", "rejected": "#5f6368", "deducted": "#1b5e20"}


class LedgerModel(QAbstractTableModel):
    """The entries of the ledger the session's user may see (SPEC §2)."""

    checked_changed = Signal()

    def __init__(self, session, parent=None, *, checkable: bool = False,
                 base: LedgerFilter | None = None):
        super().__init__(parent)
        self.session = session
        self.checkable = checkable
        self._base = base  # fixed parts of the filter (the Proposals tab: status=proposed)
        self._filter = base or LedgerFilter()
        self._sort, self._descending = "id", True
        self._loaded = False
        self._total = 0
        self._ids: list[int] = []
        self._offset = 0
        self._pages: OrderedDict[int, dict[int, LedgerRow]] = OrderedDict()
        self.checked: set[int] = set()

    # --- state ------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    @property
    def fetched_rows(self) -> int:
        return len(self._ids)

    @property
    def ledger_filter(self) -> LedgerFilter:
        return self._filter

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entry_id: int) -> int | None:
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return None

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort == self._sort)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    @staticmethod
    def sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort is not None

    # --- loading ----------------------------------------------------------------------

    def set_filter(self, f: LedgerFilter) -> None:
        if self._base is not None:
            f.status = self._base.status or f.status
            f.not_about = self._base.not_about
        self._filter = f
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.set_sort(column, order):
            self.reload()

    def set_sort(self, column: int, order: Qt.SortOrder) -> bool:
        """Sort by ``column`` from the next read on; False if SQL cannot sort by it."""
        if not self.sortable(column):
            return False
        self._sort = COLUMNS[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder
        return True

    def _ids_page(self, offset: int, limit: int) -> list[int]:
        return penalties.ids(self.session.user, self._filter, sort=self._sort,
                             descending=self._descending, offset=offset, limit=limit)

    def reload(self) -> None:
        """Read the first page again (after a filter change or a decision)."""
        total = penalties.count(self.session.user, self._filter)
        first = self._ids_page(0, max(PAGE_SIZE, len(self._ids))) if total else []
        self.beginResetModel()
        self._ids = first
        self._offset = len(first)
        self._total = max(total, len(first))
        self._pages.clear()
        self.checked &= set(first)
        self._loaded = True
        self.endResetModel()
        self.checked_changed.emit()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and self._offset < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._loaded:
            return
        page = self._ids_page(self._offset, PAGE_SIZE)
        self._offset += len(page)
        if len(page) < PAGE_SIZE:
            self._total = self._offset
        held = set(self._ids)
        fresh = [i for i in page if i not in held]
        if not fresh:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._ids.extend(fresh)
        self.endInsertRows()

    def retranslate(self) -> None:
        self._pages.clear()  # rule names come in the current language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def row_at(self, row: int) -> LedgerRow | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // ROW_PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            chunk = self._ids[number * ROW_PAGE_SIZE:(number + 1) * ROW_PAGE_SIZE]
            page = {r.id: r for r in penalties.rows(self.session.user, chunk)}
            self._pages[number] = page
            while len(self._pages) > CACHED_ROW_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    # --- checking (Proposals) -----------------------------------------------------------

    def set_all_checked(self, checked: bool) -> None:
        """Check every fetched row (or none)."""
        self.checked = set(self._ids) if checked else set()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()

    def checked_rows(self) -> list[LedgerRow]:
        wanted = [i for i in self._ids if i in self.checked]
        return penalties.rows(self.session.user, wanted)

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.checkable and index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(COLUMNS[section].title)
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].key == "month":
                return _("The month the entry counts in: when it was approved, or the payroll "
                         "month it was deducted in.")
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry_id = self.entry_id(index.row())
        if role == ENTRY_ID_ROLE:
            return entry_id
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.CheckStateRole:
            if not (self.checkable and key == "id"):
                return None
            return (Qt.CheckState.Checked if entry_id in self.checked
                    else Qt.CheckState.Unchecked)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole):
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in ("amount", "id"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "status" and r.status in STATUS_COLOURS:
                return QColor(STATUS_COLOURS[r.status])
            if key == "amount" and r.total < 0:
                return QColor("#1b5e20")  # a reward, or a reversal
            return None
        return self._tooltip(r, key)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self.checkable and index.isValid() and index.column() == 0
                and role == Qt.ItemDataRole.CheckStateRole):
            return False
        entry_id = self.entry_id(index.row())
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

    @staticmethod
    def _display(r: LedgerRow, key: str) -> str:
        if key == "id":
            return str(r.id)
        if key == "date":
            return format_datetime(r.status_at)
        if key == "person":
            return r.person
        if key == "department":
            return r.department
        if key == "rule":
            return r.rule_name
        if key == "amount":
            return money(r.total)
        if key == "status":
            text = status_name(r.status)
            if r.reversed_by is not None:
                text = _("{status}, reversed").format(status=text)
            return text
        if key == "month":
            return r.month
        if key == "complaint":
            return r.ticket
        return " ".join(r.reason.split())

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
