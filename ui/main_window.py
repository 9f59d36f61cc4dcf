"""The main window: menus, tool bar, the navigation pane, the screens, and a status bar with
who is logged in, the database and how much is overdue (docs/design.md)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from services.changes import Changes
from services.complaints import ComplaintFilter
from services.complaints import register as complaints
from services.firm import setup
from services.i18n import N_, _, format_list, format_number, ngettext
from services.people import ROLE_NAMES, ROLES, has_role, roles_of
from ui import prefs, verify_records
from ui.icons import app_icon, icon
from ui.session import Session
from ui.transfer import add_file_actions


@dataclass(frozen=True)
class Section:
    """A screen of the navigation pane and the View menu."""
    key: str
    label: str  # N_() msgid
    # a services check that the firm uses this section (e.g. warranty: repair shops only),
    # and the tooltip saying why it is off when not
    applies: Callable[[], bool] | None = None
    off_reason: str = ""


def _repair_shop() -> bool:
    # the firm's profile, not services.warranty: start-up should not import that module
    return setup.firm_profile() == "repair-shop"


# The navigation pane and the View menu. A section that does not apply to the firm is hidden
# (menu entry and pane alike), never greyed and never a fake screen (docs/design.md).
SECTIONS: tuple[Section, ...] = (
    Section("complaints", N_("Complaints")),
    Section("due", N_("Due & overdue")),
    Section("warranty", N_("Warranty"), applies=_repair_shop,
            off_reason=N_("Repair warranty is for the repair-shop profile.")),
    Section("penalties", N_("Penalties")),
    Section("reports", N_("Reports")),
    Section("settings", N_("Settings")),
)
SECTION = {s.key: s for s in SECTIONS}
OVERDUE_REFRESH_MS = 60_000
REPORT_CHECK_MS = 60 * 60 * 1000
FIRST_REPORT_CHECK_MS = 5000  # a moment after start: the window opens first
SETTLE_AT_LATEST_MS = 3000  # settled by then even if the register has not painted (minimized)


def screen_class(key: str) -> type[QWidget]:
    """The screen of a section, built as Screen(session). A static registry: each import is
    written out, so a frozen build (build.spec) bundles every screen, and made only on first
    use, so start-up does not load the screen packages (docs/design.md: the start-up budget)."""
    if key == "complaints":
        from ui.register.view import RegisterView
        return RegisterView
    if key == "due":
        from ui.due_view import DueView
        return DueView
    if key == "warranty":
        from ui.warranty import WarrantyView
        return WarrantyView
    if key == "penalties":
        from ui.penalties import PenaltiesView
        return PenaltiesView
    if key == "reports":
        from ui.reports import ReportsView
        return ReportsView
    if key == "settings":
        from ui.settings import SettingsView
        return SettingsView
    raise KeyError(key)


def _with_keys(tip: str, action: QAction) -> str:
    """A tooltip that teaches the action's key: "Find (Ctrl+F)"."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return _("{tip} ({keys})").format(tip=tip, keys=keys) if keys else tip


def _available(key: str) -> bool:
    """The section's screen can open for this firm (every screen is part of every build)."""
    section = SECTION[key]
    return section.applies is None or section.applies()


