"""A produced document inside the program: its pages as images, Print and Save as PDF.

The preview shows page images rendered by pypdfium2 (ui.widgets.pdf_pages), so no external PDF
viewer is needed. Print paints the pages, rendered again at the printer's resolution, one page
per sheet through the system's printer dialog; Save as PDF writes the exact bytes that were
produced (the copy whose hash is on the timeline).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.changes import Changes
from services.i18n import N_, _, ngettext
from ui import prefs
from ui.widgets import files
from ui.widgets.inline import ERROR_STYLE, INFO_STYLE
from ui.widgets.pdf_pages import PREVIEW_DPI, PRINT_DPI, pdf_to_images
from ui.widgets.texts import Texts

SAVE_FOLDER = prefs.Pref("documents/save_folder", "", str)
ZOOMS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
PAGE_GAP = 12


class DocumentPreviewDialog(QDialog):
    """``pdf`` shown as page images; ``pages`` may be given when they were already rendered
    (at PREVIEW_DPI) off the GUI thread, as the Documents menu does."""

    def __init__(self, session, pdf: bytes, title: str, parent: QWidget | None = None, *,
                 pages: list[QImage] | None = None, file_name: str = ""):
        super().__init__(parent)
        self.session = session
        self.pdf = bytes(pdf)
        self.title = title
        self.file_name = file_name or "document.pdf"
        self.images = pages if pages is not None else pdf_to_images(self.pdf, PREVIEW_DPI)
        self.zoom = 1.0
        self.fit = True  # follow the window's width until the user zooms
        self.printer: QPrinter | None = None  # kept while its pages are being rendered
        self.texts = Texts()
        self.setWindowTitle(title)
        self._build()
        self._size_to_screen()
        self._show_pages()
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        bar = QHBoxLayout()
        self.zoom_out = self._tool("−", N_("Zoom out"), QKeySequence.StandardKey.ZoomOut,
                                   lambda: self.step_zoom(-1))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in = self._tool("+", N_("Zoom in"), QKeySequence.StandardKey.ZoomIn,
                                  lambda: self.step_zoom(1))
        self.fit_button = QToolButton()
        self.fit_button.setCheckable(True)
        self.texts.add(self.fit_button.setText, N_("Fit width"))
        self.fit_button.clicked.connect(self.fit_width)
        self.count_label = QLabel()
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        pages = QWidget()
        pages.setObjectName("pages")
        pages.setStyleSheet("#pages { background: #8a8a8a; }")
        column = QVBoxLayout(pages)
        column.setSpacing(PAGE_GAP)
        column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.page_labels: list[QLabel] = []
        for _image in self.images:
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(pages)

        self.note = QLabel()  # "Saved as …", or why printing or saving failed
        self.note.setWordWrap(True)
        self.note.hide()

        self.buttons = QDialogButtonBox()
        self.print_button = QPushButton()
        self.save_button = QPushButton()
        self.close_button = QPushButton()
        self.texts.add(self.print_button.setText, N_("Print…"))
        self.texts.add(self.save_button.setText, N_("Save as PDF…"))
        self.texts.add(self.close_button.setText, N_("Close"))
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(lambda: self.save_as_pdf())
        self.buttons.rejected.connect(self.reject)  # Esc too, as every QDialog
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

    def _tool(self, text: str, tip: str, key, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setShortcut(QKeySequence(key))
        button.setAutoRaise(False)
        self.texts.add(button.setToolTip, tip)
        button.clicked.connect(slot)
        return button

    def _size_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 900, 1000
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    # --- zoom --------------------------------------------------------------------------------

    def _page_width(self, image: QImage) -> float:
        """The page's width on screen at 100 %, in device-independent pixels."""
        return image.width() / PREVIEW_DPI * self.logicalDpiX()

    def fit_width(self) -> None:
        self.fit = True
        if self.images:
            available = self.scroll.viewport().width() - 2 * PAGE_GAP
            widest = max(self._page_width(image) for image in self.images)
            self.zoom = max(ZOOMS[0], min(ZOOMS[-1], available / widest))
        self._show_pages()

    def set_zoom(self, zoom: float) -> None:
        self.fit = False
        self.zoom = max(ZOOMS[0], min(ZOOMS[-1], zoom))
        self._show_pages()

    def step_zoom(self, direction: int) -> None:
        if direction > 0:
            bigger = [z for z in ZOOMS if z > self.zoom + 0.005]
            self.set_zoom(bigger[0] if bigger else ZOOMS[-1])
        else:
            smaller = [z for z in ZOOMS if z < self.zoom - 0.005]
            self.set_zoom(smaller[-1] if smaller else ZOOMS[0])

    def _show_pages(self) -> None:
        ratio = self.devicePixelRatioF()
        for image, label in zip(self.images, self.page_labels, strict=True):
            width = max(1, round(self._page_width(image) * self.zoom * ratio))
            pixmap = QPixmap.fromImage(image.scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation))
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        self.fit_button.setChecked(self.fit)
        self.zoom_out.setEnabled(self.zoom > ZOOMS[0] + 0.005)
        self.zoom_in.setEnabled(self.zoom < ZOOMS[-1] - 0.005)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.fit:
            self.fit_width()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fit and self.isVisible():
            self.fit_width()

    # --- print and save ----------------------------------------------------------------------

    def print_document(self) -> bool:
        """Ask for a printer (the system's dialog), then print every page on its own sheet.
        The pages are rendered at the printer's resolution on the worker thread."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        if self.images:
            first = self.images[0]
            size = QSizeF(first.width() / PREVIEW_DPI * 25.4, first.height() / PREVIEW_DPI * 25.4)
            printer.setPageSize(QPageSize(size, QPageSize.Unit.Millimeter, "",
                                          QPageSize.SizeMatchPolicy.FuzzyMatch))
            printer.setPageOrientation(QPageLayout.Orientation.Landscape
                                       if first.width() > first.height()
                                       else QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print {title}").format(title=self.title))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.printer = printer
        self._show_note(None)
        self.print_button.setEnabled(False)
        dpi = max(72, min(printer.resolution(), PRINT_DPI))
        self.session.tasks.run(pdf_to_images, on_done=self._paint, on_error=self._print_failed,
                               label=_("Preparing the pages for the printer…"), parent=self,
                               pdf_bytes=self.pdf, dpi=dpi)
        return True

    def _paint(self, images: list[QImage]) -> None:
        printer, self.printer = self.printer, None
        self.print_button.setEnabled(True)
        if printer is None:
            return
        painter = QPainter()
        if not painter.begin(printer):
            self._show_note(_("The printer could not be started."), error=True)
            return
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for index, image in enumerate(images):
                if index and not printer.newPage():
                    self._show_note(_("The printer stopped before page {page}.").format(
                        page=index + 1), error=True)
                    return
                target = QRectF(painter.viewport())  # the printer's page rect, device pixels
                scale = min(target.width() / image.width(), target.height() / image.height())
                w, h = image.width() * scale, image.height() * scale
                painter.drawImage(QRectF(target.x() + (target.width() - w) / 2,
                                         target.y() + (target.height() - h) / 2, w, h), image)
        finally:
            painter.end()
        self._show_note(ngettext("Sent {n} page to the printer.",
                                 "Sent {n} pages to the printer.", len(images)
                                 ).format(n=len(images)))

    def _print_failed(self, exc: BaseException, details: str) -> None:
        self.printer = None
        self.print_button.setEnabled(True)
        handler = self.session.tasks.error_handler
        if handler is None:
            raise exc
        handler(exc, details)

    def save_as_pdf(self) -> Path | None:
        """Write the document's exact bytes where the user chooses."""
        # documents keep their own last folder; else Documents (ui/widgets/files.py)
        path = files.save_path(self, _("Save as PDF"), self.file_name,
                               _("PDF documents (*.pdf)"), ".pdf", folder=prefs.get(SAVE_FOLDER))
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.pdf)
        except OSError as err:
            self._show_note(_("The file could not be saved: {error}").format(
                error=err.strerror or str(err)), error=True)
            return None
        prefs.put(SAVE_FOLDER, str(target.parent))
        self._show_note(_("Saved as {path}.").format(path=str(target)))
        return target

    def _show_note(self, text: str | None, *, error: bool = False) -> None:
        self.note.setStyleSheet(ERROR_STYLE if error else INFO_STYLE)
        self.note.setText(text or "")
        self.note.setVisible(bool(text))

    # --- language ----------------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        n = len(self.images)
        self.count_label.setText(ngettext("{n} page", "{n} pages", n).format(n=n))
        self.note.hide()  # a note about an earlier step is not repeated in the new language



class PreviewSlot:
    """The one preview a screen keeps open: a new document replaces the one shown, and a
    closed preview is deleted."""

    def __init__(self, session, owner: QWidget):
        self.session = session
        self.owner = owner
        self.dialog: DocumentPreviewDialog | None = None

    def show(self, pdf: bytes, pages: list[QImage] | None, title: str,
             file_name: str) -> DocumentPreviewDialog:
        if self.dialog is not None:
            self.dialog.close()
        file_name = "".join("_" if ch in '\\/:*?"<>| ' else ch for ch in file_name)
        dialog = DocumentPreviewDialog(self.session, pdf, title, self.owner.window(),
                                       pages=pages, file_name=file_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        self.dialog = dialog
        dialog.show()
        return dialog

    def _closed(self, dialog: DocumentPreviewDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


__all__ = ["SAVE_FOLDER", "DocumentPreviewDialog", "PreviewSlot"]
