"""The Penalties section (奖惩台账, docs/rules.md): ledger, proposals, one entry, month totals with
the payroll export, and the rules — one tab each.

When the section is shown, the program first looks for time limits missed since it last
looked (off the GUI thread) and proposes what the rules cover; then the tabs read again.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from services import penalties
from services.changes import Changes
from services.i18n import N_, _, format_number
from ui.penalties.detail_tab import EntryTab
from ui.penalties.ledger_tab import LedgerTab
from ui.penalties.proposals_tab import ProposalsTab
from ui.penalties.rules_tab import RulesTab
from ui.penalties.totals_tab import TotalsTab
from ui.tasks import run_service
from ui.widgets.freshness import Freshness

SCAN_EVERY_SECONDS = 60  # showing the section again within a minute does not scan again
TAB_TITLES = (N_("Ledger"), N_("Proposals"), N_("Entry"), N_("Month totals"), N_("Rules"))


class PenaltiesView(QWidget):
    """Emits ``open_requested(complaint_id)``: the main window opens the complaint."""

    open_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.fresh = Freshness(self, self.reload, stale=True)
        self._scanned_at = 0.0
        self._scanning = False
        self._pending = 0
        self.ledger_tab = LedgerTab(session)
        self.proposals_tab = ProposalsTab(session)
        self.entry_tab = EntryTab(session)
        self.totals_tab = TotalsTab(session)
        self.rules_tab = RulesTab(session)
        self.tabs = QTabWidget()
        for tab in self.pages():
            self.tabs.addTab(tab, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.ledger_tab.entry_requested.connect(self.show_entry)
        self.proposals_tab.entry_requested.connect(self.show_entry)
        self.entry_tab.entry_requested.connect(self.show_entry)
        self.entry_tab.open_complaint_requested.connect(self.open_requested)
        self.ledger_tab.propose_requested.connect(self.propose)
        self.ledger_tab.scan_requested.connect(lambda: self.scan(force=True))
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    def pages(self) -> tuple[QWidget, ...]:
        return (self.ledger_tab, self.proposals_tab, self.entry_tab, self.totals_tab,
                self.rules_tab)

    # --- texts ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        for tab in self.pages():
            tab.retranslate()
        self._tab_titles()

    def _tab_titles(self) -> None:
        for index, title in enumerate(TAB_TITLES):
            text = _(title)
            if index == 1 and self._pending:
                text = _("{title} ({n})").format(title=text, n=format_number(self._pending))
            self.tabs.setTabText(index, text)
        self.tabs.setTabToolTip(1, _("Proposals waiting for your decision"))

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every tab again (cheap: counts and first pages only)."""
        self.fresh.stale = False
        choices = penalties.filter_choices(self.session.user)
        self.ledger_tab.reload(choices)
        self.proposals_tab.reload(choices)
        self.entry_tab.refresh()
        self.totals_tab.reload(choices.months)
        self.rules_tab.reload()
        self._pending = penalties.pending_count(self.session.user)
        self._tab_titles()

    def scan(self, *, force: bool = False) -> None:
        """Propose entries for misses found since the last look, then read again."""
        if self._scanning:
            return
        if not force and time.monotonic() - self._scanned_at < SCAN_EVERY_SECONDS:
            self.fresh.shown()
            return
        self._scanning = True

        def done(result) -> None:
            self._scanned_at = time.monotonic()
            if not result.changes:
                self.reload()  # else the session hears of the proposals, and this reads them
            if force:
                self.ledger_tab.message.show_text(
                    lambda: _("{n} new proposals.").format(n=format_number(result.proposed)))

        def settled() -> None:
            self._scanning = False

        run_service(self.session, penalties.scan_overdue, on_done=done,
                    on_domain_error=self.ledger_tab.message.show_error, on_settled=settled,
                    label=_("Looking for missed time limits…"), parent=self)

    def show_entry(self, entry_id: int) -> None:
        self.entry_tab.show_entry(entry_id)
        self.tabs.setCurrentWidget(self.entry_tab)

    def propose(self):
        from ui.penalties.dialogs import ProposeDialog

        dialog = ProposeDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- keeping up ------------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
        # A complaint step may have met a limit late (a proposal), a decision changes totals,
        # and the tabs name people, departments and time limits.
        if changes.ledger or changes.complaints or changes.users or changes.settings:
            self.fresh.changed()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.scan()


__all__ = ["PenaltiesView"]
