"""The vehicles list: a lazy table model over ``warranty.find_vehicles`` (STYLE practice 5):
the count and a first page, more pages as the view scrolls; searching happens in SQL."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from services import warranty
from services.i18n import N_, _, format_date
from services.warranty import VehicleRow
from ui.warranty.common import class_name, short_class_name

PAGE_SIZE = 100
COLUMNS = (
    ("plate", N_("Plate")), ("vin", N_("VIN")), ("make_model", N_("Make and model")),
    ("vehicle_class", N_("Class")), ("owner", N_("Vehicle owner")), ("phone", N_("Phone")),
    ("repairs", N_("Repairs")), ("last", N_("Last repair")),
)


class VehicleModel(QAbstractTableModel):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.text = ""
        self.total = 0
        self._rows: list[VehicleRow] = []

    @property
    def fetched_rows(self) -> int:
        return len(self._rows)

    def vehicle(self, row: int) -> VehicleRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, vehicle_id: int) -> int | None:
        return next((i for i, v in enumerate(self._rows) if v.id == vehicle_id), None)

    def search(self, text: str) -> None:
        self.text = text
        self.reload()

    def reload(self) -> None:
        actor = self.session.user
        total = warranty.count_vehicles(actor=actor, text=self.text)
        wanted = max(PAGE_SIZE, len(self._rows))
        rows = warranty.find_vehicles(actor=actor, text=self.text, limit=wanted) if total else []
        self.beginResetModel()
        self.total, self._rows = max(total, len(rows)), rows
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = warranty.find_vehicles(actor=self.session.user, text=self.text,
                                      offset=len(self._rows), limit=PAGE_SIZE)
        known = {v.id for v in self._rows}
        fresh = [v for v in page if v.id not in known]
        if len(page) < PAGE_SIZE:
            self.total = len(self._rows) + len(fresh)
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        v = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "plate": v.plate, "vin": v.vin, "make_model": v.make_model,
                "vehicle_class": short_class_name(v.vehicle_class), "owner": v.owner_name,
                "phone": v.owner_phone, "repairs": str(v.repairs),
                "last": format_date(v.last_completed),
            }[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "plate" and v.plate_override:
                return _("Foreign or temporary plate: the mainland format was not checked.")
            if key == "vehicle_class":
                return class_name(v.vehicle_class)
            if key == "vin":
                return v.vin
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "repairs":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return v.id
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(COLUMNS) - 1))
