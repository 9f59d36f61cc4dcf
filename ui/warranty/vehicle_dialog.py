"""A vehicle and its owner (docs/rules.md): plate checked for the mainland format as it is
typed, with an override for foreign and temporary plates; the VIN's check digit warned about,
not refused."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from services import warranty
from services.changes import ALL, Changes
from services.errors import DomainError
from services.i18n import N_, _
from services.warranty import VEHICLE_CLASSES, VehicleRow
from ui.warranty.common import class_name
from ui.widgets.fields import fill_combo, phone_edit, select_data, text_value
from ui.widgets.form_dialog import FormDialog
from ui.widgets.inline import WARNING_STYLE


class VehicleDialog(FormDialog):
    """New vehicle, or corrections to one (``vehicle`` given)."""

    def __init__(self, session, vehicle: VehicleRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = warranty.save_vehicle
        self.vehicle = vehicle
        self.plate = self.field("plate", N_("Plate no."), QLineEdit(), required=True)
        self.plate.setMaxLength(20)
        self.other_plate = QCheckBox()
        self.form.addRow("", self.other_plate)
        self.vin = self.field("vin", N_("VIN"), QLineEdit())
        self.vin.setMaxLength(24)
        self.vin_warning = QLabel()
        self.vin_warning.setStyleSheet(WARNING_STYLE)
        self.vin_warning.setWordWrap(True)
        self.vin_warning.hide()
        self.form.addRow("", self.vin_warning)
        self.make_model = self.field("make_model", N_("Make and model"), QLineEdit())
        self.vehicle_class = self.field("vehicle_class", N_("Vehicle class"), QComboBox(),
                                        required=True)
        self.owner_name = self.field("owner_name", N_("Vehicle owner"), QLineEdit(), required=True)
        self.owner_phone = self.field("owner_phone", N_("Phone"), phone_edit())
        self.owner_address = self.field("owner_address", N_("Address"), QLineEdit())
        if vehicle is not None:
            self.plate.setText(vehicle.plate)
            self.other_plate.setChecked(vehicle.plate_override)
            self.vin.setText(vehicle.vin)
            self.make_model.setText(vehicle.make_model)
            self.owner_name.setText(vehicle.owner_name)
            self.owner_phone.setText(vehicle.owner_phone)
            self.owner_address.setText(vehicle.owner_address)
        self.plate.editingFinished.connect(self.check_plate)
        self.other_plate.toggled.connect(lambda _on: self.check_plate())
        self.vin.editingFinished.connect(self.check_vin)
        self.setMinimumWidth(520)
        self.retranslate()
        if vehicle is not None:
            select_data(self.vehicle_class, vehicle.vehicle_class)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Vehicle {plate}").format(plate=self.vehicle.plate)
                            if self.vehicle else _("New vehicle"))
        fill_combo(self.vehicle_class, [(c, class_name(c)) for c in VEHICLE_CLASSES])
        self.other_plate.setText(_("Other plate (foreign or temporary): do not check the "
                                   "format"))
        self.plate.setPlaceholderText(_("e.g. 京A12345, 沪AD12345, 粤B12345D"))
        self.vin.setPlaceholderText(_("17 characters, on the registration certificate"))
        self.vehicle_class.setToolTip(_("Picks the row of the warranty table"))

    # --- live checks --------------------------------------------------------------------

    def check_plate(self) -> None:
        if not self.plate.text().strip():
            self.errors.set_field("plate", None)
            return
        try:
            plate = warranty.validate_plate(self.plate.text(),
                                            allow_other=self.other_plate.isChecked())
        except DomainError as err:
            self.errors.set_field("plate", err.message)
        else:
            self.errors.set_field("plate", None)
            self.plate.setText(plate)

    def check_vin(self) -> None:
        self.vin_warning.hide()
        if not warranty.normalize_vin(self.vin.text()):
            self.errors.set_field("vin", None)
            return
        try:
            vin, warnings = warranty.clean_vin(self.vin.text())
        except DomainError as err:
            self.errors.set_field("vin", err.message)
            return
        self.errors.set_field("vin", None)
        self.vin.setText(vin)
        if warnings:
            self.vin_warning.setText("\n".join(warnings))
            self.vin_warning.show()

    # --- saving -------------------------------------------------------------------------

    def kwargs(self) -> dict:
        return dict(plate=self.plate.text(), plate_override=self.other_plate.isChecked(),
                    vin=self.vin.text(), make_model=self.make_model.text(),
                    vehicle_class=text_value(self.vehicle_class),
                    owner_name=self.owner_name.text(), owner_phone=self.owner_phone.text(),
                    owner_address=self.owner_address.text(),
                    vehicle_id=self.vehicle.id if self.vehicle else None)

    def changes_for(self, _result) -> Changes:
        # The owner is a complainant: a corrected name or phone reads on their complaints.
        return Changes(warranty=True, complaints=ALL if self.vehicle else frozenset())
