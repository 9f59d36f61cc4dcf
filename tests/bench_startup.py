"""Start-up, log-in, memory and bulk-write figures, each beside an anchor measured in the same
run (docs/design.md, Start-up; docs/rules.md §10).

    python -m tests.bench_startup [--db PATH] [--complaints 100000] [--postgres URL]

Every start-up figure is a fresh process (bytecode cached, as a user's second start), the
median of ``RUNS``; the anchor runs the same way, alternating with the figure:

- **start-up to the register painted**: from launch to the first paint of the register's
  table *after its first page of rows is in the model*, through the real start (``ui.app``:
  its imports, the database opened by the worker, the main window). The log-in is left out
  (the user is given, as ``--user`` names one): its password hashing is deliberately slow.
  Anchor: a bare ``QMainWindow`` with a ``QTableView`` over 100 rows, painted.
- **log-in painted**: from launch to the first paint of the log-in dialog through
  ``ui.app.run``. Anchor: a bare ``QDialog`` with two ``QLineEdit``, painted.
- **memory**: the resident set once the register is painted, beside the bare window's;
  budget: the anchor + 80 MB.
- **the stack's floor** (no budget): the same anchor beside a window that only does what
  this stack must before any of the program's own work (``STACK_FLOOR``): how low any
  start on PySide6 and peewee can go.

``demo_figures()`` writes 100,000 demo complaints into an empty SQLite file, beside a plain
``sqlite3`` ``executemany`` of the very same rows into an empty schema (budget 1.5×), and,
given a server, on PostgreSQL (limit 120 s).

Each figure is a dict: label, value, unit, anchor, anchor_label, budget_ratio, and ``limit``
where the budget is not a ratio.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

# Each child prints "PAINT <wall clock> <rss kB>" at its first paint and quits. The paint is
# caught by an event filter on the one widget watched (the same in the anchors), then a zero
# timer lets it finish. Not on the application: a Python filter there sees every event of
# every object, and handing it an object of a class Python has not met yet makes PySide
# build the enums of whole modules (about 160 of them, 27 ms, in the main window): a cost of
# the measurement that neither a user's start nor the bare window pays.
_PRELUDE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

def _rss_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0

class _Painted(QObject):
    def __init__(self, wanted):
        super().__init__()
        self.wanted, self.done = wanted, False

    def eventFilter(self, obj, event):
        try:
            if not self.done and event.type() == QEvent.Type.Paint and self.wanted(obj):
                self.done = True
                QTimer.singleShot(0, self.report)
        except BaseException:
            import os, traceback
            traceback.print_exc()
            os._exit(3)
        return False

    def report(self):
        print('PAINT', repr(time.time()), _rss_kb(), flush=True)
        import os
        os._exit(0)

def watch(widget, wanted=lambda obj: True):
    w = _Painted(wanted)
    widget.installEventFilter(w)
    return w
"""

# The end of both windows with a table (the anchor and the floor): the same size, the same
# paint watched.
_SHOW_TABLE = """
table.setModel(model)
w.setCentralWidget(table)
w.resize(1200, 760)
_w = watch(table.viewport())
w.show()
app.exec()
"""

BARE_TABLE = _PRELUDE + """
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow()
table = QTableView()
model = QStandardItemModel(100, 8)
for r in range(100):
    for c in range(8):
        model.setItem(r, c, QStandardItem(f'{r}-{c}'))
""" + _SHOW_TABLE

