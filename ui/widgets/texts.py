"""Labels that show a msgid, re-applied in the new language by ``retranslate()``."""
from __future__ import annotations

from collections.abc import Callable

from services.i18n import _


class Texts:
    """Remembers which msgid each label shows, so ``apply()`` can re-apply them all."""

    def __init__(self):
        self._items: list[tuple[Callable[[str], None], str, str]] = []

    def add(self, setter: Callable[[str], None], msgid: str, suffix: str = "") -> None:
        self._items.append((setter, msgid, suffix))
        setter(_(msgid) + suffix)

    def apply(self) -> None:
        for setter, msgid, suffix in self._items:
            setter(_(msgid) + suffix)
