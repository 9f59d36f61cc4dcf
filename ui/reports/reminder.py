"""The bank's half-year statistics report due next, on the Reports screen (docs/rules.md §8.9):
what is due and when, marked when it is overdue or due soon, and "Mark as filed" once it has
gone to the regulator. Every word comes from ``reports.half_year_due`` / ``describe_due``."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from services import reports, settings
from services.changes import Changes
from services.i18n import N_
from ui.tasks import run_service
from ui.widgets.inline import ERROR_STYLE, INFO_STYLE, WARNING_STYLE, InlineError
from ui.widgets.layouts import hbox, vbox
from ui.widgets.texts import Texts

STYLES = {"overdue": ERROR_STYLE, "due_soon": WARNING_STYLE, "upcoming": INFO_STYLE}


class HalfYearReminder(QWidget):
    """One line: the report due next; hidden for firms that are not bank branches."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.due: reports.HalfYearDue | None = None
        self.texts = Texts()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.filed_button = self.texts.button(N_("Mark as filed"), self.mark_filed, tip=N_(
            "Record that this report was sent to the regulator"))
        self.note = InlineError()
        vbox(hbox((self.label, 1), self.filed_button), self.note, parent=self)
        self.setVisible(False)

    @staticmethod
    def applies() -> bool:
        return settings.firm_info().profile == "bank"

    def load(self) -> None:
        if not self.applies():
            self.setVisible(False)
            return
        run_service(self.session, reports.half_year_due, actor=self.session.user,
                    on_done=self._show, on_domain_error=self._refused, parent=self)

    def _show(self, due: reports.HalfYearDue | None) -> None:
        self.due = due
        self.note.clear()
        self.setVisible(due is not None)
        self.retranslate()

    def _refused(self, err) -> None:
        self.due = None
        self.setVisible(False)  # the screen shows the same refusal for the summary

    def retranslate(self) -> None:
        self.texts.apply()
        self.note.retranslate()
        d = self.due
        if d is None:
            return
        self.label.setText(reports.describe_due(d))
        self.label.setStyleSheet(STYLES[d.status])
        self.filed_button.setVisible(d.ended)  # a half still running cannot be filed

    def mark_filed(self) -> None:
        d = self.due
        if d is None:
            return
        run_service(self.session, reports.mark_half_year_filed, year=d.year, half=d.half,
                    actor=self.session.user, on_done=self._show,
                    on_domain_error=self.note.show_error, changes=Changes(settings=True),
                    parent=self)