# The stack's own floor, beside the same anchor: what any window of this program pays before
# its own code, with nothing of the services. Qt's namespace of enums (the alignment and
# dock area any real window sets), peewee and the models, the file opened and one narrow
# page of 100 complaints read through peewee, in a main window with a menu, a tool bar, a
# dock and a status bar. Printed without a budget: it says how low a start on this stack
# can go at all (docs/benchmarks.md).
STACK_FLOOR = _PRELUDE + """
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDockWidget, QLabel, QListWidget, QMainWindow, QTableView, QToolBar
app = QApplication(sys.argv)
Qt.AlignmentFlag
from models import drivers
drivers.import_peewee_without_postgres_driver()  # as the program does: no server driver
from models import db as dbmod
from models.entities import Complaint
dbmod.bind({db!r})
rows = list(Complaint.select(Complaint.ticket, Complaint.complainant_name, Complaint.state,
                             Complaint.received_at)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(100).tuples())
w = QMainWindow()
w.menuBar().addMenu('File').addAction(QAction('New', w))
bar = QToolBar()
bar.addAction(QAction('Find', w))
w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
dock = QDockWidget()
dock.setWidget(QListWidget())
w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
w.statusBar().addWidget(QLabel('owner'))
table = QTableView()
model = QStandardItemModel(len(rows), 8)
for r, row in enumerate(rows):
    for c in range(8):
        model.setItem(r, c, QStandardItem(str(row[c % 4])))
""" + _SHOW_TABLE

BARE_DIALOG = _PRELUDE + """
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit
app = QApplication(sys.argv)
d = QDialog()
form = QFormLayout(d)
form.addRow('Login', QLineEdit())
form.addRow('Password', QLineEdit())
_w = watch(d)
d.show()
app.exec()
"""

# The real start, with the log-in answered by the given user. The register's viewport is
# watched from the moment the main window has made it (before its first paint).
APP_REGISTER = _PRELUDE + """
from ui import app as ui_app

def _rows_in(view):
    return lambda obj: view.model.rowCount() > 0 and view.model.fetched_rows > 0

def _skip_login(self, ready=True):
    if not ready:
        return  # the early log-in: the user is given, the main window opens once ready
    from services.people import users
    self.open_main(users.get_user({user!r}))

_open_main = ui_app.Shell.open_main
_watching = []

def _open_and_watch(self, user):
    _open_main(self, user)
    view = self.window.views['complaints']
    _watching.append(watch(view.table.viewport(), _rows_in(view)))

ui_app.Shell.show_login = _skip_login
ui_app.Shell.open_main = _open_and_watch
qapp = QApplication(sys.argv)
sys.exit(ui_app.run(['complaintdesk', '--db', {db!r}, '--lang', 'zh_CN']))
"""

APP_LOGIN = _PRELUDE + """
from ui import app as ui_app

_show_login = ui_app.Shell.show_login
_watching = []

def _show_and_watch(self, ready=True):
    _show_login(self, ready)
    _watching.append(watch(self.login_dialog))

ui_app.Shell.show_login = _show_and_watch
qapp = QApplication(sys.argv)
sys.exit(ui_app.run(['complaintdesk', '--db', {db!r}, '--lang', 'zh_CN']))
"""


def _env(home: str) -> dict:
    # the children's preferences (QSettings) and data folder: a folder of their own
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMPLAINTDESK_HOME=home,
               XDG_CONFIG_HOME=home, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's second start: bytecode cached
    return env


def _paint(code: str, env: dict) -> tuple[float, float]:
    """One fresh process: (ms from launch to its first paint, MB resident then)."""
    began = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("PAINT ")), None)
    if line is None:
        raise RuntimeError(f"no paint reported (exit {done.returncode}):\n{done.stderr[-3000:]}")
    _tag, at, rss = line.split()
    return (float(at) - began) * 1000, int(rss) / 1024


def _paired(code: str, anchor: str, env: dict, runs: int, *also: str) -> tuple[list, ...]:
    """``runs`` paints of ``code`` and of its ``anchor``, taken in turn (and of ``also``,
    measured beside the same anchor's paints): the lists of (ms, MB), in that order."""
    codes = (code, anchor, *also)
    for one in codes:
        _paint(one, env)  # warm: bytecode written, files in the page cache
    found: tuple[list, ...] = tuple([] for _ in codes)
    for _ in range(runs):
        for one, samples in zip(codes, found, strict=True):
            samples.append(_paint(one, env))
    return found


