"""The log-in dialog of every start after the first (the last login is remembered)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.errors import DomainError
from services.i18n import N_, _
from ui import errors, prefs
from ui.icons import app_icon
from ui.tasks import TaskManager
from ui.widgets.inline import InlineError, set_text_color


class LoginDialog(QDialog):
    """Login and password for the database shown; ``user`` is set once accepted.

    A wrong password is said inline, under the fields; Esc cancels. Shown with
    ``ready=False`` while the database is still opening (docs/design.md, Start-up): the
    fields take input at once, and Log in waits for ``set_ready(True)``.
    """

    painted = Signal()  # the first paint (the database may start opening behind it)

    def __init__(self, *, location: str, tasks: TaskManager, parent: QWidget | None = None,
                 ready: bool = True):
        super().__init__(parent)
        self.tasks = tasks
        self.location = location
        self.user = None
        self.ready = ready
        self._busy = False
        self._painted = False
        self.setWindowIcon(app_icon())

        # Fonts and colours by QFont and the palette, not style sheets (docs/design.md,
        # Start-up: a style sheet costs milliseconds before the first paint).
        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setPointSize(15)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.login_edit = QLineEdit(prefs.get(prefs.LAST_LOGIN))
        self.login_edit.setObjectName("login")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_label = QLabel()
        self.login_label.setBuddy(self.login_edit)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.database_label = QLabel()
        self.database_label.setWordWrap(True)
        set_text_color(self.database_label,
                       self.database_label.palette().color(QPalette.ColorRole.PlaceholderText))
        self.error = InlineError()

        # Set after construction: the constructor's overloads would make Qt's whole
        # namespace of enums (30 ms) before the first paint (docs/design.md, Start-up).
        self.buttons = QDialogButtonBox()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.login_label, self.login_edit)
        form.addRow(self.password_label, self.password_edit)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(40, 40))
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.database_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.retranslate()
        self._update_buttons()
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Log in — ComplaintDesk"))
        self.heading.setText(_("Log in"))
        self.login_label.setText(_("&Login:"))
        self.password_label.setText(_("&Password:"))
        self.database_label.setText(
            _("Database: {location}").format(location=self.location) if self.ready
            else _("Opening the database {location}…").format(location=self.location))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Log in"))
        self.error.retranslate()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def set_ready(self, ready: bool) -> None:
        """The database is open (or not): Log in may (or may not) be pressed."""
        self.ready = ready
        self.retranslate()
        self._update_buttons()

    def accept(self) -> None:
        if not self.ready or self._busy:
            return  # the database is still opening: Enter waits like the button
        login = self.login_edit.text().strip()
        if not login:
            self.error.show_message(N_("Give your login."))
            self.login_edit.setFocus()
            return
        from services.people import users  # imported by the worker as it opened the database

        self._set_busy(True)
        self.tasks.run(users.authenticate, login=login, password=self.password_edit.text(),
                       on_done=self._logged_in, on_error=self._failed, label=_("Logging in…"),
                       parent=self)

    def _logged_in(self, user) -> None:
        self._set_busy(False)
        self.user = user
        prefs.put(prefs.LAST_LOGIN, user.login)
        super().accept()

    def _failed(self, exc: BaseException, details: str) -> None:
        self._set_busy(False)
        if not isinstance(exc, DomainError):
            errors.handle(exc, details, self)
            return
        self.error.show_error(exc)  # "Wrong login or password."
        self.password_edit.clear()
        self.password_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()
        self.login_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)

    def _update_buttons(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.ready and not self._busy)
