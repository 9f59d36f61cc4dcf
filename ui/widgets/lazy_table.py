"""One table model for every long list: ids first, rows built on demand (docs/design.md).

As Anki's browser table (qt/aqt/browser/table/model.py): the model first asks the service how
many items match and for one page of ids; more ids come as the view scrolls (``canFetchMore``
/ ``fetchMore``), and the rows to paint are read a (smaller) page at a time and kept in a
small LRU cache. Filtering and sorting happen in the service (in SQL), never in the model.

A list is a thin subclass: its ``columns``, the ``service`` that counts, pages and reads its
items (or its own ``count``, ``fetch_ids``, ``fetch_rows``) and what a cell shows (``cell``).

A list whose service pages by key (``keyset = True``: ``page_after``, ``page_before``,
``page_at`` and a capped ``count``; services/complaints/register.py) has as many rows as items
match from the start, so Ctrl+End and the scroll bar reach any row: the page of ids under the
viewport is read when painted, by key from a neighbouring page already held (one index range,
as fast at the millionth row as at the first), from the end for the last page, or — for a jump
far from any page held — by position from the nearer end. The count is capped at first
("1,000+") and made exact on the worker, off the GUI thread (rules.md §10); a refresh while the
view holds a row beyond the capped count waits for the worker's exact count before it reads
the rows again, so the selection stays on its item.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from services.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole  # the item's id, for the views and the tests
# The roles whose answer needs the built row (the others are answered without reading).
ROW_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    """A column of a lazy table: its key, its header and the sort behind it."""
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
    # Keyset lists (see the module's docstring): every matching row exists from the start.
    keyset = False
    count_cap = 1_000  # counted at once up to here; beyond, "1,000+" until the exact count
    walk_pages = 4  # a page this close to one held is reached by key, page by page
    held_id_pages = 200  # pages of ids kept (40,000 ids): the least recently used go
    counted = Signal()  # the count changed (a capped count made exact)

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
        # keyset lists: pages of (id, key) by page number, and whether the count is exact
        self._id_pages: OrderedDict[int, list[tuple[int, Any]]] = OrderedDict()
        self._exact = True
        self._generation = 0  # a read after a newer reset or refresh is dropped

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

    def count_upto(self, cap: int) -> int:
        """How many items match, counting no further than ``cap`` (keyset lists)."""
        return self.service.count(self.session.user, self._filter, at_most=cap)

    def fetch_after(self, key, limit: int) -> list[tuple[int, Any]]:
        """(id, key) of the ``limit`` items after ``key`` (None: the first ones)."""
        return self.service.page_after(self.session.user, self._filter, self._sort,
                                       self._descending, key, limit)

    def fetch_before(self, key, limit: int) -> list[tuple[int, Any]]:
        """(id, key) of the ``limit`` items before ``key`` (None: the last ones)."""
        return self.service.page_before(self.session.user, self._filter, self._sort,
                                        self._descending, key, limit)

    def fetch_at(self, offset: int, limit: int) -> list[tuple[int, Any]]:
        """(id, key) of the items from position ``offset`` (a jump far from any page held)."""
        return self.service.page_at(self.session.user, self._filter, self._sort,
                                    self._descending, offset, limit,
                                    total=self._total if self._exact else None)

    def count_job(self):
        """A call that makes the exact count on the worker thread: it reads no state of the
        model, which may change meanwhile (keyset lists)."""
        service, user, item_filter = self.service, self.session.user, self._filter
        return lambda: service.count(user, item_filter)

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
    def total_is_exact(self) -> bool:
        """False while a keyset list shows a capped count ("1,000+")."""
        return self._exact

    @property
    def loaded(self) -> bool:
        """Whether the first answer (the count and the first page) is in."""
        return self._loaded

    @property
    def fetched_rows(self) -> int:
        """How many ids have been loaded so far (not how many match)."""
        if self.keyset:
            return sum(len(page) for page in self._id_pages.values())
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
        if self.keyset:
            return self._keyed_id(row)
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def _row_count(self) -> int:
        return self._total if self.keyset else len(self._ids)

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
        if self.keyset:
            self._keyset_reset()
            return
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
        if self.keyset:
            self._keyset_refresh()
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
        if self.keyset:  # every row is there; "more" is the next page of ids from the top
            return (not parent.isValid() and self._loaded
                    and self._head() * self.page_size < self._total)
        return not parent.isValid() and self._loaded and self._offset < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._loaded:
            return
        if self.keyset:
            number = self._head()
            if number * self.page_size < self._total:
                self._id_page(number)
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
        if self._row_count():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._row_count() - 1, len(self.columns) - 1))

    def row_at(self, row: int):
        """The built row at ``row``, reading its whole page if it is not cached."""
        if not 0 <= row < self._row_count():
            return None
        number = row // self.row_page_size
        page = self._pages.get(number)
        if page is None:
            size = self.row_page_size
            if self.keyset:
                rows = range(number * size, min((number + 1) * size, self._total))
                chunk = [i for i in (self._keyed_id(r) for r in rows) if i is not None]
            else:
                chunk = self._ids[number * size:(number + 1) * size]
            page = {r.id: r for r in self.fetch_rows(chunk)}
            self._pages[number] = page
            while len(self._pages) > self.cached_row_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        item = self.item_id(row)
        return None if item is None else page.get(item)

    # --- keyset lists -------------------------------------------------------------------------

    def _count_now(self) -> tuple[int, bool]:
        capped = self.count_upto(self.count_cap + 1)
        return capped, capped <= self.count_cap

    def _count_later(self) -> None:
        """The exact count, on the worker: the view is shown meanwhile with "1,000+"."""
        self._when_counted(lambda total: self._set_total(total, exact=True))

    def _when_counted(self, then) -> None:
        """Make the exact count on the worker and call ``then(total)`` with it, unless the
        list was reset or refreshed meanwhile (a newer count is on its way then)."""
        generation = self._generation

        def done(total: int) -> None:
            if generation == self._generation:
                then(total)

        tasks = getattr(self.session, "tasks", None)
        if tasks is None:
            done(self.count())
            return
        tasks.run(self.count_job(), on_done=done, quiet=True)

    def _set_total(self, total: int, *, exact: bool) -> None:
        before = self._total
        self._exact = exact
        if total > before:
            self.beginInsertRows(QModelIndex(), before, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < before:
            self.beginRemoveRows(QModelIndex(), total, before - 1)
            self._total = total
            self._drop_pages_from(total)
            self.endRemoveRows()
        self.counted.emit()

    def _keyset_reset(self) -> None:
        # Ask first, so a failing query leaves the model as it was.
        total, exact = self._count_now()
        first = self.fetch_after(None, min(self.page_size, total)) if total else []
        self.beginResetModel()
        self._generation += 1
        self._id_pages.clear()
        self._row_of.clear()
        self._pages.clear()
        self.forget()
        self._total, self._exact = max(total, len(first)), exact
        if first:
            self._hold(0, first)
        self._loaded = True
        self.endResetModel()
        self.counted.emit()
        if not exact:
            self._count_later()

    def _keyset_refresh(self) -> None:
        total, exact = self._count_now()
        if not exact and any(index.row() >= total for index in self.persistentIndexList()):
            # The selection (or the current row) lies beyond the capped count: only the exact
            # count says where its row is now. It is made on the worker, and the rows are read
            # again once it is in (the list shows what it showed until then).
            self._when_counted(lambda exact_total: self._keyset_reread(exact_total, True))
            return
        self._keyset_reread(total, exact)

    def _keyset_reread(self, total: int, exact: bool) -> None:
        """Read the rows again for a count of ``total``, keeping the selection's items."""
        head_rows = max(self._head(), 1) * self.page_size
        head = self.fetch_after(None, min(head_rows, total)) if total else []
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old = [(index, self.item_id(index.row())) for index in before]
        self._generation += 1
        self._id_pages.clear()
        self._row_of.clear()
        self._pages.clear()
        self.forget()
        self._total, self._exact = max(total, len(head)), exact
        for number in range(0, len(head), self.page_size):
            self._hold(number // self.page_size, head[number:number + self.page_size])
        after = []
        for index, item in old:
            row = self._row_of.get(item) if item is not None else None
            if row is None and item is not None and index.row() < self._total:
                self._id_page(index.row() // self.page_size)  # where it was: look there
                # Gone if not there: never onto another item's row, as two persistent
                # indexes on one cell corrupt Qt's bookkeeping (a crash when the view goes).
                row = self._row_of.get(item)
            after.append(self.createIndex(row, index.column()) if row is not None
                         else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
        self.counted.emit()
        if not exact:
            self._count_later()

    def _head(self) -> int:
        """How many pages of ids are held from the top without a gap."""
        number = 0
        while len(self._id_pages.get(number, ())) == self.page_size:
            number += 1
        return number + (1 if number in self._id_pages else 0)

    def _keyed_id(self, row: int) -> int | None:
        if not 0 <= row < self._total:
            return None
        page = self._id_page(row // self.page_size)
        at = row % self.page_size
        return page[at][0] if at < len(page) else None

    def _hold(self, number: int, page: list[tuple[int, Any]]) -> None:
        self._id_pages[number] = page
        first = number * self.page_size
        for at, (item, _key) in enumerate(page):
            self._row_of[item] = first + at
        while len(self._id_pages) > self.held_id_pages:
            gone, ids = self._id_pages.popitem(last=False)
            self._forget_rows(gone, ids)

    def _forget_rows(self, number: int, page) -> None:
        first = number * self.page_size
        for at, (item, _key) in enumerate(page):
            if self._row_of.get(item) == first + at:
                del self._row_of[item]

    def _drop_pages_from(self, total: int) -> None:
        for number in [n for n in self._id_pages if (n + 1) * self.page_size > total]:
            self._forget_rows(number, self._id_pages.pop(number))
        self._pages.clear()

    def _neighbour_held(self, number: int) -> bool:
        before = self._id_pages.get(number - 1)
        return bool((before is not None and len(before) == self.page_size)
                    or self._id_pages.get(number + 1))

    def _id_page(self, number: int) -> list[tuple[int, Any]]:
        """The page of ids ``number`` (rows number × page_size …), read if not held."""
        page = self._id_pages.get(number)
        if page is not None:
            self._id_pages.move_to_end(number)
            return page
        size = self.page_size
        wanted = min(size, self._total - number * size)
        if wanted <= 0:
            return []
        last = (self._total - 1) // size
        if number not in (0, last) and not self._neighbour_held(number):
            near = min(self._id_pages, key=lambda n: abs(n - number), default=None)
            if near is not None and abs(near - number) <= self.walk_pages:
                step = 1 if near < number else -1
                for n in range(near + step, number, step):  # each one keyed read
                    if not self._neighbour_held(n):
                        break
                    self._id_page(n)
        before = self._id_pages.get(number - 1)
        after = self._id_pages.get(number + 1)
        if number == 0:
            page = self.fetch_after(None, wanted)
        elif before is not None and len(before) == size:
            page = self.fetch_after(before[-1][1], wanted)
        elif after:
            page = self.fetch_before(after[0][1], wanted)
        elif number == last and self._exact:
            page = self.fetch_before(None, wanted)
        else:
            page = self.fetch_at(number * size, wanted)
        # Fewer than counted (items went meanwhile, on another PC): the rows left show
        # nothing until the next refresh counts again.
        self._hold(number, page)
        return page

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

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
