"""The translation layer: gettext catalogs under i18n/ and babel formatting (docs/rules.md).

Every kind of value has one formatter here (dates, money, numbers, durations), and a name
stored in both languages is picked by ``localized``: the window, the command line and the
documents all call these, so they never word the same thing two ways (docs/design.md).
"""
from __future__ import annotations

import gettext as _gettext
import struct
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
            _catalogs[lang] = _load(lang)
    return _catalogs[lang]


def _load(lang: str) -> _gettext.NullTranslations:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        return SortedMoCatalog(path.read_bytes())
    except (OSError, ValueError):  # no file, or not a catalog it can search: the standard way
        return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


class SortedMoCatalog(_gettext.NullTranslations):
    """A compiled catalog (.mo) searched where it lies: its table of original strings is
    sorted (as babel and msgfmt write it), so a message is found by bisection and its
    translation decoded when first asked for, then kept. The standard reader decodes all
    2,000 messages at load, 7 ms before the log-in's first paint (docs/design.md,
    Start-up). Gives what ``gettext.GNUTranslations`` gives for the same file
    (tests/test_i18n.py compares every message); raises ValueError for a file it cannot
    search this way (then the standard reader is used)."""

    def __init__(self, data: bytes):
        super().__init__()
        if len(data) < 28:
            raise ValueError("not a catalog")
        magic, revision, self._n, self._originals, self._translations = \
            struct.unpack_from("<5I", data)
        if magic != 0x950412DE or revision >> 16:
            raise ValueError("not a little-endian catalog of a known revision")
        self._data = data
        self._found: dict = {}
        header = self._translation(self._index(b"")) or ""
        info = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
        charset = info.get("Content-Type", "").partition("charset=")[2].strip().lower()
        if charset and charset not in ("utf-8", "utf8"):
            raise ValueError(f"charset {charset}")
        forms = info.get("Plural-Forms", "")
        self.plural = _gettext.c2py(forms.split(";")[1].split("plural=")[1]) \
            if "plural=" in forms else (lambda n: int(n != 1))

    def _original(self, i: int) -> bytes:
        length, offset = struct.unpack_from("<2I", self._data, self._originals + 8 * i)
        return self._data[offset:offset + length]

    def _index(self, key: bytes, *, prefix: bool = False) -> int | None:
        """The entry whose original is ``key`` (or, ``prefix``, starts with it)."""
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._original(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n:
            found = self._original(lo)
            if found == key or (prefix and found.startswith(key)):
                return lo
        return None

    def _translation(self, i: int | None) -> str | None:
        if i is None:
            return None
        length, offset = struct.unpack_from("<2I", self._data, self._translations + 8 * i)
        return self._data[offset:offset + length].decode("utf-8")

    def _forms(self, msgid1: str) -> tuple[str, ...]:
        """The plural forms of the entry whose singular is ``msgid1`` (its original is
        "singular\\0plural"), or ()."""
        key = (msgid1,)
        forms = self._found.get(key)
        if forms is None:
            text = self._translation(self._index(msgid1.encode("utf-8") + b"\0", prefix=True))
            forms = self._found[key] = () if text is None else tuple(text.split("\0"))
        return forms

    def _form(self, msgid1: str, n: int) -> str | None:
        forms = self._forms(msgid1)
        index = self.plural(n)
        return forms[index] if 0 <= index < len(forms) else None

    def gettext(self, message: str) -> str:
        found = self._found.get(message)
        if found is None:
            text = self._translation(self._index(message.encode("utf-8")))
            if text is None:  # as gettext does: a plural entry's form for one
                text = self._form(message, 1)
            found = self._found[message] = message if text is None else text
        return found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = self._form(msgid1, n)
        if text is not None:
            return text
        return msgid1 if n == 1 else msgid2


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
    if type(value) is int:  # a count: grouped by threes with "," in both languages, as babel
        return f"{value:,}"  # writes it, without its locale data (the register's first paint)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(lang))


# babel's list patterns (CLDR "standard") for our two languages: (two, start, middle, end).
_LIST_PATTERNS = {
    "zh_CN": ("{0}和{1}", "{0}、{1}", "{0}、{1}", "{0}和{1}"),
    "en": ("{0} and {1}", "{0}, {1}", "{0}, {1}", "{0}, and {1}"),
}


def format_list(items: list[str], lang: str | None = None) -> str:
    """"Manager and Owner", "经理和总经理", "A, B, and C", "甲、乙和丙": what babel's
    ``format_list`` gives, without loading its locale data (the status bar at start)."""
    if len(items) < 2:
        return items[0] if items else ""
    two, start, middle, end = _LIST_PATTERNS[normalize(lang or current_language())]
    if len(items) == 2:
        return two.format(*items)
    text = start.format(items[0], items[1])
    for item in items[2:-1]:
        text = middle.format(text, item)
    return end.format(text, items[-1])


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
