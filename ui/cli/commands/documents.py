"""`main.py document KIND --ticket N --out FILE.pdf|FOLDER`: printed documents (docs/rules.md,
documents).

A complaint's document is produced through ``services.documents``, so it is recorded on the
complaint's timeline with its hash, and who may produce it is decided there, as in the window.
The penalty notice (``--entry ID``) and a month's ledger (``--month YYYY-MM``) belong to no
complaint: they are rendered and saved, and the penalty services decide who may see them.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from services import penalties, settings
from services.complaints import register as complaints
from services.i18n import N_, _, normalize
from ui.cli.args import UsageError, parse_count, parse_language
from ui.cli.context import CliContext
from ui.cli.output import fields_block

# The command's names for the documents and the services' kinds.
KINDS = {"receipt": "receipt", "transfer": "transfer_slip", "reply": "reply",
         "extension": "extension_notice", "memo": "memo", "warranty-claim": "warranty_claim",
         "warranty-card": "warranty_card"}
# Not about one complaint: what each needs instead of --ticket.
LEDGER_KINDS = {"penalty-notice": "entry", "penalty-ledger": "month"}


def add_commands(command, commands) -> None:
    """The `document` command."""
    p = command(commands, "document", _("produce a printed document for a complaint (PDF)"),
                cmd_document)
    names = (*KINDS, *LEDGER_KINDS)
    p.add_argument("kind", choices=names, metavar="|".join(names))
    p.add_argument("--ticket", metavar="NNNNNNNNN", help=_("the ticket number"))
    p.add_argument("--entry", type=parse_count, metavar="ID",
                   help=_("the ledger entry (penalty-notice)"))
    p.add_argument("--month", metavar="YYYY-MM", help=_("the month (penalty-ledger)"))
    p.add_argument("--out", required=True, metavar="FILE.pdf|FOLDER",
                   help=_("where to save the PDF: a file, or an existing folder"))
    p.add_argument("--doc-lang", dest="doc_lang", type=parse_language, metavar="zh_CN|en",
                   help=_("the document's language (default: the firm's document language)"))


def _needs(a, option: str) -> None:
    if getattr(a, option) in (None, ""):
        raise UsageError(N_("The document {kind} needs --{option}."), field=option,
                         kind=a.kind, option=option)


def cmd_document(s: CliContext) -> int:
    s.open_db(need_firm=True)
    a = s.args
    if a.kind in LEDGER_KINDS:
        return _ledger_document(s)
    _needs(a, "ticket")
    # lazy: the PDF modules load only when a document is made (CLI start-up stays fast)
    from services import documents

    # The file is written before anything is recorded: a missing or read-only folder records
    # nothing (docs/design.md, When something fails).
    made = documents.produce(KINDS[a.kind], a.ticket, actor=s.actor(),
                             language=a.doc_lang or s.opt("lang") or None, out_path=a.out)
    data = {"kind": a.kind, "ticket": a.ticket, "language": made.language,
            "out": str(made.out), "sha256": made.sha256, "event_id": made.event_id}
    s.emit(data, lambda: fields_block([(_("Document"), a.kind), (_("Language"), made.language),
                                       (_("Saved as"), str(made.out)), ("SHA-256", made.sha256)]))
    return 0


def _save(pdf: bytes, out: str, default_name: str) -> Path:
    """``pdf`` saved at ``out`` (a file, or an existing folder to save ``default_name`` in):
    written under a temporary name in that folder, then renamed, so a failure leaves no
    half-written file."""
    target = Path(out).expanduser()
    if target.is_dir() or out.endswith(("/", os.sep)):
        target = target / default_name
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(N_("The folder {folder} does not exist. Nothing was saved or "
                            "recorded; create it or choose another."), field="out",
                         folder=str(folder))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise UsageError(N_("The file could not be saved in {folder} ({reason}). Nothing was "
                            "saved or recorded."), field="out", folder=str(folder),
                         reason=exc.strerror or type(exc).__name__) from exc
    return target


def _entry_of_ticket(s: CliContext, ticket: str) -> int:
    """The penalty entry linked to a complaint, when there is exactly one."""
    complaint = complaints.find(ticket, actor=s.actor())
    found = penalties.ids(s.actor(), penalties.LedgerFilter(complaint_id=complaint.id))
    if len(found) != 1:
        raise UsageError(N_("Complaint {ticket} has {count} ledger entries; name one with "
                            "--entry."), field="entry", ticket=ticket, count=len(found))
    return found[0]


def _ledger_document(s: CliContext) -> int:
    # lazy: the PDF modules load only when a document is made (CLI start-up stays fast)
    from services import documents

    a = s.args
    option = LEDGER_KINDS[a.kind]
    if a.kind == "penalty-notice" and not a.entry and a.ticket:
        a.entry = _entry_of_ticket(s, a.ticket)  # `document penalty-notice --ticket N`
    _needs(a, option)
    lang = normalize(a.doc_lang or s.opt("lang") or settings.firm_info().document_language)
    if a.kind == "penalty-notice":
        pdf = documents.render_penalty_notice(a.entry, actor=s.actor(), lang=lang)
    else:
        pdf = documents.render_month_ledger(a.month, actor=s.actor(), lang=lang)
    out = _save(pdf, a.out, documents.file_name(
        "penalty_notice" if a.kind == "penalty-notice" else "month_ledger",
        getattr(a, option), lang))
    sha = hashlib.sha256(pdf).hexdigest()
    data = {"kind": a.kind, option: getattr(a, option), "language": lang, "out": str(out),
            "sha256": sha}
    s.emit(data, lambda: fields_block([(_("Document"), a.kind), (_("Language"), lang),
                                       (_("Saved as"), str(out)), ("SHA-256", sha)]))
    return 0
