"""Help ▸ User guide (F1) and Help ▸ Keyboard shortcuts (docs/design.md, Help).

The guide is docs/guide/<language>.md, written for the front desk and the owner, with the
screenshots of docs/screenshots/ linked relatively; Qt renders the Markdown itself
(QTextBrowser with a Markdown source), so pictures resolve from the guide's own folder. A frozen
build bundles docs/guide and docs/screenshots (build.spec), found through services.install.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from services import install
from services.i18n import LANGUAGES, _, current_language

_MNEMONIC = re.compile(r"\s*\(&\w\)")


def guide_path(lang: str | None = None) -> Path:
    """The guide in ``lang`` (the program's language by default), else the English one."""
    lang = lang or current_language()
    folder = install.resource("docs", "guide")
    path = folder / f"{lang}.md"
    return path if path.exists() else folder / f"{LANGUAGES[-1]}.md"


def _fit(dialog: QWidget, width: int, height: int) -> None:
    screen = dialog.screen().availableGeometry()
    dialog.resize(min(width, screen.width() - 40), min(height, screen.height() - 80))


class GuideDialog(QDialog):
    """The user guide, non-modal: it can stay open beside the window it explains."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide_text")
        self.browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.load()
        _fit(self, 900, 760)

    def load(self, lang: str | None = None) -> None:
        self.path = guide_path(lang)
        self.setWindowTitle(_("User guide"))
        # A Markdown source: relative image links resolve against the guide's folder.
        self.browser.setSource(QUrl.fromLocalFile(str(self.path)),
                               QTextDocument.ResourceType.MarkdownResource)
        self._fit_images()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_images()

    def _fit_images(self) -> None:
        """Screenshots shrink to the text's width (never wider than themselves), so the
        guide reads without a horizontal scroll bar."""
        document = self.browser.document()
        width = max(200, self.browser.viewport().width() - 2 * int(document.documentMargin())
                    - 8)
        images = []  # (position, length, format): read first, then changed
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    images.append((fragment.position(), fragment.length(),
                                   fragment.charFormat().toImageFormat()))
                it += 1
            block = block.next()
        for position, length, image_format in images:
            image = document.resource(QTextDocument.ResourceType.ImageResource.value,
                                      QUrl(image_format.name()))
            natural = image.width() if hasattr(image, "width") else 0
            if not natural:
                continue
            scale = min(1.0, width / natural)
            if abs(image_format.width() - natural * scale) < 1:
                continue
            wanted = QTextImageFormat(image_format)
            wanted.setWidth(natural * scale)
            wanted.setHeight(image.height() * scale)
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(wanted)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) for every visible, enabled action of ``window`` that has a shortcut, in
    the order the actions were made, in the program's language."""
    rows: list[tuple[str, str]] = []
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if not keys or not action.isVisible() or not action.isEnabled():
            continue
        text = _MNEMONIC.sub("", action.text())  # "新建客户投诉(&N)…" → "新建客户投诉…"
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        text = text.rstrip("…").rstrip(".")
        rows.append((text, ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels([_("Action"), _("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (text, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(text))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        _fit(self, 520, 520)


def _show(parent: QWidget, name: str, make) -> QDialog:
    dialog = parent.findChild(QDialog, name, Qt.FindChildOption.FindDirectChildrenOnly)
    if dialog is None or not dialog.isVisible():  # a closed one is on its way out
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_guide(parent: QWidget) -> GuideDialog:
    dialog = _show(parent, "guide_dialog", lambda: GuideDialog(parent))
    if dialog.path != guide_path():  # the language changed since it was opened
        dialog.load()
    return dialog


def show_shortcuts(window: QWidget) -> ShortcutsDialog:
    return _show(window, "shortcuts_dialog", lambda: ShortcutsDialog(window))
