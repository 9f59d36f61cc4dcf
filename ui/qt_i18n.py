"""Qt's own translations (standard dialog buttons) for the chosen language (Picard's
picard/i18n/qt.py does the same)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from services.i18n import normalize, set_language

_installed: list[QTranslator] = []


def apply_language(lang: str) -> str:
    """Switch gettext and Qt's translators to ``lang``; returns the normalized code."""
    lang = normalize(lang)
    set_language(lang)
    app = QCoreApplication.instance()
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang == "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase_zh_CN", "qt_zh_CN"):
            t = QTranslator(app)
            if t.load(name, path):
                app.installTranslator(t)
                _installed.append(t)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return lang
