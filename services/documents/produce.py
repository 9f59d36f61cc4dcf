"""Produce a document of a complaint: render it, record it on the timeline, keep the copy
given out (docs/rules.md §8).

The timeline's "document" event says who produced which document, when, in which language and
with which SHA-256. The copy given out is kept in the database (by its hash, like attachments),
so a reprint on any PC of a shared office is byte-for-byte what the complainant was given; a
file copy under ``<data folder>/documents/<ticket>/`` is only for opening it on this PC.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.db import database
from models.entities import AttachmentBlob, Complaint, Event, User
from services import i18n, settings
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.documents.extension_notice import extension_notice
from services.documents.quality_memo import memo
from services.documents.receipt import receipt
from services.documents.reply import reply
from services.documents.transfer_slip import transfer_slip
from services.documents.warranty_card import warranty_card
from services.documents.warranty_claim import warranty_claim
from services.errors import NotFound, ValidationError
from services.firm import setup
from services.i18n import N_, normalize
from services.people import require_visible

# The documents of a complaint, by kind: each builder takes (ticket, *, actor) and returns the
# PDF, called inside ``with language(lang):``. Items 1–4 of docs/rules.md §8 for every
# complaint (KINDS), and the warranty ones of items 5–6 for a complaint that came from a
# warranty claim (WARRANTY_KINDS, the repair-shop profile). render/produce take any of them.
COMPLAINT_BUILDERS = {"receipt": receipt, "transfer_slip": transfer_slip, "reply": reply,
                      "extension_notice": extension_notice}
WARRANTY_BUILDERS = {"memo": memo, "warranty_claim": warranty_claim,
                     "warranty_card": warranty_card}
BUILDERS = {**COMPLAINT_BUILDERS, **WARRANTY_BUILDERS}
KINDS = tuple(COMPLAINT_BUILDERS)
WARRANTY_KINDS = tuple(WARRANTY_BUILDERS)


@dataclass(frozen=True)
class Produced:
    path: Path  # the stored copy
    sha256: str
    kind: str
    language: str
    event_id: int


def documents_folder() -> Path:
    return Path(setup.data_folder()) / "documents"


def stored_path(ticket: str, kind: str, lang: str, sha256: str) -> Path:
    return documents_folder() / ticket / f"{kind}-{lang}-{sha256[:8]}.pdf"


def _language(value: str | None) -> str:
    try:
        return normalize(value or settings.firm_info().document_language)
    except ValueError:
        raise ValidationError(N_("Unknown document language: {language}."), field="language",
                              language=value) from None


def render(kind: str, ticket, *, actor: User, lang: str) -> bytes:
    """The PDF bytes of one document, without recording anything (previews, tests)."""
    if kind not in BUILDERS:
        raise ValidationError(N_("Unknown document: {kind}."), field="kind", kind=kind)
    with i18n.language(lang):
        return BUILDERS[kind](ticket, actor=actor)


def produce(kind: str, ticket, *, actor: User, language: str | None = None,
            out_path: str | os.PathLike | None = None) -> Produced:
    """Render ``kind`` for the complaint ``ticket`` in ``language`` (default: the firm's
    document language), record it and store it; copy it to ``out_path`` if given."""
    lang = _language(language)
    complaint = complaints.find(ticket, actor=actor)  # recusal, confidentiality: docs/rules.md §2
    workflow.check(actor, complaint, "document")  # role, before any file is written
    pdf = render(kind, complaint.ticket, actor=actor, lang=lang)
    sha = hashlib.sha256(pdf).hexdigest()
    path = stored_path(complaint.ticket, kind, lang, sha)
    # The same bytes may already be stored (a reprint-identical produce); anything else under
    # that name (a damaged or changed copy) is replaced by what is handed out now.
    existed = path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha
    if not existed:
        _write_atomically(path, pdf)
    try:
        with database.atomic():  # the kept copy and the timeline event, or neither
            AttachmentBlob.insert(sha256=sha, data=pdf).on_conflict_ignore().execute()
            result = workflow.act(complaint.id, "document", actor=actor, kind=kind,
                                  language=lang, sha256=sha)
    except Exception:
        if not existed:
            path.unlink(missing_ok=True)  # nothing recorded: keep no copy either
        raise
    if out_path is not None:
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
    return Produced(path, sha, kind, lang, result.event_id)


def reprint(event_id: int, *, actor: User) -> bytes:
    """The stored copy of a produced document, checked against the hash on the timeline."""
    event = Event.get_or_none(Event.id == event_id)
    if event is None or event.action != "document":
        raise NotFound(N_("No document was produced with this number."))
    complaint = Complaint.get_by_id(event.complaint_id)
    require_visible(actor, complaint)
    data = event.data or {}
    blob = AttachmentBlob.get_or_none(AttachmentBlob.sha256 == data.get("sha256", ""))
    if blob is None:
        raise NotFound(N_("The stored copy of this document is missing ({path})."),
                       path=data.get("sha256", ""))
    pdf = bytes(blob.data)
    if hashlib.sha256(pdf).hexdigest() != data.get("sha256"):
        raise ValidationError(N_("The stored copy of this document has been changed; it does "
                                 "not match the hash recorded when it was produced."))
    return pdf


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
