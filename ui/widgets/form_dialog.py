"""Forms with their errors inline: ``FieldErrors`` puts a refusal under the field it names
(never a pop-up), and ``FormDialog`` is the one dialog whose Save makes exactly one service
call on the session's worker (docs/design.md)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.changes import Changes
from services.errors import DomainError
from services.i18n import N_, _
from ui.tasks import run_service
from ui.widgets.inline import InfoLine, InlineError
from ui.widgets.texts import Texts

# Shown when a form is asked to close while its save is still on the worker.
STILL_SAVING = N_("Still saving. Wait until it is done.")


class FieldErrors:
    """Shows a DomainError under the field it names, else in ``general``; ``info`` says what
    went right, in the same place.

    ``general`` and ``info`` are for the page or dialog to place. Every line keeps how its
    text is made, so ``retranslate()`` shows the same message in the new language.
    """

    def __init__(self):
        self.general = InlineError()
        self.info = InfoLine()
        self._lines: dict[str, InlineError] = {}
        self._widgets: dict[str, QWidget] = {}

    def wrap(self, field: str, widget: QWidget | QLayout, *aliases: str) -> QWidget:
        """A container holding ``widget`` (or a layout) with the error line of ``field`` (and
        of ``aliases``, other names the service gives the same input) under it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(widget, QLayout):
            layout.addLayout(widget)
        else:
            layout.addWidget(widget)
        line = InlineError(box)
        line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(line)
        focus = widget if isinstance(widget, QWidget) else box
        if isinstance(widget, QLineEdit):
            # a refusal is about what was typed: it goes as soon as the input changes (a
            # check on leaving the field shows it again if it still holds)
            widget.textEdited.connect(lambda _t, ln=line: None if ln.isHidden() else ln.clear())
        for name in (field, *aliases):
            self._lines[name] = line
            self._widgets[name] = focus
        return box

    def register(self, field: str, widget: QWidget, line_of: str | None = None) -> None:
        """Focus ``widget`` when ``field`` is refused, and show the message on the line of
        ``line_of`` (default: ``field``'s own, already made by ``wrap``)."""
        self._lines[field] = self._lines[line_of or field]
        self._widgets[field] = widget

    def _all(self) -> list[InlineError]:
        return [self.general, self.info, *dict.fromkeys(self._lines.values())]

    def clear(self) -> None:
        for line in self._all():
            line.clear()

    def show(self, err: DomainError) -> str:
        """A service refused: its message under its field. Returns the field it is shown
        at ("" for the general line)."""
        return self.show_text(err.field, err.message)

    def show_text(self, field: str | None, make_text: Callable[[], str]) -> str:
        """Also for a check made in the form itself (e.g. two passwords that differ)."""
        self.clear()
        line = self._lines.get(field or "")
        (line or self.general).show_text(make_text)
        widget = self._widgets.get(field or "")
        if widget is not None and widget.isEnabled():
            widget.setFocus()
        return field if line is not None else ""

    def set_field(self, field: str, make_text: Callable[[], str] | None) -> None:
        """Show (or, with None, clear) one field's message without touching the others: a
        check made as the user types."""
        self._lines[field].show_text(make_text)

    def show_info(self, make_text: Callable[[], str]) -> None:
        self.clear()
        self.info.show_text(make_text)

    def retranslate(self) -> None:
        for line in self._all():
            line.retranslate()

    def text_for(self, field: str | None) -> str:
        """The message shown at ``field`` (None, or a field without a line: the general
        line), "" if none."""
        line = self._lines.get(field or "", self.general)
        return "" if line.isHidden() else line.text()


