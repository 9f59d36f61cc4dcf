"""The profiles' time-limit presets of docs/rules.md §5 that come from the rulebooks' smaller
clauses: each preset as a new firm gets it, one test per rule, and a few run on a complaint
(SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models.entities import Category, Clock, DeadlineRule
from services import clock, settings
from services.complaints import path as workflow
from services.firm import profiles
from services.firm.profiles import CATEGORIES, DEPARTMENTS, PROFILES, RULES
from tests.helpers import register

NOW = datetime(2026, 3, 10, 10, 0)  # a Tuesday


def _rule(code: str) -> DeadlineRule:
    return DeadlineRule.get(DeadlineRule.code == code)


def _row(code: str) -> tuple:
    r = _rule(code)
    return (r.start_on, r.stop_on, r.length, r.unit, r.kind, r.severity, r.category, r.active)


def _clocks(complaint_id: int) -> dict[str, Clock]:
    return {k.rule.code: k for k in Clock.select().where(Clock.complaint == complaint_id)}


# --- every preset is usable ------------------------------------------------------------------


def test_every_preset_names_steps_of_the_path_and_a_known_category():
    for profile in PROFILES:
        categories = {c.code for c in CATEGORIES[profile]}
        for r in RULES[profile]:
            for step in r.start_on.split(",") + r.stop_on.split(","):
                assert step in settings.TRIGGERS, (profile, r.code, step)
            assert r.category in categories | {""}, (profile, r.code)
            assert len(r.name_zh) <= 100 and len(r.code) <= 40
        codes = [r.code for r in RULES[profile]]
        assert len(codes) == len(set(codes)), profile


# --- repair shop ------------------------------------------------------------------------------


def test_visit_after_delivery_2d(firm_factory):
    """furniture-maker rulebook 4.4 1): the visit on the 2nd day after delivery."""
    firm_factory("repair-shop")
    assert _row("visit_after_delivery_2d") == (
        "deliver", "visit", 2, "days", "customer", "any", "", True)
    assert _rule("visit_after_delivery_2d").name_zh == "返修产品交货期第2天回访客户"


# --- company ----------------------------------------------------------------------------------


def test_data_20m_replaces_handler_30m_for_manufacturing_data(firm_factory):
    """company rulebook 5.2.4: 20 minutes for the manufacturing centre's data."""
    f = firm_factory("company")
    category = Category.get(Category.code == "manufacturing_data")
    assert (category.name_zh, category.kind, category.active) == ("制造数据查询", "customer", True)
    data, general = _rule("data_20m"), _rule("handler_30m")
    assert _row("data_20m") == ("transfer", "decide,escalate", 20, "minutes", "customer",
                                "any", "manufacturing_data", True)
    assert (data.start_on, data.stop_on) == (general.start_on, general.stop_on)
    clock.freeze(NOW)
    r = register(f.rec, category="manufacturing_data")
    workflow.act(r.complaint_id, "acknowledge", actor=f.rec)
    workflow.act(r.complaint_id, "transfer", actor=f.rec, to="han")
    clocks = _clocks(r.complaint_id)
    assert "handler_30m" not in clocks
    assert clocks["data_20m"].due_at == NOW + timedelta(minutes=20)
    other = register(f.rec, category="grumble")
    workflow.act(other.complaint_id, "acknowledge", actor=f.rec)
    workflow.act(other.complaint_id, "transfer", actor=f.rec, to="han")
    assert set(_clocks(other.complaint_id)) >= {"handler_30m"}
    assert "data_20m" not in _clocks(other.complaint_id)


def test_quality_memo_pq_2wd(firm_factory):
    """furniture-maker rulebook 4.2.3.3 2)⑦: the memo by the 2nd working day."""
    f = firm_factory("company")
    assert _row("quality_memo_pq_2wd") == ("register", "quality_memo", 2, "working_days",
                                           "customer", "any", "product_quality", True)
    clock.freeze(NOW)
    r = register(f.rec, category="product_quality", received_at=NOW)
    memo = _clocks(r.complaint_id)["quality_memo_pq_2wd"]
    assert memo.due_at == datetime(2026, 3, 12, 23, 59, 59)  # Tuesday → Thursday


def test_internal_handling_3wd(firm_factory):
    """furniture-maker rulebook 4.2.3.3 3)③: internal handling within 3 working days."""
    f = firm_factory("company")
    assert _row("internal_handling_3wd") == ("register", "internal_handling", 3,
                                             "working_days", "customer", "any",
                                             "product_quality", True)
    clock.freeze(NOW)
    r = register(f.rec, category="product_quality", received_at=NOW)
    assert _clocks(r.complaint_id)["internal_handling_3wd"].due_at == datetime(
        2026, 3, 13, 23, 59, 59)
    assert "internal_handling_3wd" not in _clocks(register(f.rec, category="grumble")
                                                  .complaint_id)


def test_packaging_2wd(firm_factory):
    """furniture-maker rulebook 4.2.3.4 3): the packaging opinion by the 2nd working day."""
    firm_factory("company")
    assert _row("packaging_2wd") == ("register", "record_findings", 2, "working_days",
                                     "customer", "any", "packaging", True)


