"""Open every screen as a user would and list what does not fit: a label or button whose text is
wider than the widget showing it, a table header narrower than its title, a window larger than
the screen. Run in its own process, because the screen's size and scale are fixed when Qt
starts (tests/ui/test_screens_fit.py starts it once per language and scale):

    QT_QPA_PLATFORM="offscreen:configfile=screen.json" python -m tests.ui.screen_fit_probe \
        DATABASE LANG

Prints one JSON object: {"screens": [names opened], "problems": [sentences]}.
"""
from __future__ import annotations

import json
import re
import sys

_AMP = re.compile(r"&(?!&)")
_TAGS = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return _AMP.sub("", text).replace("&&", "&")


def problems_in(widget, name: str) -> list[str]:
    """What does not fit inside ``widget`` (a shown top-level window)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QApplication,
        QCheckBox,
        QLabel,
        QPushButton,
        QRadioButton,
        QToolButton,
    )

    found = []
    screen = (widget.screen() or QApplication.primaryScreen()).availableGeometry()
    frame = widget.frameGeometry()
    if frame.width() > screen.width() or frame.height() > screen.height():
        found.append(f"{name}: window {frame.width()}x{frame.height()} is larger than the "
                     f"screen {screen.width()}x{screen.height()}")

    def shown(w) -> bool:
        return w.isVisibleTo(widget) and w.width() > 0 and w.height() > 0

    for label in widget.findChildren(QLabel):
        text = label.text()
        if not shown(label) or not text or label.wordWrap() or label.pixmap() is not None \
                and not label.pixmap().isNull():
            continue
        if GuiQt.mightBeRichText(text):
            continue  # rich text lays itself out (links, bold words); its size hint says
        lines = _plain(text).splitlines() or [""]
        need = max(label.fontMetrics().horizontalAdvance(line) for line in lines)
        have = label.contentsRect().width() - 2 * label.margin() - label.indent() \
            if label.indent() > 0 else label.contentsRect().width() - 2 * label.margin()
        if need > have + 1:
            found.append(f"{name}: label {_plain(text)!r} needs {need} px, has {have}")
    for button in widget.findChildren(QAbstractButton):
        if not shown(button) or not button.text():
            continue
        if isinstance(button, (QPushButton, QCheckBox, QRadioButton, QToolButton)):
            hint = button.sizeHint().width()
            if hint > button.width() + 1:
                found.append(f"{name}: button {_plain(button.text())!r} needs {hint} px, "
                             f"has {button.width()}")
    for view in widget.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", lambda: None)()
        if header is None or not shown(view) or header.isHidden() or view.model() is None:
            continue
        model = view.model()
        metrics = header.fontMetrics()
        last = header.count() - 1
        for section in range(header.count()):
            if header.isSectionHidden(section) or section == last and header.stretchLastSection():
                continue
            title = model.headerData(section, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole)
            if not title:
                continue
            words = str(title).split()
            # a title may wrap at spaces (headers elide otherwise): its longest word must fit
            need = max(metrics.horizontalAdvance(w) for w in words) if words else 0
            have = header.sectionSize(section) - 4  # the header's own padding
            if need > have:
                found.append(f"{name}: column {str(title)!r} needs {need} px, has {have}")
    return found


def add_states() -> None:
    """Complaints in the states a demo may lack (registered, acknowledged, assigned,
    replied), so that every state's complaint window and dialogs are looked at. Run on the
    open demo database, by the owner."""
    from services.complaints import path as workflow
    from services.people import users
    from tests.helpers import register

    owner = users.get_user("owner")
    handler = next(u.login for u in users.list_users(role="handler") if u.login != "owner")
    register(owner)
    acknowledged = register(owner).complaint_id
    workflow.act(acknowledged, "acknowledge", actor=owner)
    assigned = register(owner).complaint_id
    workflow.act(assigned, "transfer", actor=owner, to=handler)
    replied = register(owner, category="grumble").complaint_id
    workflow.act(replied, "answer_on_spot", actor=owner, answer="已当场答复")


def main(argv: list[str]) -> int:
    location, lang = argv[0], argv[1]
    import os
    import tempfile

    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication([])
    from services.complaints import register as complaints
    from services.firm import setup
    from services.people import users
    from ui import prefs
    from ui.first_start import FirstStartWizard
    from ui.login import LoginDialog
    from ui.main_window import SECTIONS, MainWindow
    from ui.qt_i18n import apply_language
    from ui.session import Session
    from ui.tasks import TaskManager

    scratch = tempfile.mkdtemp(prefix="fit-")
    prefs.use_file(os.path.join(scratch, "prefs.ini"))  # never the user's own preferences
    apply_language(lang)
    screens, found = [], []

    def settle(widget) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()

    def check(widget, name: str) -> None:
        if widget is None:
            found.append(f"{name}: did not open")
            return
        settle(widget)
        screens.append(name)
        found.extend(problems_in(widget, name))

    def check_dialog(dialog, name: str) -> None:
        """A dialog a screen opened (window-modal, not blocking): looked at, then closed."""
        if dialog is None:
            found.append(f"{name}: did not open")
            return
        check(dialog, name)
        dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
        app.processEvents()

    # the first-start wizard, each page (before any firm: a database of its own)
    wizard = FirstStartWizard(location=os.path.join(scratch, "new.sqlite3"),
                              tasks=TaskManager(synchronous=True))
    for page_id in sorted(wizard.pages):
        wizard.setStartId(page_id)
        wizard.restart()
        check(wizard, f"first start › {type(wizard.pages[page_id]).__name__}")
    wizard.close()
    apply_language(lang)  # the wizard's language page may have chosen for itself

    setup.open_database(location)
    owner = users.get_user("owner")
    login = LoginDialog(location=location, tasks=TaskManager(synchronous=True))
    check(login, "login")
    login.close()

    session = Session(user=owner, location=location, tasks=TaskManager(synchronous=True))
    # a main window saved on a bigger screen (or at another scale) opens on this one
    area = QApplication.primaryScreen().availableGeometry()
    big = MainWindow(session)
    big.show()
    big.setGeometry(QRect(area.left() - 300, area.top() - 200, area.width() + 600,
                          area.height() + 400))
    big.save_geometry()
    big.hide()
    big.deleteLater()
    window = MainWindow(session)
    check(window, "main window (restored larger than the screen)")
    views = {}
    for section in SECTIONS:
        view = window.show_section(section.key)
        if view is None:
            continue
        views[section.key] = view
        check(window, f"main window › {section.key}")

    check_dialog(window.new_complaint(), "registration form (Ctrl+N)")
    check_dialog(window.user_guide(), "user guide (F1)")
    check_dialog(window.keyboard_shortcuts(), "keyboard shortcuts")
    check_dialog(window.about(), "about")

    if "settings" in views:
        settings_view = views["settings"]
        window.show_section("settings")
        for page in settings_view.pages:
            settings_view.tabs.setCurrentWidget(page)
            check(window, f"settings › {type(page).__name__}")
            for opener in ("open_add_dialog", "open_add_department", "open_add_user"):
                if hasattr(page, opener):
                    check_dialog(getattr(page, opener)(),
                                 f"settings › {type(page).__name__} › {opener}")
        page = settings_view.calendar_page
        settings_view.tabs.setCurrentWidget(page)
        check_dialog(page.edit_day(), "settings › calendar › a day")

    if "penalties" in views:
        penalties_view = views["penalties"]
        window.show_section("penalties")
        for index in range(penalties_view.tabs.count()):
            penalties_view.tabs.setCurrentIndex(index)
            check(window, f"penalties › tab {index + 1}")
        check_dialog(penalties_view.propose(), "penalties › an entry by hand")
        check_dialog(penalties_view.rules_tab.edit(None), "penalties › a new rule")

    if "warranty" in views:
        warranty_view = views["warranty"]
        window.show_section("warranty")
        check_dialog(warranty_view.new_vehicle(), "warranty › new vehicle")
        check_dialog(warranty_view.edit_vehicle(), "warranty › edit vehicle")
        check_dialog(warranty_view.new_repair(), "warranty › new repair")
        check_dialog(warranty_view.open_terms(), "warranty › terms")
        claim = warranty_view.new_claim()  # may first ask: open or link what exists
        if getattr(warranty_view, "question", None) is not None:
            check_dialog(warranty_view.question, "warranty › register a claim: the question")
            claim = warranty_view._claim_dialog(warranty_view.current_repair())
        check_dialog(claim, "warranty › register a claim")
        check_dialog(warranty_view.link_existing(), "warranty › link a complaint")
        if warranty_view.current_claim() is not None:
            check_dialog(warranty_view.new_memo(), "warranty › quality memo")
            check_dialog(warranty_view.decide(), "warranty › decide a claim")

    # one complaint in each state, each with every dialog its window offers
    ids = complaints.ids(owner, limit=400)
    rows = complaints.rows(owner, ids)
    seen_states = set()
    for row in rows:
        if row.state in seen_states:
            continue
        seen_states.add(row.state)
        complaint = window.open_complaint(complaints.find(row.ticket, actor=owner).id)
        check(complaint, f"complaint window ({row.state})")
        for action in sorted(complaint.view.shown_actions()):
            dialog = complaint.view.trigger(action)
            if dialog is not None:
                check_dialog(dialog, f"complaint ({row.state}) › {action}")
        complaint.close()
    window.close()
    print(json.dumps({"screens": screens, "problems": found}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