class FormDialog(QDialog):
    """A small form whose Save makes exactly one service call, on the session's worker.

    A subclass adds its rows with ``field()``, sets ``service`` and says its arguments in
    ``kwargs()`` (the acting user is added). A refusal is shown at the field it names, or
    on top, and the dialog stays open; on success ``result_value`` holds what the service
    returned, the dialog is accepted and the session hears what the call changed (the
    result's own ``changes`` and ``changes_for(result)``). While the call runs the dialog is
    ``busy``: its buttons are off and it will not close; it answers again once the call has
    settled, however it ended.
    """

    title: str = ""  # an N_() msgid for the window title
    save_text: str = N_("&Save")
    changes: Changes | None = None  # what a save changes, told to the session

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.service: Callable | None = None
        self.result_value: Any = None
        self.saved = False
        self.busy = False
        self.texts = Texts()
        self.errors = FieldErrors()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.errors.general)
        self.body.addLayout(self.form)
        self.extra = QVBoxLayout()  # notes under the form
        self.body.addLayout(self.extra)
        self.body.addStretch(1)
        self.body.addWidget(self.errors.info)
        self.body.addWidget(self.buttons)
        # A bound method: Qt drops the connection when the dialog is deleted.
        session.changed.connect(self._on_session_changed)

    # --- building ---------------------------------------------------------------------------

    def field(self, name: str | None, msgid: str, widget, *aliases: str,
              required: bool = False, suffix: str = "", form: QFormLayout | None = None):
        """Add a labelled row (``widget`` may be a layout); the service's errors about
        ``name`` (or ``aliases``) show under it. Returns ``widget``."""
        label = QLabel()
        if isinstance(widget, QWidget):
            label.setBuddy(widget)
        label.setWordWrap(True)
        self.texts.add(label.setText, msgid, suffix + (" *" if required else ""))
        if name:
            row = self.errors.wrap(name, widget, *aliases)
        elif isinstance(widget, QLayout):
            row = QWidget()
            row.setLayout(widget)
        else:
            row = widget
        (form or self.form).addRow(label, row)
        return widget

    def check(self, name: str, msgid: str, *, tip: str = "") -> QCheckBox:
        """A check box row (its text is its label); the service's errors about ``name`` show
        under it."""
        box = QCheckBox()
        self.texts.add(box.setText, msgid)
        if tip:
            self.texts.tip(box, tip)
        self.form.addRow("", self.errors.wrap(name, box))
        return box

    def note_row(self) -> QLabel:
        """A line of text across the form (what the dialog is about); the caller sets it."""
        note = QLabel()
        note.setWordWrap(True)
        self.form.addRow(note)
        return note

    # --- texts ------------------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        if self.title:
            self.setWindowTitle(_(self.title))
        self.save_button.setText(_(self.save_text))
        self.cancel_button.setText(_("Cancel"))
        self.errors.retranslate()

    # --- saving -----------------------------------------------------------------------------

    def kwargs(self) -> dict | None:
        """The service's arguments, or None when a check in the form failed (shown)."""
        raise NotImplementedError

    def changes_for(self, _result) -> Changes | None:
        """What the saved call changed besides what its result reports (default:
        ``changes``)."""
        return self.changes

    def show_error(self, err: DomainError) -> None:
        self.errors.show(err)

    def submit(self) -> bool:
        """Save. True once the service has done it: at once with a synchronous worker,
        later (``accepted``) with the real one."""
        if self.busy:
            return False
        self.errors.clear()
        try:
            kwargs = self.kwargs()
        except DomainError as err:  # a value the form could not even read
            self.show_error(err)
            return False
        if kwargs is None:
            return False
        self._set_busy(True)
        run_service(self.session, self.service, on_done=self._done,
                    on_domain_error=self._refused, on_settled=self._settled,
                    changes=self.changes_for, parent=self, actor=self.session.user, **kwargs)
        return self.saved

    def _done(self, result) -> None:
        self.result_value = result
        self.saved = True
        self.accept()

    def _refused(self, err: DomainError) -> None:
        self.show_error(err)

    def _settled(self) -> None:
        # After a success, a refusal or an unexpected error alike: the dialog answers again.
        self._set_busy(False)
        self.errors.info.clear()  # "still saving", if closing was asked meanwhile

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        # Esc, Cancel or closing while the service runs: the result must still find the
        # dialog, so it stays open and says why.
        if self.busy:
            self.errors.show_info(lambda: _(STILL_SAVING))
            return
        super().reject()


__all__ = ["STILL_SAVING", "FieldErrors", "FormDialog"]
