"""The penalty documents from where they belong (issue 6): an entry's penalty notice from the
Entry tab and a month's ledger from the Month totals tab, in the firm's document language,
produced on the session's worker and shown in the preview (Print, Save as PDF)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

import services.firm.settings as settings
from services.documents.record_docs import render_month_ledger, render_penalty_notice
from services.errors import DomainError
from services.i18n import LANGUAGES, _, normalize
from ui.documents.pages import PREVIEW_DPI, pdf_to_images
from ui.documents.preview import DocumentPreviewDialog
from ui.tasks import run_service


def document_language() -> str:
    """The firm's document language (the first one when it cannot be read)."""
    try:
        return normalize(settings.firm_info().document_language)
    except (DomainError, ValueError):
        return LANGUAGES[0]


def _notice_pages(entry_id: int, actor, lang: str):
    """On the worker: the notice and its page images."""
    pdf = render_penalty_notice(entry_id, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


def _ledger_pages(month: str, actor, lang: str):
    pdf = render_month_ledger(month, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


class PenaltyDocuments:
    """Produces the penalty documents for one tab and keeps its open preview (one at a time).

    ``show_error`` shows a domain error in the tab's message area; ``clear`` empties it when a
    new attempt starts."""

    def __init__(self, session, owner: QWidget, show_error: Callable[[DomainError], None],
                 clear: Callable[[], None]):
        self.session = session
        self.owner = owner
        self.show_error = show_error
        self.clear = clear
        self.preview: DocumentPreviewDialog | None = None

    def notice(self, entry_id: int) -> None:
        """The penalty notice of entry ``entry_id``."""
        self._run(_notice_pages, lambda: _("Penalty notice no. {id}").format(id=entry_id),
                  f"penalty-notice-{int(entry_id)}.pdf", entry_id=int(entry_id))

    def ledger(self, month: str) -> None:
        """The penalty ledger of ``month`` (YYYY-MM; the service checks it)."""
        self._run(_ledger_pages, lambda: _("Penalty ledger {month}").format(month=month),
                  f"penalty-ledger-{month}.pdf", month=month)

    def _run(self, fn, title: Callable[[], str], file_name: str, **kwargs) -> None:
        self.clear()

        def done(result) -> None:
            pdf, pages = result
            self._open(pdf, pages, title(), file_name)

        run_service(self.session, fn, on_done=done, on_domain_error=self.show_error,
                    parent=self.owner.window(), label=_("Producing the document…"),
                    actor=self.session.user, lang=document_language(), **kwargs)

    def _open(self, pdf: bytes, pages, title: str, file_name: str) -> None:
        if self.preview is not None:
            self.preview.close()
        file_name = "".join("_" if ch in '\\/:*?"<>| ' else ch for ch in file_name)
        dialog = DocumentPreviewDialog(self.session, pdf, title, self.owner.window(),
                                       pages=pages, file_name=file_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        self.preview = dialog
        dialog.show()

    def _closed(self, dialog: DocumentPreviewDialog) -> None:
        if self.preview is dialog:
            self.preview = None
