"""The finished repair (竣工出厂, docs/rules.md): what was done, the amounts, completion date and
odometer, the certificate, the three inspections, and the warranty it will carry."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from services import clock, warranty
from services.changes import Changes
from services.errors import DomainError
from services.i18n import N_, _, format_date, format_number
from services.warranty import INSPECTIONS, REPAIR_TYPES, RepairInput, VehicleRow
from ui.warranty.common import km_spin, type_name
from ui.widgets.fields import (
    MoneyEdit,
    TextEdit,
    date_edit,
    date_value,
    datetime_edit,
    edit_value,
    fill_combo,
    select_data,
    text_value,
)
from ui.widgets.form_dialog import FormDialog
from ui.widgets.inline import WARNING_STYLE


class RepairFields:
    """The repair's rows, added to ``dialog`` (a FormDialog) so service errors find them.
    Used for a new repair and for the rework that a claim's decision records."""

    def __init__(self, dialog: FormDialog, vehicle_class: str, *, repair_type: str = "",
                 completed: date | None = None, completed_km: int = 0, free: bool = False):
        self.dialog = dialog
        self.vehicle_class = vehicle_class
        today = clock.now().date()
        completed = completed or today
        d = dialog
        self.group = QGroupBox()
        form = QFormLayout(self.group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        d.texts.add(self.group.setTitle, N_("Finished repair"))
        self.repair_type = d.field("repair_type", N_("Repair type"), QComboBox(), required=True,
                                   form=form)
        self.work_done = d.field("work_done", N_("Work done"), TextEdit(height=60),
                                 required=True, form=form)
        self.parts_used = d.field("parts_used", N_("Parts used"), TextEdit(height=44),
                                  form=form)
        amounts = QWidget()
        row = QHBoxLayout(amounts)
        row.setContentsMargins(0, 0, 0, 0)
        self.labour_amount = MoneyEdit("0.00" if free else "")
        self.material_amount = MoneyEdit("0.00" if free else "")
        self.material_label = QLabel()
        row.addWidget(self.labour_amount, 1)
        row.addWidget(self.material_label)
        row.addWidget(self.material_amount, 1)
        d.field("labour_amount", N_("Labour (CNY)"), amounts, form=form)
        d.errors.register("labour_amount", self.labour_amount)
        d.errors.register("material_amount", self.material_amount, line_of="labour_amount")
        self.completed_on = d.field("completed_on", N_("Completion date"),
                                    date_edit(completed), required=True, form=form)
        self.completed_km = d.field("completed_km", N_("Odometer at completion"), km_spin(),
                                    required=True, form=form)
        self.completed_km.setValue(completed_km)
        self.certificate_no = d.field("certificate_no", N_("Certificate no."), QLineEdit(),
                                      required=True, form=form)
        self.certificate_no.setMaxLength(40)
        self.inspections: dict[str, tuple[QLineEdit, QWidget]] = {}
        # The times follow the completion date (services: warranty.inspection_times) until
        # the user sets one by hand; then it stays, marked "edited", with a reset button.
        self.edited: dict[str, bool] = {}
        self.edited_marks: dict[str, QLabel] = {}
        self.reset_buttons: dict[str, QToolButton] = {}
        self._moving = False
        proposed = warranty.inspection_times(completed, clock.now())
        for i, (key, label) in enumerate(INSPECTIONS):
            who = QLineEdit()
            when = datetime_edit(proposed[i])
            mark = QLabel()
            mark.setStyleSheet(WARNING_STYLE)
            mark.hide()
            reset = QToolButton()
            reset.setAutoRaise(True)
            reset.hide()
            reset.setObjectName(f"{key}_reset")
            reset.clicked.connect(lambda _c=False, k=key: self.reset_time(k))
            when.dateTimeChanged.connect(lambda _v, k=key: self._time_edited(k))
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(who, 1)
            line.addWidget(when)
            line.addWidget(mark)
            line.addWidget(reset)
            d.field(f"{key}_inspector", label, box, required=True, form=form)
            d.errors.register(f"{key}_inspector", who)  # focus the name, not the box
            d.errors.register(f"{key}_inspected_at", when, line_of=f"{key}_inspector")
            self.inspections[key] = (who, when)
            self.edited[key] = False
            self.edited_marks[key] = mark
            self.reset_buttons[key] = reset
        self.terms = QLabel()
        self.terms.setWordWrap(True)
        form.addRow(self.terms)
        self._default_type = repair_type
        self.repair_type.currentIndexChanged.connect(lambda _i: self.show_terms())
        self.completed_on.dateChanged.connect(lambda _d: self.show_terms())
        self.completed_on.dateChanged.connect(lambda _d: self.follow_completion())
        self.completed_km.valueChanged.connect(lambda _v: self.show_terms())

    # --- inspection times --------------------------------------------------------------

    def follow_completion(self) -> None:
        """Move the times not set by hand to the new completion date."""
        proposed = warranty.inspection_times(date_value(self.completed_on), clock.now())
        self._moving = True
        try:
            for i, (key, (_who, when)) in enumerate(self.inspections.items()):
                if not self.edited[key]:
                    when.setDateTime(proposed[i])
        finally:
            self._moving = False

    def _time_edited(self, key: str) -> None:
        if not self._moving:
            self._set_edited(key, True)

    def _set_edited(self, key: str, edited: bool) -> None:
        self.edited[key] = edited
        self.edited_marks[key].setVisible(edited)
        self.reset_buttons[key].setVisible(edited)

    def reset_time(self, key: str) -> None:
        """Back to the time the completion date gives, following it again."""
        self._set_edited(key, False)
        self.follow_completion()

    def retranslate(self) -> None:
        for key in self.inspections:
            self.edited_marks[key].setText(_("edited"))
            self.edited_marks[key].setToolTip(
                _("Set by hand: it no longer follows the completion date."))
            self.reset_buttons[key].setText(_("Reset"))
            self.reset_buttons[key].setToolTip(_("Follow the completion date again."))
        fill_combo(self.repair_type, [(t, type_name(t)) for t in self._types()])
        if self._default_type:
            select_data(self.repair_type, self._default_type)
            self._default_type = ""
        self.material_label.setText(_("Material (CNY)"))
        self.certificate_no.setPlaceholderText(_("竣工出厂合格证 no."))
        for key, (who, _when) in self.inspections.items():
            who.setPlaceholderText(_("Inspector") if key != "self" else _("Mechanic"))
        self.show_terms()

    def _types(self) -> list[str]:
        """The types the table has a row for on this vehicle class (docs/rules.md)."""
        try:
            rows = warranty.terms_table(date_value(self.completed_on))
        except DomainError:
            return list(REPAIR_TYPES)
        have = {t.repair_type for t in rows if t.vehicle_class == self.vehicle_class}
        return [t for t in REPAIR_TYPES if t in have] or list(REPAIR_TYPES)

    def show_terms(self) -> None:
        repair_type = text_value(self.repair_type)
        if not repair_type:
            self.terms.setText("")
            return
        day = date_value(self.completed_on)
        try:
            terms = warranty.terms_on(self.vehicle_class, repair_type, day)
        except DomainError as err:
            self.terms.setText(err.message())
            return
        self.terms.setText(_("Warranty: {km} km or {days} days, whichever comes first — until "
                             "{day} or {reading} km.").format(
            km=format_number(terms.km), days=terms.days,
            day=format_date(day + timedelta(days=terms.days)),
            reading=format_number(self.completed_km.value() + terms.km)))

    def input(self) -> RepairInput:
        values = {}
        for key, (who, when) in self.inspections.items():
            values[f"{key}_inspector"] = who.text()
            values[f"{key}_inspected_at"] = edit_value(when)
        return RepairInput(
            repair_type=text_value(self.repair_type),
            work_done=self.work_done.toPlainText(), parts_used=self.parts_used.toPlainText(),
            labour_amount=self.labour_amount.text(), material_amount=self.material_amount.text(),
            completed_on=date_value(self.completed_on), completed_km=self.completed_km.value(),
            certificate_no=self.certificate_no.text(), **values)


class RepairDialog(FormDialog):
    """Record a finished repair on a vehicle."""

    changes = Changes(warranty=True)

    def __init__(self, session, vehicle: VehicleRow, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = warranty.record_repair
        self.vehicle = vehicle
        self.fields = RepairFields(self, vehicle.vehicle_class)
        self.form.addRow(self.fields.group)
        self.setMinimumWidth(620)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.fields.retranslate()
        self.setWindowTitle(_("Finished repair — {plate}").format(plate=self.vehicle.plate))

    def kwargs(self) -> dict:
        return dict(vehicle_id=self.vehicle.id, data=self.fields.input())
