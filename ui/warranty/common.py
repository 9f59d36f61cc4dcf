"""What the warranty screens share: who may record, the names of classes and repair types,
and the odometer input (docs/rules.md)."""
from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

from services.i18n import _
from services.people import roles_of
from services.warranty import (
    RECORDERS,
    REPAIR_TYPE_NAMES,
    VEHICLE_CLASS_NAMES,
    VEHICLE_CLASS_SHORT,
)

MAX_KM = 10_000_000


def may_record(user) -> bool:
    """Whether the user may record vehicles, repairs and claims (the service checks again)."""
    return bool(roles_of(user) & set(RECORDERS))


def class_name(code: str) -> str:
    return _(VEHICLE_CLASS_NAMES[code]) if code in VEHICLE_CLASS_NAMES else code


def short_class_name(code: str) -> str:
    return _(VEHICLE_CLASS_SHORT[code]) if code in VEHICLE_CLASS_SHORT else code


def type_name(code: str) -> str:
    return _(REPAIR_TYPE_NAMES[code]) if code in REPAIR_TYPE_NAMES else code


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
