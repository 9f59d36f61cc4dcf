"""Native crashes (a segfault in Qt, a fatal error) leave their Python stacks in
``crash.log`` in the log folder, also when the program has no console (docs/design.md,
Shipping). No Qt here: the command line installs it too."""
from __future__ import annotations

import faulthandler
import os
import sys
import time
from pathlib import Path
from typing import IO

CRASH_LOG = "crash.log"
MAX_BYTES = 1_000_000  # a log past this size starts again

_file: IO[str] | None = None


def install(folder: Path | str | None = None) -> Path | None:
    """Send faulthandler's report to ``folder``/crash.log (the data folder by default).
    Returns the file, or None when it cannot be written: the program starts anyway."""
    global _file
    try:
        if folder is None:
            from services import install as installation

            folder = installation.log_folder()
        path = Path(folder) / CRASH_LOG
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "w" if path.exists() and path.stat().st_size > MAX_BYTES else "a"
        handle = open(path, mode, encoding="utf-8")  # noqa: SIM115 - kept open for faulthandler
        handle.write(f"--- started {time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()} "
                     f"{' '.join(sys.argv[:1])}\n")
        handle.flush()
        faulthandler.enable(file=handle, all_threads=True)
    except (OSError, ValueError, RuntimeError):
        return None
    if _file is not None and _file is not handle:
        _file.close()
    _file = handle
    return path


def uninstall() -> None:
    global _file
    faulthandler.disable()
    if _file is not None:
        _file.close()
        _file = None
