"""Attachments (原件): scanned letters, photos, recordings, kept unchanged (rules.md §3)."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import services.complaints.path as workflow
from models.db import database
from models.entities import Attachment, AttachmentBlob, Complaint
from services import clock
from services.errors import NotFound, ValidationError
from services.i18n import N_
from services.people import require_visible

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    id: int
    filename: str
    size: int
    sha256: str
    mime: str


def add(complaint_id: int, *, actor, filename: str, data: bytes, note: str = "") -> StoredFile:
    """Store a file with its SHA-256 and record it on the timeline, in one transaction."""
    name = Path(filename or "").name.strip()
    if not name:
        raise ValidationError(N_("Choose a file to attach."), field="file")
    if len(name) > 255:
        raise ValidationError(N_("The file name is too long."), field="file")
    if not data:
        raise ValidationError(N_("The file {name} is empty."), field="file", name=name)
    if len(data) > MAX_BYTES:
        raise ValidationError(N_("The file {name} is larger than {mb} MB."), field="file",
                              name=name, mb=MAX_BYTES // (1024 * 1024))
    digest = hashlib.sha256(data).hexdigest()
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with database.atomic():
        AttachmentBlob.insert(sha256=digest, data=data).on_conflict_ignore().execute()
        result = workflow.act(complaint_id, "attach", actor=actor, note=note,
                              attachment={"filename": name, "size": len(data), "sha256": digest})
        row = Attachment.create(complaint=complaint_id, event=result.event_id, filename=name,
                                size=len(data), sha256=digest, mime=mime, added_by=actor.id,
                                added_at=clock.now())
    return StoredFile(row.id, name, len(data), digest, mime)


def add_file(complaint_id: int, path: str | Path, *, actor, note: str = "") -> StoredFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(N_("Cannot read {name}: {reason}"), field="file", name=path.name,
                              reason=exc.strerror or str(exc)) from None
    return add(complaint_id, actor=actor, filename=path.name, data=data, note=note)


def read(attachment_id: int, *, actor) -> tuple[StoredFile, bytes]:
    """The file exactly as stored; its hash is checked so a damaged copy is never shown."""
    row = Attachment.get_or_none(Attachment.id == attachment_id)
    if row is None:
        raise NotFound(N_("No such attachment."))
    require_visible(actor, Complaint.get_by_id(row.complaint_id))
    blob = AttachmentBlob.get_or_none(AttachmentBlob.sha256 == row.sha256)
    data = bytes(blob.data) if blob else b""
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise ValidationError(N_("The stored copy of {name} is damaged (hash mismatch)."),
                              field="file", name=row.filename)
    return StoredFile(row.id, row.filename, row.size, row.sha256, row.mime), data


def export_to(attachment_id: int, folder: str | Path, *, actor) -> Path:
    """Write the file to a folder (to open it with the system's viewer); returns the path."""
    meta, data = read(attachment_id, actor=actor)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{meta.sha256[:8]}-{meta.filename}"
    if not target.exists() or hashlib.sha256(target.read_bytes()).hexdigest() != meta.sha256:
        target.write_bytes(data)
    return target
