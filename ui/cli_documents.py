"""`main.py document KIND --ticket N --out FILE.pdf`: printed documents (SPEC §8).

The document is produced through services.documents, so it is recorded on the complaint's
timeline with its hash, and who may produce it is decided there, as in the window.
"""
from __future__ import annotations

from services.i18n import _
from ui.cli import _lang, fields_block

# The command's names for the documents (issue 6) and the services' kinds.
KINDS = {"receipt": "receipt", "transfer": "transfer_slip", "reply": "reply",
         "extension": "extension_notice"}


def add_commands(command, commands) -> None:
    """Called by ui.cli.build_parser: the `document` command."""
    p = command(commands, "document", _("produce a printed document for a complaint (PDF)"),
                cmd_document)
    p.add_argument("kind", choices=tuple(KINDS), metavar="|".join(KINDS))
    p.add_argument("--ticket", required=True, metavar="NNNNNNNNN", help=_("the ticket number"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("where to save the PDF"))
    p.add_argument("--doc-lang", dest="doc_lang", type=_lang, metavar="zh_CN|en",
                   help=_("the document's language (default: the firm's document language)"))


def cmd_document(s) -> int:
    from services.documents.produce import produce  # ReportLab only when a document is made

    s.open_db(need_firm=True)
    a = s.args
    made = produce(KINDS[a.kind], a.ticket, actor=s.actor(),
                   language=a.doc_lang or s.opt("lang") or None, out_path=a.out)
    data = {"kind": a.kind, "ticket": a.ticket, "language": made.language, "out": a.out,
            "sha256": made.sha256, "event_id": made.event_id}
    s.emit(data, lambda: fields_block([(_("Document"), a.kind), (_("Language"), made.language),
                                       (_("Saved as"), a.out), ("SHA-256", made.sha256)]))
    return 0
