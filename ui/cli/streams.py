"""The standard streams of a command line run, whatever started it (docs/design.md,
Shipping). A windowed Windows program (the bundle's ComplaintDesk.exe run by the Task
Scheduler for the monthly report) has no console: sys.stdout, sys.stderr and sys.stdin are
None. Output then goes to ``cli-output.log`` in the log folder (os.devnull when that cannot
be written) and input reads as empty; pipes get UTF-8 whatever the Windows code page is."""
from __future__ import annotations

import os
import sys
from pathlib import Path

OUTPUT_LOG = "cli-output.log"


def _log_file(folder: Path | None):
    try:
        if folder is None:
            from services import install

            folder = install.log_folder()
        return open(Path(folder) / OUTPUT_LOG, "a", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def ensure_streams(folder: Path | None = None) -> None:
    """Give None streams a file; UTF-8 for every stream that is not a terminal."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    missing = [name for name in ("stdout", "stderr") if getattr(sys, name) is None]
    if missing:
        log = _log_file(folder)
        for name in missing:
            setattr(sys, name, log)
    for stream in (sys.stdout, sys.stderr):
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
        if not terminal and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def program_name(argv0: str | None = None) -> str:
    """What the usage line calls the program: the executable as started (complaintdesk-cli,
    ComplaintDesk.exe, complaintdesk) or ``main.py``."""
    name = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "")).name
    if not name or name in ("__main__.py", "-c", "-m"):
        return "complaintdesk-cli"
    if name.lower().endswith(".exe"):
        name = name[:-4]
    return name
