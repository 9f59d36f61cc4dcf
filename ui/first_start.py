"""The first-start wizard: language, firm profile, firm details, the owner's login, and
sample data if wanted (docs/design.md). Finishing sets up the firm and logs the owner in."""
from __future__ import annotations

import importlib.util

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from services.errors import DomainError
from services.firm import PROFILE_NAMES, PROFILES, setup
from services.i18n import N_, _, current_language
from services.people import users
from ui import errors, prefs
from ui.icons import app_icon
from ui.qt_i18n import apply_language
from ui.tasks import TaskManager
from ui.widgets.inline import InlineError

# Each language is named in itself, so whoever starts the program can find theirs.
LANGUAGE_CHOICES = (("zh_CN", "简体中文"), ("en", "English"))

PROFILE_DESCRIPTIONS = {
    "repair-shop": N_("Repair quality, billing and service complaints; reply within 24 hours; "
                      "a manager approves each decision."),
    "law-firm": N_("Client complaints, also those forwarded by the judicial bureau or the bar "
                   "association; reply within 15 working days; decisions approved."),
    "company": N_("Customer and employee complaints; transfer within 30 minutes and quick "
                  "replies; no approval step."),
    "bank": N_("Customer complaints resolved within 15 working days (extended up to 60); "
               "decisions approved."),
}
SAMPLE_COMPLAINTS = 300

LANGUAGE_PAGE, PROFILE_PAGE, FIRM_PAGE, OWNER_PAGE, FINISH_PAGE = range(5)
# Which page shows an error a service raises for a field (err.field).
FIELD_PAGES = {
    "language": LANGUAGE_PAGE, "profile": PROFILE_PAGE, "firm_name": FIRM_PAGE,
    "address": FIRM_PAGE, "phone": FIRM_PAGE, "login": OWNER_PAGE, "name": OWNER_PAGE,
    "password": OWNER_PAGE, "roles": OWNER_PAGE,
}


def demo_available() -> bool:
    return importlib.util.find_spec("services.demo") is not None


class _Page(QWizardPage):
    """A page with inline error lines keyed by the service's field names; ``heading`` and
    ``intro`` (msgids) are its title and subtitle."""

    heading = ""
    intro = ""

    def __init__(self):
        super().__init__()
        self.errors: dict[str, InlineError] = {}

    def error_line(self, field: str) -> InlineError:
        line = InlineError()
        line.setObjectName(f"error_{field}")
        self.errors[field] = line
        return line

    def show_error(self, field: str, err: DomainError) -> None:
        self.errors[field if field in self.errors else "general"].show_error(err)

    def clear_errors(self) -> None:
        for line in self.errors.values():
            line.clear()

    def retranslate(self) -> None:
        self.setTitle(_(self.heading))
        self.setSubTitle(_(self.intro))
        for line in self.errors.values():
            line.retranslate()


class LanguagePage(_Page):
    heading = N_("Welcome to ComplaintDesk")
    intro = N_("Choose the language of the program. You can change it later in Settings.")
    language_chosen = Signal(str)

    def __init__(self, language: str):
        super().__init__()
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (code, name) in enumerate(LANGUAGE_CHOICES):
            button = QRadioButton(name)
            button.setObjectName(f"language_{code}")
            button.setChecked(code == language)
            self.group.addButton(button, i)
            self.buttons[code] = button
            layout.addWidget(button)
        layout.addWidget(self.error_line("general"))
        layout.addStretch(1)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.language_chosen.emit(LANGUAGE_CHOICES[index][0])

    def language(self) -> str:
        return LANGUAGE_CHOICES[self.group.checkedId()][0]


class ProfilePage(_Page):
    heading = N_("What kind of firm is this?")
    intro = N_("The profile presets the categories, time limits and approvals. Every preset "
               "stays editable in Settings.")

    def __init__(self):
        super().__init__()
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.descriptions: dict[str, QLabel] = {}
        for i, code in enumerate(PROFILES):
            button = QRadioButton()
            button.setObjectName(f"profile_{code}")
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            description = QLabel()
            description.setWordWrap(True)
            description.setIndent(24)
            self.group.addButton(button, i)
            self.buttons[code], self.descriptions[code] = button, description
            layout.addWidget(button)
            layout.addWidget(description)
            layout.addSpacing(4)
        self.buttons["company"].setChecked(True)
        layout.addWidget(self.error_line("profile"))
        layout.addWidget(self.error_line("general"))
        layout.addStretch(1)

    def profile(self) -> str:
        return PROFILES[self.group.checkedId()]

    def retranslate(self) -> None:
        for code in PROFILES:
            self.buttons[code].setText(_(PROFILE_NAMES[code]))
            self.descriptions[code].setText(_(PROFILE_DESCRIPTIONS[code]))
        super().retranslate()