def test_service_quality_2wd(firm_factory):
    """furniture-maker rulebook 4.2.3.5 3): the service-quality opinion by the 2nd working
    day."""
    firm_factory("company")
    assert _row("service_quality_2wd") == ("register", "record_findings", 2, "working_days",
                                           "customer", "any", "service_quality", True)


def test_company_visit_after_delivery_2d_is_for_product_quality(firm_factory):
    firm_factory("company")
    assert _row("visit_after_delivery_2d") == ("deliver", "visit", 2, "days", "customer",
                                               "any", "product_quality", True)


# --- employee complaints, every profile -------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_employee_report_same_day(firm_factory, profile):
    """company rulebook 7.1.1: an employee complaint the receiver cannot handle is reported
    the same day (0 days: the end of the day it was registered)."""
    f = firm_factory(profile)
    assert _row("employee_report_same_day") == (
        "register", "transfer,answer_on_spot", 0, "days", "employee", "any", "", True)
    clock.freeze(NOW)
    r = register(f.rec, kind="employee", category="work_conditions", received_at=NOW,
                 complainant_department=DEPARTMENTS[profile][0][0])
    same_day = _clocks(r.complaint_id)["employee_report_same_day"]
    assert same_day.due_at == datetime(2026, 3, 10, 23, 59, 59)
    customer = register(f.rec, category="grumble" if profile != "bank" else "business")
    assert "employee_report_same_day" not in _clocks(customer.complaint_id)


# --- bank -------------------------------------------------------------------------------------


def test_authority_report_5wd(firm_factory):
    """bank notice 第十条: the result of a forwarded complaint reported back to the authority
    (no number in the notice: 5 working days, our default)."""
    firm_factory("bank")
    assert _row("authority_report_5wd") == ("reply:authority", "report_regulator", 5,
                                            "working_days", "customer", "any", "", True)


def test_major_report_24h(firm_factory):
    """bank notice 第十五条: a major or mass complaint reported to the regulator promptly
    (24 hours, our default)."""
    f = firm_factory("bank")
    assert _row("major_report_24h") == ("register", "report_regulator", 24, "hours",
                                        "customer", "major", "", True)
    clock.freeze(NOW)
    major = register(f.rec, category="business", severity="major", received_at=NOW)
    assert _clocks(major.complaint_id)["major_report_24h"].due_at == NOW + timedelta(hours=24)
    normal = register(f.rec, category="business")
    assert "major_report_24h" not in _clocks(normal.complaint_id)


def test_decision_15d_2020_extends_to_60_with_a_senior_past_30(firm_factory):
    """2020 measures: 15 days; complex 30; a further 30 with a senior's approval."""
    firm_factory("bank")
    rule = _rule("decision_15d_2020")
    assert (rule.length, rule.unit, rule.max_total, rule.senior_above, rule.active) == (
        15, "days", 60, 30, False)
    assert _rule("resolve_15wd").max_total == 60


# --- existing databases -----------------------------------------------------------------------


def test_add_missing_presets_adds_only_what_is_missing(firm_factory):
    f = firm_factory("company")
    assert profiles.add_missing_presets() == []  # a new firm has them all
    _rule("handler_30m").delete_instance()
    DeadlineRule.update(length=45).where(DeadlineRule.code == "data_20m").execute()
    DeadlineRule.update(active=False).where(DeadlineRule.code == "packaging_2wd").execute()
    assert profiles.add_missing_presets() == ["rule:handler_30m"]
    assert _rule("data_20m").length == 45  # an edited rule is left alone
    assert not _rule("packaging_2wd").active  # so is one made inactive
    assert _rule("handler_30m").length == 30
    assert profiles.add_missing_presets() == []
    assert f.owner is not None


def test_an_upgraded_database_gets_the_presets_added_since(tmp_path, monkeypatch):
    """Opening a database that needed a migration adds the profile's missing presets
    (docs/rules.md §1): here a company set up before the 20-minute limit for manufacturing
    data existed."""
    import models.migrations as migrations
    from models.entities import Category, DeadlineRule
    from services.firm import FirmSetup, close_database, init_firm, open_database

    location = str(tmp_path / "old.sqlite3")
    open_database(location)
    init_firm(FirmSetup(profile="company", firm_name="老公司", owner_login="boss",
                        owner_password="secret1", owner_name="老板"))
    # the firm as it was before that preset
    DeadlineRule.delete().where(DeadlineRule.code == "data_20m").execute()
    Category.delete().where(Category.code == "manufacturing_data").execute()
    close_database()

    class Upgrade:  # the next release's migration
        VERSION = 9999

        @staticmethod
        def apply(db) -> None:
            db.execute_sql('CREATE TABLE "upgrade_marker" ("id" INTEGER PRIMARY KEY)')

    real = migrations._migrations()
    monkeypatch.setattr(migrations, "_migrations",
                        lambda: real + [(Upgrade.VERSION, "m9999_upgrade", Upgrade)])
    open_database(location)
    try:
        rule = DeadlineRule.get(DeadlineRule.code == "data_20m")
        assert (rule.category, rule.length, rule.unit) == ("manufacturing_data", 20, "minutes")
        assert Category.select().where(Category.code == "manufacturing_data").exists()
    finally:
        close_database()
