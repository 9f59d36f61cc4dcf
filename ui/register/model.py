"""The complaint register's table model: ids in pages, rows built on demand (SPEC §10).

As Anki's browser table and Orange's text import: the model first asks how many complaints
match and for one page of ids; more ids come as the view scrolls (``canFetchMore`` /
``fetchMore``), and the rows to paint are read a (smaller) page at a time and kept in a small
LRU cache.
Sorting and filtering happen in SQL (services.complaints), never in the model.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

import services.complaints.register as complaints
import services.firm.settings as settings
from services.complaints.path import STATE_NAMES
from services.complaints.register import ComplaintFilter, RegisterRow
from services.firm.profiles import KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _, current_language, format_datetime
from ui import marks

PAGE_SIZE = 200  # ids asked for at a time (one indexed query, ~2 ms on 100,000)
# Built rows are read in smaller pages: a screen shows about 30, and rows() costs ~0.15 ms
# a row (SPEC §10: the register opens in under 50 ms).
ROW_PAGE_SIZE = 50
CACHED_ROW_PAGES = 12  # a few screens either side of the one shown, whatever the scroll
COMPLAINT_ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # N_() msgid
    sort: str | None  # a key of complaints.SORT_COLUMNS; None = SQL cannot sort by it


COLUMNS = (
    Column("ticket", N_("Ticket no."), "ticket"),
    Column("received", N_("Received"), "received"),
    Column("kind", N_("Kind"), "kind"),
    Column("complainant", N_("Complainant"), "complainant"),
    Column("category", N_("Category"), "category"),
    Column("respondent", N_("Respondent"), None),
    Column("handler", N_("Handler"), "handler"),
    Column("state", N_("State"), "state"),
    Column("next_due", N_("Next due"), "next_due"),
    Column("overdue", N_("Overdue"), None),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
DEFAULT_SORT = "received"
assert all(c.sort is None or c.sort in complaints.SORT_COLUMNS for c in COLUMNS)


@lru_cache(maxsize=4096)
def _moment(value: datetime | None, lang: str) -> str:
    # babel takes ~30 µs a call and a repaint asks for every visible cell again
    return format_datetime(value, lang)


class RegisterModel(QAbstractTableModel):
    """The register (台账) for the session's user: only what that user may see (SPEC §2)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._filter = ComplaintFilter()
        self._sort = DEFAULT_SORT
        self._descending = True
        self._loaded = False
        self._total = 0
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._offset = 0  # how far into the SQL order the fetched pages reach
        self._pages: OrderedDict[int, dict[int, RegisterRow]] = OrderedDict()
        self._rule_names: dict[str, str] | None = None

    # --- state the view and the tests read ---------------------------------------------

    @property
    def fetched_rows(self) -> int:
        """How many ids have been loaded so far (not how many match)."""
        return len(self._ids)

    @property
    def row_cache_size(self) -> int:
        """How many built rows are held in the page cache."""
        return sum(len(page) for page in self._pages.values())

    @property
    def total(self) -> int:
        """How many complaints match the filter."""
        return self._total

    @property
    def complaint_filter(self) -> ComplaintFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @staticmethod
    def sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort is not None

    def complaint_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, complaint_id: int) -> int | None:
        return self._row_of.get(complaint_id)

    # --- loading ------------------------------------------------------------------------

    def set_filter(self, complaint_filter: ComplaintFilter) -> None:
        self._filter = complaint_filter
        self._reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return  # the view puts the indicator back (RegisterView._on_sort_indicator)
        self._sort = COLUMNS[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reload()

    def _ids_page(self, offset: int, limit: int) -> list[int]:
        return complaints.ids(self.session.user, self._filter, sort=self._sort,
                              descending=self._descending, offset=offset, limit=limit)

    def _reload(self) -> None:
        # Ask first, so a failing query leaves the model as it was.
        total = complaints.count(self.session.user, self._filter)
        first = self._ids_page(0, PAGE_SIZE) if total else []
        self.beginResetModel()
        self._set_ids(first, total)
        self._loaded = True
        self.endResetModel()

    def _set_ids(self, new_ids: list[int], total: int) -> None:
        self._ids = new_ids
        self._row_of = {cid: row for row, cid in enumerate(new_ids)}
        self._offset = len(new_ids)
        self._total = max(total, len(new_ids))
        self._pages.clear()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and self._offset < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._loaded:
            return
        page = self._ids_page(self._offset, PAGE_SIZE)
        self._offset += len(page)
        if len(page) < PAGE_SIZE:
            self._total = self._offset  # fewer than counted: some went meanwhile
        # Another PC may have added complaints since the count, shifting the pages: an id
        # already held is skipped rather than shown twice.
        fresh = [cid for cid in page if cid not in self._row_of]
        if not fresh:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for row, cid in enumerate(fresh, start=first):
            self._row_of[cid] = row
        self._ids.extend(fresh)
        self.endInsertRows()

    def refresh(self) -> None:
        """Read again after a change, keeping as many rows loaded as before and the selection
        and current row on the same complaints."""
        if not self._loaded:
            return
        total = complaints.count(self.session.user, self._filter)
        wanted = max(len(self._ids), PAGE_SIZE)
        new_ids = self._ids_page(0, wanted) if total else []
        new_row_of = {cid: row for row, cid in enumerate(new_ids)}
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        after = []
        for index in before:
            cid = self.complaint_id(index.row())
            row = new_row_of.get(cid) if cid is not None else None
            after.append(self.createIndex(row, index.column()) if row is not None
                         else QModelIndex())
        self._set_ids(new_ids, total)
        self._rule_names = None
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        """Names of categories and rules come in the current language: read rows again."""
        self._pages.clear()
        self._rule_names = None
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def row_at(self, row: int) -> RegisterRow | None:
        """The register row at ``row``, reading its whole page if it is not cached."""
        if not 0 <= row < len(self._ids):
            return None
        number = row // ROW_PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            chunk = self._ids[number * ROW_PAGE_SIZE:(number + 1) * ROW_PAGE_SIZE]
            page = {r.id: r for r in complaints.rows(self.session.user, chunk)}
            self._pages[number] = page
            while len(self._pages) > CACHED_ROW_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    def _rule_name(self, code: str) -> str:
        if self._rule_names is None:
            self._rule_names = {r.code: r.name for r in settings.rules()}
        return self._rule_names.get(code, code)

    # --- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        if role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[section].key == "overdue":
                return _("A time limit of this complaint has passed.")
            if not self.sortable(section):
                return _("The register cannot be sorted by this column.")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == COMPLAINT_ID_ROLE:
            return self.complaint_id(index.row())
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
                        Qt.ItemDataRole.FontRole):
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return marks.OVERDUE if r.overdue and key in ("next_due", "overdue") else None
        if role == Qt.ItemDataRole.DecorationRole:
            return marks.overdue_icon() if r.overdue and key == "overdue" else None
        if key == "ticket" and r.severity == "major":  # FontRole
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, r: RegisterRow, key: str) -> str:
        if key == "received":
            return _moment(r.received, current_language())
        if key == "next_due":
            return _moment(r.next_due, current_language())
        if key == "kind":
            return _(KIND_NAMES[r.kind]) if r.kind in KIND_NAMES else r.kind
        if key == "state":
            return _(STATE_NAMES[r.state]) if r.state in STATE_NAMES else r.state
        if key == "overdue":
            return _("Overdue") if r.overdue else ""
        return getattr(r, key)

    def _tooltip(self, r: RegisterRow, key: str) -> str | None:
        if key == "ticket":
            lines = [_("Double-click or press Enter to open the complaint.")]
            if r.severity == "major":
                lines.insert(0, _(SEVERITY_NAMES[r.severity]))
            return "\n".join(lines)
        if key in ("next_due", "overdue") and r.next_due is not None:
            when = _moment(r.next_due, current_language())
            rule = self._rule_name(r.next_due_rule)
            if r.overdue:
                return _("{rule}: was due {time}").format(rule=rule, time=when)
            return _("{rule}: due {time}").format(rule=rule, time=when)
        if key in ("complainant", "category", "respondent", "handler"):
            return getattr(r, key) or None  # the whole text where the column cuts it short
        return None
