"""Small input checks shared by the services; each raises a ValidationError for a field."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services import clock
from services.errors import ValidationError, tr_param
from services.i18n import N_


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise ValidationError(N_("{label} must not be empty."), field=field, label=tr_param(label))
    if len(text) > max_length:
        raise ValidationError(N_("{label} is too long ({length} characters; at most {max})."),
                              field=field, label=tr_param(label), length=len(text), max=max_length)
    return text


def clean_choice(value, choices, *, field: str, label: str) -> str:
    if value not in choices:
        raise ValidationError(N_("{label}: unknown choice {value}."), field=field,
                              label=tr_param(label), value=value)
    return value


def clean_phone(value, *, field: str = "phone", required: bool = False) -> str:
    text = ("" if value is None else str(value)).strip()
    if not text:
        if required:
            raise ValidationError(N_("Phone must not be empty."), field=field)
        return ""
    digits = text.replace(" ", "").replace("-", "").replace("+", "").replace("(", "").replace(
        ")", "")
    if not digits.isdigit() or not 5 <= len(digits) <= 20:
        raise ValidationError(N_("{phone} is not a phone number."), field=field, phone=text)
    return text


def clean_past_moment(value: datetime | None, *, field: str, label: str,
                      not_before: datetime | None = None) -> datetime:
    if value is None:
        raise ValidationError(N_("{label} must not be empty."), field=field, label=tr_param(label))
    value = value.replace(microsecond=0, tzinfo=None)
    # A few minutes of slack: two PCs' clocks are never exactly the same.
    if value > clock.now() + timedelta(minutes=5):
        raise ValidationError(N_("{label} cannot be in the future."), field=field,
                              label=tr_param(label))
    if value.year < 2000:
        raise ValidationError(N_("{label}: {year} is not a plausible year."), field=field,
                              label=tr_param(label), year=value.year)
    if not_before is not None and value < not_before:
        raise ValidationError(N_("{label} cannot be before {moment}."), field=field,
                              label=tr_param(label), moment=not_before.strftime("%Y-%m-%d %H:%M"))
    return value


MAX_AMOUNT = Decimal("10000000")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """An amount as a Decimal to the fen, rounded half up: a sum from SQL (SQLite sums
    NUMERIC columns as floats), a share of an estimate. None is 0.00. The one money helper
    of the services; the columns are models.base.MoneyField (docs/design.md)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def clean_amount(value, *, field: str = "amount", label: str = N_("Amount"),
                 allow_negative: bool = False) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(N_("{label}: {value} is not an amount."), field=field,
                              label=tr_param(label), value=value) from None
    if not amount.is_finite():
        raise ValidationError(N_("{label}: {value} is not an amount."), field=field,
                              label=tr_param(label), value=value)
    if amount < 0 and not allow_negative:
        raise ValidationError(N_("{label} cannot be negative."), field=field,
                              label=tr_param(label))
    if abs(amount) > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise ValidationError(N_("{label}: {value} is not a plausible amount."), field=field,
                              label=tr_param(label), value=value)
    return money(amount)
