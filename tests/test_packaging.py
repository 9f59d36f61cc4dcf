"""Shipping (docs/design.md): code that works frozen and without a console, --version
without Qt, the database path remembered absolute, the data folders, the crash log, and
the packaging files agreeing with each other. The bundle itself is built and run by
tests/smoke_bundle.py in CI (.ci/run)."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, **(env or {})},
                          timeout=120)


# --- the command line, however it is started ---------------------------------------------


def test_version_prints_and_exits_without_qt_or_a_database(tmp_path):
    code = ("import sys, runpy\n"
            "sys.argv = ['main.py', '--version']\n"
            "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
            "except SystemExit as exc:\n    status = exc.code\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'peewee')))\n"
            "sys.stderr.write(repr((status, bad)))")
    result = _python(code, env={"COMPLAINTDESK_HOME": str(tmp_path)})
    import services

    assert result.stdout == f"ComplaintDesk {services.__version__}\n"
    assert result.stderr.endswith("(0, [])"), result.stderr
    assert list(tmp_path.iterdir()) == []  # no database made


def test_version_after_a_global_option_and_from_python_m():
    result = subprocess.run([sys.executable, "-m", "ui.cli", "--lang", "en", "--version"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("ComplaintDesk ")


def test_usage_line_names_the_program_as_started():
    from ui.cli.streams import program_name

    assert program_name("main.py") == "main.py"
    assert program_name("/opt/ComplaintDesk/ComplaintDesk.exe") == "ComplaintDesk"
    assert program_name("/opt/ComplaintDesk/complaintdesk-cli") == "complaintdesk-cli"
    assert program_name("/usr/lib/python3/ui/cli/__main__.py") == "complaintdesk-cli"
    result = subprocess.run([sys.executable, "-m", "ui.cli", "--lang", "en", "nonsense"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("error: complaintdesk-cli: "), result.stderr


# A windowed executable: no console, so sys.stdout, sys.stderr and sys.stdin are None.
NO_CONSOLE = ("import sys\n"
              "sys.stdout = sys.stderr = sys.stdin = None\n"
              "import main\n"
              "status = main.main(['ComplaintDesk.exe', *{args!r}])\n"
              "open({out!r}, 'w').write(str(status))\n")


@pytest.mark.parametrize("args, status, expected", [
    (["deadline", "--start", "2025-09-25T10:00", "--limit", "15 working days", "--json"], 0,
     '"due": "2025-10-22T23:59:59"'),
    (["deadline", "--start", "yesterday", "--limit", "15 working days", "--lang", "en"], 2,
     "error: "),
    (["--version"], 0, "ComplaintDesk "),
    (["complaints", "list", "--db", "none.sqlite3", "--user", "x", "--lang", "en"], 2,
     "error: "),  # reads a password: stdin is empty, not None
])
def test_no_console_commands_write_to_the_log_folder(tmp_path, args, status, expected):
    out = tmp_path / "status.txt"
    result = _python(NO_CONSOLE.format(args=args, out=str(out)), cwd=tmp_path,
                     env={"COMPLAINTDESK_HOME": str(tmp_path / "home"),
                          "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert out.read_text() == str(status)
    log = (tmp_path / "home" / "cli-output.log").read_text(encoding="utf-8")
    assert expected in log


def test_stream_fallback_when_the_log_folder_cannot_be_written(tmp_path, monkeypatch):
    from ui.cli import streams

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdin", None)
    streams.ensure_streams(blocker / "logs")
    print("goes nowhere, without failing")
    assert sys.stdout.name == os.devnull and sys.stdin.read() == ""


# --- the database path and the data folders ------------------------------------------------


def test_relative_db_is_remembered_absolute(tmp_path, monkeypatch, english):
    """Started from folder A with --db rel.sqlite3, then from folder B without --db: the
    same database, not a new empty one."""
    from ui import app, prefs

    opened = []

    class Shell:  # records where the real one would open, as it remembers it
        def __init__(self, *, location, **_kwargs):
            opened.append(location)
            prefs.put(prefs.LAST_DATABASE, location)  # what Shell._opened remembers
            self.exit_code = 0
            self.finished = type("S", (), {"connect": lambda *_a: None})()

        def start(self):
            pass

    monkeypatch.setattr(app, "Shell", Shell)
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    b.mkdir()
    monkeypatch.chdir(a)
    assert app.run(["main.py", "--db", "rel.sqlite3"]) == 0
    monkeypatch.chdir(b)
    assert app.run(["main.py"]) == 0
    assert opened == [str(a / "rel.sqlite3"), str(a / "rel.sqlite3")]
    assert prefs.get(prefs.LAST_DATABASE) == str(a / "rel.sqlite3")


def test_databases_are_bound_by_absolute_path(tmp_path, monkeypatch):
    from models import db

    monkeypatch.chdir(tmp_path)
    made = db.make_database("rel.sqlite3")
    assert made.path == str(tmp_path / "rel.sqlite3") == made.database
    assert db.absolute_location("postgresql://u@h/d") == "postgresql://u@h/d"
    assert db.absolute_location(":memory:") == ":memory:"


def test_windows_data_folders(tmp_path, monkeypatch):
    from models import db

    monkeypatch.delenv("COMPLAINTDESK_HOME")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path / "ProgramData"))
    assert db.data_dir() == tmp_path / "Local" / "ComplaintDesk"  # local, never roaming
    assert db.shared_data_dir() == tmp_path / "ProgramData" / "ComplaintDesk"
    # an older version's database in the roaming folder is still found
    old = tmp_path / "Roaming" / "ComplaintDesk"
    old.mkdir(parents=True)
    (old / "complaintdesk.sqlite3").write_bytes(b"")
    assert db.data_dir() == old
    (tmp_path / "Local" / "ComplaintDesk" / "complaintdesk.sqlite3").write_bytes(b"")
    assert db.data_dir() == tmp_path / "Local" / "ComplaintDesk"
    # the owner's choice: every account of the PC
    db.set_data_choice("shared")
    assert db.data_dir() == tmp_path / "ProgramData" / "ComplaintDesk"
    assert db.default_location() == str(tmp_path / "ProgramData" / "ComplaintDesk"
                                        / "complaintdesk.sqlite3")
    db.set_data_choice("user")
    assert db.data_dir() == tmp_path / "Local" / "ComplaintDesk"


def test_data_folder_choice_refused_for_nonsense(tmp_path, monkeypatch):
    from models.entities import User
    from services import install
    from services.errors import ValidationError

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    owner = User(login="o", roles="owner")
    with pytest.raises(ValidationError):
        install.set_data_choice("network", actor=owner)
    assert install.data_choice() == "user"


# --- crash log ----------------------------------------------------------------------------


def test_native_crash_is_written_to_the_crash_log(tmp_path):
    code = ("import faulthandler\n"
            "from ui import crash_log\n"
            f"print(crash_log.install({str(tmp_path)!r}))\n"
            "faulthandler._sigsegv()\n")
    result = _python(code)
    assert result.returncode != 0
    text = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "--- started" in text and "Fatal Python error" in text


def test_crash_log_in_an_unwritable_folder_does_not_stop_the_start(tmp_path):
    from ui import crash_log

    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert crash_log.install(blocker / "logs") is None


# --- freeze-safe code ---------------------------------------------------------------------


def test_nothing_of_ours_finds_modules_by_file_name():
    """A frozen build has no .py files: screens and migrations are listed in the code."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")) + sorted((ROOT / "models").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"import_module\(|pkgutil\.|\.glob\(['\"]\*\.py", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    from models.migrations import MIGRATIONS

    assert [m.VERSION for m in MIGRATIONS] == sorted(m.VERSION for m in MIGRATIONS)
    files = sorted(p.stem for p in (ROOT / "models" / "migrations").glob("m[0-9]*.py"))
    assert [m.__name__.rsplit(".", 1)[1] for m in MIGRATIONS] == files


def test_every_screen_is_in_the_static_registry():
    from ui.main_window import SECTIONS, screen_class

    for section in SECTIONS:
        screen = screen_class(section.key)
        assert screen.__module__.startswith("ui."), section.key


def test_resources_are_found_through_one_root(monkeypatch, tmp_path):
    from services import install

    assert (install.resource("resources", "fonts", "wqy-microhei.ttc")).exists()
    assert install.notices_path() == ROOT / "THIRD_PARTY_NOTICES.md"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert install.root() == tmp_path


# --- the packaging files agree ------------------------------------------------------------


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name.strip()).lower()] = version.strip()
    return pins


