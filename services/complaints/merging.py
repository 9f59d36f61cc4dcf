"""Merging a duplicate into its original (docs/rules.md, Merging duplicates).

The same matter registered twice (from the register and again from the warranty screen, or by
two receivers) is merged: the duplicate takes the path's ``merge`` step (its roles and states
are the table's, path.py) and ends in the state "merged"; its number becomes an alias of the
original, so opening or searching it finds the original. The timeline rows are append-only
and sealed (docs/design.md, Tamper evidence), so nothing is moved: the original gets one
"merge" event holding a copy of the duplicate's timeline ("merged history"), its attachments
are recorded again on that event (the stored file is shared, by its SHA-256), its links are
recorded again on the original, and a warranty claim moves to the original. The seal chain
stays valid because only new rows are written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from models.aliases import ComplaintAlias
from models.db import database
from models.entities import Attachment, Complaint, ComplaintLink, Event, User
from models.warranty import WarrantyClaim
from services import clock
from services.changes import Changes
from services.complaints.path import (
    ACTION_NAMES,
    CLOSED_STATES,
    STATE_NAMES,
    _load_for_update,
    act,
    fired_changes,
    load,
    load_people,
    refusal,
)
from services.errors import NotYours, StateError, ValidationError, tr_param
from services.i18n import N_, _, language
from services.people import grant
from services.timelimits import clocks as timelimits
from services.validation import clean_text

# how many alias hops are followed (an original merged in its turn into another)
_MAX_HOPS = 20
# each copied timeline line keeps this much of its note
_NOTE_CHARS = 300


@dataclass(frozen=True)
class MergeResult:
    """A duplicate merged into its original: what was copied across."""
    duplicate_id: int
    duplicate_ticket: str
    original_id: int
    original_ticket: str
    events_copied: int
    attachments_copied: int
    links_copied: int
    claim_moved: bool
    reported: Changes = field(default_factory=Changes)

    @property
    def changes(self) -> Changes:
        return (Changes.of_complaint(self.duplicate_id) | Changes.of_complaint(self.original_id)
                | Changes(warranty=self.claim_moved) | self.reported)


def _by_key(key) -> Complaint | None:
    if isinstance(key, int):
        return Complaint.get_or_none(Complaint.id == key)
    text = str(key or "").strip()
    c = Complaint.get_or_none(Complaint.ticket == text)
    if c is None and text.isdigit() and len(text) < 9:
        c = Complaint.get_or_none(Complaint.id == int(text))
    return c


def original_of(complaint_id: int) -> Complaint | None:
    """The complaint a merged duplicate now lives on (following later merges), or None."""
    seen, current = set(), complaint_id
    found = None
    for _hop in range(_MAX_HOPS):
        alias = ComplaintAlias.get_or_none(ComplaintAlias.duplicate == current)
        if alias is None or alias.complaint_id in seen:
            break
        seen.add(alias.complaint_id)
        current = alias.complaint_id
        found = current
    return Complaint.get_or_none(Complaint.id == found) if found is not None else None


def resolve_number(text: str) -> str:
    """The ticket number to open for ``text``: a merged duplicate's number gives its
    original's (after every later merge); anything else comes back unchanged."""
    key = str(text or "").strip()
    alias = ComplaintAlias.get_or_none(ComplaintAlias.ticket == key)
    if alias is None:
        return key
    original = original_of(alias.duplicate_id)
    return original.ticket if original is not None else key


def alias_targets(text: str):
    """A query of the ids of the originals that ``text`` (a merged duplicate's whole number)
    stands for, for the register's search to add to its matches; None when ``text`` is no
    merged duplicate's number (nearly always: the search then has no OR for the database's
    planner to walk the whole register over)."""
    key = str(text or "").strip()
    resolved = resolve_number(key)
    if resolved == key:
        return None
    return Complaint.select(Complaint.id).where(
        (Complaint.ticket == resolved) & (Complaint.ticket != key))


def _check_pair(dup_ctx, orig_ctx, actor: User) -> None:
    dup, orig = dup_ctx.complaint, orig_ctx.complaint
    # rules.md §2: either one hidden from the actor is told of as missing
    for ctx in (dup_ctx, orig_ctx):
        err = refusal(ctx, actor, "document")
        if err is not None and err.params.get("rule") in ("recusal", "confidential"):
            raise err
    if dup.id == orig.id:
        raise ValidationError(N_("A complaint cannot be merged into itself."), field="into")
    if dup.kind != orig.kind:
        raise ValidationError(N_("A customer complaint and an employee complaint are never "
                                 "merged."), field="into", rule="merge_kind")
    if orig.state in CLOSED_STATES:
        raise StateError(N_("Merge only into an open complaint: {ticket} is {state}."),
                         field="into", ticket=orig.ticket,
                         state=tr_param(STATE_NAMES[orig.state]), rule="merge_into_closed")
    if (WarrantyClaim.select().where(WarrantyClaim.complaint == dup.id).exists()
            and WarrantyClaim.select().where(WarrantyClaim.complaint == orig.id).exists()):
        raise StateError(N_("Both complaints are warranty claims: decide each claim on its "
                            "own instead of merging."), field="into", rule="merge_two_claims")


