"""Every user-visible string has its Chinese translation (rules.md §9, docs/design.md)."""
from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "i18n" / "zh_CN" / "LC_MESSAGES" / "complaintdesk.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def _source_msgids() -> set[str]:
    found = set()
    for folder in ("models", "services", "ui"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def test_every_source_string_is_translated():
    catalog = _catalog()
    missing = []
    for msgid in sorted(_source_msgids()):
        entry = catalog.get(msgid)
        text = entry.string if entry else None
        if isinstance(text, tuple):
            text = text[0]
        if not text or (entry and entry.fuzzy):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:10]}"


def test_every_plural_is_a_plural_entry():
    """ngettext finds only a plural entry (msgid and msgid_plural): a singular entry of the
    same text leaves the window in English ("1,000+ complaints" did, for a while)."""
    catalog = _catalog()
    plurals = set()
    for folder in ("models", "services", "ui"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            if isinstance(message, tuple):
                plurals.add(message)
    wrong = [m for m in sorted(plurals)
             if not (catalog.get(m[0]) and isinstance(catalog.get(m[0]).id, tuple)
                     and catalog.get(m[0]).id[1] == m[1])]
    assert plurals and wrong == []


def test_placeholders_survive_translation():
    wrong = []
    for entry in _catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(FIELD.findall(ids[-1]))
        for s in strings:
            if s and set(FIELD.findall(s)) != expected:
                wrong.append(entry.id)
    assert wrong == []


def test_compiled_catalog_is_up_to_date():
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for entry in _catalog():
        if not entry.id or not entry.string or entry.fuzzy:
            continue
        if isinstance(entry.id, tuple):
            if compiled.ngettext(entry.id[0], entry.id[1], 1) != entry.string[0]:
                stale.append(entry.id[0])
        elif compiled.gettext(entry.id) != entry.string:
            stale.append(entry.id)
    assert stale == [], f"run pybabel compile: {stale[:5]}"


def test_language_switch_changes_messages():
    from services.errors import StateError
    from services.i18n import language

    err = StateError("Archived complaints are read-only.")
    with language("en"):
        english = err.message()
    with language("zh_CN"):
        chinese = err.message()
    assert english == "Archived complaints are read-only."
    assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese)


def test_the_lazy_catalog_reader_gives_what_the_standard_one_gives():
    # services.i18n searches the compiled catalog where it lies (docs/design.md, Start-up);
    # every message, every plural form and a few strangers must come out as gettext's own.
    from services.i18n import SortedMoCatalog

    with MO.open("rb") as f:
        standard = gettext.GNUTranslations(f)
    lazy = SortedMoCatalog(MO.read_bytes())
    singles = [k for k in standard._catalog if isinstance(k, str)]
    plurals = {k[0] for k in standard._catalog if isinstance(k, tuple)}
    assert len(singles) > 1000 and plurals
    for msgid in singles:
        assert lazy.gettext(msgid) == standard.gettext(msgid), msgid
    for msgid in plurals:
        for n in range(6):
            assert lazy.ngettext(msgid, msgid + " (many)", n) == \
                standard.ngettext(msgid, msgid + " (many)", n), (msgid, n)
        assert lazy.gettext(msgid) == standard.gettext(msgid)  # a plural entry's singular
    for stranger in ("", "No such message", "Complaints\x00", "zzz", "\x00"):
        assert lazy.gettext(stranger) == standard.gettext(stranger), stranger
        assert lazy.ngettext(stranger, "many", 2) == standard.ngettext(stranger, "many", 2)


def test_the_lazy_catalog_reader_refuses_what_it_cannot_search():
    import pytest

    from services.i18n import SortedMoCatalog

    for data in (b"", b"\x00" * 40, MO.read_bytes()[::-1]):
        with pytest.raises(ValueError):
            SortedMoCatalog(data)


def test_counts_and_lists_are_written_as_babel_writes_them_in_both_languages():
    """services.i18n formats counts and short lists without babel's locale data (the first
    paint does not load it): the same text as babel, for random values, in both languages."""
    import random

    from babel.lists import format_list as babel_list
    from babel.numbers import format_decimal

    from services import i18n

    rng = random.Random(5)
    words = ["经理", "总经理", "Owner", "Manager", "部门负责人", "a", "b, c", "和"]
    for lang in ("zh_CN", "en"):
        locale = i18n.babel_locale(lang)
        for _ in range(2000):
            n = rng.choice([rng.randint(-10 ** 7, 10 ** 7), rng.randint(0, 10 ** 12),
                            rng.randint(0, 9999)])
            assert i18n.format_number(n, lang) == format_decimal(n, locale=locale)
        for size in range(0, 7):
            for _ in range(20):
                items = [rng.choice(words) for _ in range(size)]
                assert i18n.format_list(items, lang) == babel_list(items, locale=locale), items