class _FormPage(_Page):
    """A page of labelled line edits, each with its error line under it. ``fields``: the
    service's field name (also the edit's object name) and the label's msgid, one a row."""

    fields: tuple[tuple[str, str], ...] = ()

    def __init__(self):
        super().__init__()
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for field, _msgid in self.fields:
            edit, label = QLineEdit(), QLabel()
            edit.setObjectName(field)
            label.setBuddy(edit)
            form.addRow(label, edit)
            form.addRow("", self.error_line(field))
            self.edits[field], self.labels[field] = edit, label
        form.addRow(self.error_line("general"))

    def refuse(self, field: str, why: str | DomainError) -> bool:
        """Say ``why`` (a msgid, or the service's refusal) under ``field``, put the cursor
        there and keep the wizard on this page."""
        if isinstance(why, DomainError):
            self.errors[field].show_error(why)
        else:
            self.errors[field].show_message(why)
        self.edits[field].setFocus()
        return False

    def retranslate(self) -> None:
        for field, msgid in self.fields:
            self.labels[field].setText(_(msgid))
        super().retranslate()


class FirmPage(_FormPage):
    heading = N_("Your firm")
    intro = N_("The name and address are printed on every document.")
    fields = (("firm_name", N_("Fir&m name: *")), ("address", N_("&Address:")),
              ("phone", N_("&Phone:")))

    def __init__(self):
        super().__init__()
        self.name_edit, self.address_edit, self.phone_edit = self.edits.values()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.clear_errors()
        if not self.name_edit.text().strip():
            return self.refuse("firm_name", N_("Give the firm's name."))
        return True


class OwnerPage(_FormPage):
    heading = N_("The owner")
    intro = N_("The owner logs in with this login, approves decisions and manages the users. "
               "Add the staff later in Settings.")
    fields = (("login", N_("&Login: *")), ("name", N_("Full n&ame:")),
              ("password", N_("&Password: *")), ("password_again", N_("Password a&gain: *")))

    def __init__(self):
        super().__init__()
        (self.login_edit, self.name_edit, self.password_edit,
         self.again_edit) = self.edits.values()
        self.login_edit.setText("owner")
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

    def validatePage(self) -> bool:  # noqa: N802
        self.clear_errors()
        if not self.login_edit.text().strip():
            return self.refuse("login", N_("Give a login."))
        try:
            users.validate_password(self.password_edit.text())
        except DomainError as err:
            return self.refuse("password", err)
        if self.password_edit.text() != self.again_edit.text():
            return self.refuse("password_again", N_("The two passwords are not the same."))
        return True


class FinishPage(_Page):
    heading = N_("Ready to set up")
    intro = N_("Press Finish to create the firm and log in as its owner.")

    def __init__(self, location: str):
        super().__init__()
        self.location = location
        self.busy = False
        self.sample_box = QCheckBox()
        self.sample_box.setObjectName("sample_data")
        self.sample_box.setEnabled(demo_available())
        self.sample_note = QLabel()
        self.sample_note.setWordWrap(True)
        self.sample_note.setIndent(24)
        self.database_label = QLabel()
        self.database_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample_box)
        layout.addWidget(self.sample_note)
        layout.addSpacing(12)
        layout.addWidget(self.database_label)
        layout.addWidget(self.error_line("general"))
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802
        return not self.busy

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.sample_box.setEnabled(not busy and demo_available())
        self.completeChanged.emit()

    def validatePage(self) -> bool:  # noqa: N802
        wizard = self.wizard()
        if wizard.user is not None:
            return True  # set up and logged in: let the wizard close
        self.clear_errors()
        wizard.in_validation = True
        try:
            wizard.start_setup()  # with a synchronous TaskManager, done on return
        finally:
            wizard.in_validation = False
        return wizard.user is not None

    def retranslate(self) -> None:
        self.sample_box.setText(_("&Load sample data"))
        if demo_available():
            self.sample_note.setText(_("Adds {n} made-up complaints with staff, so you can try "
                                       "the program out. Use a separate database for real "
                                       "work.").format(n=SAMPLE_COMPLAINTS))
        else:
            self.sample_note.setText(_("Sample data is not part of this build."))
        self.database_label.setText(_("Database: {location}").format(location=self.location))
        super().retranslate()


