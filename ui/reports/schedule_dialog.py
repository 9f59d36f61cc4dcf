"""The owner's schedule for the monthly summary: day, folder, language."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from services import documents
from services.i18n import LANGUAGES, N_, _, language_label
from ui.widgets import files
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.form_dialog import FormDialog


class ScheduleDialog(FormDialog):
    """Saves through services.documents.schedule (owner only; the service refuses others)."""

    title = N_("Monthly summary schedule")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = documents.schedule.set_schedule
        current = documents.schedule.get_schedule()
        self.enabled = QCheckBox()
        self.texts.add(self.enabled.setText, N_("Make the monthly summary automatically"))
        self.enabled.setChecked(current.enabled)
        self.day = QSpinBox()
        self.day.setRange(1, 28)
        self.day.setValue(current.day)
        self.folder = QLineEdit(current.folder)
        browse = QPushButton()
        self.texts.add(browse.setText, N_("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.language = QComboBox()
        note = QLabel()
        note.setWordWrap(True)
        self.texts.add(note.setText, N_(
            "On this day the previous month's summary is saved as PDF by the first PC that runs "
            "ComplaintDesk; or run 'main.py report run-scheduled' from the Windows Task "
            "Scheduler."))
        self.form.addRow(self.errors.wrap("enabled", self.enabled))
        self.field("day", N_("Day of the month:"), self.day)
        self.field("folder", N_("Folder:"), folder_row)
        self.errors.register("folder", self.folder)
        self.field("language", N_("Language:"), self.language)
        self.extra.addWidget(note)
        self.retranslate()
        select_data(self.language, current.language)

    def retranslate(self) -> None:
        super().retranslate()
        fill_combo(self.language, [(lang, language_label(lang)) for lang in LANGUAGES])

    def _browse(self) -> None:
        folder = files.folder_path(self, _("Folder for the monthly summaries"),
                                   self.folder.text())
        if folder:
            self.folder.setText(folder)

    def kwargs(self) -> dict:
        return dict(enabled=self.enabled.isChecked(), day=self.day.value(),
                    folder=self.folder.text(), language=self.language.currentData())
