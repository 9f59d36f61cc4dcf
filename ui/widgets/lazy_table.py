"""One table model for every long list: ids first, rows built on demand (docs/design.md).

As Anki's browser table (qt/aqt/browser/table/model.py): the model first asks the service how
many items match and for one page of ids; more ids come as the view scrolls (``canFetchMore``
/ ``fetchMore``), and the rows to paint are read a (smaller) page at a time and kept in a
small LRU cache. Filtering and sorting happen in the service (in SQL), never in the model.

A list is a thin subclass: its ``columns``, the ``service`` that counts, pages and reads its
items (or its own ``count``, ``fetch_ids``, ``fetch_rows``) and what a cell shows (``cell``).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from services.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole  # the item's id, for the views and the tests
# The roles whose answer needs the built row (the others are answered without reading).
ROW_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # N_() msgid
    sort: str | None = None  # the service's sort key; None: it cannot sort by this column
    tip: str | None = None  # N_() msgid of the header's tooltip


class LazyTableModel(QAbstractTableModel):
    """Holds the ids of the items that match, in the service's order, and a few pages of
    built rows (each row has an ``id``)."""

    columns: tuple[Column, ...] = ()
    page_size = 200  # ids asked for at a time (one indexed query)
    row_page_size = 50  # rows built at a time: a screen shows about 30
    cached_row_pages = 12  # a few screens either side of the one shown
    default_sort: str | None = None
    unsortable_tip: str | None = None  # N_() msgid: the tooltip of a column it cannot sort by
    # The list's service (a module): count(actor, filter), ids(actor, filter, sort=,
    # descending=, offset=, limit=) and rows(actor, ids); a list that reads otherwise
    # overrides count, fetch_ids and fetch_rows.
    service: Any = None

    def __init__(self, session, parent=None, *, item_filter: Any = None):
        super().__init__(parent)
        self.session = session
        self._filter = item_filter
        self._sort = self.default_sort
        self._descending = True
        self._loaded = False
        self._total = 0
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._offset = 0  # how far into the service's order the fetched pages reach
        self._pages: OrderedDict[int, dict[int, Any]] = OrderedDict()

    # --- what a list provides ----------------------------------------------------------------

    def count(self) -> int:
        """How many items match the filter."""
        return self.service.count(self.session.user, self._filter)

    def fetch_ids(self, offset: int, limit: int) -> list[int]:
        """A page of the matching ids, in the order asked for."""
        return self.service.ids(self.session.user, self._filter, sort=self._sort,
                                descending=self._descending, offset=offset, limit=limit)

    def fetch_rows(self, ids: list[int]) -> list:
        """The rows to show for ``ids`` (each with an ``id``; any order)."""
        return self.service.rows(self.session.user, ids)

    def cell(self, row, key: str, role: int):
        """What the cell of column ``key`` shows for ``role`` (one of ROW_ROLES)."""
        raise NotImplementedError

    def forget(self) -> None:
        """Drop what the list keeps besides the rows (e.g. names read once): called when
        the rows are read again."""

    # --- state the views and the tests read --------------------------------------------------

    @property
    def total(self) -> int:
        """How many items match the filter."""
        return self._total

    @property
    def fetched_rows(self) -> int:
        """How many ids have been loaded so far (not how many match)."""
        return len(self._ids)

    @property
    def row_cache_size(self) -> int:
        """How many built rows are held in the page cache."""
        return sum(len(page) for page in self._pages.values())

    @property
    def sort_key(self) -> str | None:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sort is not None

    def sort_column(self) -> int:
        return next((i for i, c in enumerate(self.columns) if c.sort == self._sort), 0)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def item_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    # --- loading ------------------------------------------------------------------------------

    def set_filter(self, item_filter) -> None:
        """Show what matches ``item_filter``; the same filter again reads the rows again,
        keeping the selection (after a change elsewhere)."""
        if self._loaded and item_filter == self._filter:
            self.refresh()
            return
        self._filter = item_filter
        self.reset()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.set_sort(column, order):
            self.reset()  # else the view puts the indicator back

    def set_sort(self, column: int, order: Qt.SortOrder) -> bool:
        """Sort by ``column`` from the next read on; False if the service cannot."""
        if not self.sortable(column):
            return False
        self._sort = self.columns[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder
        return True

    def reset(self) -> None:
        """Read from the top (a new filter or sort order)."""
        # Ask first, so a failing query leaves the model as it was.
        total = self.count()
        first = self.fetch_ids(0, self.page_size) if total else []
        self.beginResetModel()
        self._set_ids(first, total)
        self._loaded = True
        self.endResetModel()

    def refresh(self) -> None:
        """Read again after a change, keeping as many rows loaded as before and the selection
        and current row on the same items."""
        if not self._loaded:
            self.reset()
            return
        total = self.count()
        wanted = max(len(self._ids), self.page_size)
        new_ids = self.fetch_ids(0, wanted) if total else []
        new_row_of = {item: row for row, item in enumerate(new_ids)}
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        after = []
        for index in before:
            item = self.item_id(index.row())
            row = new_row_of.get(item) if item is not None else None
            after.append(self.createIndex(row, index.column()) if row is not None
                         else QModelIndex())
        self._set_ids(new_ids, total)
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _set_ids(self, new_ids: list[int], total: int) -> None:
        self._ids = new_ids
        self._row_of = {item: row for row, item in enumerate(new_ids)}
        self._offset = len(new_ids)
        self._total = max(total, len(new_ids))
        self._pages.clear()
        self.forget()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and self._offset < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._loaded:
            return
        page = self.fetch_ids(self._offset, self.page_size)
        self._offset += len(page)
        if len(page) < self.page_size:
            self._total = self._offset  # fewer than counted: some went meanwhile
        # Another PC may have added items since the count, shifting the pages: an id
        # already held is skipped rather than shown twice.
        fresh = list(dict.fromkeys(i for i in page if i not in self._row_of))
        if not fresh:
            return
        first = len(self._ids)
        # The row page these ids extend may be cached as it was, partial: build it again.
        self._pages.pop(first // self.row_page_size, None)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for row, item in enumerate(fresh, start=first):
            self._row_of[item] = row
        self._ids.extend(fresh)
        self.endInsertRows()

    def retranslate(self) -> None:
        """Names come in the current language: build the rows again."""
        self._pages.clear()
        self.forget()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(self.columns) - 1))

    def row_at(self, row: int):
        """The built row at ``row``, reading its whole page if it is not cached."""
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.row_page_size
        page = self._pages.get(number)
        if page is None:
            size = self.row_page_size
            chunk = self._ids[number * size:(number + 1) * size]
            page = {r.id: r for r in self.fetch_rows(chunk)}
            self._pages[number] = page
            while len(self._pages) > self.cached_row_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return super().headerData(section, orientation, role)
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tip:
                return _(column.tip)
            if self.unsortable_tip and column.sort is None:
                return _(self.unsortable_tip)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.item_id(index.row())
        if role not in ROW_ROLES:
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        return self.cell(row, self.columns[index.column()].key, role)


__all__ = ["ID_ROLE", "RIGHT", "Column", "LazyTableModel"]
