"""The translation layer: gettext catalogs under i18n/ and babel formatting (docs/rules.md).

Every kind of value has one formatter here (dates, money, numbers, durations), and a name
stored in both languages is picked by ``localized``: the window, the command line and the
documents all call these, so they never word the same thing two ways (docs/design.md).
"""
from __future__ import annotations

import gettext as _gettext
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the log-in paints before (docs/design.md, Start-up)
    from datetime import date, datetime, timedelta
    from decimal import Decimal

DOMAIN = "complaintdesk"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "i18n"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_state = threading.local()
_catalogs: dict[str, _gettext.NullTranslations] = {}
_global_language = DEFAULT_LANGUAGE


def normalize(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    lang = lang.replace("-", "_")
    if lang.lower().startswith("zh"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    raise ValueError(lang)


def catalog(lang: str) -> _gettext.NullTranslations:
    lang = normalize(lang)
    if lang not in _catalogs:
        if lang == "en":  # msgids are English
            _catalogs[lang] = _gettext.NullTranslations()
        else:
            _catalogs[lang] = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang],
                                                   fallback=True)
    return _catalogs[lang]


def set_language(lang: str) -> None:
    """Set the program's language (all threads)."""
    global _global_language
    _global_language = normalize(lang)


def current_language() -> str:
    return getattr(_state, "lang", None) or _global_language


class language:
    """Context manager: translate in another language for a while (a document, a test)."""

    def __init__(self, lang: str):
        self.lang = normalize(lang)

    def __enter__(self):
        self.previous = getattr(_state, "lang", None)
        _state.lang = self.lang
        return self

    def __exit__(self, *exc):
        _state.lang = self.previous


def _(message: str) -> str:
    return catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with _()."""
    return message


# Each language by its translated name, with its own name added where that differs, so a user
# who cannot read the current language still finds theirs.
LANGUAGE_NAMES = {"zh_CN": (N_("Simplified Chinese"), "简体中文"), "en": (N_("English"), "English")}


def language_label(lang: str) -> str:
    """"简体中文" in Chinese, "Simplified Chinese (简体中文)" in English."""
    msgid, native = LANGUAGE_NAMES[lang]
    shown = _(msgid)
    return shown if shown == native else f"{shown} ({native})"


def localized(zh: str, en: str) -> str:
    """Of a name kept in both languages (a category, a time-limit rule), the one for the
    current language."""
    return zh if current_language() == "zh_CN" else en


class BilingualName:
    """A record named in both languages (``name_zh``, ``name_en``): ``name`` is the one for
    the current language."""

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


def babel_locale(lang: str | None = None) -> str:
    return "zh_Hans_CN" if normalize(lang or current_language()) == "zh_CN" else "en_US"


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """A moment as "2026-01-02 03:04" in both languages: babel's pattern "yyyy-MM-dd HH:mm"
    has no names and Latin digits in every locale we have, so it is written out here, without
    babel's locale data (a register screen calls this for every row it paints)."""
    if value is None:
        return ""
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}")


def warm_up(lang: str | None = None) -> None:
    """Load babel's data for ``lang`` (default: the current language) and its date and
    number modules, off the GUI thread, so the first screen that formats a date, a sum or a
    list does not pay for it (docs/design.md, Start-up). Safe from any thread: babel caches
    its locale data under a lock."""
    import babel.dates  # noqa: F401
    import babel.lists  # noqa: F401
    import babel.numbers  # noqa: F401
    from babel import Locale

    locale = Locale.parse(babel_locale(lang))
    locale.list_patterns  # noqa: B018 - the lazy data is loaded on first access


def format_date(value: date | None, lang: str | None = None, style: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_date as fmt

    return fmt(value, style, locale=babel_locale(lang))


def format_written(value: date | datetime | None, lang: str | None = None) -> str:
    """A date (or date and time) as a letter writes it in running text: "2026年9月25日11时22分",
    "25 September 2026, 11:22"; a date alone "2026年12月3日", "3 December 2026"."""
    if value is None:
        return ""
    from datetime import datetime

    from babel.dates import format_datetime as fmt

    zh = normalize(lang or current_language()) == "zh_CN"
    if isinstance(value, datetime):
        pattern = "y年M月d日H时mm分" if zh else "d MMMM y, HH:mm"
    else:
        value, pattern = datetime(value.year, value.month, value.day), \
            "y年M月d日" if zh else "d MMMM y"
    return fmt(value, pattern, locale=babel_locale(lang))


def format_money(value: Decimal | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    from babel.numbers import format_currency

    return format_currency(value, "CNY", locale=babel_locale(lang))


def format_number(value, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(lang))


def format_duration(span: timedelta) -> str:
    """A length of time in its two largest units: "1 d 3 h", "2 h 10 min", "5 min" (the
    sign is ignored; say "overdue" around it)."""
    minutes = int(abs(span).total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    d = ngettext("{n} d", "{n} d", days).format(n=days)
    h = ngettext("{n} h", "{n} h", hours).format(n=hours)
    m = ngettext("{n} min", "{n} min", mins).format(n=mins)
    if days:
        return f"{d} {h}" if hours else d
    if hours:
        return f"{h} {m}" if mins else h
    if mins:
        return m
    return _("less than a minute")
