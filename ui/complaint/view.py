"""One complaint: the facts, the timeline, the clocks, the attachments and the actions that
are allowed now (docs/rules.md)."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services import integrity
from services.changes import Changes
from services.complaints import ACTIONS
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import DomainError
from services.firm import KIND_NAMES
from services.i18n import N_, _
from ui import prefs
from ui.complaint.action_dialogs import DIALOG_ACTIONS, ActionDialog, dialog_for
from ui.complaint.attachments_panel import AttachmentsPanel
from ui.complaint.describe import action_name, name_of, state_name, time_left_text
from ui.complaint.panels import ClocksPanel, FactsPanel, TimelinePanel
from ui.documents.menu import DocumentsButton
from ui.widgets.inline import ERROR_STYLE
from ui.widgets.step_bar import Step, StepBar
from ui.widgets.texts import Texts

# In the order of the path (workflow.ACTIONS); steps taken elsewhere get no button.
BUTTON_ACTIONS = tuple(a for a in ACTIONS if a in DIALOG_ACTIONS)
NEXT_STYLE = "QPushButton { font-weight: 600; padding: 4px 12px; }"
# The primary next step's shortcut (its tooltip says so).
NEXT_SHORTCUT = "Ctrl+Return"


def with_mnemonic(text: str, used: set[str]) -> str:
    """``text`` with an Alt+letter mnemonic no other item in ``used`` has: on its first free
    letter, or for a name without Latin letters (Chinese) as "(&X)" after it."""
    for i, ch in enumerate(text):
        if ch.isascii() and ch.isalpha() and ch.lower() not in used:
            used.add(ch.lower())
            return text[:i] + "&" + text[i:]
    for ch in "abcdefghijklmnopqrstuvwxyz":
        if ch not in used:
            used.add(ch)
            return f"{text}(&{ch.upper()})"
    return text


def next_step_text(action: str, limit) -> str:
    """A next step's button: its name and the time left on the running limit
    ("Reply — 2 d 3 h left")."""
    name = action_name(action)
    if limit is None or limit.remaining is None:
        return name
    if limit.remaining.total_seconds() < 0:
        return _("{action} — {overdue}").format(action=name, overdue=time_left_text(
            limit.remaining))
    return _("{action} — {left} left").format(action=name, left=time_left_text(
        limit.remaining))


class ComplaintView(QWidget):
    """A complaint as a tab or in its own window. Reloads when the session's ``Changes``
    name it."""

    loaded = Signal(object)  # the ComplaintDetail, or None when it cannot be opened

    def __init__(self, session, complaint_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.complaint_id = complaint_id
        self.detail = None
        self.dialog: ActionDialog | None = None
        self.texts = Texts()
        self._sized = False
        self._build()
        # A bound method: Qt drops the connection when this widget is deleted.
        session.changed.connect(self._on_changed)
        self.reload()

    def _build(self) -> None:
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        # docs/design.md, Tamper evidence: rows of this complaint changed outside the program
        self.tampered = QLabel()
        self.tampered.setStyleSheet(ERROR_STYLE)
        self.tampered.setWordWrap(True)
        self.tampered.hide()

        self.facts = FactsPanel()
        facts_scroll = QScrollArea()
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setWidget(self.facts)
        facts_group = self._group(N_("Facts"), facts_scroll)

        # The path (docs/rules.md §4): where the complaint stands, the next step or two as
        # primary buttons, every other step the reader may take in "More actions"; steps
        # they may not take are not shown at all.
        self.step_bar = StepBar()
        self.next_box = QHBoxLayout()
        self.next_box.setContentsMargins(0, 0, 0, 0)
        self.more = QPushButton()
        self.more.setObjectName("more_actions")
        self.more_menu = QMenu(self.more)
        self.more.setMenu(self.more_menu)
        self.buttons: dict[str, QPushButton | QAction] = {}
        self.next_actions: tuple[str, ...] = ()
        # Documents (docs/rules.md): produce one, then preview, print or save it.
        self.documents = DocumentsButton(self.session, self._show_error, self.message.hide)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(self.next_box)
        self.waiting = QLabel()  # what the path waits for, as the step bar's tooltip says
        self.waiting.setStyleSheet("color: #555;")
        self.waiting.setWordWrap(True)
        row.addWidget(self.waiting, 1)
        row.addWidget(self.more)
        row.addWidget(self.documents)
        actions = QWidget()
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addWidget(self.step_bar)
        actions_layout.addLayout(row)
        self.next_shortcut = QShortcut(QKeySequence(NEXT_SHORTCUT), self)
        self.next_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.next_shortcut.activated.connect(self._take_next)
        actions_group = self._group(N_("Path"), actions)

        self.timeline = TimelinePanel()
        self.timeline.reprint_requested.connect(self.documents.reprint)
        self.clocks = ClocksPanel()
        self.attachments = AttachmentsPanel(self.session, self.complaint_id)
        # Left: what happened and what was done; right: what can be done, and by when.
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(facts_group)
        left.addWidget(self._group(N_("Timeline (newest first)"), self.timeline))
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 3)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._group(N_("Time limits"), self.clocks))
        right.addWidget(self._group(N_("Attachments"), self.attachments))
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        self.splitters = (body, left, right)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.message)
        layout.addWidget(self.tampered)
        layout.addWidget(actions_group)
        layout.addWidget(body, 1)

        self.denied = QLabel()
        self.denied.setWordWrap(True)
        self.denied.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.denied.setStyleSheet("font-size: 14pt; padding: 24px;")
        self.pages = QStackedWidget()
        self.pages.addWidget(content)
        self.pages.addWidget(self.denied)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        # Another PC may have taken a step meanwhile (docs/design.md: two to ten PCs).
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.reload)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:
            # First show: give the facts the height they need, up to half of the left side.
            self._sized = True
            left = self.splitters[1]
            total = sum(left.sizes())
            want = min(self.facts.sizeHint().height() + 36, total // 2)
            if total > 0 and want > left.sizes()[0]:
                left.setSizes([want, total - want])

    def _group(self, msgid: str, widget: QWidget) -> QGroupBox:
        group = QGroupBox()
        self.texts.add(group.setTitle, msgid)
        layout = QVBoxLayout(group)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(widget)
        return group

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            detail = complaints.detail(self.complaint_id, actor=self.session.user)
        except DomainError as err:
            # The respondent, or anyone not involved, sees why, and nothing else (docs/rules.md).
            self.detail = None
            self.denied.setText(err.message())
            self.pages.setCurrentWidget(self.denied)
            self.loaded.emit(None)
            return
        self.detail = detail
        self.pages.setCurrentIndex(0)
        self._show(detail)
        self.loaded.emit(detail)

    def _show(self, detail) -> None:
        c = detail.complaint
        major = (' <span style="color:#b3261e;">' + _("major") + "</span>"
                 if c.severity == "major" else "")
        self.header.setText(
            f'<span style="font-size:15pt; font-weight:600;">{c.ticket}</span>'
            f'&nbsp;&nbsp;<span style="font-size:12pt;">{state_name(c.state)}</span>'
            f"&nbsp;&nbsp;{name_of(KIND_NAMES, c.kind)} · {escape(c.complainant_name)}"
            f"{major}")
        self.facts.show_detail(detail)
        problems = integrity.complaint_problems(c.id)
        self.tampered.setVisible(bool(problems))
        self.tampered.setText("<br>".join(
            [escape(_("Some records of this complaint were changed outside ComplaintDesk; "
                      "they cannot be trusted:"))]
            + [escape(p.describe()) for p in problems[:5]]))
        self.timeline.show_events(detail.events)
        self.clocks.show_clocks(detail.clocks)
        self.attachments.show_attachments(detail.attachments,
                                          can_add="attach" in detail.allowed,
                                          ticket=c.ticket, state=c.state)
        self._show_path(detail)
        self.documents.set_detail(detail)

    def _show_path(self, detail) -> None:
        outlook = detail.outlook
        waiting = outlook.waiting.text()
        self.step_bar.set_steps([
            Step(p.state, state_name(p.state), p.status,
                 tuple(action_name(b) for b in p.branches)) for p in outlook.steps], waiting)
        # the buttons of the last reading go; the steps allowed now come in their place
        while self.next_box.count():
            item = self.next_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.more_menu.clear()
        self.buttons = {}
        shown = [a for a in BUTTON_ACTIONS if a in detail.allowed]
        self.next_actions = tuple(a for a in outlook.next_steps if a in shown)
        for i, action in enumerate(self.next_actions):
            button = QPushButton(next_step_text(action, outlook.limit))
            button.setObjectName(f"next_{action}")
            button.setDefault(i == 0)
            button.setStyleSheet(NEXT_STYLE)
            tip = waiting
            if i == 0:
                tip += "\n" + _("Shortcut: {keys}").format(
                    keys=QKeySequence(NEXT_SHORTCUT).toString(
                        QKeySequence.SequenceFormat.NativeText))
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, a=action: self.open_action(a))
            self.next_box.addWidget(button)
            self.buttons[action] = button
        used: set[str] = set()
        for action in shown:
            if action in self.next_actions:
                continue
            act = self.more_menu.addAction(with_mnemonic(action_name(action), used))
            act.setObjectName(f"more_{action}")
            act.triggered.connect(lambda _c=False, a=action: self.open_action(a))
            self.buttons[action] = act
        self.more.setText(_("&More actions"))
        self.more.setVisible(not self.more_menu.isEmpty())
        self.waiting.setText(waiting)
        # the menu arrow must not cover the last letters of either button
        for button in (self.more, self.documents):
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(
                button.text().replace("&", "")) + 40)

    def shown_actions(self) -> set[str]:
        """The steps offered now: the next-step buttons and the "More actions" menu."""
        return set(self.buttons)

    def trigger(self, action: str) -> ActionDialog | None:
        """Take ``action`` as the user would: its button, or its item in the menu."""
        widget = self.buttons.get(action)
        if widget is None:
            return None
        if isinstance(widget, QAction):
            widget.trigger()
        else:
            widget.click()
        return self.dialog

    def _take_next(self) -> None:
        if self.next_actions and self.dialog is None:
            self.open_action(self.next_actions[0])

    def _on_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()  # reads the complaint again too
        elif changes.touches_complaint(self.complaint_id):
            self.reload()

    def disabled_reason(self, action: str) -> str:
        """Why an action is not possible now: the state, the role, or recusal
        (docs/rules.md)."""
        if self.detail is None:
            return ""
        if self.detail.complaint.state == "archived":
            return _("Archived complaints are read-only.")
        try:
            workflow.check(self.session.user, self.detail.complaint, action)
        except DomainError as err:
            return err.message()
        return _("Not possible now.")

    def retranslate(self) -> None:
        self.texts.apply()
        self.timeline.retranslate()
        self.clocks.retranslate()
        self.attachments.retranslate()
        self.documents.retranslate()
        self.reload()

    def title(self) -> str:
        return self.detail.complaint.ticket if self.detail else _("Complaint")

    def _show_error(self, err: DomainError) -> None:
        self.message.setText(err.message())
        self.message.show()

    # --- actions ----------------------------------------------------------------------------

    def open_action(self, action: str) -> ActionDialog | None:
        """Open the dialog for ``action`` (window-modal, not blocking); returns it."""
        if self.detail is None or action not in self.detail.allowed:
            return None
        self.message.hide()
        try:
            dialog = dialog_for(self.session, self.detail, action, self)
        except DomainError as err:  # e.g. the complaint changed on another PC meanwhile
            self.message.setText(err.message())
            self.message.show()
            self.reload()
            return None
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
        return dialog


class ComplaintWindow(QMainWindow):
    """A complaint in its own window, which remembers where it was."""

    def __init__(self, session, complaint_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = ComplaintView(session, complaint_id, self)
        self.setCentralWidget(self.view)
        self.view.loaded.connect(lambda _d: self._set_title())
        self._set_title()
        if not prefs.restore_geometry(self, prefs.COMPLAINT_GEOMETRY):
            self.resize(1200, 820)
            prefs.fit_to_screen(self)  # a 768-pixel screen, 150 % scaling

    def _set_title(self) -> None:
        detail = self.view.detail
        self.setWindowTitle(_("Complaint {ticket}").format(ticket=detail.complaint.ticket)
                            if detail else _("Complaint"))

    def closeEvent(self, event) -> None:
        dialog = self.view.dialog
        if dialog is not None and dialog.busy:
            # A step is on the worker: its result must still find the dialog (which says so).
            dialog.reject()
            event.ignore()
            return
        prefs.put(prefs.COMPLAINT_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)


__all__ = ["BUTTON_ACTIONS", "NEXT_SHORTCUT", "ComplaintView", "ComplaintWindow",
           "next_step_text", "with_mnemonic"]