def test_pyproject_lists_every_package_and_the_same_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    code = {str(p.parent.relative_to(ROOT)).replace(os.sep, ".")
            for top in ("models", "services", "ui") for p in (ROOT / top).rglob("__init__.py")}
    data = {str(p.relative_to(ROOT)).replace(os.sep, ".")
            for top in ("resources", "i18n") for p in [ROOT / top, *(ROOT / top).rglob("*")]
            if p.is_dir() and p.name != "__pycache__"}
    assert listed == code | data
    required = _pins((ROOT / "requirements.txt").read_text().splitlines())
    declared = _pins(project["project"]["dependencies"])
    assert declared.items() <= required.items()
    imported = {"pyside6-essentials", "peewee", "psycopg2-binary", "reportlab", "babel",
                "chinese-calendar", "lunar-python", "pypdfium2", "tzdata", "openpyxl",
                "keyring",
                "rl-accel"}  # imported by ReportLab, for speed (build.spec names it)
    assert set(declared) == imported
    scripts = project["project"]["scripts"] | project["project"]["gui-scripts"]
    assert set(scripts) == {"complaintdesk", "complaintdesk-cli"}
    for target in scripts.values():
        module, func = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[func]), func))


def test_no_gpl_calendar_and_the_lunar_package_is_mit():
    required = _pins((ROOT / "requirements.txt").read_text().splitlines())
    assert "lunardate" not in required and required["lunar-python"]
    assert metadata.metadata("lunar-python")["License"] == "MIT"
    for path in (ROOT / "services").rglob("*.py"):
        assert "import lunardate" not in path.read_text(encoding="utf-8")
        assert "from lunardate" not in path.read_text(encoding="utf-8")


def test_build_spec_has_one_analysis_two_programs_and_reads_the_one_version():
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    calls = [n.func.id for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert calls.count("Analysis") == 1 and calls.count("EXE") == 2
    assert calls.count("COLLECT") == 1
    text = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"services" / "__init__.py"' in text
    build = (ROOT / "requirements-build.txt").read_text()
    assert re.search(r"^pyinstaller==\S+", build, re.M)
    assert re.search(r"^pyinstaller-hooks-contrib==\S+", build, re.M)


def test_installer_mutex_matches_the_single_instance_name():
    from services import install

    iss = (ROOT / "installer" / "complaintdesk.iss").read_text(encoding="utf-8")
    assert f"AppMutex={install.INSTANCE_NAME}" in iss
    assert "PrivilegesRequired=lowest" in iss
    version = re.search(r'#define AppVersion "([^"]+)"', iss)
    assert version is None or version.group(1) == install.version()
    json.dumps(install.versions())  # About's rows are plain strings
