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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.db import database
from models.entities import AttachmentBlob, Complaint, Event, User
from services import i18n, settings
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.documents.extension_notice import extension_notice
from services.documents.names import file_name
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
    out: Path | None = None  # the copy saved where the caller asked (a file in that folder)


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
    document language), record it and store it; save a copy at ``out_path`` if given (a file,
    or an existing folder to save it in under a name of its own).

    Nothing is recorded before every step that can fail has been tried (docs/design.md, When
    something fails): the copy is first written under a temporary name in the target folder
    (a missing or read-only folder is refused here, with nothing recorded), then the event is
    recorded and, as the transaction's last step, the copy takes its name."""
    lang = _language(language)
    complaint = complaints.find(ticket, actor=actor)  # recusal, confidentiality: docs/rules.md §2
    workflow.check(actor, complaint, "document")  # role, before any file is written
    pdf = render(kind, complaint.ticket, actor=actor, lang=lang)
    sha = hashlib.sha256(pdf).hexdigest()
    out = out_tmp = None
    if out_path is not None:
        out = out_target(out_path, file_name(kind, complaint.ticket, lang))
        out_tmp = write_temporary(out, pdf)
    path = stored_path(complaint.ticket, kind, lang, sha)
    placed = False
    # The same bytes may already be stored (a reprint-identical produce); anything else under
    # that name (a damaged or changed copy) is replaced by what is handed out now.
    existed = path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha
    try:
        if not existed:
            _write_atomically(path, pdf)
        with database.atomic():  # the kept copy and the timeline event, or neither
            AttachmentBlob.insert(sha256=sha, data=pdf).on_conflict_ignore().execute()
            result = workflow.act(complaint.id, "document", actor=actor, kind=kind,
                                  language=lang, sha256=sha)
            if out_tmp is not None:
                os.replace(out_tmp, out)  # the last step before the commit
                placed = True
    except BaseException:
        if out_tmp is not None:
            out_tmp.unlink(missing_ok=True)
        if placed:
            out.unlink(missing_ok=True)  # recorded nothing: give nothing out either
        if not existed:
            path.unlink(missing_ok=True)  # nothing recorded: keep no copy either
        raise
    return Produced(path, sha, kind, lang, result.event_id, out)


def out_target(out_path: str | os.PathLike, default_name: str) -> Path:
    """Where a copy asked for at ``out_path`` goes: that file, or ``default_name`` in that
    folder when it is an existing folder (or ends with a separator). The folder must exist and
    be writable; otherwise a ValidationError says which and why."""
    text = os.fspath(out_path)
    target = Path(text).expanduser()
    if target.is_dir() or text.endswith(("/", os.sep)):
        target = target / default_name
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(N_("The folder {folder} does not exist. Nothing was saved or "
                                 "recorded; create it or choose another."), field="out",
                              folder=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValidationError(N_("The folder {folder} cannot be written to. Nothing was saved "
                                 "or recorded; choose another."), field="out", folder=str(folder))
    return target


def write_temporary(target: Path, data: bytes) -> Path:
    """``data`` written and synced under a temporary name beside ``target``, to be renamed to
    it (os.replace) once everything else has succeeded."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-",
                                   suffix=".tmp")
    except OSError as exc:
        raise ValidationError(N_("The file could not be saved in {folder} ({reason}). Nothing was "
                                 "saved or recorded."), field="out", folder=str(target.parent),
                              reason=exc.strerror or type(exc).__name__) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError(N_("The file could not be saved in {folder} ({reason}). Nothing was "
                                 "saved or recorded."), field="out", folder=str(target.parent),
                              reason=exc.strerror or type(exc).__name__) from exc
    return Path(tmp)


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
