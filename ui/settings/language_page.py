"""Settings › Language: the language this PC shows the program in (docs/rules.md)."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from services.changes import Changes
from services.i18n import LANGUAGES, _, current_language, language_label
from ui import prefs
from ui.qt_i18n import apply_language


class LanguagePage(QWidget):
    """Switching takes effect at once: the session tells every open window and screen
    (``Changes(language=True)``), each retranslates itself and nothing typed is lost."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        for lang in LANGUAGES:
            radio = QRadioButton()
            self.radios[lang] = radio
            self.group.addButton(radio)
            layout.addWidget(radio)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self._show_current()
        for lang, radio in self.radios.items():
            radio.toggled.connect(lambda on, lang=lang: on and self.choose(lang))
        self.retranslate()

    def _show_current(self) -> None:
        radio = self.radios.get(current_language())
        if radio is not None and not radio.isChecked():
            radio.blockSignals(True)
            radio.setChecked(True)
            radio.blockSignals(False)

    def choose(self, lang: str) -> None:
        """Switch the program's language; a per-PC choice, kept in the preferences."""
        if lang == current_language():
            return
        lang = apply_language(lang)
        prefs.put(prefs.LANGUAGE, lang)
        self.session.notify(Changes(language=True))

    def retranslate(self) -> None:
        self._show_current()
        self.heading.setText(_("The language of the program on this PC:"))
        for lang, radio in self.radios.items():
            radio.setText(language_label(lang))
        self.hint.setText(_("Printed documents use the firm's document language (see Firm), "
                            "whatever language the program shows."))
