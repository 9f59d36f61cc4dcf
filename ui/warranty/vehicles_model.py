"""The vehicles list: a lazy table over the warranty service's vehicle pages
(ui.widgets.lazy_table), searched in SQL and read a page at a time by key, so the scroll bar
and Ctrl+End reach the last vehicle however many there are (docs/rules.md §10)."""
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

    keyset = True

    def __init__(self, session, parent=None):
        super().__init__(session, parent, item_filter="")
        self._descending = True

    def count(self) -> int:
        return warranty.count_vehicles(actor=self.session.user, text=self._filter)

    def count_job(self):
        user, text = self.session.user, self._filter
        return lambda: warranty.count_vehicles(actor=user, text=text)

    def count_upto(self, cap: int) -> int:
        return warranty.count_vehicles_upto(actor=self.session.user, text=self._filter,
                                            at_most=cap)

    def fetch_after(self, key, limit: int):
        return warranty.vehicle_page(actor=self.session.user, text=self._filter, key=key,
                                     limit=limit)

    def fetch_before(self, key, limit: int):
        return warranty.vehicle_page(actor=self.session.user, text=self._filter, key=key,
                                     limit=limit, backwards=True)

    def fetch_at(self, offset: int, limit: int):
        return warranty.vehicle_page_at(actor=self.session.user, text=self._filter,
                                        offset=offset, limit=limit,
                                        total=self.total if self.total_is_exact else None)

    def fetch_rows(self, ids: list[int]) -> list[VehicleRow]:
        return warranty.vehicles_by_id(actor=self.session.user, vehicle_ids=ids)

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