class FirstStartWizard(QWizard):
    """Sets up a firm in an empty database; ``user`` is the logged-in owner once accepted."""

    def __init__(self, *, location: str, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.user = None  # set once everything is done: the wizard may close
        self.owner = None  # set once the firm and its owner exist
        self.sample_summary = None
        self.in_validation = False
        self.setWindowIcon(app_icon())
        self.language_page = LanguagePage(current_language())
        self.profile_page = ProfilePage()
        self.firm_page = FirmPage()
        self.owner_page = OwnerPage()
        self.finish_page = FinishPage(location)
        self.pages: dict[int, _Page] = {
            LANGUAGE_PAGE: self.language_page, PROFILE_PAGE: self.profile_page,
            FIRM_PAGE: self.firm_page, OWNER_PAGE: self.owner_page,
            FINISH_PAGE: self.finish_page,
        }
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)
        self.language_page.language_chosen.connect(self.switch_language)
        self.setMinimumSize(620, 460)
        self.retranslate()

    def switch_language(self, lang: str) -> None:
        apply_language(lang)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set up ComplaintDesk"))
        # Set explicitly: QWizard does not re-read its button texts when the language changes.
        for button, msgid in ((QWizard.WizardButton.BackButton, N_("< &Back")),
                              (QWizard.WizardButton.NextButton, N_("&Next >")),
                              (QWizard.WizardButton.FinishButton, N_("&Finish")),
                              (QWizard.WizardButton.CancelButton, N_("Cancel"))):
            self.setButtonText(button, _(msgid))
        for page in self.pages.values():
            page.retranslate()

    def firm_setup(self) -> setup.FirmSetup:
        return setup.FirmSetup(
            profile=self.profile_page.profile(),
            firm_name=self.firm_page.name_edit.text(),
            address=self.firm_page.address_edit.text().strip(),
            phone=self.firm_page.phone_edit.text().strip(),
            owner_login=self.owner_page.login_edit.text().strip(),
            owner_name=self.owner_page.name_edit.text().strip(),
            owner_password=self.owner_page.password_edit.text(),
            language=self.language_page.language())

    # --- finishing: set up, load sample data, log in ------------------------------------

    def start_setup(self) -> None:
        data = self.firm_setup()
        self.finish_page.set_busy(True)
        if self.owner is not None:
            # The firm was made and only the sample data failed: do not make it twice.
            self._set_up_done(self.owner, data)
            return
        self.tasks.run(_set_up, data=data, label=_("Setting up the firm…"), parent=self,
                       on_done=lambda user: self._set_up_done(user, data),
                       on_error=self._failed)

    def _set_up_done(self, user, data: setup.FirmSetup) -> None:
        self.owner = user
        if self.finish_page.sample_box.isChecked() and demo_available():
            from services import demo

            self.tasks.run(demo.generate_all, profile=data.profile,
                           complaints=SAMPLE_COMPLAINTS,
                           label=_("Loading sample data…"), parent=self, cancellable=True,
                           on_done=lambda summary: self._sample_loaded(summary, user, data),
                           on_error=self._failed)
        else:
            self._logged_in(user, data)

    def _sample_loaded(self, summary, user, data: setup.FirmSetup) -> None:
        self.sample_summary = summary
        self._logged_in(user, data)

    def sample_data_notice(self) -> str:
        """What the sample data added and how its staff log in ("" without sample data)."""
        s = self.sample_summary
        if s is None:
            return ""
        people = ", ".join(f"{login} ({name})" for login, name, _roles in s.users)
        return _("{n} sample complaints were added. The sample staff log in with the password "
                 "{password}: {people}.").format(n=s.complaints, password=s.password,
                                                 people=people)

    def _logged_in(self, user, data: setup.FirmSetup) -> None:
        self.finish_page.set_busy(False)
        self.user = user
        prefs.put(prefs.LANGUAGE, data.language)
        prefs.put(prefs.LAST_LOGIN, user.login)
        if not self.in_validation:
            # The worker finished after validatePage said "not yet": finish now (this runs
            # validatePage again, which lets the wizard close).
            self.button(QWizard.WizardButton.FinishButton).click()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.finish_page.set_busy(False)
        if not isinstance(exc, DomainError):
            errors.handle(exc, details, self)
            return
        target = FIELD_PAGES.get(exc.field or "", FINISH_PAGE)
        while self.currentId() != target and self.currentId() > target:
            self.back()
        self.pages[target].show_error(exc.field or "general", exc)


def _set_up(*, data: setup.FirmSetup):
    """In the worker: create the firm and its owner (one transaction), then log in."""
    setup.init_firm(data)
    return users.authenticate(data.owner_login, data.owner_password)
