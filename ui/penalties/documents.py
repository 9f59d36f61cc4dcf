"""The penalty documents from where they belong: an entry's penalty notice from the
Entry tab and a month's ledger from the Month totals tab, in the firm's document language,
produced on the session's worker and shown in the preview (Print, Save as PDF)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from services import documents, settings
from services.errors import DomainError
from services.i18n import LANGUAGES, _, normalize
from ui.tasks import run_service
from ui.widgets.inline import InlineError
from ui.widgets.pdf_pages import PREVIEW_DPI, pdf_to_images
from ui.widgets.preview import DocumentPreviewDialog, PreviewSlot


def document_language() -> str:
    """The firm's document language (the first one when it cannot be read)."""
    try:
        return normalize(settings.firm_info().document_language)
    except (DomainError, ValueError):
        return LANGUAGES[0]


def _notice_pages(entry_id: int, actor, lang: str):
    """On the worker: the notice and its page images."""
    pdf = documents.render_penalty_notice(entry_id, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


def _ledger_pages(month: str, actor, lang: str):
    pdf = documents.render_month_ledger(month, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


class PenaltyDocuments:
    """Produces the penalty documents for one tab and keeps its open preview (one at a time).

    A refusal shows on the tab's ``error`` line; a new attempt clears it and the tab's
    ``info`` line."""

    def __init__(self, session, owner: QWidget, error: InlineError, info: InlineError):
        self.session = session
        self.owner = owner
        self.error = error
        self.info = info
        self.previews = PreviewSlot(session, owner)

    @property
    def preview(self) -> DocumentPreviewDialog | None:
        """The preview open now, if any."""
        return self.previews.dialog

    def notice(self, entry_id: int) -> None:
        """The penalty notice of entry ``entry_id``."""
        self._run(_notice_pages, lambda: _("Penalty notice no. {id}").format(id=entry_id),
                  documents.file_name("penalty_notice", int(entry_id), document_language()),
                  entry_id=int(entry_id))

    def ledger(self, month: str) -> None:
        """The penalty ledger of ``month`` (YYYY-MM; the service checks it)."""
        self._run(_ledger_pages, lambda: _("Penalty ledger {month}").format(month=month),
                  documents.file_name("month_ledger", month, document_language()), month=month)

    def _run(self, fn, title: Callable[[], str], file_name: str, **kwargs) -> None:
        self.error.clear()
        self.info.clear()

        def done(result) -> None:
            pdf, pages = result
            self.previews.show(pdf, pages, title(), file_name)

        run_service(self.session, fn, on_done=done, on_domain_error=self.error.show_error,
                    parent=self.owner.window(), label=_("Producing the document…"),
                    actor=self.session.user, lang=document_language(), **kwargs)
