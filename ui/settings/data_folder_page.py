"""Settings › Data folder: where this PC keeps the database, backups and logs — this Windows
account's folder (the default) or the folder every account of the PC shares (docs/design.md,
Shipping). The owner chooses; it takes effect at the next start."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from services import install
from services.i18n import N_, _
from ui.settings.common import SettingsPage
from ui.tasks import run_service

CHOICE_TEXTS = {
    "user": N_("Only this Windows account (recommended): {folder}"),
    "shared": N_("Shared by every Windows account on this PC: {folder}"),
}


class DataFolderPage(SettingsPage):
    roles = ("owner",)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.state: install.DataFolderState | None = None
        self.heading = self.texts.label(N_("Where this PC keeps the database, its backups and "
                                           "the logs:"), wrap=True)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.heading)
        for choice in install.DATA_CHOICES:
            radio = QRadioButton()
            radio.setObjectName(f"data_folder_{choice}")
            radio.setEnabled(self.editable)
            self.group.addButton(radio)
            self.radios[choice] = radio
            layout.addWidget(radio)
            radio.toggled.connect(lambda on, c=choice: on and self.choose(c))
        self.in_use = QLabel()
        self.in_use.setObjectName("data_folder_in_use")
        self.in_use.setWordWrap(True)
        layout.addWidget(self.in_use)
        self.hint = self.texts.label(
            N_("The change takes effect at the next start. The database is not moved: copy "
               "complaintdesk.sqlite3 into the new folder first, or keep opening it where it "
               "is. The shared folder suits a PC where several people log in to Windows with "
               "their own accounts; it is not a network share."), wrap=True)
        layout.addWidget(self.hint)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.errors.info)
        layout.addStretch(1)
        self.start()

    def reload(self) -> None:
        self.read(install.data_folder_state, self._show)

    def _show(self, state: install.DataFolderState) -> None:
        self.state = state
        for choice, radio in self.radios.items():
            radio.blockSignals(True)
            radio.setChecked(choice == state.choice)
            radio.blockSignals(False)
        self.retranslate()

    def choose(self, choice: str) -> None:
        if self.state is not None and choice == self.state.choice:
            return
        self.errors.clear()
        run_service(self.session, install.set_data_choice, choice=choice,
                    actor=self.session.user, on_done=self._chosen,
                    on_domain_error=self._refused, parent=self)

    def _chosen(self, folder) -> None:
        self.errors.show_info(lambda: _("From the next start the data folder is {folder}.")
                              .format(folder=folder))
        self.read(install.data_folder_state, self._show)

    def _refused(self, err) -> None:
        self.errors.show(err)
        if self.state is not None:
            self._show(self.state)

    def retranslate(self) -> None:
        super().retranslate()
        state = self.state
        for choice, radio in self.radios.items():
            folder = state.folders[choice] if state is not None else ""
            radio.setText(_(CHOICE_TEXTS[choice]).format(folder=folder))
        if state is not None:
            text = _("In use now: {folder}").format(folder=state.in_use)
            if state.overridden:
                text += " " + _("(set by COMPLAINTDESK_HOME, which wins over this choice)")
            self.in_use.setText(text)
