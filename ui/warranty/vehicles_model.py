"""The vehicles list: a lazy table over ``warranty.find_vehicles`` (ui.widgets.lazy_table);
searching happens in SQL. The service hands out whole rows a page at a time, so the rows of
each page of ids are kept as they come."""
from __future__ import annotations

from PySide6.QtCore import Qt

from services import warranty
from services.i18n import N_, _, format_date
from services.warranty import VehicleRow
from ui.warranty.common import class_name, short_class_name
from ui.widgets.lazy_table import RIGHT, Column, LazyTableModel

COLUMNS = (
    Column("plate", N_("Plate")), Column("vin", N_("VIN")),
    Column("make_model", N_("Make and model")), Column("vehicle_class", N_("Class")),
    Column("owner", N_("Vehicle owner")), Column("phone", N_("Phone")),
    Column("repairs", N_("Repairs")), Column("last", N_("Last repair")),
)


class VehicleModel(LazyTableModel):
    """The filter is the search text (plate, VIN, owner or phone)."""

    columns = COLUMNS
    page_size = 100

    def __init__(self, session, parent=None):
        super().__init__(session, parent, item_filter="")
        self._known: dict[int, VehicleRow] = {}

    def count(self) -> int:
        return warranty.count_vehicles(actor=self.session.user, text=self._filter)

    def fetch_ids(self, offset: int, limit: int) -> list[int]:
        rows = warranty.find_vehicles(actor=self.session.user, text=self._filter,
                                      offset=offset, limit=limit)
        if offset == 0:
            self._known.clear()
        self._known.update((v.id, v) for v in rows)
        return [v.id for v in rows]

    def fetch_rows(self, ids: list[int]) -> list[VehicleRow]:
        return [self._known[i] for i in ids if i in self._known]

    def vehicle(self, row: int) -> VehicleRow | None:
        return self.row_at(row)

    def cell(self, v: VehicleRow, key: str, role: int):
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
            return RIGHT
        return None
