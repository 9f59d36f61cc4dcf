"""The Settings section: firm, categories, time limits, staff, holiday calendar, language."""
from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from services.changes import Changes
from services.i18n import N_, _
from ui.settings.backups_page import BackupsPage
from ui.settings.calendar_page import CalendarPage
from ui.settings.categories_page import CategoriesPage
from ui.settings.causes_page import CausesPage
from ui.settings.data_folder_page import DataFolderPage
from ui.settings.firm_page import FirmPage
from ui.settings.language_page import LanguagePage
from ui.settings.rules_page import RulesPage
from ui.settings.staff_page import StaffPage

TAB_TITLES = (N_("Firm"), N_("Categories"), N_("Root causes"), N_("Time limits"), N_("Staff"),
              N_("Holiday calendar"), N_("Language"), N_("Backups"), N_("Data folder"))


class SettingsView(QWidget):
    """One tab per page. Each page loads and saves through services on its own, refreshes
    when the session's ``Changes`` name what it shows, and shows itself read-only to users
    whose role may not change it (the services refuse them anyway, docs/rules.md)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.firm_page = FirmPage(session)
        self.categories_page = CategoriesPage(session)
        self.causes_page = CausesPage(session)
        self.rules_page = RulesPage(session)
        self.staff_page = StaffPage(session)
        self.calendar_page = CalendarPage(session)
        self.language_page = LanguagePage(session)
        self.backups_page = BackupsPage(session)
        self.data_folder_page = DataFolderPage(session)
        self.pages = (self.firm_page, self.categories_page, self.causes_page, self.rules_page,
                      self.staff_page, self.calendar_page, self.language_page, self.backups_page,
                      self.data_folder_page)
        self.tabs = QTabWidget()
        for page in self.pages:
            self.tabs.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    def has_unsaved_changes(self) -> bool:
        """Whether closing would lose typing (the firm form is the only page with a draft;
        the others save from their dialogs)."""
        return self.firm_page.has_unsaved_changes()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # Unsaved changes are never lost silently (docs/design.md).
        if self.has_unsaved_changes():
            self.tabs.setCurrentWidget(self.firm_page)
            answer = ask_unsaved(self)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                self.firm_page.save()
                if self.firm_page.has_unsaved_changes():  # refused (shown inline) or running
                    event.ignore()
                    return
            else:
                self.firm_page.revert()
        event.accept()

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        for index, title in enumerate(TAB_TITLES):
            self.tabs.setTabText(index, _(title))
        for page in self.pages:
            page.retranslate()


def ask_unsaved(parent: QWidget) -> QMessageBox.StandardButton:
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    return QMessageBox.question(parent, _("Unsaved changes"),
                                _("The firm's details have changes that are not saved yet."),
                                buttons, QMessageBox.StandardButton.Save)
