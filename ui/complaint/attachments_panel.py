"""The attachments (原件) of one complaint: list, add (also by drag and drop), open
(docs/rules.md)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.changes import Changes
from services.complaints import attachments
from services.firm import data_folder
from services.i18n import N_, _, format_datetime
from ui.complaint.describe import human_size
from ui.complaint.panels import _tree
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.inline import ERROR_STYLE


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drag carries (URLs that are not files are ignored)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls()
            if url.isLocalFile() and Path(url.toLocalFile()).is_file()]


class AttachmentsPanel(QWidget):
    """Files kept with a complaint, unchanged, with their size and SHA-256."""

    HEADERS = (N_("File"), N_("Size"), N_("SHA-256"), N_("Added by"), N_("Added at"))

    def __init__(self, session, complaint_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.complaint_id = complaint_id
        self.ticket = ""
        self.state = ""
        self.can_add = False
        self.tree = _tree(len(self.HEADERS))
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.open_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #6b6b6b;")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self.tree.setAcceptDrops(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in self.HEADERS])
        self.add_button.setText(_("Add…"))
        self.open_button.setText(_("Open"))
        self.hint.setText(_("or drop files here"))
        self.add_button.setToolTip(_("Attach scanned letters, photos or recordings; they are "
                                     "kept unchanged with their SHA-256 hash"))

    def show_attachments(self, items, *, can_add: bool, ticket: str = "",
                         state: str = "") -> None:
        self.can_add, self.ticket, self.state = can_add, ticket, state
        self.tree.clear()
        for a in items:
            item = QTreeWidgetItem([a.filename, human_size(a.size), a.sha256[:12] + "…",
                                    a.added_by, format_datetime(a.added_at)])
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(2, a.sha256)
            item.setToolTip(1, _("{n} bytes").format(n=a.size))
            item.setToolTip(0, a.mime)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self.add_button.setEnabled(can_add)
        self.hint.setVisible(can_add)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.tree.currentItem() is not None)

    def rows(self) -> list[list[str]]:
        tree = self.tree
        return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
                for i in range(tree.topLevelItemCount())]

    # --- adding -----------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths = files.open_paths(self, _("Attach files"))
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:
        """Store the files (off the GUI thread: they may be large), then refresh."""
        if not paths or not self.can_add:
            return
        self.error.hide()
        run_service(self.session, self._store, on_done=lambda _stored: None,
                    on_domain_error=self._failed, changes=Changes.of_complaint(self.complaint_id),
                    label=_("Attaching files…"), parent=self.window(), paths=list(paths))

    def _store(self, paths: list[str]) -> list:
        actor = self.session.user
        return [attachments.add_file(self.complaint_id, path, actor=actor) for path in paths]

    def _failed(self, err) -> None:
        self.error.setText(err.message())
        self.error.show()
        # Files before the failing one were stored: show them.
        self.session.notify(Changes.of_complaint(self.complaint_id))

    def dragEnterEvent(self, event) -> None:
        if self.can_add and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = local_files(event.mimeData())
        if not self.can_add or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    # --- opening ----------------------------------------------------------------------------

    def open_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        self.error.hide()
        run_service(self.session, attachments.export_to, on_done=self._open_path,
                    on_domain_error=self._open_failed, parent=self.window(),
                    attachment_id=item.data(0, Qt.ItemDataRole.UserRole),
                    folder=Path(data_folder()) / "open", actor=self.session.user)

    def _open_path(self, path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _open_failed(self, err) -> None:
        self.error.setText(err.message())
        self.error.show()
