"""Command line: backups of a SQLite database (`backup`, `backups list|folder`, `restore`)
and the sentence saying a database is open read-only (docs/design.md, Integrity and backups).

A sound database: the acting user logs in (owner or manager; the owner alone restores or
chooses the folder). A database refused at open or found damaged cannot be logged into: then
`backups list` and `restore` work on the files without a log-in — whoever may replace the
file by hand may do it here.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from services import backup
from services.errors import BackupError, DatabaseDamaged, DatabaseRefused
from services.firm import setup
from services.i18n import N_, _, format_datetime
from services.people import require_role
from ui.cli.args import UsageError
from ui.cli.context import CliContext, exists
from ui.cli.output import iso, table


class _StatusToStderr(logging.Handler):
    """The database's status sentence (read-only, damaged) on standard error, once a run."""

    def emit(self, record: logging.LogRecord) -> None:
        print(record.getMessage(), file=sys.stderr)


_status_log = logging.getLogger(setup.STATUS_LOGGER)
if not any(isinstance(h, _StatusToStderr) for h in _status_log.handlers):
    _status_log.addHandler(_StatusToStderr())


def add_commands(command, commands) -> None:
    p = command(commands, "backup", _("back up the database now (verified, into the rotation)"),
                cmd_backup)
    p.add_argument("--to", metavar="FOLDER",
                   help=_("write the backup into FOLDER (default: the backup folder)"))

    group = command(commands, "backups", _("the backups of the database"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    command(sub, "list", _("list the backups, newest first"), cmd_backups_list)
    p = command(sub, "folder", _("show or choose the backup folder (the owner chooses)"),
                cmd_backups_folder)
    p.add_argument("path", nargs="?", metavar="PATH")

    p = command(commands, "restore", _("replace the database with a backup (the current file "
                                       "is kept aside)"), cmd_restore)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("file", nargs="?", metavar="FILE", help=_("the backup file"))
    which.add_argument("--latest", action="store_true",
                       help=_("the newest backup that passed its check"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def _postgres_refusal() -> None:
    commands = backup.pg_commands()
    if commands is not None:
        raise BackupError(N_("A PostgreSQL database is not backed up as a file. Back it up with "
                             "pg_dump (it asks for the password):\n{command}"),
                          command=commands[0])


def _open(s: CliContext, *, roles: tuple[str, ...]):
    """The acting user, or None when the database cannot be logged into (refused at open,
    damaged, or missing): then the commands work on the files alone."""
    location = s.location()
    if "://" not in location and not exists(location):
        return None
    try:
        s.open_db(need_firm=True)
    except (DatabaseRefused, DatabaseDamaged):  # not openable, or too damaged to read
        return None
    _postgres_refusal()
    if setup.open_status().damaged:
        return None
    actor = s.actor()
    require_role(actor, *roles)
    return actor


def _where(s: CliContext, actor) -> tuple[Path, str]:
    """The backup folder and the database file's name (without suffix) backups start with."""
    location = s.location()
    if actor is not None or s.opened:
        return backup.folder(location), Path(location).stem
    return backup.default_folder(location), Path(location).stem


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, n // 1024)} KB"


def cmd_backup(s: CliContext) -> int:
    actor = _open(s, roles=("owner", "manager"))
    if actor is None:
        raise BackupError(N_("Only a sound database can be backed up; this one cannot be "
                             "opened or failed its check."))
    made = backup.make_backup(kind="manual", to=s.opt("to"), actor=actor)
    data = {"path": made.path, "created": iso(made.created), "size": made.size,
            "verified": made.verified, "counts": made.counts}
    s.emit(data, lambda: _("Backed up to {path} ({size}); checked: {complaints} complaints, "
                           "{events} events.").format(
        path=made.path, size=_size(made.size), complaints=made.counts.get("complaint"),
        events=made.counts.get("event")))
    return 0


def cmd_backups_list(s: CliContext) -> int:
    actor = _open(s, roles=("owner", "manager"))
    where, stem = _where(s, actor)
    found = backup.list_backups(where, stem=stem)
    data = {"folder": str(where),
            "backups": [{"path": b.path, "created": iso(b.created), "kind": b.kind,
                         "size": b.size, "verified": b.verified, "counts": b.counts}
                        for b in found]}

    def text() -> str:
        if not found:
            return _("No backups in {folder}.").format(folder=where)
        rows = [(format_datetime(b.created), _size(b.size),
                 _("yes") if b.verified else _("no"), _(backup.KIND_NAMES[b.kind_group])
                 if b.kind_group in backup.KIND_NAMES else b.kind, b.name) for b in found]
        return "\n".join([_("Backups in {folder}:").format(folder=where),
                          table([_("Made"), _("Size"), _("Verified"), _("Kind"), _("File")],
                                rows)])

    s.emit(data, text)
    return 0


def cmd_backups_folder(s: CliContext) -> int:
    path = s.opt("path")
    actor = _open(s, roles=("owner",) if path else ("owner", "manager"))
    if actor is None:
        raise BackupError(N_("The backup folder is kept in the database, which cannot be opened "
                             "or failed its check."))
    chosen = backup.set_folder(path, actor=actor) if path else backup.folder(s.location())
    s.emit({"folder": str(chosen)}, lambda: (
        _("Backups now go to {folder}.") if path else _("Backups go to {folder}.")).format(
        folder=chosen))
    return 0


def cmd_restore(s: CliContext) -> int:
    a = s.args
    actor = _open(s, roles=("owner",))
    location = s.location()
    where, stem = _where(s, actor)
    if a.latest:
        chosen = backup.latest_good(where, stem=stem)
        if chosen is None:
            raise BackupError(N_("There is no verified backup in {folder}."), folder=str(where))
        path = chosen.path
    else:
        path = a.file
    if not a.yes:
        question = _("Replace the database {database} with the backup {file}? The current file "
                     "is kept aside beside it. [y/N] ").format(database=location,
                                                               file=Path(path).name)
        if not sys.stdin.isatty():
            raise UsageError(N_("Add --yes to restore without being asked."), field="yes")
        print(question, end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
            print(_("Nothing was restored."), file=sys.stderr)
            return 1
    done = backup.restore(path, db_path=location, actor=actor)
    data = {"restored": done.backup, "database": done.database, "kept_aside": done.kept_aside,
            "counts": done.counts}

    def text() -> str:
        line = _("Restored {file} into {database}: {complaints} complaints, {events} events.")\
            .format(file=Path(done.backup).name, database=done.database,
                    complaints=done.counts.get("complaint"), events=done.counts.get("event"))
        if done.kept_aside:
            line += "\n" + _("The replaced file is kept as {path}.").format(path=done.kept_aside)
        return line

    s.emit(data, text)
    return 0
