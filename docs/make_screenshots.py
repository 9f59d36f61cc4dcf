"""Screenshots of the main screens in both languages, taken on a real X display.

    xvfb-run -a -s "-screen 0 1366x860x24" .venv/bin/python docs/make_screenshots.py [NAME …]

With names (e.g. ``5-complaint``), only those screens are taken again. With
``--big DATABASE`` (a copy of a 100,000-complaint database, e.g. one made by tests/bench_db.py),
only the register scrolled to its last row is taken (``9-register-last-row``), on that copy.

Builds a repair-shop demo database, opens the real windows as a user would see them after
logging in, and saves what the X server shows (QScreen.grabWindow) under docs/screenshots/.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("COMPLAINTDESK_HOME", tempfile.mkdtemp(prefix="cd-shots-"))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from services import demo
    from services.complaints import register as complaints
    from services.firm import setup
    from services.people import users
    from ui import prefs
    from ui.first_start import FirstStartWizard
    from ui.login import LoginDialog
    from ui.main_window import MainWindow
    from ui.qt_i18n import apply_language
    from ui.session import Session
    from ui.tasks import TaskManager

    prefs.use_file(str(Path(os.environ["COMPLAINTDESK_HOME"]) / "prefs.ini"))
    args = sys.argv[1:]
    big = args[args.index("--big") + 1] if "--big" in args else None
    location = big or str(Path(os.environ["COMPLAINTDESK_HOME"]) / "shots.sqlite3")
    setup.open_database(location)
    if not big and not setup.is_initialized():
        demo.generate_all(profile="repair-shop", complaints=400, seed=3)
    owner = users.get_user("owner")
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(widget, width=1280, height=800):
        widget.resize(width, height)
        widget.show()
        widget.raise_()
        for _ in range(20):
            app.processEvents()

    only = {a for a in args if not a.startswith("--") and a != big}

    def grab(widget, name):
        if only and name.split("-", 1)[1] not in only:
            return
        settle(widget, widget.width(), widget.height())
        screen = app.primaryScreen()
        geo = widget.frameGeometry()
        shot = screen.grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
        shot.save(str(OUT / f"{name}.png"))
        print("saved", name, shot.width(), "x", shot.height())

    if big:
        return last_row(app, owner, location, grab, settle)
    ticket = next(r.ticket for r in complaints.rows(owner, complaints.ids(owner, limit=50))
                  if r.state == "investigating")
    for lang in ("zh_CN", "en"):
        apply_language(lang)
        wizard = FirstStartWizard(location=location, tasks=TaskManager(synchronous=True))
        settle(wizard, 760, 540)
        wizard.next()
        grab(wizard, f"{lang}-1-first-start")
        wizard.close()

        prefs.put(prefs.LAST_LOGIN, "owner")
        login = LoginDialog(location=location, tasks=TaskManager(synchronous=True))
        settle(login, 420, 220)
        grab(login, f"{lang}-2-login")
        login.close()

        session = Session(user=owner, location=location, tasks=TaskManager(synchronous=True))
        window = MainWindow(session)
        settle(window, 1366, 820)
        window.move(0, 0)
        for key, name in (("complaints", "3-register"), ("due", "4-due-overdue"),
                          ("warranty", "6-warranty"), ("penalties", "7-penalties"),
                          ("settings", "8-settings")):
            screen = window.show_section(key)
            if key == "due":  # the owner runs no limit himself: the queue of everyone's
                screen.set_filter(replace(screen.current_filter(), scope="all"))
            grab(window, f"{lang}-{name}")
        complaint = window.open_complaint(complaints.find(ticket, actor=owner).id)
        settle(complaint, 1280, 820)
        complaint.move(0, 0)
        grab(complaint, f"{lang}-5-complaint")
        complaint.close()
        window.close()
    return 0


def last_row(app, owner, location, grab, settle) -> int:
    """The register of a large database at its very last row (Ctrl+End), in both languages."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.main_window import MainWindow
    from ui.qt_i18n import apply_language
    from ui.session import Session
    from ui.tasks import TaskManager

    for lang in ("zh_CN", "en"):
        apply_language(lang)
        session = Session(user=owner, location=location, tasks=TaskManager(synchronous=True))
        window = MainWindow(session)
        settle(window, 1366, 820)
        window.move(0, 0)
        view = window.show_section("complaints")
        view.table.setFocus()
        view.table.setCurrentIndex(view.model.index(0, 0))
        QTest.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        for _ in range(30):
            app.processEvents()
        view.table.horizontalScrollBar().setValue(0)  # Ctrl+End went to the last column too
        print("last row:", view.table.currentIndex().row() + 1, "of", view.model.total)
        grab(window, f"{lang}-9-register-last-row")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
