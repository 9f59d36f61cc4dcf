"""Settings › Time limits: the rules of docs/rules.md (from step → to step, length, unit)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services import settings
from services.i18n import N_, _
from services.people import has_role
from services.timelimits import MAX_LENGTH, UNITS, describe_limit
from ui.settings.common import (
    KIND_CHOICES,
    OWNER_ONLY,
    SETTINGS_CHANGED,
    SEVERITY_CHOICES,
    UNIT_NAMES,
    ReadOnlyNote,
    check_item,
    kind_name,
    lay_out_table_page,
    select_key,
    selected_key,
    set_headers,
    severity_name,
    text_item,
    trigger_name,
    trigger_order,
    triggers_text,
)
from ui.tasks import run_service
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.form_dialog import FieldErrors, FormDialog
from ui.widgets.tables import small_table

COLUMNS = (N_("Name"), N_("Starts at"), N_("Stops at"), N_("Limit"), N_("Kind"),
           N_("Severity"), N_("Extended up to"), N_("Active"))
# A rule change must not move a due time a complainant was already told (docs/rules.md).
KEEP_NOTE = N_("A change applies to clocks started from now on: running clocks keep the limit "
               "they started with.")


class StepList(QListWidget):
    """The steps of a complaint's path as a checkable list; the value is "a,b,c"."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        for trigger in trigger_order():
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, trigger)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMinimumWidth(220)
        self.retranslate()

    def set_value(self, value: str) -> None:
        chosen = {t for t in value.split(",") if t}
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def value(self) -> str:
        return ",".join(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                        if self.item(i).checkState() == Qt.CheckState.Checked)

    def retranslate(self) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setText(trigger_name(item.data(Qt.ItemDataRole.UserRole)))


