"""Small input checks shared by the services; each raises a ValidationError for a field."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services import clock
from services.errors import ValidationError, tr_param
from services.i18n import N_

# docs/design.md, When something fails: what the user types is bounded here, at the service
# edge, to what both databases store — a text no longer than its column (PostgreSQL refuses
# more, SQLite would keep it), no NUL or control character, no broken text; numbers and
# years inside the columns' range.
MAX_INT = 2**31 - 1  # an IntegerField or an id (serial) on PostgreSQL; SQLite allows 2**63-1
MIN_YEAR, MAX_YEAR = 2000, 2100
# A field longer than this is taken as multi-line text (a description, a note) unless the
# caller says otherwise; tab and line breaks are allowed there only.
MULTILINE_FROM = 300
# Control characters (Unicode category Cc: C0, DEL, C1) and lone surrogates; the multi-line
# pattern lets tab and line breaks through.
_BAD_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_characters(text: str, *, field: str, label: str, multiline: bool) -> str:
    """Refuse NUL and other control characters (tab and line breaks only in multi-line text)
    and lone surrogates (text that was not valid UTF-8). Returns ``text``."""
    bad = (_BAD_MULTILINE if multiline else _BAD_ONE_LINE).search(text)
    if bad is None:
        return text
    position = bad.start() + 1
    if 0xD800 <= ord(bad.group()) <= 0xDFFF:
        raise ValidationError(N_("{label} contains broken text at character {position} (not "
                                 "valid UTF-8); type or paste it again."), field=field,
                              label=tr_param(label), position=position)
    raise ValidationError(N_("{label} contains a control character at character {position} "
                             "(such as NUL or a line break where one line is expected); remove "
                             "it."), field=field, label=tr_param(label), position=position)


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True,
               multiline: bool | None = None) -> str:
    """A text of at most ``max_length`` characters — the column's size (models/) — without
    control characters (``multiline``: tab and line breaks allowed; default: fields longer
    than MULTILINE_FROM)."""
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise ValidationError(N_("{label} must not be empty."), field=field, label=tr_param(label))
    if len(text) > max_length:
        raise ValidationError(N_("{label} is too long ({length} characters; at most {max})."),
                              field=field, label=tr_param(label), length=len(text), max=max_length)
    if multiline is None:
        multiline = max_length > MULTILINE_FROM
    return check_characters(text, field=field, label=label, multiline=multiline)


def clean_int(value, *, field: str, label: str, minimum: int = 0,
              maximum: int = MAX_INT) -> int:
    """A whole number from ``minimum`` to ``maximum`` (default: what an integer column holds
    on both databases), never an OverflowError further down."""
    if isinstance(value, bool):
        value = None
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(N_("{label}: {value} is not a whole number."), field=field,
                              label=tr_param(label), value=_shown(value)) from None
    if not minimum <= number <= maximum:
        raise ValidationError(N_("{label}: {value} is not between {min} and {max}."),
                              field=field, label=tr_param(label), value=_shown(number),
                              min=minimum, max=maximum)
    return number


def clean_id(value, *, field: str, label: str) -> int:
    """A row's id: 1 to 2**31-1 (a serial column on PostgreSQL)."""
    return clean_int(value, field=field, label=label, minimum=1)


def clean_year(year: int, *, field: str, label: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(N_("{label}: {year} is not a plausible year."), field=field,
                              label=tr_param(label), year=year)
    return year


def clean_day(value: date | None, *, field: str, label: str) -> date:
    """A day the user gave, in the years 2000–2100 (date arithmetic near year 9999 fails)."""
    if value is None:
        raise ValidationError(N_("{label} must not be empty."), field=field, label=tr_param(label))
    clean_year(value.year, field=field, label=label)
    return value


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


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
    if not digits.isdigit() or not 5 <= len(digits) <= 20 or len(text) > 50:  # 50: the column
        raise ValidationError(N_("{phone} is not a phone number."), field=field, phone=text)
    return text


def clean_past_moment(value: datetime | None, *, field: str, label: str,
                      not_before: datetime | None = None) -> datetime:
    if value is None:
        raise ValidationError(N_("{label} must not be empty."), field=field, label=tr_param(label))
    value = value.replace(microsecond=0, tzinfo=None)
    if value.year > MAX_YEAR:
        clean_year(value.year, field=field, label=label)
    # A few minutes of slack: two PCs' clocks are never exactly the same.
    if value > clock.now() + timedelta(minutes=5):
        raise ValidationError(N_("{label} cannot be in the future."), field=field,
                              label=tr_param(label))
    clean_year(value.year, field=field, label=label)
    if not_before is not None and value < not_before:
        raise ValidationError(N_("{label} cannot be before {moment}."), field=field,
                              label=tr_param(label), moment=not_before.strftime("%Y-%m-%d %H:%M"))
    return value


MAX_AMOUNT = Decimal("10000000")  # well inside MoneyField's DECIMAL(12, 2)
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
    text = str(value).replace(",", "").strip()
    if len(text) > 40:  # no amount of DECIMAL(12, 2) is written with more
        raise ValidationError(N_("{label}: {value} is not a plausible amount."), field=field,
                              label=tr_param(label), value=_shown(text))
    try:
        amount = Decimal(text)
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
