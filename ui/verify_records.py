"""Help ▸ Verify records…: the full check of services.integrity on the worker, with its
progress, and the result in plain words (docs/design.md, Tamper evidence)."""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from services import integrity
from services.i18n import _
from ui.tasks import run_service

_SHOWN = 20  # problems listed in the message; the rest are counted


def install(window, menu) -> QAction:
    """Add the action to ``menu`` of the main ``window``; it follows the language."""
    action = QAction(window)
    action.setObjectName("verify_records")
    action.triggered.connect(lambda _checked=False: verify_records(window))
    menu.addAction(action)

    def retranslate(changes=None) -> None:
        if changes is None or changes.language:
            action.setText(_("&Verify records…"))
            action.setStatusTip(_("Check that no record was changed, added or deleted outside "
                                  "ComplaintDesk"))

    retranslate()
    window.session.changed.connect(retranslate)
    return action


def result_text(report) -> str:
    lines = [p.describe() for p in report.problems[:_SHOWN]]
    if len(report.problems) > _SHOWN:
        lines.append(_("…and {count} more.").format(count=len(report.problems) - _SHOWN))
    return "\n\n".join([report.summary(), "\n".join(lines)]) if lines else report.summary()


def verify_records(window) -> None:
    user = window.session.user

    def work(progress, cancelled):
        return integrity.verify(actor=user, full=True, progress=progress, cancelled=cancelled)

    def done(report) -> None:
        window.last_verify_report = report
        box = QMessageBox.information if report.ok else QMessageBox.warning
        box(window, _("Verify records"), result_text(report))

    def refused(exc) -> None:
        QMessageBox.warning(window, _("Verify records"), exc.message())

    run_service(window.session, work, on_done=done, on_domain_error=refused, parent=window,
                label=_("Checking the records…"))


def check_at_start(window) -> None:
    """The cheap incremental check right after log-in, quietly on the worker: what was written
    since the last clean check (docs/design.md, Tamper evidence). A warning only when something
    does not match; then Help ▸ Verify records… gives the whole picture."""

    def done(problems) -> None:
        if not problems:
            return
        lines = [p.describe() for p in problems[:_SHOWN]]
        box = QMessageBox(QMessageBox.Icon.Warning, _("Records changed outside ComplaintDesk"),
                          _("Some records do not match what ComplaintDesk wrote: they were "
                            "changed outside the program. Help ▸ Verify records… checks them "
                            "all."), parent=window)
        box.setDetailedText("\n".join(lines))
        box.open()
        window.start_problems = box

    run_service(window.session, integrity.recent_problems, on_done=done,
                on_domain_error=lambda _exc: None, quiet=True)
