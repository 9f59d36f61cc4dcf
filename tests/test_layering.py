"""The architecture holds (docs/design.md): the domain imports no Qt, the UI never
reaches the database layer, and the command line starts without Qt."""
from __future__ import annotations

import functools
import json
import os
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
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 50, f"only {len(files)} files under {ROOT / 'ui'}: the wrong folder?"
    offenders = [str(p.relative_to(ROOT)) for p in files
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


@functools.cache
def _import_graph() -> dict[str, set[str]]:
    """Our modules and what each imports (imports inside functions count too)."""
    import ast

    mods: dict[str, Path] = {}
    for top in ("models", "services", "ui"):
        for p in (ROOT / top).rglob("*.py"):
            name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
            mods[name.removesuffix(".__init__")] = p

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        package = m if p.name == "__init__.py" else m.rpartition(".")[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                found = resolve(target)
                if found and found != m:
                    graph[m].add(found)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected sets of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_holds_our_modules():
    """The checks below on the graph pass on an empty one: it must hold the program."""
    graph = _import_graph()
    assert len(graph) > 100, f"only {len(graph)} modules under {ROOT}: the wrong folder?"
    assert {"models.entities", "services.features", "ui.app", "ui.cli.run"} <= graph.keys()
    assert any(t == "services.complaints" or t.startswith("services.complaints.")
               for t in graph["ui.cli.commands.complaints"])
    assert "services.features" in graph["ui.app"]


def test_no_import_circles_among_our_modules():
    assert _circles(_import_graph()) == []


def test_the_arrows_point_down():
    """docs/design.md: models import nothing of ours; services never import the window."""
    graph = _import_graph()
    upward = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                    if (m.startswith("models") and t.split(".")[0] in ("services", "ui"))
                    or (m.startswith("services") and t.split(".")[0] == "ui"))
    assert upward == []


def test_the_circle_check_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _imported_at_top(path: Path) -> set[str]:
    """The modules ``path`` imports by ``import x`` at its top level."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {a.name for node in tree.body if isinstance(node, ast.Import) for a in node.names}


def test_every_entry_point_connects_the_hooks():
    """The window and the command line connect every feature's hooks, so a missed limit
    proposes a fine and a new firm gets its presets whichever way the program is started."""
    # The command groups import the features they use, which connects their hooks anyway:
    # the run itself must import them all, whatever a group imports (or stops importing).
    assert "services.features" in _imported_at_top(ROOT / "ui/cli/run.py")
    # The window imports the features its first paint does not need afterwards (docs/
    # design.md, Start-up): once the database is open, the other features are not imported
    # yet, and the first fire of a hook imports them before it reaches its subscribers.
    code = ("import sys, tempfile, {module}\n{then}\n"
            "from services import hooks\n"
            "print('penalties' if 'services.penalties' in sys.modules else 'deferred',\n"
            "      len(hooks.event_recorded.subscribers()), len(hooks.firm_created.subscribers()))")
    for module, then, before in (("ui.cli.run", "", "penalties"), (
            "ui.app", "ui.app._open(location=tempfile.mkdtemp() + '/hooks.sqlite3')",
            "deferred")):
        result = subprocess.run([sys.executable, "-c", code.format(module=module, then=then)],
                                cwd=ROOT,
                                capture_output=True, text=True,
                                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert result.stdout.split() == [before, "1", "2"], (module, result.stdout + result.stderr)


# every package under services/ is a feature with a face
FEATURES = tuple(sorted(p.parent.name for p in (ROOT / "services").glob("*/__init__.py")))


def test_other_code_imports_a_feature_by_its_face():
    """docs/design.md: outside services/<feature>/, code imports the feature's __init__ only
    (``from services.penalties import approve``, ``from services.complaints import path``)."""
    import ast

    inner = []
    for top in ("services", "ui"):
        for p in (ROOT / top).rglob("*.py"):
            here = ".".join(p.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module or ""]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if (len(parts) > 2 and parts[0] == "services" and parts[1] in FEATURES
                            and not here.startswith(f"services.{parts[1]}.")):
                        inner.append(f"{here} -> {name}")
    assert sorted(inner) == []


def test_the_window_does_not_load_the_command_line():
    """main.py asks ui.cli whether a command was given; that costs the window no command
    group and no feature it would not load anyway. main.main() runs as on a start without
    a command, with the window (ui.app) stubbed: it records its arguments and returns 0."""
    code = ("import json, sys, types\n"
            "import ui\n"
            "opened = []\n"
            "stub = types.ModuleType('ui.app')\n"
            "stub.run = lambda argv: opened.append(list(argv)) or 0\n"
            "sys.modules['ui.app'] = ui.app = stub\n"
            "import main\n"
            "status = main.main(['main.py'])\n"
            "loaded = sorted(m for m in sys.modules if m.startswith(('ui.cli.commands', "
            "'ui.cli.run', 'services.features')))\n"
            "print(json.dumps([status, opened, loaded]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    status, opened, loaded = json.loads(result.stdout)
    assert (status, opened) == (0, [["main.py"]])  # the window's path was taken
    assert loaded == []
