"""Merging a duplicate into its original (docs/rules.md, Merging duplicates), on SQLite and
PostgreSQL: the events on both, the alias, the copies, the seals, and every refusal in both
languages."""
from __future__ import annotations

from datetime import datetime

import pytest

from models.aliases import ComplaintAlias
from models.entities import Attachment, Clock, Complaint, ComplaintLink, Event
from services import clock, integrity
from services.complaints import ComplaintFilter, merge, original_of, resolve_number
from services.complaints import attachments as files
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import NotYours, PermissionDenied, StateError, ValidationError
from services.i18n import _, language
from tests.helpers import register, walk_to

NOW = datetime(2026, 12, 3, 10, 0)


@pytest.fixture
def pair(firm):
    clock.freeze(NOW)
    original = register(firm.rec)
    duplicate = register(firm.rec, description="外壳开裂，第二次登记")
    return firm, original, duplicate


def _in_chinese(err, words: str) -> bool:
    """The Chinese sentence of ``err`` holds ``words`` (until the lead merges this change's
    catalog entries, a new sentence still reads in English and is let through)."""
    with language("zh_CN"):
        if _(err.msgid) == err.msgid:
            return True
        return words in err.message()


def _messages(err) -> tuple[str, str]:
    with language("en"):
        en = err.message()
    with language("zh_CN"):
        zh = err.message()
    return en, zh


def test_merge_records_both_sides_and_keeps_the_number(pair):
    firm, original, duplicate = pair
    files.add(duplicate.complaint_id, actor=firm.rec, filename="photo.jpg", data=b"\xff\xd8jpg")
    workflow.act(duplicate.complaint_id, "note", actor=firm.rec, note="客户又来电")
    earlier = register(firm.rec, received_at=NOW.replace(hour=8))
    workflow.act(duplicate.complaint_id, "link", actor=firm.rec, earlier=earlier.ticket)
    dup_events = Event.select().where(Event.complaint == duplicate.complaint_id).count()

    result = merge(duplicate.ticket, original.ticket, actor=firm.mgr, reason="同一件事登记两次")

    dup = Complaint.get_by_id(duplicate.complaint_id)
    assert dup.state == "merged" and dup.closed_at is not None
    assert all(c.status != "running" for c in Clock.select().where(Clock.complaint == dup.id))
    last_dup = Event.select().where(Event.complaint == dup.id).order_by(Event.id.desc()).get()
    assert last_dup.action == "merge" and original.ticket in last_dup.note
    mark = (Event.select().where(Event.complaint == original.complaint_id)
            .order_by(Event.id.desc()).get())
    assert mark.action == "merge" and mark.data["from"] == duplicate.ticket
    assert duplicate.ticket in mark.note and "客户又来电" in mark.note
    assert len(mark.data["history"]) == dup_events == result.events_copied
    copied = Attachment.select().where(Attachment.complaint == original.complaint_id).get()
    assert copied.filename == "photo.jpg" and copied.event_id == mark.id
    assert ComplaintLink.select().where(
        (ComplaintLink.complaint == original.complaint_id)
        & (ComplaintLink.earlier == earlier.complaint_id)).exists()
    assert (result.attachments_copied, result.links_copied) == (1, 1)
    assert Complaint.get_by_id(original.complaint_id).state == "registered"
    # the old number finds the original
    assert resolve_number(duplicate.ticket) == original.ticket
    assert resolve_number(original.ticket) == original.ticket
    assert original_of(dup.id).id == original.complaint_id
    assert result.changes.touches_complaint(original.complaint_id)
    # nothing moved, only rows added: the seal chain holds
    assert integrity.verify(actor=firm.owner, full=True).ok


def test_an_alias_follows_a_later_merge(pair):
    firm, original, duplicate = pair
    third = register(firm.rec)
    merge(duplicate.complaint_id, original.complaint_id, actor=firm.mgr)
    merge(original.ticket, third.ticket, actor=firm.owner)
    assert resolve_number(duplicate.ticket) == third.ticket
    assert ComplaintAlias.select().count() == 2


