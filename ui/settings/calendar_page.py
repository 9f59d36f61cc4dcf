"""Settings › Holiday calendar: a year's holidays and make-up working days (docs/rules.md)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services import clock
from services.i18n import N_, _, format_date, ngettext
from services.timelimits import WorkCalendar, workcalendar
from ui.settings.common import CALENDAR_CHANGED, SettingsPage, fill_rows, set_headers
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.form_dialog import FormDialog
from ui.widgets.layouts import STRETCH, hbox, vbox
from ui.widgets.tables import small_table

COLUMNS = (N_("Date"), N_("Day"), N_("Kind"), N_("Name"))
STATUTORY = N_("Holiday (statutory, provisional)")
ORDINARY = "ordinary"
HOLIDAY_COLORS = ("#ffd6d6", "#a00000")
WORKDAY_COLORS = ("#d6e6ff", "#003c8f")
WEEKEND_COLOR = "#808080"
_FIRST_YEAR, _LAST_YEAR = 2000, 2100  # services.timelimits accepts these years


@dataclass(frozen=True)
class DayRow:
    day: date
    kind: str  # holiday | workday | "statutory" (a provisional year's assumed holiday)
    name: str


@dataclass(frozen=True)
class YearData:
    year: int
    rows: tuple[DayRow, ...]
    calendar: WorkCalendar

    @property
    def official(self) -> bool:
        return self.calendar.is_official(self.year)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def load_year(year: int) -> YearData:
    """One year's exceptions and the whole calendar (runs on the worker)."""
    calendar = WorkCalendar.from_database()
    rows = [DayRow(_as_date(r.day), r.kind, r.name) for r in workcalendar.year_days(year)]
    if not calendar.is_official(year):
        # A year without published data assumes the statutory holidays (docs/rules.md); show
        # them, marked as such, unless the user entered the day by hand.
        entered = {r.day for r in rows}
        rows += [DayRow(d, "statutory", name) for d, name in
                 workcalendar.statutory_holidays(year) if d not in entered]
        rows.sort(key=lambda r: r.day)
    return YearData(year, tuple(rows), calendar)


def _kind_text(kind: str) -> str:
    return _(STATUTORY) if kind == "statutory" else _(workcalendar.DAY_KIND_NAMES.get(kind, kind))


