"""The Reports screen's printed documents: the monthly summary, the yearly register and
(bank branches) the half-year report, each opened in the in-program preview
(docs/rules.md §8.8–§8.9)."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from services import documents, settings
from services.i18n import _
from ui.tasks import run_service
from ui.widgets.pdf_pages import PREVIEW_DPI, pdf_to_images
from ui.widgets.preview import DocumentPreviewDialog, PreviewSlot


def _monthly(month: str, actor, lang: str):
    pdf = documents.render_monthly_summary(month, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


def _register(year: int, actor, lang: str, progress, cancelled):
    pdf = documents.render_yearly_register(year, actor=actor, lang=lang, progress=progress,
                                           cancelled=cancelled)
    progress(0.9)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


def _half_year(year: int, half: int, actor, lang: str):
    pdf = documents.render_half_year_report(year, half, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


class PrintButton(QToolButton):
    """'Print ▾': which document, for the month chosen on the screen."""

    def __init__(self, session, month_of, show_error, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.month_of, self.show_error = session, month_of, show_error
        self.previews = PreviewSlot(session, self)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.monthly_action = menu.addAction("")
        self.monthly_action.triggered.connect(self.monthly)
        self.register_action = menu.addAction("")
        self.register_action.triggered.connect(self.register)
        self.half_action = menu.addAction("")
        self.half_action.triggered.connect(self.half_year)
        self.setMenu(menu)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Print"))
        self.setToolTip(_("Preview, print or save the summary as PDF"))
        self.monthly_action.setText(_("Monthly summary…"))
        self.register_action.setText(_("Yearly register…"))
        self.half_action.setText(_("Half-year statistics report…"))
        self.half_action.setVisible(settings.firm_info().profile == "bank")

    def _lang(self) -> str:
        return settings.firm_info().document_language

    @property
    def preview(self) -> DocumentPreviewDialog | None:
        """The preview open now, if any."""
        return self.previews.dialog

    def _open(self, result, title: str, file_name: str) -> None:
        pdf, pages = result
        self.previews.show(pdf, pages, title, file_name)

    def monthly(self) -> None:
        month = self.month_of()
        run_service(self.session, _monthly, label=_("Producing the document…"), parent=self,
                    on_done=lambda r: self._open(r, _("Monthly summary {month}").format(
                        month=month),
                        documents.file_name("monthly_summary", month, self._lang())),
                    on_domain_error=self.show_error, month=month, actor=self.session.user,
                    lang=self._lang())

    def register(self) -> None:
        year = int(self.month_of()[:4])
        # A year can be thousands of complaints: progress bar and Cancel.
        run_service(self.session, _register, label=_("Producing the yearly register…"),
                    parent=self, cancellable=True,
                    on_done=lambda r: self._open(r, _("Yearly register {year}").format(
                        year=year),
                        documents.file_name("yearly_register", year, self._lang())),
                    on_domain_error=self.show_error, year=year, actor=self.session.user,
                    lang=self._lang())

    def half_year(self) -> None:
        month = self.month_of()
        year, half = int(month[:4]), 1 if int(month[5:7]) <= 6 else 2
        run_service(self.session, _half_year, label=_("Producing the document…"), parent=self,
                    on_done=lambda r: self._open(r, _("Half-year statistics report"),
                                                 documents.file_name(
                                                     "half_year_report", f"{year}-H{half}",
                                                     self._lang())),
                    on_domain_error=self.show_error, year=year, half=half,
                    actor=self.session.user, lang=self._lang())
