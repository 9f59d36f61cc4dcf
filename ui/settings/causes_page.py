"""Settings › Root causes: the list a complaint's root cause is picked from when it is archived
(docs/rules.md §4, 源头治理). One cause a line; the profile's presets until the firm saves its
own."""
from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from services import complaints
from services.changes import Changes
from services.i18n import N_, _
from ui.settings.common import SettingsPage
from ui.tasks import run_service
from ui.widgets.layouts import STRETCH, hbox, vbox


class CausesPage(SettingsPage):
    """Owner or manager edit the list; everyone else reads it (the service refuses them)."""

    roles = ("owner", "manager")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.heading = self.texts.label(N_(
            "The root causes offered when a complaint is archived, one a line. Complaints "
            "already archived keep the cause they were given."), wrap=True)
        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(not self.editable)
        self.editor.setObjectName("root_causes")
        self.save_button = self.texts.button(N_("&Save causes"), self.save)
        self.save_button.setEnabled(self.editable)
        self.revert_button = self.texts.button(N_("Re&vert"), self.reload)
        self.revert_button.setEnabled(self.editable)
        vbox(self.note, self.heading, (self.errors.wrap("root_causes", self.editor), 1),
             self.errors.general, self.errors.info,
             hbox(self.save_button, self.revert_button, STRETCH), parent=self)
        self.start()

    def reload(self) -> None:
        self.read(complaints.root_causes, on_done=self._show)

    def _show(self, names: list[str]) -> None:
        self.editor.setPlainText("\n".join(names))

    def causes(self) -> list[str]:
        return [line.strip() for line in self.editor.toPlainText().splitlines() if line.strip()]

    def save(self) -> None:
        self.errors.clear()

        run_service(self.session, complaints.set_root_causes, names=self.causes(),
                    actor=self.session.user, on_done=self._saved,
                    on_domain_error=self.errors.show, changes=Changes(settings=True),
                    parent=self)

    def _saved(self, names: list[str]) -> None:
        self._show(names)
        count = len(names)
        self.errors.show_info(lambda: _("Saved: {count} root causes.").format(count=count))
