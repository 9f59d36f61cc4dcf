"""The live warranty verdict (docs/rules.md): as the claim date and the odometer are typed, the
panel says in or out of warranty, which limit ended it, when and at what reading it expires,
and the days and km used and left. Pure arithmetic (``warranty.check``): no database per key."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from services import clock, warranty
from services.errors import DomainError
from services.i18n import N_, _, format_date, format_number
from services.warranty import ENDED_BY_NAMES, Terms, Verdict
from ui.warranty.common import km_spin, km_value
from ui.widgets.fields import date_edit, date_value
from ui.widgets.form_dialog import FieldErrors
from ui.widgets.texts import Texts

IN_STYLE = ("QLabel { background: #e6f4ea; color: #1e6b34; font-size: 14pt; font-weight: 600;"
            " padding: 6px 10px; border-radius: 4px; }")
OUT_STYLE = ("QLabel { background: #fdecea; color: #b3261e; font-size: 14pt; font-weight: 600;"
             " padding: 6px 10px; border-radius: 4px; }")
NONE_STYLE = ("QLabel { background: #f1f3f4; color: #5f6368; font-size: 14pt; padding: 6px 10px;"
              " border-radius: 4px; }")
FIELDS = ("claim_date", "claim_km")


class WarrantyStatusPanel(QFrame):
    """The claim date and odometer inputs with the verdict beside them. ``set_repair`` gives
    the repair (class, type, completion, its own terms); ``verdict_changed`` carries the new
    Verdict, or None while the input cannot be judged (``error`` then says why)."""

    verdict_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.texts = Texts()
        self._repair: dict | None = None
        self.verdict: Verdict | None = None
        self.error: DomainError | None = None

        self.claim_date = date_edit(clock.now().date())
        self.claim_km = km_spin(optional=True)
        self.claim_km.setObjectName("claim_km")
        self.claim_date.setObjectName("claim_date")
        self.errors = FieldErrors()  # under the two inputs

        inputs = QFormLayout()
        inputs.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, msgid, widget in (("claim_date", N_("Claim date"), self.claim_date),
                                     ("claim_km", N_("Odometer at claim"), self.claim_km)):
            label = QLabel()
            label.setBuddy(widget)
            self.texts.add(label.setText, msgid, " *")
            inputs.addRow(label, self.errors.wrap(field, widget))

        self.headline = QLabel()
        self.headline.setObjectName("verdict_headline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        self.rows: dict[str, QLabel] = {}
        for key, msgid in (("terms", N_("Terms")), ("ended_by", N_("Ended by")),
                           ("expires", N_("Expires")), ("used", N_("Used")),
                           ("left", N_("Left"))):
            label, value = QLabel(), QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.texts.add(label.setText, msgid, ":")
            facts.addRow(label, value)
            self.values[key], self.rows[key] = value, label
        self._facts = facts

        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addWidget(self.headline)
        layout.addLayout(facts)

        # The verdict follows every keystroke and every date pick (docs/rules.md).
        self.claim_date.dateChanged.connect(lambda _d: self.recompute())
        self.claim_km.valueChanged.connect(lambda _v: self.recompute())
        self.retranslate()

    # --- input ------------------------------------------------------------------------------

    def set_repair(self, *, vehicle_class: str, repair_type: str, completed: date,
                   completed_km: int, terms: Terms | None = None) -> None:
        self._repair = dict(vehicle_class=vehicle_class, repair_type=repair_type,
                            completed=completed, completed_km=completed_km, terms=terms)
        self.recompute()

    def set_repair_row(self, repair) -> None:
        """From a ``warranty.RepairRow``: judged by the repair's own terms."""
        self.set_repair(vehicle_class=repair.vehicle_class, repair_type=repair.repair_type,
                        completed=repair.completed_on, completed_km=repair.completed_km,
                        terms=repair.terms)

    def set_claim(self, claim_date: date, claim_km: int | None) -> None:
        self.claim_date.setDate(claim_date)
        self.claim_km.setValue(-1 if claim_km is None else claim_km)

    def claim_values(self) -> tuple[date, int | None]:
        return date_value(self.claim_date), km_value(self.claim_km)

    # --- output -----------------------------------------------------------------------------

    def recompute(self) -> None:
        verdict, error = None, None
        if self._repair is not None:
            claim_date, claim_km = self.claim_values()
            try:
                verdict = warranty.check(self._repair["vehicle_class"],
                                         self._repair["repair_type"], self._repair["completed"],
                                         self._repair["completed_km"], claim_date, claim_km,
                                         self._repair["terms"])
            except DomainError as err:
                error = err
        self.verdict, self.error = verdict, error
        self._show()
        self.verdict_changed.emit(verdict)

    def show_field_error(self, err: DomainError) -> bool:
        """Show a service error at the claim date or odometer; False if it is about neither."""
        if err.field not in FIELDS:
            return False
        self.errors.set_field(err.field, err.message)
        return True

    def _show(self) -> None:
        v, err = self.verdict, self.error
        for field in FIELDS:
            self.errors.set_field(field, None)
        if err is not None and err.field in FIELDS:
            missing = err.field == "claim_km" and km_value(self.claim_km) is None
            if not missing:  # an empty odometer is not an error yet, just not typed
                self.show_field_error(err)
        if v is None:
            self.headline.setStyleSheet(NONE_STYLE)
            if err is not None and err.field not in FIELDS:
                self.headline.setText(err.message())
            elif self._repair is None:
                self.headline.setText(_("Choose a finished repair"))
            else:
                self.headline.setText(_("Enter the claim date and the odometer reading"))
            self.headline.setWordWrap(True)
            for value in self.values.values():
                value.setText("—")
            self._facts.setRowVisible(self.rows["ended_by"], False)
            return
        self.headline.setStyleSheet(IN_STYLE if v.in_warranty else OUT_STYLE)
        self.headline.setText(_("In warranty") if v.in_warranty else _("Out of warranty"))
        km = format_number
        self.values["terms"].setText(_("{km} km or {days} days, whichever comes first").format(
            km=km(v.km_limit), days=v.day_limit))
        self._facts.setRowVisible(self.rows["ended_by"], not v.in_warranty)
        if v.ended_by:
            text = _(ENDED_BY_NAMES[v.ended_by])
            if v.days_used > v.day_limit and v.km_used > v.km_limit:
                text = _("{limit} (both limits are passed; the first reached, assuming even "
                         "driving)").format(limit=text)
            self.values["ended_by"].setText(text)
        self.values["expires"].setText(_("{day} or at {km} km").format(
            day=format_date(v.expires_on), km=km(v.expires_at_km)))
        self.values["used"].setText(_("{days} days, {km} km").format(days=v.days_used,
                                                                      km=km(v.km_used)))
        self.values["left"].setText(_("{days} days, {km} km").format(days=v.days_left,
                                                                      km=km(v.km_left)))

    def retranslate(self) -> None:
        self.texts.apply()
        self.claim_km.setToolTip(_("The odometer reading when the customer came back; lower "
                                   "than at completion is refused (possible rollback)."))
        self._show()
