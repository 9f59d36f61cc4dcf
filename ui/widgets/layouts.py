"""Rows, columns and boxes built from a list of their parts, so a screen says what it holds in
one call instead of one ``addWidget`` a line (docs/design.md)."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QBoxLayout,
    QGroupBox,
    QHBoxLayout,
    QLayout,
    QVBoxLayout,
    QWidget,
)

STRETCH = None  # a part that takes the spare room


def _filled(layout: QBoxLayout, parts: Iterable, tight: bool) -> QBoxLayout:
    """``STRETCH`` (None) is a stretch, an int a fixed space, a widget or a layout goes in as it
    is, and a (widget or layout, stretch) pair takes that share of the spare room. ``tight``:
    no margins (a row inside another layout)."""
    if tight:
        layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        part, stretch = part if isinstance(part, tuple) else (part, 0)
        if part is STRETCH:
            layout.addStretch(1)
        elif isinstance(part, int):
            layout.addSpacing(part)
        elif isinstance(part, QLayout):
            layout.addLayout(part, stretch)
        else:
            layout.addWidget(part, stretch)
    return layout


def hbox(*parts, parent: QWidget | None = None, tight: bool = False) -> QHBoxLayout:
    """A row of ``parts`` (see ``_filled``), on ``parent`` if given."""
    return _filled(QHBoxLayout(parent), parts, tight)


def vbox(*parts, parent: QWidget | None = None, tight: bool = False) -> QVBoxLayout:
    """A column of ``parts`` (see ``_filled``), on ``parent`` if given."""
    return _filled(QVBoxLayout(parent), parts, tight)


def panel(*parts, horizontal: bool = False) -> QWidget:
    """A widget holding ``parts`` in a column (or a row) without margins: a part of a splitter
    or of a form row."""
    widget = QWidget()
    (hbox if horizontal else vbox)(*parts, parent=widget, tight=True)
    return widget


def group(*parts) -> QGroupBox:
    """A titled box holding ``parts`` in a column; the caller sets (and retranslates) the title."""
    box = QGroupBox()
    vbox(*parts, parent=box)
    return box