def _history(events: list[Event], names: dict[int, str]) -> list[dict]:
    return [{"id": e.id, "action": e.action, "from": e.from_state, "to": e.to_state,
             "actor": names.get(e.actor_id, "?"), "at": e.at.isoformat(timespec="minutes"),
             "note": e.note[:_NOTE_CHARS]} for e in events]


def _history_text(header: str, rows: list[dict]) -> str:
    lines = [header]
    for r in rows:
        action = r["action"]
        name = _(ACTION_NAMES[action]) if action in ACTION_NAMES else action
        line = f"{r['at'].replace('T', ' ')} · {name} · {r['actor']}"
        if r["note"]:
            line += ": " + r["note"].replace("\n", " ")
        lines.append(line)
    return "\n".join(lines)


def _copy_links(dup: Complaint, orig: Complaint, actor: User, at) -> int:
    copied = 0

    def add(complaint_id: int, earlier_id: int, kind: str) -> None:
        nonlocal copied
        if complaint_id == earlier_id or ComplaintLink.select().where(
                (ComplaintLink.complaint == complaint_id) & (ComplaintLink.earlier == earlier_id)
                & (ComplaintLink.kind == kind)).exists():
            return
        ComplaintLink.create(complaint=complaint_id, earlier=earlier_id, kind=kind,
                             linked_by=actor.id, linked_at=at)
        copied += 1

    for link in ComplaintLink.select().where(ComplaintLink.complaint == dup.id):
        add(orig.id, link.earlier_id, link.kind)
    for link in ComplaintLink.select().where(ComplaintLink.earlier == dup.id):
        add(link.complaint_id, orig.id, link.kind)
    return copied


def merge(duplicate_key, original_key, *, actor: User, reason: str = "") -> MergeResult:
    """Merge the complaint ``duplicate_key`` into ``original_key`` (ids, or ticket numbers as
    text): one transaction. Refused unless the actor may take the path's ``merge`` step on
    the duplicate and sees both, both are of the same kind, and the original is open."""
    reason = clean_text(reason, field="reason", label=N_("Reason"), max_length=1000,
                        required=False)
    dup_row, orig_row = _by_key(duplicate_key), _by_key(original_key)
    if dup_row is None:
        raise NotYours(str(duplicate_key), rule="missing")
    if orig_row is None:
        raise ValidationError(N_("No complaint {ticket}."), field="into",
                              ticket=str(original_key).strip())
    now = clock.now()
    with database.atomic():
        # two PCs merging the same duplicate: the second waits here, then finds it merged
        _load_for_update(dup_row.id)
        dup_ctx, orig_ctx = load(dup_row.id, actor), load(orig_row.id, actor)
        _check_pair(dup_ctx, orig_ctx, actor)
        err = refusal(dup_ctx, actor, "merge")
        if err is not None:
            raise err
        dup, orig = dup_ctx.complaint, orig_ctx.complaint
        ComplaintAlias.create(ticket=dup.ticket, duplicate=dup.id, complaint=orig.id,
                              merged_by=actor.id, merged_at=now)
        names = {p.id: p.name for p in load_people().values()}
        history = _history(dup_ctx.events, names)
        with language(dup_ctx.firm.language):  # the record is written in the firm's language
            into_note = _("Merged into {ticket}.").format(ticket=orig.ticket)
            header = _("Merged from {ticket}.").format(ticket=dup.ticket)
            if reason:
                into_note += " " + _("Reason: {reason}").format(reason=reason)
                header += " " + _("Reason: {reason}").format(reason=reason)
            header += "\n" + _("Its timeline:")
            from_note = _history_text(header, history)
        # the duplicate's step, as the path table says (roles, states, version, seal, hooks)
        step = act(dup.id, "merge", actor=actor, note=into_note, at=now, into=orig.ticket)
        closed = Complaint.get_by_id(dup.id)
        timelimits.stop_all(closed, at=now)
        closed.save()
        # the original: one event with the copied history
        event = Event.create(complaint=orig.id, action="merge", from_state=orig.state,
                             to_state=orig.state, actor=actor.id, at=now, recorded_at=now,
                             note=from_note,
                             data={"from": dup.ticket, "from_id": dup.id, "reason": reason,
                                   "history": history})
        attachments = list(Attachment.select().where(Attachment.complaint == dup.id)
                           .order_by(Attachment.id))
        for a in attachments:
            Attachment.create(complaint=orig.id, event=event.id, filename=a.filename,
                              size=a.size, sha256=a.sha256, mime=a.mime,
                              added_by=a.added_by_id, added_at=a.added_at)
        links = _copy_links(dup, orig, actor, now)
        moved = WarrantyClaim.update(complaint=orig.id).where(
            WarrantyClaim.complaint == dup.id).execute() > 0
        Complaint.update(updated_at=now).where(Complaint.id == orig.id).execute()
        grant(orig, actor, "acted")
        reported = step.reported | fired_changes(Complaint.get_by_id(orig.id), event)
    return MergeResult(dup.id, dup.ticket, orig.id, orig.ticket, len(history), len(attachments),
                       links, moved, reported=reported)

