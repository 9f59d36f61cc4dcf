"""The complaint register's table model: a lazy table over services.complaints.register
(ui.widgets.lazy_table), sorted and filtered in SQL and read a page at a time by key, so
Ctrl+End or the scroll bar reach the last of a million complaints as fast as the first
(docs/rules.md §10).
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from services import settings
from services.complaints import STATE_NAMES, ComplaintFilter, RegisterRow
from services.complaints import register as complaints
from services.firm import KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _, current_language, format_datetime
from ui import marks
from ui.widgets.lazy_table import Column, LazyTableModel

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
    Column("overdue", N_("Overdue"), None, tip=N_("A time limit of this complaint has passed.")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
DEFAULT_SORT = "received"
assert all(c.sort is None or c.sort in complaints.SORT_COLUMNS for c in COLUMNS)


@lru_cache(maxsize=4096)
def _moment(value: datetime | None, lang: str) -> str:
    # babel takes ~30 µs a call and a repaint asks for every visible cell again
    return format_datetime(value, lang)


class RegisterModel(LazyTableModel):
    """The register (台账) for the session's user: only what that user may see
    (docs/rules.md)."""

    columns = COLUMNS
    service = complaints
    default_sort = DEFAULT_SORT
    # Built rows cost ~0.15 ms each: read 50 at a time, keep a few screens either side.
    row_page_size = 50
    cached_row_pages = 12
    unsortable_tip = N_("The register cannot be sorted by this column.")
    # Every matching row is there from the start; pages are read by key (rules.md §10).
    keyset = True

    # A jump far from any page read (the scroll bar dragged into the middle of a million)
    # starts from the nearest seek mark, every 1,000th row's key, which the worker reads
    # once the exact count is in, for lists at least this long (docs/design.md).
    seek_marks_from = 20_000

    def __init__(self, session, parent=None):
        super().__init__(session, parent, item_filter=ComplaintFilter())
        self._rule_names: dict[str, str] | None = None
        self._marks: list | None = None  # None: not asked for; []: being read
        self.counted.connect(self._want_marks)

    def forget(self) -> None:
        self._rule_names = None  # names of rules come in the current language
        self._marks = None  # the rows are read again: so are the marks

    def _want_marks(self) -> None:
        tasks = getattr(self.session, "tasks", None)
        if (tasks is None or self._marks is not None or not self.total_is_exact
                or self.total < self.seek_marks_from):
            return
        generation = self._generation
        user, item_filter = self.session.user, self._filter
        sort, descending = self._sort, self._descending
        self._marks = []

        def done(marks: list) -> None:
            if generation == self._generation:
                self._marks = marks

        every = complaints.SEEK_EVERY
        tasks.run(lambda: complaints.seek_marks(user, item_filter, sort, descending, every),
                  on_done=done, quiet=True)

    def fetch_at(self, offset: int, limit: int):
        if self._marks:
            return complaints.page_at(self.session.user, self._filter, self._sort,
                                      self._descending, offset, limit, marks=self._marks,
                                      every=complaints.SEEK_EVERY)
        return super().fetch_at(offset, limit)

    def _rule_name(self, code: str) -> str:
        if self._rule_names is None:
            self._rule_names = {r.code: r.name for r in settings.rules()}
        return self._rule_names.get(code, code)

    def cell(self, r: RegisterRow, key: str, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return marks.OVERDUE if r.overdue and key in ("next_due", "overdue") else None
        if role == Qt.ItemDataRole.DecorationRole:
            return marks.overdue_icon() if r.overdue and key == "overdue" else None
        if role == Qt.ItemDataRole.FontRole and key == "ticket" and r.severity == "major":
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
