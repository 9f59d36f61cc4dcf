"""Firm settings, categories, rules, staff and attachments through the services (rules.md §1–§3)."""
from __future__ import annotations

import hashlib

import pytest

from services import settings
from services.complaints import attachments
from services.errors import PermissionDenied, ValidationError
from services.people import users
from tests.helpers import register


def test_update_firm_owner_only(firm):
    info = settings.update_firm(actor=firm.owner, name="新名字", approval_required=True,
                                office_start="08:30", office_end="17:00")
    assert info.name == "新名字" and info.approval_required and info.office_start == "08:30"
    with pytest.raises(PermissionDenied):
        settings.update_firm(actor=firm.mgr, name="x")
    with pytest.raises(ValidationError) as err:
        settings.update_firm(actor=firm.owner, name="x", office_start="18:00",
                             office_end="09:00")
    assert err.value.field == "office_end"
    with pytest.raises(ValidationError) as err:
        settings.update_firm(actor=firm.owner, name="x", office_start="9am")
    assert err.value.field == "office_start"


def test_categories_are_added_and_deactivated_never_deleted(firm):
    settings.save_category(actor=firm.mgr, code="delivery", name_zh="配送", name_en="Delivery")
    assert "delivery" in [c.code for c in settings.categories()]
    settings.save_category(actor=firm.mgr, code="delivery", name_zh="配送", name_en="Delivery",
                           active=False)
    assert "delivery" not in [c.code for c in settings.categories()]
    assert "delivery" in [c.code for c in settings.categories(include_inactive=True)]
    with pytest.raises(PermissionDenied):
        settings.save_category(actor=firm.rec, code="x", name_zh="x", name_en="x")
    with pytest.raises(ValidationError):
        settings.save_category(actor=firm.mgr, code="Bad Code", name_zh="x", name_en="x")


def test_rule_edit_keeps_running_clocks(firm):
    from models.entities import Clock

    r = register(firm.rec)
    before = Clock.get(Clock.complaint == r.complaint_id).due_at
    rule = next(x for x in settings.rules() if x.code == "transfer_30m")
    settings.save_rule(actor=firm.owner, code=rule.code, name_zh=rule.name_zh,
                       name_en=rule.name_en, start_on=rule.start_on, stop_on=rule.stop_on,
                       length=45, unit="minutes", kind=rule.kind)
    assert next(x for x in settings.rules() if x.code == "transfer_30m").length == 45
    assert Clock.get(Clock.complaint == r.complaint_id).due_at == before
    with pytest.raises(ValidationError) as err:
        settings.save_rule(actor=firm.owner, code="x", name_zh="x", name_en="x",
                           start_on="register", stop_on="fly", length=1, unit="hours")
    assert err.value.field == "stop_on"
    with pytest.raises(ValidationError):
        settings.save_rule(actor=firm.owner, code="x", name_zh="x", name_en="x",
                           start_on="register", stop_on="reply", length=0, unit="hours")


def _save_bank_like_rule(firm, **extra):
    values = dict(actor=firm.owner, code="resolve_15d", name_zh="15日内办结",
                  name_en="Resolve within 15 days", start_on="register", stop_on="reply",
                  length=15, unit="days", max_total=60)
    values.update(extra)
    return settings.save_rule(**values)


def test_rule_saves_the_senior_step_the_workday_roll_and_its_category(firm):
    rule = _save_bank_like_rule(firm, senior_above=30, roll_to_workday=False,
                                category="product_quality")
    assert (rule.senior_above, rule.roll_to_workday, rule.category) == (
        30, False, "product_quality")
    again = next(r for r in settings.rules() if r.code == "resolve_15d")
    assert (again.senior_above, again.roll_to_workday, again.category) == (
        30, False, "product_quality")
    # left out: no senior step, the roll on, every category
    rule = _save_bank_like_rule(firm)
    assert (rule.senior_above, rule.roll_to_workday, rule.category) == (None, True, "")
    # the step may equal either end
    assert _save_bank_like_rule(firm, senior_above=15).senior_above == 15
    assert _save_bank_like_rule(firm, senior_above="60").senior_above == 60