class MainWindow(QMainWindow):
    """One logged-in user's window. ``switch_user_requested`` asks the application to log
    someone else in (it closes this window and opens a new one)."""

    switch_user_requested = Signal()
    closed = Signal()  # closed for good (not for switching user)
    # Once: the first screen has painted what it shows. Work the start can do without (the
    # checks at start, warming up the documents) waits for it (docs/design.md, Start-up).
    settled = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.views: dict[str, QWidget] = {}
        self.complaint_windows: dict[int, QWidget] = {}
        self.dialogs: list[QWidget] = []  # open new-complaint dialogs
        self.overdue_count: int | None = None
        self._counting = False
        self._switching = False
        self._closed = False
        self.setObjectName("main_window")
        self.setWindowIcon(app_icon())

        self._make_actions()
        self._make_menus()
        self._make_tool_bar()
        self._make_navigation()
        self._make_status_bar()

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.placeholder = QLabel()  # shown only while no screen of this build can open
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)

        session.changed.connect(self._on_changed)
        # The window's timers are its children: they stop when it closes and go with it.
        self.timer = self._timer(OVERDUE_REFRESH_MS, self.refresh_overdue)
        # The owner's scheduled monthly summary: checked soon after start, then hourly (any PC).
        self.report_timer = self._timer(REPORT_CHECK_MS, self.run_scheduled_report)
        self.first_report_timer = self._timer(FIRST_REPORT_CHECK_MS, self.run_scheduled_report,
                                              once=True)

        self.retranslate()
        self.resize(1200, 760)
        self._restore_geometry()
        first = next((x.key for x in SECTIONS if _available(x.key)), None)
        view = self.show_section(first) if first else None
        painted = getattr(view, "first_painted", None)
        if painted is not None:
            painted.connect(self._settle)
        # A window that is not painted (started minimized) settles all the same, a little
        # later; a screen that does not say when it has painted, once showing it is handled.
        self._settled = False
        self.settle_timer = self._timer(SETTLE_AT_LATEST_MS if painted is not None else 0,
                                        self._settle, once=True)
        self.refresh_overdue()

    # --- building ----------------------------------------------------------------------

    def _settle(self) -> None:
        if not self._settled:
            self._settled = True
            self.settle_timer.stop()
            self.settled.emit()

    def _timer(self, ms: int, slot: Callable[[], None], *, once: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(once)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    def timers(self) -> tuple[QTimer, ...]:
        return (self.timer, self.report_timer, self.first_report_timer)

    def _action(self, name: str, slot: Callable, shortcut=None, icon_name: str = "") -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.new_customer_action = a("new_customer", lambda: self.new_complaint("customer"),
                                     QKeySequence.StandardKey.New, "new")
        self.new_employee_action = a("new_employee", lambda: self.new_complaint("employee"))
        self.switch_user_action = a("switch_user", self.switch_user)
        self.quit_action = a("quit", self.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.find_action = a("find", self.find, QKeySequence.StandardKey.Find, "find")
        self.about_action = a("about", self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.guide_action = a("user_guide", self.user_guide,
                              QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcuts_action = a("keyboard_shortcuts", self.keyboard_shortcuts)
        self.section_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for number, section in enumerate(SECTIONS, start=1):
            key = section.key
            action = a(f"view_{key}", lambda k=key: self.show_section(k),
                       QKeySequence(f"Ctrl+{number}"), key)
            if key == "settings":  # Ctrl+, as well, the usual key for settings
                action.setShortcuts([QKeySequence(f"Ctrl+{number}"), QKeySequence("Ctrl+,")])
            action.setCheckable(True)
            action.setVisible(_available(key))  # hidden, and its shortcut off, when not used
            action.setEnabled(_available(key))
            group.addAction(action)
            self.section_actions[key] = action
        self.find_action.setEnabled(_available("complaints"))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.new_customer_action)
        self.file_menu.addAction(self.new_employee_action)
        self.file_menu.addSeparator()
        self.transfer = add_file_actions(self, self.file_menu)  # import, export, move
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.switch_user_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.find_action)
        self.view_menu = bar.addMenu("")
        for action in self.section_actions.values():
            self.view_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addSeparator()
        self.verify_action = verify_records.install(self, self.help_menu)  # Tamper evidence
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def _make_tool_bar(self) -> None:
        self.tool_bar = QToolBar()
        self.tool_bar.setObjectName("main_tool_bar")
        self.tool_bar.setIconSize(QSize(20, 20))
        self.tool_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tool_bar.addAction(self.new_customer_action)
        self.tool_bar.addAction(self.find_action)
        self.tool_bar.addAction(self.section_actions["due"])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.tool_bar)

    def _make_navigation(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; }"
                               "QListWidget::item { padding: 6px 4px; }")
        self.nav_items: dict[str, QListWidgetItem] = {}
        for section in SECTIONS:
            key = section.key
            item = QListWidgetItem(icon(key), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            item.setHidden(not _available(key))
            self.nav_items[key] = item
        self.nav.currentItemChanged.connect(self._nav_changed)
        self.nav_dock = QDockWidget()
        self.nav_dock.setObjectName("navigation_dock")
        self.nav_dock.setWidget(self.nav)
        self.nav_dock.setTitleBarWidget(QWidget())  # a pane, not a floating tool window
        self.nav_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.nav_dock)
        self.resizeDocks([self.nav_dock], [180], Qt.Orientation.Horizontal)

    def _make_status_bar(self) -> None:
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.database_label = QLabel()
        self.database_label.setObjectName("status_database")
        self.overdue_button = QToolButton()
        self.overdue_button.setObjectName("status_overdue")
        self.overdue_button.setAutoRaise(True)
        self.overdue_button.clicked.connect(lambda: self.show_section("due"))
        status = self.statusBar()
        status.addWidget(self.user_label)
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.overdue_button)

    # --- texts ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Re-apply every text in the current language; nothing typed anywhere is lost."""
        self.setWindowTitle(_("ComplaintDesk"))
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.view_menu.setTitle(_("&View"))
        self.help_menu.setTitle(_("&Help"))
        self.tool_bar.setWindowTitle(_("Tool bar"))
        texts = {
            self.new_customer_action: (N_("&New customer complaint…"), N_("New"),
                                       N_("Register a new customer complaint")),
            self.new_employee_action: (N_("New &employee complaint…"), "",
                                       N_("Register a new employee complaint")),
            self.switch_user_action: (N_("&Switch user…"), "",
                                      N_("Log out and let someone else log in")),
            self.quit_action: (N_("&Quit"), "", ""),
            self.find_action: (N_("&Find…"), N_("Find"),
                               N_("Search the register by ticket no., name, phone, contract "
                                  "no. or text")),
            self.about_action: (N_("&About ComplaintDesk"), "", ""),
            self.guide_action: (N_("&User guide"), "",
                                N_("How to use ComplaintDesk, step by step")),
            self.shortcuts_action: (N_("&Keyboard shortcuts"), "",
                                    N_("Every key that does something in this window")),
        }
        for action, (text, icon_text, tip) in texts.items():
            action.setText(_(text))
            if icon_text:
                action.setIconText(_(icon_text))
            action.setToolTip(_with_keys(_(tip), action) if tip else "")
            action.setStatusTip(_(tip) if tip else "")
        for key, action in self.section_actions.items():
            action.setText(_(SECTION[key].label).replace("&", "&&"))  # a literal "&"
            action.setToolTip(_with_keys(_(SECTION[key].label), action))
        for section in SECTIONS:
            item = self.nav_items[section.key]
            item.setText(_(section.label))
            shortcut = self.section_actions[section.key].shortcut()
            item.setToolTip(shortcut.toString(QKeySequence.SequenceFormat.NativeText))
        self.placeholder.setText(_("Choose a section on the left."))
        self._update_status()
        # The screens, complaint windows and dialogs retranslate themselves on
        # Changes(language=True), as this window does.

    def run_scheduled_report(self) -> None:
        if self._closed:  # a timeout already on its way when the window closed
            return
        from services import documents  # the document modules load when first needed

        user = self.session.user
        if not has_role(user, "owner", "manager"):
            return
        if documents.schedule.due_month() is None:
            return

        def done(path) -> None:
            if path is not None:
                self.statusBar().showMessage(
                    _("The monthly summary was saved to {path}").format(path=path), 15000)

        def failed(exc, details) -> None:
            self.statusBar().showMessage(
                _("The scheduled monthly summary could not be made: {error}").format(
                    error=getattr(exc, "message", lambda: str(exc))()), 15000)

        self.session.tasks.run(documents.schedule.run_due, actor=user, on_done=done,
                               on_error=failed, quiet=True)

    def _update_status(self) -> None:
        user = self.session.user
        mine = roles_of(user)
        roles = format_list([_(ROLE_NAMES[r]) for r in ROLES if r in mine])
        self.user_label.setText(_("{name} ({roles})").format(name=user.name, roles=roles))
        self.user_label.setToolTip(_("Logged in as {login}").format(login=user.login))
        label = setup.location_label() or self.session.location
        self.database_label.setText(_("Database: {location}").format(location=label))
        self.database_label.setToolTip(label)
        self._show_overdue()

    def _show_overdue(self) -> None:
        n = self.overdue_count
        if n is None:
            text, style = "", ""
        elif n == 0:
            text, style = _("Nothing overdue"), ""
        else:
            text = ngettext("{n} overdue", "{n} overdue", n).format(n=format_number(n))
            style = "color: #c62828; font-weight: 600;"
        self.overdue_button.setText(text)
        self.overdue_button.setStyleSheet(style)
        self.overdue_button.setToolTip(_("Complaints past a time limit; click to see what is "
                                         "due"))

    # --- the overdue count ----------------------------------------------------------------

    def refresh_overdue(self) -> None:
        """Count, off the GUI thread, the complaints past their next time limit (a reply, an
        answer, a follow-up visit: docs/rules.md). One COUNT in SQL over an indexed column."""
        if self._counting or self._closed:
            return
        self._counting = True
        self.session.tasks.run(complaints.count, actor=self.session.user,
                               f=ComplaintFilter(overdue_only=True),
                               on_done=self._overdue_counted, on_error=self._count_failed)

    def _overdue_counted(self, n: int) -> None:
        self._counting = False
        if self._closed:  # the count finished after the window was closed
            return
        self.overdue_count = n
        self._show_overdue()

    def _count_failed(self, exc: BaseException, details: str) -> None:
        self._counting = False
        from ui import errors

        errors.log.warning("Could not count overdue complaints: %s\n%s", exc, details)

    def _on_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
        if changes.complaints or changes.calendar:
            self.refresh_overdue()
        if changes.users or changes.settings:
            self._update_status()

    # --- sections ------------------------------------------------------------------------

    def show_section(self, key: str) -> QWidget | None:
        view = self.views.get(key) or self._make_view(key)
        if view is None:
            return None
        self.stack.setCurrentWidget(view)
        item = self.nav_items[key]
        if self.nav.currentItem() is not item:
            self.nav.setCurrentItem(item)
        if key in self.section_actions:
            self.section_actions[key].setChecked(True)
        return view

    def _nav_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.show_section(current.data(Qt.ItemDataRole.UserRole))

    def _make_view(self, key: str) -> QWidget | None:
        section = SECTION[key]
        if not _available(section.key):
            return None
        # Screens are imported on first use: start-up stays quick (docs/design.md).
        view = screen_class(key)(self.session)
        if hasattr(view, "open_requested"):  # a list of complaints: open one on request
            view.open_requested.connect(self.open_complaint)
        view.setObjectName(f"view_{key}")
        self.views[key] = view
        self.stack.addWidget(view)
        return view

    # --- commands ------------------------------------------------------------------------

    def new_complaint(self, kind: str = "customer") -> QWidget | None:
        from ui.complaint.form import NewComplaintDialog

        dialog = NewComplaintDialog(self.session, kind=kind, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_a: self.dialogs.remove(dialog)
                                 if dialog in self.dialogs else None)
        dialog.open()
        return dialog

    def find(self) -> None:
        view = self.show_section("complaints")
        if view is not None and hasattr(view, "focus_search"):
            view.focus_search()

    def open_complaint(self, complaint_id: int) -> QWidget:
        """One window per complaint: opening it again brings the open one to the front."""
        window = self.complaint_windows.get(complaint_id)
        if window is None:
            from ui.complaint.view import ComplaintWindow

            window = ComplaintWindow(self.session, complaint_id)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_a, i=complaint_id: self.complaint_windows.pop(i,
                                                                                         None))
            self.complaint_windows[complaint_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def switch_user(self) -> None:
        self.switch_user_requested.emit()

    def close_for_switch(self) -> bool:
        """Close (asking about unsaved work) without ending the program."""
        self._switching = True
        try:
            return self.close()
        finally:
            self._switching = False

    def user_guide(self) -> QWidget:
        """Help ▸ User guide (F1): the guide in the program's language (ui/guide.py)."""
        from ui.guide import show_guide

        return show_guide(self)

    def keyboard_shortcuts(self) -> QWidget:
        """Help ▸ Keyboard shortcuts: read from this window's actions, so never out of date."""
        from ui.guide import show_shortcuts

        return show_shortcuts(self)

    def about(self) -> QWidget:
        """Help ▸ About: versions, the database in use, the notices (ui/about.py)."""
        from ui.about import show_about

        return show_about(self)

    # --- closing ---------------------------------------------------------------------------

    def may_close(self) -> bool:
        """Close what belongs to this window, asking first wherever typing would be lost;
        False if the user chose to stay."""
        for dialog in list(self.dialogs):
            dialog.reject()  # an unsaved complaint form asks: save, discard or cancel
            if dialog.isVisible():
                return False
        for window in list(self.complaint_windows.values()):
            if not window.close():
                return False
        for key, view in self.views.items():
            unsaved = getattr(view, "has_unsaved_changes", None)
            if unsaved is not None and unsaved():
                self.show_section(key)
                answer = QMessageBox.question(
                    self, _("Unsaved changes"),
                    _("{section} has changes that are not saved. Close anyway and lose "
                      "them?").format(section=self.nav_items[key].text()),
                    QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel)
                if answer != QMessageBox.StandardButton.Discard:
                    return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._closed:  # closed before: nothing more to save or to tell
            event.accept()
            return
        if not self.may_close():
            event.ignore()
            return
        for view in self.views.values():
            if hasattr(view, "save_state"):
                view.save_state()
        self.save_geometry()
        for timer in self.timers():
            timer.stop()
        self.settle_timer.stop()
        self._closed = True
        event.accept()
        if not self._switching:
            self.closed.emit()

    def save_geometry(self) -> None:
        prefs.put(prefs.MAIN_GEOMETRY, self.saveGeometry())
        prefs.put(prefs.MAIN_STATE, self.saveState())

    def _restore_geometry(self) -> None:
        if not prefs.restore_geometry(self, prefs.MAIN_GEOMETRY):
            prefs.fit_to_screen(self)  # the default size on a small or scaled screen
        state = prefs.get(prefs.MAIN_STATE)
        if state is not None and not state.isEmpty():
            self.restoreState(state)
