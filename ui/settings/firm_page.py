"""Settings › Firm: name, address, approval, office day, warnings, document language, and the
routes the written reply names if the customer disagrees (docs/rules.md §8.3)."""
from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from services import settings
from services.firm import PROFILE_NAMES
from services.i18n import LANGUAGES, N_, _, language_label
from ui.settings.common import SETTINGS_CHANGED, SettingsPage, set_enabled
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.fields import TextEdit, fill_combo, line_edit, select_data
from ui.widgets.layouts import STRETCH, hbox, panel, vbox

_WEEK_MINUTES = 7 * 24 * 60
_ROUTE_LANGUAGES = ("zh", "en")


def _firm_and_routes() -> tuple[settings.FirmInfo, list[dict], str]:
    """What the page shows, read on the worker."""
    return settings.firm_info(), settings.reply_routes(), settings.firm_logo()


def routes_from_lines(zh: str, en: str) -> list[dict]:
    """One route a line, the Chinese and the English paired line by line; a line blank in
    both is skipped."""
    zh_lines, en_lines = zh.splitlines(), en.splitlines()
    routes = []
    for i in range(max(len(zh_lines), len(en_lines))):
        route = {"zh": zh_lines[i].strip() if i < len(zh_lines) else "",
                 "en": en_lines[i].strip() if i < len(en_lines) else ""}
        if route["zh"] or route["en"]:
            routes.append(route)
    return routes


