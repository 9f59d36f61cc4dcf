"""Python code run in a fresh process, for what only a new interpreter shows: what a start
imports, what a frozen or a second program sees."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python_child(code: str, *args: str, env: dict | None = None, cwd: Path | str = ROOT,
                 timeout: float = 120) -> str:
    """Run ``python -c code *args`` and return what it printed; the test fails with the
    child's error output if it did not exit with 0."""
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
