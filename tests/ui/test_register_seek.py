"""A jump into the middle of a long register starts from the worker's seek marks (docs/design.md,
"The register at a million"): the rows shown are those of the plain order, and the jump reads
from the nearest mark rather than skipping every row before it."""
from __future__ import annotations

import pytest

from services.complaints import register as complaints
from tests.services.test_keyset_paging import N, _fill
from ui.register.model import RegisterModel

pytestmark = pytest.mark.usefixtures("english")


def test_a_jump_into_the_middle_reads_from_the_nearest_seek_mark(firm, session_for,
                                                                   monkeypatch):
    monkeypatch.setattr(RegisterModel, "page_size", 20)
    monkeypatch.setattr(RegisterModel, "seek_marks_from", 100)
    monkeypatch.setattr(complaints, "SEEK_EVERY", 50)  # the marks the model asks for
    _fill(firm)
    expected = complaints.ids(firm.owner)
    asked = []
    plain = complaints.page_at

    def page_at(*args, **kwargs):
        asked.append(kwargs.get("marks"))
        return plain(*args, **kwargs)

    monkeypatch.setattr(complaints, "page_at", page_at)
    model = RegisterModel(session_for(firm))
    model.reset()
    assert model.total_is_exact and model.total == len(expected) == N + 3
    assert model._marks and len(model._marks) == -(-len(expected) // 50)
    for row in (len(expected) // 2, 777, 1234):
        assert model.item_id(row) == expected[row]
    assert asked and all(marks for marks in asked)  # every jump started from a mark
    model.sort(1, model.sort_order())  # a new order: its own marks
    assert model._marks and model.item_id(900) == complaints.ids(
        firm.owner, sort=model.sort_key, descending=model.descending)[900]
