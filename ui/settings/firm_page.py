"""Settings › Firm: name, address, approval, office day, warnings, document language."""
from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from services import settings
from services.firm import PROFILE_NAMES
from services.i18n import LANGUAGES, _
from services.people import has_role
from ui.settings.common import (
    OWNER_ONLY,
    SETTINGS_CHANGED,
    ReadOnlyNote,
    language_label,
    set_enabled,
)
from ui.tasks import run_service
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.form_dialog import FieldErrors

_WEEK_MINUTES = 7 * 24 * 60


class FirmPage(QWidget):
    """The firm's own details; only the owner may change them (docs/rules.md)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editable = has_role(session.user, "owner")
        self._info: settings.FirmInfo | None = None
        self._loading = False
        self._dirty = False

        self.note = ReadOnlyNote(OWNER_ONLY, self)
        self.note.setVisible(not self.editable)
        self.errors = FieldErrors()

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.address = QLineEdit()
        self.address.setMaxLength(300)
        self.phone = QLineEdit()
        self.phone.setMaxLength(50)
        self.profile = QLabel()
        self.approval = QCheckBox()
        self.office_start = QTimeEdit()
        self.office_end = QTimeEdit()
        for edit in (self.office_start, self.office_end):
            edit.setDisplayFormat("HH:mm")
        self.due_soon = QSpinBox()
        self.due_soon.setRange(0, _WEEK_MINUTES)
        self.due_soon.setSingleStep(15)
        self.document_language = QComboBox()

        office = QWidget()
        row = QHBoxLayout(office)
        row.setContentsMargins(0, 0, 0, 0)
        self.office_to = QLabel()
        row.addWidget(self.errors.wrap("office_start", self.office_start))
        row.addWidget(self.office_to)
        row.addWidget(self.errors.wrap("office_end", self.office_end))
        row.addStretch(1)

        self.form = QFormLayout()
        self.labels = {key: QLabel() for key in (
            "name", "address", "phone", "profile", "office", "due_soon", "document_language")}
        self.form.addRow(self.labels["name"], self.errors.wrap("name", self.name))
        self.form.addRow(self.labels["address"], self.errors.wrap("address", self.address))
        self.form.addRow(self.labels["phone"], self.errors.wrap("phone", self.phone))
        self.form.addRow(self.labels["profile"], self.profile)
        self.form.addRow("", self.errors.wrap("approval_required", self.approval))
        self.form.addRow(self.labels["office"], office)
        self.form.addRow(self.labels["due_soon"],
                         self.errors.wrap("due_soon_minutes", self.due_soon))
        self.form.addRow(self.labels["document_language"],
                         self.errors.wrap("document_language", self.document_language,
                                          "language"))
        for key in ("name", "address", "phone", "office", "due_soon", "document_language"):
            self.labels[key].setBuddy({"name": self.name, "address": self.address,
                                       "phone": self.phone, "office": self.office_start,
                                       "due_soon": self.due_soon,
                                       "document_language": self.document_language}[key])

        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton()
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.errors.info)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self._inputs = (self.name, self.address, self.phone, self.approval, self.office_start,
                        self.office_end, self.due_soon, self.document_language)
        set_enabled(self._inputs, self.editable)
        for w in (self.name, self.address, self.phone):
            w.textChanged.connect(self._changed)
        self.approval.toggled.connect(self._changed)
        self.office_start.timeChanged.connect(self._changed)
        self.office_end.timeChanged.connect(self._changed)
        self.due_soon.valueChanged.connect(self._changed)
        self.document_language.currentIndexChanged.connect(self._changed)
        session.changed.connect(self._on_session_changed)

        self.retranslate()
        self.reload()

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        run_service(self.session, settings.firm_info, on_done=self._show,
                    on_domain_error=self.errors.show, parent=self)

    def _show(self, info: settings.FirmInfo) -> None:
        self._info = info
        self._loading = True
        try:
            self.name.setText(info.name)
            self.address.setText(info.address)
            self.phone.setText(info.phone)
            self.profile.setText(_(PROFILE_NAMES.get(info.profile, info.profile)))
            self.approval.setChecked(info.approval_required)
            self.office_start.setTime(QTime.fromString(info.office_start, "HH:mm"))
            self.office_end.setTime(QTime.fromString(info.office_end, "HH:mm"))
            self.due_soon.setValue(info.due_soon_minutes)
            select_data(self.document_language, info.document_language)
        finally:
            self._loading = False
        self._set_dirty(False)

    def _on_session_changed(self, changes) -> None:
        # Another screen saved settings: show them, unless the user is typing here.
        if changes.settings and not self._dirty:
            self.reload()

    # --- editing ----------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(self.editable and dirty)
        self.revert_button.setEnabled(self.editable and dirty)

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def revert(self) -> None:
        self.errors.clear()
        if self._info is not None:
            self._show(self._info)

    def values(self) -> dict:
        info = self._info
        return dict(
            name=self.name.text(), address=self.address.text(), phone=self.phone.text(),
            approval_required=self.approval.isChecked(),
            office_start=self.office_start.time().toString("HH:mm"),
            office_end=self.office_end.time().toString("HH:mm"),
            due_soon_minutes=self.due_soon.value(),
            # The program language stored with the firm is the command line's; keep it.
            language=info.language if info is not None else LANGUAGES[0],
            document_language=self.document_language.currentData())

    def save(self) -> None:
        if not self.editable:
            return
        self.errors.clear()
        self.save_button.setEnabled(False)
        run_service(self.session, settings.update_firm, on_done=self._saved,
                    on_domain_error=self._failed, changes=SETTINGS_CHANGED, parent=self,
                    actor=self.session.user, **self.values())

    def _saved(self, info: settings.FirmInfo) -> None:
        self._show(info)
        self.errors.show_info(lambda: _("The firm's details are saved."))

    def _failed(self, err) -> None:
        self.errors.show(err)
        self._set_dirty(True)

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.labels["name"].setText(_("Firm &name:"))
        self.labels["address"].setText(_("&Address:"))
        self.labels["phone"].setText(_("&Phone:"))
        self.labels["profile"].setText(_("Profile:"))
        self.labels["office"].setText(_("&Office day:"))
        self.office_to.setText(_("to"))
        self.labels["due_soon"].setText(_("&Warn before due (minutes):"))
        self.labels["document_language"].setText(_("&Language of printed documents:"))
        self.approval.setText(_("Decisions need approval before the reply"))
        # docs/rules.md: 在作出处理决定前不得做任何承诺.
        self.approval.setToolTip(_(
            "When checked, a manager or the owner must approve a decision before the reply "
            "goes out: no promise is made to the complainant before a decision is approved. "
            "Only categories marked \"may be answered on the spot\" can then be answered "
            "without approval."))
        self.office_start.setToolTip(_("Time limits counted in office hours count only the "
                                       "time between these two, on working days."))
        self.office_end.setToolTip(self.office_start.toolTip())
        self.due_soon.setToolTip(_("How long before a time limit runs out it is shown as due "
                                   "soon (0: no warning)."))
        self.document_language.setToolTip(_("Receipts, slips and replies are printed in this "
                                            "language, whatever language the program shows."))
        fill_combo(self.document_language, [(lang, language_label(lang)) for lang in LANGUAGES])
        self.save_button.setText(_("&Save"))
        self.revert_button.setText(_("&Revert"))
        if self._info is not None:
            self.profile.setText(_(PROFILE_NAMES.get(self._info.profile, self._info.profile)))
        self.note.retranslate()
        self.errors.retranslate()