@pytest.mark.parametrize(("extra", "field"), [
    ({"category": "no_such_category"}, "category"),
    ({"senior_above": 10}, "senior_above"),  # shorter than the limit
    ({"senior_above": 61}, "senior_above"),  # past the longest extension
    ({"senior_above": "thirty"}, "senior_above"),
])
def test_rule_refuses_an_unknown_category_and_a_senior_step_outside_the_limit(firm, extra,
                                                                             field):
    with pytest.raises(ValidationError) as err:
        _save_bank_like_rule(firm, **extra)
    assert err.value.field == field
    assert "resolve_15d" not in [r.code for r in settings.rules()]


def test_senior_step_without_a_longest_extension_is_bounded_by_the_limit_only(firm):
    rule = _save_bank_like_rule(firm, max_total=None, senior_above=40)
    assert (rule.max_total, rule.senior_above) == (None, 40)


def test_staff(firm):
    users.create_user(login="new1", name="新人", password="secret1", roles="receiver,handler",
                      department="sales", actor=firm.owner)
    info = settings.update_user(actor=firm.owner, login="new1", roles=["handler"], active=False)
    assert info.roles == ("handler",) and not info.active
    with pytest.raises(PermissionDenied):
        users.create_user(login="x1", name="x", password="secret1", roles="owner",
                          actor=firm.mgr)
    with pytest.raises(ValidationError):  # the last owner stays
        settings.update_user(actor=firm.owner, login="owner", roles=["manager"])
    with pytest.raises(ValidationError):
        users.create_user(login="han", name="dup", password="secret1", roles="handler",
                          actor=firm.owner)
    settings.reset_password(actor=firm.owner, login="han", password="another1")
    assert users.authenticate("han", "another1").login == "han"
    with pytest.raises(PermissionDenied):
        users.authenticate("han", "secret1")


def test_attachments_kept_unchanged_and_confidential(firm, tmp_path):
    r = register(firm.rec)
    data = bytes(range(256)) * 100
    path = tmp_path / "照片.jpg"
    path.write_bytes(data)
    stored = attachments.add_file(r.complaint_id, path, actor=firm.rec)
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    meta, back = attachments.read(stored.id, actor=firm.rec)
    assert back == data and meta.mime == "image/jpeg"
    with pytest.raises(PermissionDenied):
        attachments.read(stored.id, actor=firm.han2)
    out = attachments.export_to(stored.id, tmp_path / "open", actor=firm.rec)
    assert out.read_bytes() == data
    with pytest.raises(ValidationError):
        attachments.add(r.complaint_id, actor=firm.rec, filename="empty.txt", data=b"")
    from services.complaints import detail

    d = detail(r.ticket, actor=firm.rec)
    assert [a.filename for a in d.attachments] == ["照片.jpg"]
    assert d.events[0].action == "attach" and d.events[0].data["sha256"] == stored.sha256


def test_time_limit_command_sets_the_senior_step_the_workday_roll_and_the_category(
        sqlite_firm, capsys, monkeypatch):
    import json

    from tests.conftest import PASSWORD
    from ui import cli

    monkeypatch.setenv(cli.ENV_USER, "owner")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)

    def run(*argv: str) -> dict:
        capsys.readouterr()
        assert cli.main([*argv, "--db", sqlite_firm.location, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    made = run("time-limit", "decision_15d", "--name-zh", "15日内作出处理决定", "--name-en",
               "Decision within 15 days", "--start", "register", "--stop", "decide",
               "--limit", "15 days", "--kind", "customer", "--max-total", "60",
               "--senior-above", "30", "--roll", "no", "--category", "product_quality")
    assert (made["length"], made["unit"], made["max_total"], made["senior_above"],
            made["roll_to_workday"], made["category"]) == (15, "days", 60, 30, False,
                                                           "product_quality")
    # what is left out stays as it is; "none" and "any" clear
    changed = run("time-limit", "decision_15d", "--senior-above", "none", "--category", "any",
                  "--roll", "yes")
    assert (changed["senior_above"], changed["category"], changed["roll_to_workday"],
            changed["max_total"], changed["name_en"]) == (None, "", True, 60,
                                                          "Decision within 15 days")
    capsys.readouterr()
    assert cli.main(["time-limit", "decision_15d", "--category", "nowhere", "--db",
                     sqlite_firm.location]) == 2
