"""The owner's schedule for the monthly summary (issue 6): day, folder, language."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

import services.reports.schedule as report_schedule
from services.errors import DomainError
from services.i18n import _


class ScheduleDialog(QDialog):
    """Saves through services.report_schedule (owner only; the service refuses others)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        current = report_schedule.get_schedule()
        self.setWindowTitle(_("Monthly summary schedule"))
        self.enabled = QCheckBox(_("Make the monthly summary automatically"))
        self.enabled.setChecked(current.enabled)
        self.day = QSpinBox()
        self.day.setRange(1, 28)
        self.day.setValue(current.day)
        self.folder = QLineEdit(current.folder)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.language = QComboBox()
        self.language.addItem(_("Chinese"), "zh_CN")
        self.language.addItem(_("English"), "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        note = QLabel(_("On this day the previous month's summary is saved as PDF by the first "
                        "PC that runs ComplaintDesk; or run 'main.py report run-scheduled' "
                        "from the Windows Task Scheduler."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(_("Day of the month:"), self.day)
        form.addRow(_("Folder:"), folder_row)
        form.addRow(_("Language:"), self.language)
        form.addRow(note)
        form.addRow(self.error)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the monthly summaries"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def save(self) -> None:
        try:
            report_schedule.set_schedule(
                actor=self.session.user, enabled=self.enabled.isChecked(),
                day=self.day.value(), folder=self.folder.text(),
                language=self.language.currentData())
        except DomainError as err:
            self.error.setText(err.message())
            self.error.show()
            return
        self.accept()
