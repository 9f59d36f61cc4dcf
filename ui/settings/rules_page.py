"""Settings › Time limits: the rules of docs/rules.md (from step → to step, length, unit)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from services import settings
from services.i18n import N_, _
from services.timelimits import DAYS, MAX_LENGTH, UNIT_NAMES, UNITS, describe_limit
from ui.settings.common import (
    KIND_CHOICES,
    SEVERITY_CHOICES,
    CodedDialog,
    TablePage,
    kind_name,
    severity_name,
    trigger_name,
    trigger_order,
    triggers_text,
)
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.layouts import panel, vbox

COLUMNS = (N_("Name"), N_("Starts at"), N_("Stops at"), N_("Limit"), N_("Kind"),
           N_("Severity"), N_("Category"), N_("Extended up to"), N_("Active"))
EVERY_CATEGORY = N_("Every category")
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


class TimeLimitDialog(CodedDialog):
    """Add or change one time-limit rule → services.settings.save_rule."""

    titles = (N_("Add time limit"), N_("Edit time limit"))

    def __init__(self, session, rule: settings.RuleInfo | None = None,
                 parent: QWidget | None = None, *,
                 categories: list[settings.CategoryInfo] | None = None):
        super().__init__(session, rule, parent, service=settings.save_rule, names=(100, 120))
        self.categories = list(categories or [])
        self.start_on, self.stop_on = StepList(), StepList()
        self.length, self.unit = QSpinBox(), QComboBox()  # the limit and its unit
        self.max_total, self.max_unit = QSpinBox(), QLabel()  # in the same unit
        self.senior_above, self.senior_unit = QSpinBox(), QLabel()  # in the same unit
        for spin in (self.length, self.max_total, self.senior_above):
            spin.setRange(0, max(MAX_LENGTH.values()))
        steps = [vbox(self.texts.label(msgid), self.errors.wrap(field, widget))
                 for msgid, field, widget in (
                     (N_("The clock starts at:"), "start_on", self.start_on),
                     (N_("The clock stops at:"), "stop_on", self.stop_on))]
        self.form.addRow(panel(*steps, horizontal=True))
        self.field("length", N_("Limit:"), panel(self.length, (self.unit, 1), horizontal=True),
                   "unit", "limit")
        self.field("max_total", N_("Longest with extensions:"),
                   panel(self.max_total, (self.max_unit, 1), horizontal=True))
        self.field("senior_above", N_("Longer only with a manager or the owner:"),
                   panel(self.senior_above, (self.senior_unit, 1), horizontal=True))
        self.roll_to_workday = self.check("roll_to_workday", N_(
            "A last day that is a rest day moves on to the next working day"), tip=N_(
            "Calendar days only (Civil Code art. 203): a limit whose last day is a weekend or a "
            "holiday ends at the end of the next working day."))
        self.kind = self.field("kind", N_("Kind of complaint:"), QComboBox())
        self.severity = self.field("severity", N_("Severity:"), QComboBox())
        self.category = self.field("category", N_("Category:"), QComboBox())
        self.texts.tip(self.category, N_(
            "A limit for one category applies to it only and replaces, for it, the limit "
            "for every category between the same steps."))
        self.active = self.add_active(N_("Active"))
        self.extra.addWidget(self.texts.label(KEEP_NOTE, wrap=True))
        self.texts.tip(self.length, N_("0 calendar or working days means: by the end of the "
                                       "same day."))
        self.texts.add(self.max_total.setSpecialValueText, N_("No extension"))
        self.texts.add(self.senior_above.setSpecialValueText, N_("Anyone may extend"))
        self.texts.tip(self.max_total, N_(
            "How long the limit may become in total when it is extended (e.g. 60 working days); "
            "the complainant is told why."))
        self.unit.currentIndexChanged.connect(self._show_unit)
        self.retranslate()

        if rule is None:
            self.length.setValue(1)
            select_data(self.unit, "working_days")
            select_data(self.kind, "any")
            select_data(self.severity, "any")
            select_data(self.category, "")
            self.roll_to_workday.setChecked(True)
        else:
            self.start_on.set_value(rule.start_on)
            self.stop_on.set_value(rule.stop_on)
            self.length.setValue(rule.length)
            select_data(self.unit, rule.unit)
            select_data(self.kind, rule.kind)
            select_data(self.severity, rule.severity)
            self.max_total.setValue(rule.max_total or 0)
            self.senior_above.setValue(rule.senior_above or 0)
            select_data(self.category, rule.category)
            self.roll_to_workday.setChecked(rule.roll_to_workday)
        self._show_unit()

    def _show_unit(self, *_args) -> None:
        unit = _(UNIT_NAMES.get(self.unit.currentData(), ""))
        self.max_unit.setText(unit)
        self.senior_unit.setText(unit)
        # rules.md §5: only a limit in calendar days rolls past a rest day
        self.roll_to_workday.setEnabled(self.unit.currentData() == DAYS)

    def kwargs(self) -> dict:
        return dict(self.code_and_names(), start_on=self.start_on.value(),
                    stop_on=self.stop_on.value(), length=self.length.value(),
                    unit=self.unit.currentData(), kind=self.kind.currentData(),
                    severity=self.severity.currentData(),
                    max_total=self.max_total.value() or None,
                    senior_above=self.senior_above.value() or None,
                    roll_to_workday=self.roll_to_workday.isChecked(),
                    category=self.category.currentData() or "", active=self.active.isChecked())

    def retranslate(self) -> None:
        super().retranslate()
        self.start_on.retranslate()
        self.stop_on.retranslate()
        fill_combo(self.unit, [(u, _(UNIT_NAMES[u])) for u in UNITS])
        fill_combo(self.kind, [(k, kind_name(k)) for k in KIND_CHOICES])
        fill_combo(self.severity, [(s, severity_name(s)) for s in SEVERITY_CHOICES])
        fill_combo(self.category, category_choices(self.categories, self._of("category")))
        self._show_unit()


def category_choices(categories: list[settings.CategoryInfo], current: str = ""
                     ) -> list[tuple[str, str]]:
    """Every category, then each active one; a rule's inactive category stays on offer."""
    items = [("", _(EVERY_CATEGORY))]
    items += [(c.code, c.name) for c in categories if c.active or c.code == current]
    if current and not any(code == current for code, _name in items):
        items.append((current, current))
    return items


