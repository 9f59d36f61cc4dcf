"""The complaint view's Documents menu: produce a document in a chosen language, or reprint
one from the timeline, and show it in the preview (docs/rules.md §8).

Producing records a "document" event and keeps the copy given out; it runs on the session's
worker with a progress indication, and the page images are rendered there too.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from services import documents, settings
from services.changes import Changes
from services.errors import DomainError
from services.i18n import LANGUAGES, _, language_label, normalize
from ui.tasks import run_service
from ui.widgets.pdf_pages import PREVIEW_DPI, pdf_to_images
from ui.widgets.preview import DocumentPreviewDialog, PreviewSlot

KIND_LABELS = documents.KIND_NAMES  # shared with the timeline's wording


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _produce_pages(kind: str, ticket: str, actor, language: str):
    """On the worker: produce (records the event, keeps the copy), then render the pages."""
    produced = documents.produce(kind, ticket, actor=actor, language=language)
    pdf = Path(produced.path).read_bytes()
    return produced, pdf, pdf_to_images(pdf, PREVIEW_DPI)


def _reprint_pages(event_id: int, actor):
    pdf = documents.reprint(event_id, actor=actor)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)


class DocumentsButton(QToolButton):
    """"Documents ▾": the kinds of docs/rules.md §8 items 1–4 and the document language.

    ``show_error`` shows a domain error inline in the view (never a pop-up); ``clear_error``
    hides it when a new attempt starts.
    """

    def __init__(self, session, show_error: Callable[[DomainError], None],
                 clear_error: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.show_error = show_error
        self.clear_error = clear_error
        self.detail = None
        self.chosen_language: str | None = None  # None: the firm's document language
        self.previews = PreviewSlot(session, self)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # As wide as the action buttons beside it, so the label and the arrow never crowd.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.menu_ = QMenu(self)
        self.kind_actions: dict[str, QAction] = {}
        for kind in documents.KINDS + documents.WARRANTY_KINDS:
            if kind == documents.WARRANTY_KINDS[0]:
                self.menu_.addSeparator()
            action = self.menu_.addAction("")
            action.triggered.connect(lambda _c=False, k=kind: self.produce(k))
            self.kind_actions[kind] = action
        self.language_section = self.menu_.addSection("")
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = self.menu_.addAction("")
            action.setCheckable(True)
            action.triggered.connect(lambda _c=False, lg=lang: self.set_language(lg))
            self.language_group.addAction(action)
            self.language_actions[lang] = action
        self.setMenu(self.menu_)
        self.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Documents"))
        self.setToolTip(_("Produce a document for this complaint, preview, print or save it"))
        for kind, action in self.kind_actions.items():
            action.setText(kind_label(kind) + "…")
        self.language_section.setText(_("Document language"))
        for lang, action in self.language_actions.items():
            action.setText(language_label(lang))

    # --- state -------------------------------------------------------------------------------

    def set_detail(self, detail) -> None:
        self.detail = detail
        self.setEnabled(detail is not None and "document" in detail.allowed)
        # docs/rules.md §6/§8: the memo, claim form and warranty card belong to repair-quality
        # complaints (warranty claims); the service refuses them elsewhere anyway.
        warranty = detail is not None and detail.category_code == "repair_quality"
        for kind in documents.WARRANTY_KINDS:
            self.kind_actions[kind].setVisible(warranty)
        self.language_actions[self.language()].setChecked(True)

    def language(self) -> str:
        if self.chosen_language:
            return self.chosen_language
        try:
            return normalize(settings.firm_info().document_language)
        except (DomainError, ValueError):
            return LANGUAGES[0]

    def set_language(self, lang: str) -> None:
        self.chosen_language = normalize(lang)
        self.language_actions[self.chosen_language].setChecked(True)

    # --- producing and reprinting ------------------------------------------------------------

    def produce(self, kind: str) -> None:
        """Produce ``kind`` for the complaint shown, then open it in the preview."""
        if self.detail is None or "document" not in self.detail.allowed:
            return
        self.clear_error()
        c = self.detail.complaint
        lang = self.language()

        def done(result) -> None:
            produced, pdf, pages = result
            self._open(pdf, pages, kind, c.ticket, produced.language)

        # Producing records a "document" event on the complaint's timeline.
        run_service(self.session, _produce_pages, on_done=done, on_domain_error=self.show_error,
                    changes=Changes.of_complaint(c.id), parent=self.window(),
                    label=_("Producing the document…"),
                    kind=kind, ticket=c.ticket, actor=self.session.user, language=lang)

    def reprint(self, event_id: int) -> None:
        """Show the copy given out with the timeline's "document" event ``event_id``."""
        if self.detail is None:
            return
        self.clear_error()
        event = next((e for e in self.detail.events if e.id == event_id), None)
        data = event.data if event is not None else {}
        ticket = self.detail.complaint.ticket

        def done(result) -> None:
            pdf, pages = result
            self._open(pdf, pages, data.get("kind", ""), ticket, data.get("language", ""))

        run_service(self.session, _reprint_pages, on_done=done, on_domain_error=self.show_error,
                    parent=self.window(), label=_("Reading the stored copy…"),
                    event_id=event_id, actor=self.session.user)

    @property
    def preview(self) -> DocumentPreviewDialog | None:
        """The preview open now, if any."""
        return self.previews.dialog

    def _open(self, pdf: bytes, pages, kind: str, ticket: str, lang: str) -> None:
        title = _("{document} – {ticket}").format(document=kind_label(kind), ticket=ticket)
        name = documents.file_name(kind, ticket, lang)
        self.previews.show(pdf, pages, title, name)


__all__ = ["KIND_LABELS", "DocumentsButton", "kind_label"]