class FirmPage(SettingsPage):
    """The firm's own details; only the owner may change them (docs/rules.md)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self._info: settings.FirmInfo | None = None
        self._routes: list[dict] = []
        self._logo = ""
        self._loading = False
        self._dirty = False
        self._saving = False  # its own save is on the worker

        self.name = line_edit(200)
        self.address = line_edit(300)
        self.phone = line_edit(50)
        # The logo printed beside the firm's name on its letters (docs/rules.md §8).
        self.logo = line_edit(1000)
        self.logo_button = self.texts.button(N_("&Logo…"), self.choose_logo)
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
        # docs/rules.md §8.3: where the customer may turn, printed in the written reply
        self.routes = {lang: TextEdit(height=70) for lang in _ROUTE_LANGUAGES}
        wrap = self.errors.wrap
        office = panel(wrap("office_start", self.office_start), self.texts.label(N_("to")),
                       wrap("office_end", self.office_end), STRETCH, horizontal=True)

        self.form = QFormLayout()
        for msgid, buddy, field in (
                (N_("Firm &name:"), self.name, wrap("name", self.name)),
                (N_("&Address:"), self.address, wrap("address", self.address)),
                (N_("&Phone:"), self.phone, wrap("phone", self.phone)),
                (N_("Logo on documents:"), self.logo,
                 panel(wrap("firm_logo", self.logo), self.logo_button, horizontal=True)),
                (N_("Profile:"), None, self.profile),
                ("", None, wrap("approval_required", self.approval)),
                (N_("&Office day:"), self.office_start, office),
                (N_("&Warn before due (minutes):"), self.due_soon,
                 wrap("due_soon_minutes", self.due_soon)),
                (N_("&Language of printed documents:"), self.document_language,
                 wrap("document_language", self.document_language, "language")),
                (N_("If the customer &disagrees (Chinese, one route a line):"),
                 self.routes["zh"], wrap("reply_routes", self.routes["zh"])),
                (N_("… in &English (line by line):"), self.routes["en"], self.routes["en"])):
            label = self.texts.label(msgid) if msgid else ""
            if buddy is not None:
                label.setBuddy(buddy)
            self.form.addRow(label, field)

        self.save_button = self.texts.button(N_("&Save"), self.save)
        self.revert_button = self.texts.button(N_("&Revert"), self.revert)
        vbox(self.note, self.errors.general, self.errors.info, self.form,
             hbox(STRETCH, self.revert_button, self.save_button), STRETCH, parent=self)

        self.texts.add(self.approval.setText, N_("Decisions need approval before the reply"))
        # docs/rules.md: 在作出处理决定前不得做任何承诺.
        self.texts.tip(self.approval, N_(
            "When checked, a manager or the owner must approve a decision before the reply "
            "goes out: no promise is made to the complainant before a decision is approved. "
            "Only categories marked \"may be answered on the spot\" can then be answered "
            "without approval."))
        for edit in (self.office_start, self.office_end):
            self.texts.tip(edit, N_("Time limits counted in office hours count only the time "
                                    "between these two, on working days."))
        self.texts.tip(self.due_soon, N_("How long before a time limit runs out it is shown as "
                                         "due soon (0: no warning)."))
        self.texts.tip(self.document_language, N_(
            "Receipts, slips and replies are printed in this language, whatever language the "
            "program shows."))
        for edit in self.routes.values():
            self.texts.tip(edit, N_(
                "The written reply lists these routes under \"If you disagree\", in the "
                "document's language: one route a line, the English line beside its Chinese "
                "one. Name at least one."))

        self.texts.tip(self.logo, N_(
            "An image file (PNG or JPEG) printed beside the firm's name at the head of its "
            "letters and forms; leave empty for none. A file missing on a PC is left out."))
        self._inputs = (self.name, self.address, self.phone, self.logo, self.logo_button,
                        self.approval, self.office_start,
                        self.office_end, self.due_soon, self.document_language,
                        *self.routes.values())
        set_enabled(self._inputs, self.editable)
        for w in (self.name, self.address, self.phone, self.logo):
            w.textChanged.connect(self._changed)
        self.approval.toggled.connect(self._changed)
        self.office_start.timeChanged.connect(self._changed)
        self.office_end.timeChanged.connect(self._changed)
        self.due_soon.valueChanged.connect(self._changed)
        self.document_language.currentIndexChanged.connect(self._changed)
        for edit in self.routes.values():
            edit.textChanged.connect(self._changed)
        self.start()

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(_firm_and_routes, self._reloaded)

    def _reloaded(self, read: tuple[settings.FirmInfo, list[dict]]) -> None:
        # The read was asked while the page was clean, but the user may have started typing
        # since: keep the typing (Revert shows what was read).
        info, self._routes, self._logo = read
        if self._dirty:
            self._info = info
            return
        self._show(info)

    def _show(self, info: settings.FirmInfo) -> None:
        self._info = info
        self._loading = True
        try:
            self.name.setText(info.name)
            self.address.setText(info.address)
            self.phone.setText(info.phone)
            self.logo.setText(self._logo)
            self.profile.setText(_(PROFILE_NAMES.get(info.profile, info.profile)))
            self.approval.setChecked(info.approval_required)
            self.office_start.setTime(QTime.fromString(info.office_start, "HH:mm"))
            self.office_end.setTime(QTime.fromString(info.office_end, "HH:mm"))
            self.due_soon.setValue(info.due_soon_minutes)
            select_data(self.document_language, info.document_language)
            for lang, edit in self.routes.items():
                edit.setPlainText("\n".join(r.get(lang, "") for r in self._routes))
        finally:
            self._loading = False
        self._set_dirty(False)

    def _on_session_changed(self, changes) -> None:
        # Another screen saved settings: show them, unless the user is typing here, or the
        # change is this page's own save (it shows what the save returned).
        if changes.settings and not self._dirty and not self._saving:
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
            document_language=self.document_language.currentData(),
            reply_routes=routes_from_lines(self.routes["zh"].toPlainText(),
                                           self.routes["en"].toPlainText()),
            logo=self.logo.text().strip())

    def choose_logo(self) -> None:
        """Pick the logo's image file (Settings › Firm › Logo…)."""
        path = files.open_path(self, _("Logo on documents"), _("Images (*.png *.jpg *.jpeg)"),
                               current=self.logo.text())
        if path:
            self.logo.setText(path)

    def save(self) -> None:
        if not self.editable:
            return
        self.errors.clear()
        self.save_button.setEnabled(False)
        self._saving = True
        run_service(self.session, settings.update_firm, on_done=self._saved,
                    on_domain_error=self._failed, on_settled=self._settled,
                    changes=SETTINGS_CHANGED, parent=self, actor=self.session.user,
                    **self.values())

    def _saved(self, info: settings.FirmInfo) -> None:
        self._routes = settings.clean_reply_routes(self.values()["reply_routes"])
        self._logo = self.values()["logo"]
        self._show(info)
        self.errors.show_info(lambda: _("The firm's details are saved."))

    def _failed(self, err) -> None:
        self.errors.show(err)
        self._set_dirty(True)

    def _settled(self) -> None:
        # Runs after the session has heard of the save (ui/tasks.py, run_service).
        self._saving = False
        if self._dirty:
            self._set_dirty(True)  # an unexpected error: Save again

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        fill_combo(self.document_language, [(lang, language_label(lang)) for lang in LANGUAGES])
        if self._info is not None:
            self.profile.setText(_(PROFILE_NAMES.get(self._info.profile, self._info.profile)))
