"""What the warranty dialogs share: a form dialog whose service errors appear under the field
they name, and the date, odometer and money inputs (SPEC §6)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.errors import DomainError
from services.i18n import _
from services.people.permissions import roles_of
from services.warranty import (
    RECORDERS,
    REPAIR_TYPE_NAMES,
    VEHICLE_CLASS_NAMES,
    VEHICLE_CLASS_SHORT,
)
from ui.complaint.common import FieldErrors, Texts, with_error_line

MAX_KM = 10_000_000
WARNING_STYLE = "color: #8a5300;"
DATE_FORMAT = "yyyy-MM-dd"


def may_record(user) -> bool:
    """Whether the user may record vehicles, repairs and claims (the service checks again)."""
    return bool(roles_of(user) & set(RECORDERS))


def class_name(code: str) -> str:
    return _(VEHICLE_CLASS_NAMES[code]) if code in VEHICLE_CLASS_NAMES else code


def short_class_name(code: str) -> str:
    return _(VEHICLE_CLASS_SHORT[code]) if code in VEHICLE_CLASS_SHORT else code


def compact_rows(table) -> None:
    """Rows as high as a line of text, as in the other lists."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def type_name(code: str) -> str:
    return _(REPAIR_TYPE_NAMES[code]) if code in REPAIR_TYPE_NAMES else code


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setDate(value)
    return edit


def date_value(edit: QDateEdit) -> date:
    return edit.date().toPython()


def km_spin(*, optional: bool = False) -> QSpinBox:
    """An odometer reading in whole km. ``optional``: it starts empty (-1) and an empty value
    means "not given" — a missing odometer is refused by the service, never taken as 0."""
    spin = QSpinBox()
    spin.setRange(-1 if optional else 0, MAX_KM)
    spin.setGroupSeparatorShown(True)
    spin.setSuffix(" km")
    spin.setAccelerated(True)
    if optional:
        spin.setSpecialValueText(" ")
        spin.setValue(-1)
    return spin


def km_value(spin: QSpinBox) -> int | None:
    return None if spin.value() < 0 else spin.value()


def money_edit(value: str = "") -> QLineEdit:
    edit = QLineEdit(value)
    edit.setValidator(QRegularExpressionValidator(
        QRegularExpression(r"[0-9]{0,8}([.][0-9]{0,2})?"), edit))
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    edit.setPlaceholderText("0.00")
    return edit


class FormDialog(QDialog):
    """A dialog of labelled fields with an error line under each. ``perform()`` calls the
    service; a DomainError is shown at its field (or on top) and the dialog stays open; on
    success it closes, keeps the result in ``result_value`` and tells the session."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result_value = None
        self.texts = Texts()
        self.general = QLabel()
        self.errors = FieldErrors(self.general)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.general)
        self.layout_.addLayout(self.form)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.buttons)
        session.language_changed.connect(self._language_changed)

    def field(self, name: str, msgid: str, widget: QWidget, *, required: bool = False,
              form: QFormLayout | None = None, error_name: str | None = None) -> QWidget:
        """Add a labelled row; the service's ``field`` ``name`` shows its errors under it."""
        box, error = with_error_line(widget)
        label = QLabel()
        label.setBuddy(widget)
        label.setWordWrap(True)
        self.texts.add(label.setText, msgid, " *" if required else "")
        (form or self.form).addRow(label, box)
        self.errors.register(error_name or name, widget, error)
        return widget

    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def perform(self):  # pragma: no cover - each dialog says what it does
        raise NotImplementedError

    def submit(self) -> bool:
        self.errors.clear()
        try:
            result = self.perform()
        except DomainError as err:
            self.show_error(err)
            return False
        self.result_value = result
        self.accept()
        self.session.notify("warranty")
        return True

    def show_error(self, err: DomainError) -> None:
        self.errors.show(err)

    def error_text(self, name: str) -> str:
        """The message shown at a field, "" if none (tests, accessibility)."""
        return self.errors.message(name)


