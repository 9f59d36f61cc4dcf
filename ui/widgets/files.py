"""Choosing a file or a folder: one place, so every dialog of the program starts in the user's
Documents folder (or where they last saved), never in the program's own folder, and speaks the
program's language (docs/design.md, Files).

Qt's own file dialog is used, not the system's: its buttons and labels then come from Qt's
translations that ``ui.qt_i18n`` installs with the program's language, so a Chinese program
never shows an English dialog on an English Windows, and the other way round.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui import prefs

LAST_FOLDER = prefs.Pref("files/last_folder", "", str)
_OPTIONS = QFileDialog.Option.DontUseNativeDialog


def start_folder() -> str:
    """Where a file dialog opens: the folder last used, else Documents, else home."""
    last = prefs.get(LAST_FOLDER)
    if last and os.path.isdir(last):
        return last
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and os.path.isdir(documents):
        return documents
    return str(Path.home())


def _remember(path: str) -> None:
    if path:
        prefs.put(LAST_FOLDER, str(Path(path).parent if not os.path.isdir(path) else path))


def save_path(parent: QWidget | None, title: str, file_name: str, filters: str,
              suffix: str = "", folder: str = "") -> str:
    """A path to write ``file_name`` to, "" when cancelled; ``suffix`` added if missing.
    ``folder``: where this kind of file was saved last, if the caller keeps its own."""
    start = folder if folder and os.path.isdir(folder) else start_folder()
    path, _chosen = QFileDialog.getSaveFileName(
        parent, title, os.path.join(start, file_name), filters, "", _OPTIONS)
    if path and suffix and not path.lower().endswith(suffix.lower()):
        path += suffix
    _remember(path)
    return path


def open_path(parent: QWidget | None, title: str, filters: str, current: str = "") -> str:
    """One existing file to read, "" when cancelled; opens beside ``current`` if it exists."""
    start = current if current and os.path.isfile(current) else start_folder()
    path, _chosen = QFileDialog.getOpenFileName(parent, title, start, filters, "", _OPTIONS)
    _remember(path)
    return path


def open_paths(parent: QWidget | None, title: str, filters: str = "") -> list[str]:
    """Existing files to read, [] when cancelled."""
    paths, _chosen = QFileDialog.getOpenFileNames(parent, title, start_folder(), filters, "",
                                                  _OPTIONS)
    if paths:
        _remember(paths[0])
    return list(paths)


def folder_path(parent: QWidget | None, title: str, current: str = "") -> str:
    """A folder, "" when cancelled; opens at ``current`` when it exists."""
    start = current if current and os.path.isdir(current) else start_folder()
    path = QFileDialog.getExistingDirectory(
        parent, title, start, QFileDialog.Option.ShowDirsOnly | _OPTIONS)
    if path:
        prefs.put(LAST_FOLDER, path)
    return path
