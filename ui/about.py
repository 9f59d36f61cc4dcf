"""Help ▸ About: the program's version, what it is built with, the database in use, where
its data and logs are, and the third-party notices (docs/design.md, Shipping)."""
from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from services import install
from services.firm import setup
from services.i18n import _


def version_rows() -> list[tuple[str, str]]:
    rows = install.versions()
    rows.insert(2, ("Qt", qVersion()))
    rows.insert(3, ("PySide6", PySide6.__version__))
    return rows


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About ComplaintDesk"))
        layout = QVBoxLayout(self)
        title = QLabel("<h3>{} {}</h3><p>{}</p>".format(
            _("ComplaintDesk"), install.version(),
            _("Complaint handling for small firms, by their own written rules.")))
        title.setObjectName("about_title")
        layout.addWidget(title)

        form = QFormLayout()
        self.database_label = self._value(setup.location_label() or _("none"), "about_database")
        form.addRow(_("Database in use:"), self.database_label)
        form.addRow(_("Data folder:"), self._value(str(install.data_folder()), "about_data"))
        form.addRow(_("Crash reports and logs:"),
                    self._value(str(install.log_folder()), "about_logs"))
        layout.addLayout(form)

        versions = QFormLayout()
        self.version_labels: dict[str, QLabel] = {}
        for name, version in version_rows():
            label = self._value(version, f"about_version_{name}")
            self.version_labels[name] = label
            versions.addRow(f"{name}:", label)
        layout.addLayout(versions)

        layout.addWidget(QLabel(_("ComplaintDesk is proprietary software; all rights reserved. "
                                  "It includes open-source components under their own "
                                  "licences, listed in the third-party notices.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.notices_button = QPushButton(_("Third-party notices…"))
        self.notices_button.setObjectName("about_notices")
        self.notices_button.setEnabled(install.notices_path() is not None)
        self.notices_button.clicked.connect(self.show_notices)
        buttons.addButton(self.notices_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.notices: QDialog | None = None

    def _value(self, text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def show_notices(self) -> QDialog | None:
        path = install.notices_path()
        if path is None:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("notices_dialog")
        dialog.setWindowTitle(_("Third-party notices"))
        browser = QTextBrowser()
        browser.setObjectName("notices_text")
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        box = QVBoxLayout(dialog)
        box.addWidget(browser)
        box.addWidget(buttons)
        dialog.resize(720, 560)
        dialog.open()
        self.notices = dialog
        return dialog


def show_about(parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
