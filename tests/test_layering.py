"""The architecture holds (STYLE practices 1–2): the domain imports no Qt, the UI never
reaches the database layer, and the command line starts without Qt."""
from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    path = ROOT / package
    names = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
        names.append(info.name)
    return names


def test_domain_imports_no_qt():
    modules = _modules("models") + _modules("services")
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_never_imports_the_database_layer():
    pattern = re.compile(r"^\s*(from|import)\s+(peewee|playhouse|models)\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_command_line_starts_without_qt():
    code = ("import sys, runpy\n"
            "sys.argv = ['main.py', 'deadline', '--start', '2025-09-25T10:00', '--limit',"
            " '15 working days', '--json']\n"
            "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('PySide6'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.stderr.strip().endswith("[]"), result.stderr
    assert '"2025-10-22T23:59:59"' in result.stdout