def _home(db_path: str) -> str:
    """A settings folder for the children: the database remembered as the last one opened
    and the owner's login remembered, as on a PC that used it before."""
    home = tempfile.mkdtemp(prefix="cd-bench-home-")
    env = _env(home)
    code = ("from PySide6.QtCore import QCoreApplication\n"
            "app = QCoreApplication([])\n"
            "from ui import prefs\n"
            f"prefs.put(prefs.LAST_DATABASE, {db_path!r})\n"
            "prefs.put(prefs.LAST_LOGIN, 'owner')\n"
            "prefs.put(prefs.LANGUAGE, 'zh_CN')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return home


def figures(db_path: str, runs: int = RUNS) -> list[dict]:
    """Start-up to the register painted, log-in painted and memory with the register open on
    the database at ``db_path`` (made beforehand, e.g. by the demo), each with its anchor."""
    env = _env(_home(db_path))
    register, table, floor = _paired(APP_REGISTER.format(db=db_path, user="owner"),
                                     BARE_TABLE, env, runs, STACK_FLOOR.format(db=db_path))
    login, dialog = _paired(APP_LOGIN.format(db=db_path), BARE_DIALOG, env, runs)

    def med(samples, i):
        return round(statistics.median(s[i] for s in samples), 1)

    return [
        dict(label="start-up to the register painted (first page of rows)",
             value=med(register, 0), unit="ms", anchor=med(table, 0),
             anchor_label="bare QMainWindow + QTableView painted", budget_ratio=1.5),
        dict(label="the stack's floor: peewee, the models, a page (no budget)",
             value=med(floor, 0), unit="ms", anchor=med(table, 0),
             anchor_label="bare QMainWindow + QTableView painted", budget_ratio=None,
             note=f"{med(floor, 0) / med(table, 0):.2f}x the bare window"),
        dict(label="log-in dialog painted", value=med(login, 0), unit="ms",
             anchor=med(dialog, 0), anchor_label="bare QDialog with two QLineEdit painted",
             budget_ratio=1.3),
        dict(label="memory with the register open", value=med(register, 1), unit="MB",
             anchor=med(table, 1), anchor_label="bare QMainWindow + QTableView",
             budget_ratio=None, limit=round(med(table, 1) + 80, 1)),
    ]


# --- writing 100,000 complaints ---------------------------------------------------------------

_DEMO = """
import json, os, sys, tempfile, time
from services import demo
from services.firm import open_database
open_database(sys.argv[1])
began = time.perf_counter()
demo.generate(profile='company', complaints=int(sys.argv[2]), seed=7)
print(json.dumps({'seconds': time.perf_counter() - began}))
"""

# The anchor: the demo's very rows, captured as the demo hands them to its _insert (beside
# the statements' parameters it made of them ahead and sends), then written again by a plain sqlite3
# executemany into an empty copy of the schema: its tables and indexes, not its triggers (the
# search indexes the demo also fills are its own extra work), one transaction per table. The
# demo is timed in the same child, the capture included (a list copy per batch). "The same
# rows" are every row the demo writes: its batches insert the seals of their timeline and
# access rows through the same _insert, so the anchor writes those seal rows too (computing
# them is the demo's own work).
_CAPTURE = """
import json, os, pickle, sqlite3, sys, time
import services.demo.sample as sample
from services.firm import open_database
from models.db import database
open_database(sys.argv[1])
captured = []
real = sample._insert
def capture(model, fields, rows, *ready):
    captured.append((model._meta.table_name, [f.column_name for f in fields], list(rows)))
    real(model, fields, rows, *ready)
sample._insert = capture
began = time.perf_counter()
sample.generate(profile='company', complaints=int(sys.argv[2]), seed=7)
seconds = time.perf_counter() - began
schema = [sql for (sql,) in database.execute_sql(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
    "AND type IN ('table', 'index') ORDER BY type DESC, rowid")]
database.close()
anchor = sys.argv[1] + '.anchor'
conn = sqlite3.connect(anchor, isolation_level=None)
conn.execute('PRAGMA journal_mode=WAL')
conn.execute('PRAGMA synchronous=FULL')
for sql in schema:
    try:
        conn.execute(sql)
    except sqlite3.OperationalError:
        pass  # an FTS shadow table made by its virtual table
began = time.perf_counter()
for table, columns, rows in captured:
    conn.execute('BEGIN')
    cols = ', '.join(f'"{c}"' for c in columns)
    conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ('
                     + ', '.join('?' * len(columns)) + ')', rows)
    conn.execute('COMMIT')
print(json.dumps({'seconds': seconds, 'anchor_seconds': time.perf_counter() - began,
                  'rows': sum(len(r) for _t, _c, r in captured)}))
"""


def _child_json(code: str, *args: str) -> dict:
    import json

    home = tempfile.mkdtemp(prefix="cd-bench-home-")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=_env(home),
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def demo_figures(complaints: int = 100_000, postgres: str | None = None) -> list[dict]:
    """Demo data written: on SQLite beside a plain executemany of the same rows (budget
    1.5×); on PostgreSQL (``postgres``: an empty database's URL) against 120 s."""
    folder = Path(tempfile.mkdtemp(prefix="cd-bench-demo-"))
    anchor = _child_json(_CAPTURE, str(folder / "capture.sqlite3"), str(complaints))
    result = [dict(label=f"demo: {complaints:,} complaints written (SQLite)",
                   value=round(anchor["seconds"], 1), unit="s",
                   anchor=round(anchor["anchor_seconds"], 1),
                   anchor_label=f"sqlite3 executemany of the same {anchor['rows']:,} rows",
                   budget_ratio=1.5)]
    if postgres:
        pg = _child_json(_DEMO, postgres, str(complaints))
        result.append(dict(label=f"demo: {complaints:,} complaints written (PostgreSQL)",
                           value=round(pg["seconds"], 1), unit="s", anchor=None,
                           anchor_label="", budget_ratio=None, limit=120))
    return result


def over(figure: dict) -> bool:
    if figure.get("budget_ratio"):
        return figure["value"] > figure["budget_ratio"] * figure["anchor"]
    return figure.get("limit") is not None and figure["value"] > figure["limit"]


def show(figures_: list[dict]) -> bool:
    """Print each figure beside its anchor and budget; True if any is over."""
    failed = False
    print(f"{'figure':<58}{'measured':>12}{'anchor':>12}{'budget':>12}")
    for f in figures_:
        budget = (f"{f['budget_ratio']}x" if f.get("budget_ratio")
                  else f"{f['limit']}{f['unit']}" if f.get("limit") is not None else "-")
        ratio = f"  ({f['value'] / f['anchor']:.2f}x)" if f.get("anchor") else ""
        bad = over(f)
        failed |= bad
        anchor = "" if f.get("anchor") is None else f"{f['anchor']}{f['unit']}"
        verdict = "OVER" if bad else "ok" if budget != "-" else ""
        print(f"{f['label']:<58}{str(f['value']) + f['unit']:>12}{anchor:>12}{budget:>12}"
              f"  {verdict}{ratio}")
        if f.get("anchor_label"):
            print(f"    anchor: {f['anchor_label']}")
    return failed


def _make_db(complaints: int) -> str:
    path = str(Path(tempfile.mkdtemp(prefix="cd-bench-")) / "startup.sqlite3")
    code = _DEMO
    _child_json(code, path, str(complaints))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a demo database to start on (made if not given)")
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--demo", action="store_true", help="also time writing the demo")
    parser.add_argument("--postgres", help="an empty PostgreSQL database for the demo figure")
    args = parser.parse_args(argv)
    db = args.db or _make_db(args.complaints)
    found = figures(db, runs=args.runs)
    if args.demo or args.postgres:
        found += demo_figures(args.complaints, args.postgres)
    return 1 if show(found) else 0


if __name__ == "__main__":
    sys.exit(main())