def _char_format(background: str | None, foreground: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if background:
        fmt.setBackground(QColor(background))
    fmt.setForeground(QColor(foreground))
    return fmt


class DayDialog(FormDialog):
    """Make one day a holiday, a make-up working day or an ordinary day → set_day."""

    title = N_("Edit a day")
    changes = CALENDAR_CHANGED

    def __init__(self, session, day: date, kind: str | None, name: str, official: bool,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = workcalendar.set_day
        self.day = day
        self.day_label = QLabel()
        self.choices = QWidget()
        column = QVBoxLayout(self.choices)
        column.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for key in ("holiday", "workday", ORDINARY):
            radio = QRadioButton()
            self.radios[key] = radio
            self.group.addButton(radio)
            column.addWidget(radio)
        self.name = QLineEdit(name)
        self.name.setMaxLength(60)
        self.provisional_note = QLabel()
        self.provisional_note.setWordWrap(True)
        self.provisional_note.setVisible(not official)
        self.field(None, N_("Day:"), self.day_label)
        self.field("kind", N_("Kind:"), self.choices, "day")
        self.field("name", N_("Name:"), self.name)
        self.extra.addWidget(self.provisional_note)
        self.radios[kind if kind in ("holiday", "workday") else ORDINARY].setChecked(True)
        self.retranslate()
        self.setMinimumWidth(400)

    def kwargs(self) -> dict:
        kind = next(k for k, r in self.radios.items() if r.isChecked())
        return dict(day=self.day, kind=None if kind == ORDINARY else kind,
                    name=self.name.text(), now=clock.now())

    def choose(self, kind: str | None) -> None:
        self.radios[kind or ORDINARY].setChecked(True)

    def retranslate(self) -> None:
        super().retranslate()
        self.day_label.setText(format_date(self.day, style="full"))
        self.radios["holiday"].setText(_("Holiday (no work)"))
        self.radios["workday"].setText(_("Make-up working day (a Saturday or Sunday worked)"))
        self.radios[ORDINARY].setText(_("Ordinary day (as the weekday says)"))
        self.name.setPlaceholderText(_("e.g. National Day"))
        self.provisional_note.setText(_(
            "This year has no official calendar yet: the statutory holidays apply to it "
            "unless you mark the day yourself or import the year."))


class CalendarPage(SettingsPage):
    roles = ("owner", "manager")
    follows = "calendar"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.data: YearData | None = None

        self.year_label = self.texts.label(N_("&Year:"))
        self.year = QSpinBox()
        self.year.setRange(_FIRST_YEAR, _LAST_YEAR)
        self.year.setValue(clock.now().year)
        self.year_label.setBuddy(self.year)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        for weekday in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(weekday, _char_format(None, WEEKEND_COLOR))
        self.legend = QLabel()
        self.day_info = QLabel()
        self.day_info.setWordWrap(True)
        self.edit_button = self.texts.button(N_("&Edit day…"), self.edit_day, tip=N_(
            "Make the selected day a holiday, a make-up working day or an ordinary day "
            "(double-click a day does the same)."))
        self.table = small_table(len(COLUMNS), stretch=3)
        self.import_button = self.texts.button(N_("&Import…"), self._choose_import, tip=N_(
            "A UTF-8 text file with one day a line: YYYY-MM-DD,holiday|workday,name. Every year "
            "in the file is replaced and becomes official."))
        self.export_button = self.texts.button(N_("E&xport…"), self._choose_export, tip=N_(
            "Save the shown year in the same format, e.g. to bring it to another PC."))
        self.edit_button.setEnabled(self.editable)
        self.import_button.setEnabled(self.editable)

        left = vbox(self.calendar, self.legend, self.day_info, hbox(self.edit_button, STRETCH),
                    STRETCH)
        vbox(self.note, hbox(self.year_label, self.year, (self.status, 1)),
             self.errors.general, self.errors.info, (hbox(left, (self.table, 1)), 1),
             hbox(self.import_button, self.export_button, STRETCH), parent=self)

        self.year.valueChanged.connect(self._year_changed)
        self.calendar.currentPageChanged.connect(self._page_changed)
        self.calendar.selectionChanged.connect(self._show_day)
        self.calendar.activated.connect(lambda *_a: self.edit_day())
        self.table.itemSelectionChanged.connect(self._row_selected)
        self.start()

    # --- loading and showing ----------------------------------------------------------------

    def reload(self) -> None:
        self.read(load_year, self._loaded, year=self.year.value())

    def _loaded(self, data: YearData) -> None:
        if data.year != self.year.value():
            return  # the user moved on to another year meanwhile
        self.data = data
        self._fill()

    def _year_changed(self, year: int) -> None:
        shown = self.calendar.selectedDate()
        if shown.year() != year:
            self.calendar.setSelectedDate(QDate(year, shown.month(), min(shown.day(), 28)))
        self.reload()

    def _page_changed(self, year: int, _month: int) -> None:
        if year != self.year.value() and _FIRST_YEAR <= year <= _LAST_YEAR:
            self.year.setValue(year)

    def _fill(self) -> None:
        data = self.data
        if data is None:
            return
        self.status.setText(
            _("{year}: official calendar, with the published holidays and make-up working "
              "days.").format(year=data.year) if data.official else
            _("{year}: provisional: computed from the statutory holidays, no make-up days. "
              "Import the official calendar once it is published.").format(year=data.year))
        fill_rows(self.table, data.rows, lambda row: (
            format_date(row.day), format_date(row.day, style="EEE"), _kind_text(row.kind),
            _(row.name) if row.name else ""), key=lambda row: row.day.isoformat(),
            enabled=lambda row: row.kind != "statutory")
        self._mark_days()
        self._show_day()

    def _mark_days(self) -> None:
        data = self.data
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every mark
        holiday = _char_format(*HOLIDAY_COLORS)
        workday = _char_format(*WORKDAY_COLORS)
        day, last = date(data.year, 1, 1), date(data.year, 12, 31)
        while day <= last:
            works, weekend = data.calendar.is_workday(day), day.weekday() >= 5
            if not works and (not weekend or data.calendar.holiday_name(day)):
                self.calendar.setDateTextFormat(QDate(day), holiday)
            elif works and weekend:
                self.calendar.setDateTextFormat(QDate(day), workday)
            day += timedelta(days=1)

    def selected_day(self) -> date:
        return self.calendar.selectedDate().toPython()

    def _show_day(self) -> None:
        data, day = self.data, self.selected_day()
        if data is None or day.year != data.year:
            self.day_info.setText("")
            return
        works = data.calendar.is_workday(day)
        name = data.calendar.holiday_name(day)
        if works:
            what = _("make-up working day") if day.weekday() >= 5 else _("working day")
        else:
            what = _("holiday") if name else _("weekend")
        text = _("{day}: {what}").format(day=format_date(day, style="full"), what=what)
        if name:
            text += " — " + name
        self.day_info.setText(text)

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            key = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
            self.calendar.setSelectedDate(QDate.fromString(key, Qt.DateFormat.ISODate))

    # --- editing a day ----------------------------------------------------------------------

    def edit_day(self, day: date | None = None) -> DayDialog | None:
        if not self.editable or self.data is None:
            return None
        day = day or self.selected_day()
        entered = next((r for r in self.data.rows if r.day == day and r.kind != "statutory"),
                       None)
        dialog = DayDialog(self.session, day, entered.kind if entered else None,
                           entered.name if entered else "", self.data.calendar.is_official(
                               day.year), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # --- import and export ------------------------------------------------------------------

    def _file_filter(self) -> str:
        return _("Calendar files (*.csv *.txt);;All files (*)")

    def _choose_import(self) -> None:
        path = files.open_path(self, _("Import a holiday calendar"), self._file_filter())
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Replace the years in a UTF-8 file "YYYY-MM-DD,holiday|workday,name"
        (docs/rules.md)."""
        if not self.editable:
            return
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.errors.show_text(None, lambda: _("Cannot read {path}: {reason}").format(
                path=path, reason=reason))
            return
        self.errors.clear()
        run_service(self.session, workcalendar.import_calendar, on_done=self._imported,
                    on_domain_error=self.errors.show, changes=CALENDAR_CHANGED, parent=self,
                    label=_("Importing the calendar…"), text=text, now=clock.now(),
                    actor=self.session.user)

    def _imported(self, result: workcalendar.ImportResult) -> None:
        def summary() -> str:
            return ngettext("Imported {days} day for {years}; those years are now official.",
                            "Imported {days} days for {years}; those years are now official.",
                            result.days).format(days=result.days,
                                                years=", ".join(map(str, result.years)))
        if result.years and self.year.value() not in result.years:
            self.year.blockSignals(True)
            self.year.setValue(result.years[0])
            self.year.blockSignals(False)
            self.calendar.setCurrentPage(result.years[0], 1)
        self.errors.show_info(summary)

    def _choose_export(self) -> None:
        year = self.year.value()
        path = files.save_path(
            self, _("Export the calendar of {year}").format(year=year),
            _("calendar-{year}").format(year=year) + ".csv", self._file_filter())
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> None:
        """Write the shown year's exceptions in the import format."""
        year = self.year.value()

        def write(text: str) -> None:
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as exc:
                reason = exc.strerror or str(exc)
                self.errors.show_text(None, lambda: _("Cannot write {path}: {reason}").format(
                    path=path, reason=reason))
                return
            self.errors.show_info(lambda: _("The calendar of {year} is saved in {path}.")
                                  .format(year=year, path=path))

        run_service(self.session, workcalendar.export_calendar, on_done=write,
                    on_domain_error=self.errors.show, parent=self, year=year)

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        locale = QLocale()  # QLocale.setDefault follows the language
        self.calendar.setLocale(locale)  # month and weekday names
        # A new first day of the week leaves the selection drawn at its old grid cell;
        # selecting the day again puts it right.
        chosen = self.calendar.selectedDate()
        self.calendar.blockSignals(True)
        self.calendar.setSelectedDate(chosen.addDays(1))
        self.calendar.setSelectedDate(chosen)
        self.calendar.blockSignals(False)
        super().retranslate()
        set_headers(self.table, COLUMNS)
        self.legend.setText(
            "  ".join(f'<span style="background:{bg}; color:{fg}">&nbsp;15&nbsp;</span> {text}'
                      for bg, fg, text in (
                          (*HOLIDAY_COLORS, _("Holiday")),
                          (*WORKDAY_COLORS, _("Make-up working day")),
                          ("transparent", WEEKEND_COLOR, _("Weekend")))))
        self._fill()