class RulesPage(TablePage):
    """The time-limit rules; only the owner may change them (services.settings.save_rule)."""

    roles = ("owner",)
    columns = COLUMNS
    tooltips = True
    hint = KEEP_NOTE

    def __init__(self, session, parent: QWidget | None = None):
        self.category_list: list[settings.CategoryInfo] = []
        super().__init__(session, parent)
        # The step lists can be long: set widths, cut short with the whole text as tooltip.
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 170)
        header.resizeSection(2, 220)
        self.start()

    def dialog(self, session, rule: settings.RuleInfo | None,
               parent: QWidget | None) -> TimeLimitDialog:
        return TimeLimitDialog(session, rule, parent, categories=self.category_list)

    def reload(self) -> None:
        self.read(lambda: settings.categories(include_inactive=True), self._categories_loaded)
        super().reload()

    def _categories_loaded(self, found: list[settings.CategoryInfo]) -> None:
        self.category_list = found
        self._fill()

    def load(self) -> list[settings.RuleInfo]:
        return settings.rules()

    def category_name(self, code: str) -> str:
        if not code:
            return _(EVERY_CATEGORY)
        return next((c.name for c in self.category_list if c.code == code), code)

    def cells(self, rule: settings.RuleInfo) -> tuple:
        longest = describe_limit(rule.max_total, rule.unit) if rule.max_total else "—"
        if rule.max_total and rule.senior_above:
            longest = _("{longest} (past {cap}: a manager or the owner)").format(
                longest=longest, cap=describe_limit(rule.senior_above, rule.unit))
        return (rule.name, triggers_text(rule.start_on), triggers_text(rule.stop_on), rule.limit,
                kind_name(rule.kind), severity_name(rule.severity),
                self.category_name(rule.category), longest, rule.active)
