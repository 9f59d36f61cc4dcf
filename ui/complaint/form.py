"""The register form for a new complaint, customer or employee variant (docs/rules.md)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services import clock, settings
from services.changes import Changes
from services.complaints import TRANSITIONS, ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import DomainError, ValidationError
from services.firm import CHANNEL_NAMES, CHANNELS, KIND_NAMES, KINDS, SEVERITIES, SEVERITY_NAMES
from services.i18n import N_, _
from services.people import roles_of, users
from services.validation import clean_phone
from ui.tasks import run_service
from ui.widgets.fields import (
    OptionalDateTime,
    TextEdit,
    combo_value,
    datetime_edit,
    edit_value,
    fill_combo,
    phone_edit,
    select_data,
    text_value,
)
from ui.widgets.form_dialog import STILL_SAVING, FieldErrors
from ui.widgets.texts import Texts


def _register(data: ComplaintInput, acknowledge: bool, actor):
    """On the worker: register, then acknowledge if asked. A refused acknowledgement comes
    back with the registration, which stands: (registered, acknowledged, refusal)."""
    registered = complaints.register(data, actor=actor)
    if not acknowledge:
        return registered, None, None
    try:
        return registered, workflow.act(registered.complaint_id, "acknowledge",
                                        actor=actor), None
    except DomainError as err:
        return registered, None, err


def _changes_of(done) -> Changes:
    """What a registration changed: the new complaint, and the ledger when a hook proposed
    entries for it or for its acknowledgement (services/changes.py)."""
    registered, acknowledged, _refused = done
    return registered.changes | acknowledged.changes if acknowledged else registered.changes


# What makes a complaint major (docs/rules.md).
MAJOR_HINT = N_("Major: a matter of principle, many people affected, or exposure in the media "
                "or on the internet. Major complaints go to a meeting of the complaint group.")


class ComplaintForm(QWidget):
    """Collects a new complaint and registers it through ``services.complaints.register``.

    ``saved`` carries the last ``ActionResult`` (the acknowledgement after Save & acknowledge).
    A host that closes the form asks ``confirm_close()`` first.
    """

    saved = Signal(object)

    def __init__(self, session, kind: str = "customer", parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.texts = Texts()
        self.errors = FieldErrors()
        self.result = None
        self._dirty = False
        self._saving = False
        self._boxes: dict[str, QWidget] = {}
        self._build()
        self._load_choices()
        select_data(self.kind, kind if kind in KINDS else "customer")
        self._apply_kind()
        self._apply_channel()
        self._watch_edits()
        self.retranslate()

    # --- building ---------------------------------------------------------------------------

    def _row(self, form: QFormLayout, name: str, msgid: str, widget: QWidget, *,
             required: bool = False) -> QWidget:
        box = self.errors.wrap(name, widget)
        label = QLabel()
        label.setBuddy(widget)
        label.setWordWrap(True)
        self.texts.add(label.setText, msgid, " *" if required else "")
        form.addRow(label, box)
        self._boxes[name] = box
        return widget

    def _group(self, msgid: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox()
        self.texts.add(group.setTitle, msgid)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return group, form

    def _build(self) -> None:
        now = clock.now()
        complaint, f1 = self._group(N_("Complaint"))
        self.kind = self._row(f1, "kind", N_("Kind"), QComboBox(), required=True)
        self.channel = self._row(f1, "channel", N_("Channel"), QComboBox(), required=True)
        self.channel_detail = self._row(f1, "channel_detail", N_("Forwarded by"), QLineEdit())
        self.received_at = self._row(f1, "received_at", N_("Received at"), datetime_edit(now),
                                     required=True)
        self.category = self._row(f1, "category", N_("Category"), QComboBox(), required=True)
        self.severity = self._row(f1, "severity", N_("Severity"), QComboBox())

        person, f2 = self._group(N_("Complainant"))
        self.name = self._row(f2, "complainant_name", N_("Name"), QLineEdit(), required=True)
        self.phone = self._row(f2, "complainant_phone", N_("Phone"), phone_edit())
        self.address = self._row(f2, "complainant_address", N_("Address"), QLineEdit())
        self.email = self._row(f2, "complainant_email", N_("E-mail"), QLineEdit())
        self.contract_no = self._row(f2, "contract_no", N_("Contract / order no."), QLineEdit())
        self.department = self._row(f2, "complainant_department", N_("Department"),
                                    QComboBox(), required=True)
        self._f2 = f2

        respondent, f3 = self._group(N_("Complained about"))
        self.respondent_user = self._row(f3, "respondent_user", N_("Staff member"), QComboBox())
        self.respondent_department = self._row(f3, "respondent_department", N_("Department"),
                                               QComboBox())
        self.respondent_text = self._row(f3, "respondent_text", N_("Other (free text)"),
                                         QLineEdit())

        facts, f4 = self._group(N_("What happened"))
        self.occurred_at = self._row(f4, "occurred_at", N_("Happened at"), OptionalDateTime(now))
        self.location = self._row(f4, "location", N_("Place"), QLineEdit())
        self.description = self._row(f4, "description", N_("What happened"),
                                     TextEdit(height=130), required=True)
        self.request = self._row(f4, "request", N_("Request"), TextEdit(height=70))
        self._f1 = f1

        grid = QGridLayout()
        grid.addWidget(complaint, 0, 0)
        grid.addWidget(person, 1, 0)
        grid.addWidget(respondent, 0, 1)
        grid.addWidget(facts, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)

        self.required_note = QLabel()
        self.texts.add(self.required_note.setText, N_("* required"))
        self.save_button = QPushButton()
        self.texts.add(self.save_button.setText, N_("&Save"))
        self.save_ack_button = QPushButton()
        self.texts.add(self.save_ack_button.setText, N_("Save && &acknowledge"))
        for button in (self.save_button, self.save_ack_button):
            # Enter in a field must not register a half-typed complaint; Ctrl+S saves.
            button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.save_ack_button.clicked.connect(lambda: self.save(acknowledge=True))
        may_ack = bool(set(TRANSITIONS["acknowledge"].who) & roles_of(self.session.user))
        self.save_ack_button.setVisible(may_ack)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.required_note)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save_ack_button)
        self.buttons.addWidget(self.save_button)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.save())

        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addWidget(scroll, 1)
        layout.addLayout(self.buttons)

        self.kind.activated.connect(lambda _i: self._apply_kind())
        self.channel.currentIndexChanged.connect(lambda _i: self._apply_channel())
        self.phone.editingFinished.connect(self._check_phone)

    def _load_choices(self) -> None:
        self._departments = [(d.code, d.name) for d in users.list_departments()]
        self._staff = [(u.login, f"{u.name} ({u.department})" if u.department else u.name)
                       for u in users.list_users()]
        self._fill_translated()

    def _fill_translated(self) -> None:
        none = [("", "—")]
        fill_combo(self.kind, [(k, _(KIND_NAMES[k])) for k in KINDS])
        fill_combo(self.channel, [(c, _(CHANNEL_NAMES[c])) for c in CHANNELS])
        fill_combo(self.severity, [(s, _(SEVERITY_NAMES[s])) for s in SEVERITIES])
        fill_combo(self.department, self._departments, unset=True)
        fill_combo(self.respondent_department, none + self._departments)
        fill_combo(self.respondent_user, none + self._staff)
        self._fill_categories()

    def _fill_categories(self) -> None:
        kind = combo_value(self.kind) or "customer"
        items = [(c.code, c.name) for c in settings.categories(kind=kind)]
        fill_combo(self.category, items, unset=True)

    def _apply_kind(self) -> None:
        employee = combo_value(self.kind) == "employee"
        self._f2.setRowVisible(self._boxes["contract_no"], not employee)
        self._f2.setRowVisible(self._boxes["complainant_department"], employee)
        self._fill_categories()

    def _apply_channel(self) -> None:
        # Which authority forwarded it (司法行政机关、律师协会、监管机构…, docs/rules.md).
        self._f1.setRowVisible(self._boxes["channel_detail"],
                               combo_value(self.channel) == "authority")

    def _watch_edits(self) -> None:
        mark = self._mark_dirty
        for edit in (self.channel_detail, self.name, self.phone, self.address, self.email,
                     self.contract_no, self.respondent_text, self.location):
            edit.textEdited.connect(mark)
        for edit in (self.description, self.request):
            edit.textChanged.connect(mark)
        for combo in (self.kind, self.channel, self.category, self.severity, self.department,
                      self.respondent_user, self.respondent_department):
            combo.activated.connect(mark)
        self.received_at.dateTimeChanged.connect(mark)
        self.occurred_at.edit.dateTimeChanged.connect(mark)
        self.occurred_at.known.toggled.connect(mark)

    def _mark_dirty(self, *_args) -> None:
        if self.result is None:
            self._dirty = True

    def _check_phone(self) -> None:
        try:
            clean_phone(self.phone.text(), field="complainant_phone")
        except ValidationError as err:
            self.errors.set_field("complainant_phone", err.message)
        else:
            self.errors.set_field("complainant_phone", None)

    # --- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.texts.apply()
        self._fill_translated()
        self.occurred_at.retranslate()
        self.severity.setToolTip(_(MAJOR_HINT))
        self.category.setPlaceholderText(_("Choose a category"))
        self.department.setPlaceholderText(_("Choose a department"))
        self.phone.setPlaceholderText(_("e.g. 138 0013 8000"))
        self.channel_detail.setPlaceholderText(
            _("e.g. the judicial bureau, the bar association, the regulator"))
        self.respondent_text.setPlaceholderText(_("someone not on the staff list"))
        self.save_button.setToolTip(_("Register the complaint (Ctrl+S)"))
        self.save_ack_button.setToolTip(
            _("Register it and record that the complainant was told the ticket number, the time "
              "limit and a contact"))

    def title(self) -> str:
        if combo_value(self.kind) == "employee":
            return _("New employee complaint")
        return _("New customer complaint")

    # --- saving -----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._dirty

    def input(self) -> ComplaintInput:
        return ComplaintInput(
            kind=text_value(self.kind), channel=text_value(self.channel),
            channel_detail=(self.channel_detail.text()
                            if combo_value(self.channel) == "authority" else ""),
            complainant_name=self.name.text(), complainant_phone=self.phone.text(),
            complainant_address=self.address.text(), complainant_email=self.email.text(),
            contract_no=self.contract_no.text() if combo_value(self.kind) == "customer" else "",
            complainant_department=(text_value(self.department)
                                    if combo_value(self.kind) == "employee" else ""),
            respondent_user=text_value(self.respondent_user),
            respondent_department=text_value(self.respondent_department),
            respondent_text=self.respondent_text.text(),
            received_at=edit_value(self.received_at), occurred_at=self.occurred_at.value(),
            location=self.location.text(), description=self.description.toPlainText(),
            request=self.request.toPlainText(), category=text_value(self.category),
            severity=text_value(self.severity) or "normal")

    def save(self, *, acknowledge: bool = False) -> bool:
        """Register the complaint on the worker; a refusal is shown at its field and nothing
        is saved. True once it is saved (at once with a synchronous worker; else ``saved``
        says when)."""
        if self.result is not None:
            return True
        if self._saving:
            return False
        self.errors.clear()
        self._saving = True
        run_service(self.session, _register, on_done=self._registered,
                    on_domain_error=self._refused, on_settled=self._settled,
                    changes=_changes_of, parent=self, data=self.input(),
                    acknowledge=acknowledge, actor=self.session.user)
        return self.result is not None

    def is_saving(self) -> bool:
        """The complaint is on its way to the database (the worker has it)."""
        return self._saving

    def _registered(self, done) -> None:
        registered, acknowledged, refused = done
        self._saving = False
        self.result = acknowledged or registered
        self._dirty = False
        self.errors.clear()  # "still saving", if closing was asked meanwhile
        if refused is not None:
            ticket, reason = registered.ticket, refused.message
            self.errors.show_text(None, lambda: _(
                "Saved as {ticket}, but not acknowledged: {reason}").format(
                    ticket=ticket, reason=reason()))
        self._lock()
        self.saved.emit(self.result)

    def _refused(self, err: DomainError) -> None:
        self._saving = False
        self.errors.show(err)

    def _settled(self) -> None:
        # However the call ended, an unexpected error too: the form may be saved or closed.
        if self._saving:
            self._saving = False
            self.errors.clear()  # "still saving", if closing was asked meanwhile

    def _lock(self) -> None:
        # A saved form is never saved twice: its fields and buttons go read-only.
        for box in self._boxes.values():
            box.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_ack_button.setEnabled(False)

    def confirm_close(self) -> bool:
        """Whether the host may close the form; asks when there are unsaved edits. Never
        while the complaint is being saved: the new complaint must still find the form, and
        the session hear of it."""
        if self._saving:
            self.errors.show_text(None, lambda: _(STILL_SAVING))
            return False
        if not self._dirty or self.result is not None:
            return True
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        answer = QMessageBox.question(
            self, _("Unsaved complaint"),
            _("This complaint has not been saved. Save it before closing?"), buttons,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard


class NewComplaintDialog(QDialog):
    """The form in its own dialog (Ctrl+N); Esc or closing with edits asks first."""

    def __init__(self, session, kind: str = "customer", parent: QWidget | None = None):
        super().__init__(parent)
        self.form = ComplaintForm(session, kind, self)
        self.result_value = None
        cancel = QPushButton()
        cancel.setAutoDefault(False)
        self._cancel = cancel
        cancel.clicked.connect(self.reject)
        self.form.buttons.insertWidget(2, cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        self.form.saved.connect(self._saved)
        self.form.kind.activated.connect(lambda _i: self.setWindowTitle(self.form.title()))
        self.resize(980, 720)
        # A bound method: Qt drops the connection when this widget is deleted.
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        self.form.retranslate()
        self._cancel.setText(_("Cancel"))
        self.setWindowTitle(self.form.title())

    def _saved(self, result) -> None:
        self.result_value = result
        self.announce(result)
        if self.form.errors.general.isHidden():
            self.accept()

    def announce(self, result) -> str:
        """Tell the front desk the new ticket number: in the host window's status bar and
        in the register's banner, which selects the new row (docs/design.md, ui/).
        Returns the text told."""
        text = _("Complaint {ticket} saved.").format(ticket=result.ticket)
        host = self.parentWidget()
        if isinstance(host, QMainWindow):
            host.statusBar().showMessage(text)
            show = getattr(host, "show_section", None)
            register = show("complaints") if show is not None else None
            if register is not None and hasattr(register, "announce_registered"):
                register.announce_registered(result)
        return text

    def reject(self) -> None:
        if self.form.confirm_close() and self.isVisible():
            super().reject()
