"""This installation: where its data lives, where its bundled files are, what it is made of
(versions, third-party notices). No Qt (docs/design.md, Shipping)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

import models.paths as dbmod
import services
from services.errors import ValidationError
from services.i18n import N_

APP_NAME = dbmod.APP_NAME
DATA_CHOICES = dbmod.DATA_CHOICES
# The single-instance lock and the Inno Setup AppMutex use this same name.
INSTANCE_NAME = "ComplaintDesk-single-instance"
NOTICES_FILE = "THIRD_PARTY_NOTICES.md"
# What About lists, in this order: the packages a firm's IT person asks about.
COMPONENTS = ("peewee", "reportlab", "babel", "psycopg2-binary",
              "chinese-calendar", "lunar-python", "pypdfium2", "openpyxl", "keyring")


def version() -> str:
    """The program's version: the one in services/__init__.py (build.spec and pyproject.toml
    read it from there)."""
    return services.__version__


def root() -> Path:
    """Where resources/, i18n/ and the notices are: beside the code, or the bundle's folder
    when frozen by PyInstaller (sys._MEIPASS)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    return root().joinpath(*parts)


def notices_path() -> Path | None:
    """THIRD_PARTY_NOTICES.md: beside the code or in the bundle, else (``pip install .``) in
    the installed distribution's licence files."""
    path = resource(NOTICES_FILE)
    if path.exists():
        return path
    from importlib import metadata

    try:
        files = metadata.distribution("complaintdesk").files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name == NOTICES_FILE:
            located = Path(str(file.locate()))
            if located.exists():
                return located
    return None


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def data_folder() -> Path:
    return dbmod.data_dir()


def log_folder() -> Path:
    """Logs and crash reports: the data folder."""
    return dbmod.data_dir()


def data_choice() -> str:
    """"user" (this Windows account's folder) or "shared" (every account of this PC)."""
    return dbmod.data_choice()


def data_choice_folders() -> dict[str, Path]:
    return {"user": dbmod.user_data_dir(), "shared": dbmod.shared_data_dir()}


class DataFolderState(NamedTuple):
    """What Settings › Data folder shows: the choice, the folder of each choice, the folder
    in use now (differs until the next start, or when $COMPLAINTDESK_HOME overrides). A
    NamedTuple: the window's start imports this module before its first paint, and a
    dataclass would bring the dataclasses module (docs/design.md, Start-up)."""

    choice: str
    folders: dict[str, Path]
    in_use: Path
    overridden: bool


def data_folder_state() -> DataFolderState:
    return DataFolderState(choice=data_choice(), folders=data_choice_folders(),
                           in_use=dbmod.data_dir(),
                           overridden=bool(os.environ.get("COMPLAINTDESK_HOME")))


def set_data_choice(choice: str, *, actor) -> Path:
    """The owner's choice of data folder for this PC; it takes effect at the next start. The
    database is not moved: the owner copies it there, or keeps opening it where it is."""
    # here, not at the top: the window's start (ui/single_instance.py) needs none of them
    from services.people import require_role
    from services.validation import clean_choice

    require_role(actor, "owner")
    choice = clean_choice(choice, DATA_CHOICES, field="data_folder", label=N_("Data folder"))
    try:
        return dbmod.set_data_choice(choice)
    except OSError as exc:
        raise ValidationError(N_("The folder {folder} cannot be written: {error}"),
                              folder=str(data_choice_folders()[choice]),
                              error=exc.strerror or str(exc)) from exc


def absolute_location(location: str) -> str:
    return dbmod.absolute_location(location)


def versions() -> list[tuple[str, str]]:
    """(name, version) of the program, Python and the main components, for About."""
    from importlib import metadata

    rows = [("ComplaintDesk", version()),
            ("Python", f"{_platform().python_version()} ({_platform().architecture()[0]})")]
    for name in COMPONENTS:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return rows


def _platform():
    import platform  # only for Help › About: not before the window's first paint

    return platform