class TimeLimitDialog(FormDialog):
    """Add or change one time-limit rule → services.settings.save_rule."""

    changes = SETTINGS_CHANGED

    def __init__(self, session, rule: settings.RuleInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = settings.save_rule
        self.title = N_("Edit time limit") if rule else N_("Add time limit")
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.name_zh = QLineEdit()
        self.name_zh.setMaxLength(100)
        self.name_en = QLineEdit()
        self.name_en.setMaxLength(120)
        self.start_on = StepList()
        self.stop_on = StepList()
        self.length = QSpinBox()
        self.length.setRange(0, max(MAX_LENGTH.values()))
        self.unit = QComboBox()
        self.kind = QComboBox()
        self.severity = QComboBox()
        self.max_total = QSpinBox()
        self.max_total.setRange(0, max(MAX_LENGTH.values()))
        self.max_unit = QLabel()
        self.active = QCheckBox()
        self.keep_note = QLabel()
        self.keep_note.setWordWrap(True)

        limit = QWidget()
        row = QHBoxLayout(limit)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.length)
        row.addWidget(self.unit, 1)
        longest = QWidget()
        row = QHBoxLayout(longest)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.max_total)
        row.addWidget(self.max_unit, 1)
        steps = QWidget()
        row = QHBoxLayout(steps)
        row.setContentsMargins(0, 0, 0, 0)
        self.start_label, self.stop_label = QLabel(), QLabel()
        for label, field, widget in ((self.start_label, "start_on", self.start_on),
                                     (self.stop_label, "stop_on", self.stop_on)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(self.errors.wrap(field, widget))
            row.addLayout(column)

        self.field("code", N_("Code:"), self.code)
        self.field("name_zh", N_("Chinese name:"), self.name_zh)
        self.field("name_en", N_("English name:"), self.name_en)
        self.form.addRow(steps)
        self.field("length", N_("Limit:"), limit, "unit", "limit")
        self.field("max_total", N_("Longest with extensions:"), longest)
        self.field("kind", N_("Kind of complaint:"), self.kind)
        self.field("severity", N_("Severity:"), self.severity)
        self.form.addRow("", self.errors.wrap("active", self.active))
        self.extra.addWidget(self.keep_note)
        self.unit.currentIndexChanged.connect(self._show_unit)
        self.retranslate()

        if rule is None:
            self.active.setChecked(True)
            self.length.setValue(1)
            select_data(self.unit, "working_days")
            select_data(self.kind, "any")
            select_data(self.severity, "any")
        else:
            # The code links running clocks to their rule: fixed once made.
            self.code.setText(rule.code)
            self.code.setReadOnly(True)
            self.name_zh.setText(rule.name_zh)
            self.name_en.setText(rule.name_en)
            self.start_on.set_value(rule.start_on)
            self.stop_on.set_value(rule.stop_on)
            self.length.setValue(rule.length)
            select_data(self.unit, rule.unit)
            select_data(self.kind, rule.kind)
            select_data(self.severity, rule.severity)
            self.max_total.setValue(rule.max_total or 0)
            self.active.setChecked(rule.active)
        self._show_unit()

    def _show_unit(self, *_args) -> None:
        self.max_unit.setText(_(UNIT_NAMES.get(self.unit.currentData(), "")))

    def kwargs(self) -> dict:
        return dict(code=self.code.text().strip(), name_zh=self.name_zh.text(),
                    name_en=self.name_en.text(), start_on=self.start_on.value(),
                    stop_on=self.stop_on.value(), length=self.length.value(),
                    unit=self.unit.currentData(), kind=self.kind.currentData(),
                    severity=self.severity.currentData(),
                    max_total=self.max_total.value() or None, active=self.active.isChecked())

    def retranslate(self) -> None:
        super().retranslate()
        self.start_label.setText(_("The clock starts at:"))
        self.stop_label.setText(_("The clock stops at:"))
        self.start_on.retranslate()
        self.stop_on.retranslate()
        fill_combo(self.unit, [(u, _(UNIT_NAMES[u])) for u in UNITS])
        fill_combo(self.kind, [(k, kind_name(k)) for k in KIND_CHOICES])
        fill_combo(self.severity, [(s, severity_name(s)) for s in SEVERITY_CHOICES])
        self.length.setToolTip(_("0 calendar or working days means: by the end of the same "
                                 "day."))
        self.max_total.setSpecialValueText(_("No extension"))
        self.max_total.setToolTip(_("How long the limit may become in total when it is "
                                    "extended (e.g. 60 working days); the complainant is told "
                                    "why."))
        self.active.setText(_("Active"))
        self.keep_note.setText(_(KEEP_NOTE))
        self._show_unit()


class RulesPage(QWidget):
    """The time-limit rules; only the owner may change them (services.settings.save_rule)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editable = has_role(session.user, "owner")
        self._rows: list[settings.RuleInfo] = []
        self._select_next: str | None = None

        self.note = ReadOnlyNote(OWNER_ONLY, self)
        self.note.setVisible(not self.editable)
        self.keep_note = QLabel()
        self.keep_note.setWordWrap(True)
        self.errors = FieldErrors()
        self.table = small_table(len(COLUMNS), stretch=0)
        # The step lists can be long: set widths, cut short with the whole text as tooltip.
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 170)
        header.resizeSection(2, 220)
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())
        lay_out_table_page(self, (self.note, self.keep_note))

        session.changed.connect(self._on_session_changed)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        run_service(self.session, settings.rules, on_done=self._loaded,
                    on_domain_error=self.errors.show, parent=self)

    def _loaded(self, rows: list[settings.RuleInfo]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        keep = self._select_next or selected_key(self.table)
        self._select_next = None
        self.table.setRowCount(len(self._rows))
        for r, rule in enumerate(self._rows):
            on = rule.active
            longest = describe_limit(rule.max_total, rule.unit) if rule.max_total else "—"
            cells = (rule.name, triggers_text(rule.start_on), triggers_text(rule.stop_on),
                     rule.limit, kind_name(rule.kind), severity_name(rule.severity), longest)
            for c, text in enumerate(cells):
                item = text_item(text, key=rule.code if c == 0 else None, enabled=on)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
            self.table.setItem(r, 7, check_item(rule.active, enabled=on))
        select_key(self.table, keep)

    def _on_session_changed(self, changes) -> None:
        if changes.settings:
            self.reload()

    def open_add_dialog(self) -> TimeLimitDialog | None:
        return self._open(None)

    def edit_selected(self) -> TimeLimitDialog | None:
        code = selected_key(self.table)
        rule = next((r for r in self._rows if r.code == code), None)
        return self._open(rule) if rule is not None else None

    def _open(self, rule) -> TimeLimitDialog | None:
        if not self.editable:
            return None
        dialog = TimeLimitDialog(self.session, rule, self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_value))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _saved(self, rule: settings.RuleInfo) -> None:
        self._select_next = rule.code  # the dialog tells the session: this page reloads

    def retranslate(self) -> None:
        set_headers(self.table, COLUMNS)
        self.keep_note.setText(_(KEEP_NOTE))
        self.add_button.setText(_("&Add…"))
        self.edit_button.setText(_("&Edit…"))
        self.note.retranslate()
        self.errors.retranslate()
        self._fill()
