"""Where the program keeps its data, and database locations as text: no database driver here,
so the window can find its folder (single instance, log, preferences) before it loads one
(docs/design.md, Start-up)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ComplaintDesk"


# The per-user folder holds this file when the owner chose another data folder in Settings
# ("shared": the folder every account of the PC shares). Read before any database opens, so
# it is a plain file, not a setting in the database.
DATA_CHOICE_FILE = "data-folder.txt"
DATA_CHOICES = ("user", "shared")


def user_data_dir() -> Path:
    """This user's folder: %LOCALAPPDATA%\\ComplaintDesk on Windows (local, not roaming: a
    roaming profile would copy a live database and its WAL at log-off), XDG elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def shared_data_dir() -> Path:
    """The folder every account of this PC can use: %ProgramData%\\ComplaintDesk on Windows."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA") or "C:\\ProgramData") / APP_NAME
    if sys.platform == "darwin":
        return Path("/Users/Shared") / APP_NAME
    return Path("/var/lib") / APP_NAME


def data_choice() -> str:
    """"user" (the default) or "shared", as chosen in Settings."""
    try:
        text = (user_data_dir() / DATA_CHOICE_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return "user"
    return text if text in DATA_CHOICES else "user"


def set_data_choice(choice: str) -> Path:
    """Remember the choice for the next start; returns the folder it names (created)."""
    if choice not in DATA_CHOICES:
        raise ValueError(choice)
    folder = shared_data_dir() if choice == "shared" else user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    user = user_data_dir()
    user.mkdir(parents=True, exist_ok=True)
    (user / DATA_CHOICE_FILE).write_text(choice + "\n", encoding="utf-8")
    return folder


def data_dir() -> Path:
    """The data folder: $COMPLAINTDESK_HOME if set, else the folder chosen in Settings (this
    user's by default). A Windows database left in the roaming %APPDATA% folder by an older
    version is still found there until it is moved."""
    override = os.environ.get("COMPLAINTDESK_HOME")
    if override:
        path = Path(override)
    elif data_choice() == "shared":
        path = shared_data_dir()
    else:
        path = user_data_dir()
        if sys.platform == "win32" and not (path / "complaintdesk.sqlite3").exists():
            old = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
            if (old / APP_NAME / "complaintdesk.sqlite3").exists():
                path = old / APP_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_location() -> str:
    return str(data_dir() / "complaintdesk.sqlite3")


def absolute_location(location: str) -> str:
    """A SQLite path made absolute against the current folder (a URL, ":memory:" and ""
    unchanged): a path remembered for the next start must not depend on where it starts."""
    if not location or location == ":memory:" or "://" in location or location.startswith(
            "file:"):
        return location
    return os.path.abspath(os.path.expanduser(location))


def is_postgres_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))
