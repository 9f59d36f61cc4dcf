"""Vehicle identifiers: mainland plate numbers (GA 36) and VINs (ISO 3779 / GB 16735)."""
from __future__ import annotations

import re
import unicodedata

from services.errors import ValidationError
from services.i18n import N_, _

# 省、自治区、直辖市简称 that start a mainland plate.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_SUFFIXES = "学警港澳挂领试超"
_LETTER = "A-HJ-NP-Z"  # plates never use I or O (they look like 1 and 0)
_PLATE_FORMS = (
    # 京A12345: a letter for the issuing office, then five letters or digits.
    re.compile(rf"[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{5}}"),
    # 川A1234学, 粤Z1234港: four, then a suffix for learner, police, HK/Macao, trailer …
    re.compile(rf"[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{PLATE_SUFFIXES}]"),
    # New-energy, six after the office letter: small vehicles D/F first (沪AD12345),
    # large vehicles D/F last (粤B12345D).
    re.compile(rf"[{PROVINCES}][{_LETTER}][DF][{_LETTER}0-9][0-9]{{4}}"),
    re.compile(rf"[{PROVINCES}][{_LETTER}][0-9]{{5}}[DF]"),
)
_PLATE_EXAMPLES = "京A12345, 沪AD12345, 粤B12345D, 川A1234学"
_SEPARATORS = re.compile(r"[\s·•.\-_]+")

_ERR_PLATE_EMPTY = N_("Give the plate number.")
_ERR_PLATE_PROVINCE = N_("{plate}: a mainland plate starts with the short name of a province "
                         "(京, 沪, 粤 …). For a foreign or temporary plate, choose \"Other "
                         "plate\".")
_ERR_PLATE_LETTER = N_("{plate}: the second character must be a letter A–Z other than I and "
                       "O.")
_ERR_PLATE_IO = N_("{plate}: plates do not use the letters I and O; did you mean 1 or 0?")
_ERR_PLATE_FORM = N_("{plate} does not fit the mainland format, e.g. {examples}. For a "
                     "foreign or temporary plate, choose \"Other plate\".")
_ERR_PLATE_LONG = N_("The plate number is too long (at most 20 characters).")


def normalize_plate(text) -> str:
    """Upper case, full-width folded, without spaces or separators: "粤b·12345d" → 粤B12345D."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).upper()
    return _SEPARATORS.sub("", text)


def validate_plate(text, allow_other: bool = False) -> str:
    """The plate, normalized; a ValidationError (field "plate") saying what does not fit.

    ``allow_other`` (the "Other plate" override for foreign and temporary plates) accepts any
    non-empty text; the caller records that the format was not checked."""
    plate = normalize_plate(text)
    if not plate:
        raise ValidationError(_ERR_PLATE_EMPTY, field="plate")
    if len(plate) > 20:
        raise ValidationError(_ERR_PLATE_LONG, field="plate")
    if allow_other:
        return plate
    if any(form.fullmatch(plate) for form in _PLATE_FORMS):
        return plate
    if plate[0] not in PROVINCES:
        raise ValidationError(_ERR_PLATE_PROVINCE, field="plate", plate=plate)
    if len(plate) < 2 or not re.fullmatch(f"[{_LETTER}]", plate[1]):
        raise ValidationError(_ERR_PLATE_LETTER, field="plate", plate=plate)
    if "I" in plate or "O" in plate:
        raise ValidationError(_ERR_PLATE_IO, field="plate", plate=plate)
    raise ValidationError(_ERR_PLATE_FORM, field="plate", plate=plate,
                          examples=_PLATE_EXAMPLES)


# --- VIN -------------------------------------------------------------------------------------

VIN_LENGTH = 17
_VIN_CHARS = re.compile(r"[A-HJ-NPR-Z0-9]{17}")  # ISO 3779: never I, O or Q
_VIN_VALUES = {**{str(d): d for d in range(10)},
               **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# Where the 9th character must be the check digit: China (GB 16735, WMI L…) and North
# America (1–5). Elsewhere (Europe, Japan …) it may be a plain serial character.
_CHECKED_REGIONS = "L12345"


def normalize_vin(text) -> str:
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).upper()
    return _SEPARATORS.sub("", text)


def vin_check_digit(vin: str) -> str:
    """The check digit a 17-character VIN should carry at position 9 (remainder 10 = X)."""
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def clean_vin(text) -> tuple[str, list[str]]:
    """The VIN normalized, and warnings (translated) about it; ValidationError (field "vin")
    unless it is 17 characters of A–Z and 0–9 without I, O and Q."""
    vin = normalize_vin(text)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(N_("A VIN has 17 characters; {vin} has {n}."), field="vin",
                              vin=vin, n=len(vin))
    if not _VIN_CHARS.fullmatch(vin):
        bad = sorted({ch for ch in vin if not re.fullmatch(r"[A-HJ-NPR-Z0-9]", ch)})
        raise ValidationError(N_("A VIN uses only the letters A–Z without I, O and Q, and the "
                                 "digits 0–9; {vin} has {chars}."), field="vin", vin=vin,
                              chars=" ".join(bad))
    warnings = []
    expected = vin_check_digit(vin)
    if vin[8] != expected:
        if vin[0] in _CHECKED_REGIONS:
            warnings.append(_("The check digit (9th character) of {vin} should be {digit}: "
                              "please compare the VIN with the vehicle's papers.").format(
                vin=vin, digit=expected))
        else:
            warnings.append(_("The 9th character of {vin} is not the check digit; vehicles "
                              "made outside China and North America may not use one, so "
                              "please compare the VIN with the papers.").format(vin=vin))
    return vin, warnings


def validate_vin(text) -> list[str]:
    """Warnings about a VIN (a wrong check digit is a warning, never a refusal)."""
    return clean_vin(text)[1]
