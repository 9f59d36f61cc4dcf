"""`main.py import-register | export-register | migrate-to`: data in and out (docs/design.md,
Data in and out). Every command logs the user in and calls services.transfer, so who may
import, see or move what is decided there, exactly as in the window."""
from __future__ import annotations

import sys
from pathlib import Path

from services import transfer
from services.i18n import N_, _
from ui.cli.args import UsageError, parse_count
from ui.cli.context import CliContext
from ui.cli.output import progress_printer, table


def add_commands(command, commands) -> None:
    """The three transfer commands."""
    p = command(commands, "import-register",
                _("import an existing complaint register from Excel (.xlsx)"), cmd_import)
    p.add_argument("file", metavar="FILE", help=_("the workbook (.xlsx)"))
    p.add_argument("--sheet", metavar="NAME", help=_("the sheet (default: the first)"))
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help=_("map a column (its header, letter or number) to a field, over the "
                          "guessed mapping; FIELD '-' leaves it out. Fields: {fields}").format(
                       fields=", ".join(transfer.FIELDS)))
    p.add_argument("--dry-run", action="store_true",
                   help=_("check every row as the import would, and write nothing"))

    p = command(commands, "export-register", _("write the register you may see as .xlsx"),
                cmd_export)
    p.add_argument("file", metavar="FILE", help=_("the file to write (.xlsx)"))
    p.add_argument("--year", type=parse_count, metavar="YYYY",
                   help=_("only the complaints received in this year"))

    p = command(commands, "migrate-to",
                _("move this office's database to an empty PostgreSQL database (the owner)"),
                cmd_migrate)
    p.add_argument("target", metavar="postgresql://USER@HOST/DB",
                   help=_("the empty target database (a password may come from PGPASSWORD)"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def _report_text(r: transfer.ImportReport) -> str:
    lines = [_("{file}, sheet {sheet}: {rows} rows.").format(file=Path(r.file).name,
                                                            sheet=r.sheet, rows=r.rows)]
    lines.append(_("Mapping: {mapping}").format(mapping="; ".join(
        f"{h} → {f}" for h, f in r.mapping.items())))
    if r.dry_run:
        lines.append(_("Dry run: {ok} rows would be imported, {skipped} were imported before, "
                       "{refused} refused. Nothing was written.").format(
            ok=len(r.imported), skipped=len(r.skipped), refused=len(r.refused)))
    else:
        lines.append(_("Imported {ok} rows, skipped {skipped} imported before, refused "
                       "{refused}.").format(ok=len(r.imported), skipped=len(r.skipped),
                                            refused=len(r.refused)))
    if r.cancelled:
        lines.append(_("Cancelled: the rows above were imported; run again for the rest."))
    if r.refused:
        lines.append("")
        lines.append(table([_("Row"), _("Column"), _("Why refused")],
                           [[str(p.row), p.column, p.message] for p in r.refused]))
    return "\n".join(lines)


def cmd_import(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    sheet = transfer.read_sheet(Path(a.file).expanduser(), a.sheet)
    mapping = transfer.parse_map_options(sheet, a.map, transfer.guess(sheet))
    report = transfer.run_import(sheet.path, actor=actor, sheet=sheet.name, mapping=mapping,
                                 dry_run=a.dry_run, progress=progress_printer())
    data = {"file": report.file, "sheet": report.sheet, "dry_run": report.dry_run,
            "rows": report.rows, "mapping": report.mapping,
            "imported": [{"row": x.row, "original": x.original, "ticket": x.ticket}
                         for x in report.imported],
            "skipped": [{"row": x.row, "original": x.original, "ticket": x.ticket}
                        for x in report.skipped],
            "refused": [{"row": p.row, "column": p.column, "message": p.message}
                        for p in report.refused]}
    s.emit(data, lambda: _report_text(report))
    return 2 if report.refused else 0


def cmd_export(s: CliContext) -> int:
    a = s.args
    target = Path(a.file).expanduser()
    if not target.parent.exists():
        raise UsageError(N_("The folder {path} does not exist."), field="file",
                         path=str(target.parent))
    actor = s.log_in()
    result = transfer.export_register(target, actor=actor, year=a.year,
                                      progress=progress_printer())
    s.emit({"path": result.path, "rows": result.rows},
           lambda: _("Wrote {rows} complaints to {path}.").format(rows=result.rows,
                                                                  path=result.path))
    return 0


def cmd_migrate(s: CliContext) -> int:
    a = s.args
    shown = transfer.redact(a.target)
    actor = s.log_in()
    if not a.yes:
        if not sys.stdin.isatty():
            raise UsageError(N_("Say --yes to move the database to {target}."), field="yes",
                             target=shown)
        answer = input(_("Copy this office's database to {target}? [y/N] ").format(
            target=shown))
        if answer.strip().lower() not in ("y", "yes", "是"):
            return 2
    report = transfer.move_to_postgresql(a.target, actor=actor, progress=progress_printer())
    data = {"target": report.target, "rows": report.rows,
            "tables": [{"table": t.table, "source": t.source, "target": t.target,
                        "checksum_equal": t.checksum_equal} for t in report.tables]}

    def text() -> str:
        rows = [[t.table, str(t.source), str(t.target), _("equal") if t.checksum_equal
                 else _("DIFFERENT")] for t in report.tables]
        return "\n".join([
            table([_("Table"), _("Rows here"), _("Rows copied"), _("Checksum")], rows), "",
            _("Copied {rows} rows to {target} and checked them. Open the program with --db "
              "{target} (on every PC) from now on; this file stays as it was.").format(
                rows=report.rows, target=report.target)])

    s.emit(data, text)
    return 0