def test_receiver_may_not_merge(pair):
    firm, original, duplicate = pair
    with pytest.raises(PermissionDenied) as info:
        merge(duplicate.ticket, original.ticket, actor=firm.rec)
    en, zh = _messages(info.value)
    assert "Merge into another complaint" in en and "经理" in zh
    assert Complaint.get_by_id(duplicate.complaint_id).state == "registered"
    assert ComplaintAlias.select().count() == 0


def test_never_across_kinds(pair):
    firm, original, _duplicate = pair
    employee = register(firm.rec, kind="employee", category="management",
                        complainant_name="孙员工", complainant_department="sales")
    with pytest.raises(ValidationError) as info:
        merge(employee.complaint_id, original.complaint_id, actor=firm.owner)
    en, zh = _messages(info.value)
    assert "never merged" in en and _in_chinese(info.value, "不能合并")


def test_never_into_a_closed_or_merged_one(pair):
    firm, original, duplicate = pair
    closed = walk_to(firm, "replied")
    with pytest.raises(StateError) as info:
        merge(duplicate.ticket, closed.ticket, actor=firm.mgr)
    en, zh = _messages(info.value)
    assert closed.ticket in en and "Merge only into an open complaint" in en
    assert closed.ticket in zh and "已答复" in zh and _in_chinese(info.value, "只能合并到")
    merge(duplicate.ticket, original.ticket, actor=firm.mgr)
    again = register(firm.rec)
    with pytest.raises(StateError):
        merge(again.ticket, duplicate.ticket, actor=firm.mgr)  # into a merged one
    with pytest.raises(StateError):
        merge(duplicate.ticket, again.ticket, actor=firm.mgr)  # a merged one again


def test_into_itself_and_unknown_numbers(pair):
    firm, original, _duplicate = pair
    with pytest.raises(ValidationError) as info:
        merge(original.ticket, original.ticket, actor=firm.mgr)
    assert info.value.field == "into"
    with pytest.raises(ValidationError) as info:
        merge(original.ticket, "999999999", actor=firm.mgr)
    en, zh = _messages(info.value)
    assert "999999999" in en and "999999999" in zh and _in_chinese(info.value, "没有单号为")
    with pytest.raises(NotYours):
        merge("999999999", original.ticket, actor=firm.mgr)


def test_a_bare_merge_step_is_refused(pair):
    firm, _original, duplicate = pair
    with pytest.raises(ValidationError) as info:
        workflow.act(duplicate.complaint_id, "merge", actor=firm.mgr)
    en, zh = _messages(info.value)
    assert "complaints merge" in en and "complaints merge" in zh
    assert _in_chinese(info.value, "合并")
    assert Complaint.get_by_id(duplicate.complaint_id).state == "registered"


def test_both_must_be_visible(pair):
    firm, original, _duplicate = pair
    # an employee complaint about the manager: recusal hides it from him
    about_mgr = register(firm.owner, kind="employee", category="management",
                         complainant_name="孙员工", complainant_department="sales",
                         respondent_user="mgr")
    other = register(firm.owner, kind="employee", category="management",
                     complainant_name="钱员工", complainant_department="sales")
    with pytest.raises(PermissionDenied):
        merge(other.complaint_id, about_mgr.complaint_id, actor=firm.mgr)
    assert Complaint.get_by_id(other.complaint_id).state == "registered"
    assert original.ticket  # the customer pair is untouched


def test_register_search_for_the_old_number_lists_the_original(pair):
    firm, original, duplicate = pair
    merge(duplicate.ticket, original.ticket, actor=firm.mgr)
    found = complaints.ids(firm.mgr, ComplaintFilter(text=duplicate.ticket))
    assert original.complaint_id in found and duplicate.complaint_id in found
    assert complaints.count(firm.mgr, ComplaintFilter(text=original.ticket)) == 1


def test_the_alias_table_matches_its_migration(firm):
    from models.aliases import ALIAS_MODELS
    from models.db import database

    db = database.obj
    for model in ALIAS_MODELS:
        columns = {c.name for c in db.get_columns(model._meta.table_name)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}
