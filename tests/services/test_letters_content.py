"""Outgoing letters carry only what is meant for the complainant (docs/rules.md §8, §8.1,
§8.3, §8.4): the reply prints the text recorded as sent, dated that day; the extension notice
what the complainant is told, not the note; the receipt no category and no remarks; and each
firm's own routes if the customer disagrees, editable in Settings › Firm."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from services import clock, settings
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.documents import render
from services.errors import PermissionDenied, ValidationError
from services.firm import PROFILES
from services.i18n import format_written
from tests.helpers import register, walk_to

LANGS = ("zh_CN", "en")
# What marks each profile's routes in either language (docs/rules.md §8.3).
MARKERS = {
    "repair-shop": (("道路运输管理机构",), ("road transport authority",)),
    "law-firm": (("律师协会", "司法行政机关"), ("bar association", "judicial administration")),
    "bank": (("国家金融监督管理总局", "12378"),
             ("National Financial Regulatory Administration", "12378")),
    "company": (("12315",), ("12315",)),
}
# What only the staff should read: a finding naming a person, the responsibility, a measure.
FINDINGS = "车间赵师傅（装配）未按工艺拧紧螺栓；对赵师傅予以内部通报批评，纳入月度考核"
RESPONSIBILITY = "车间 赵师傅（装配）"
SECRETS = ("赵师傅", "通报批评", "月度考核", "车间")
CATEGORY = "service_quality"  # every profile has it


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _flat(text: str) -> str:
    return "".join(text.split())


def _decided(f, *, reasons: str = "外壳来料缺陷"):
    """A complaint investigated with internal findings, decided and (where the firm asks)
    approved, not yet replied to."""
    r = walk_to(f, "investigating", category=CATEGORY)
    workflow.act(r.complaint_id, "record_findings", actor=f.han, findings=FINDINGS,
                 responsibility=RESPONSIBILITY)
    workflow.act(r.complaint_id, "decide", actor=f.han, decision="免费更换同型号新品",
                 reasons=reasons, remedy="return", responsibility=RESPONSIBILITY)
    workflow.act(r.complaint_id, "approve", actor=f.mgr)
    return r


# --- the written reply ---------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_reply_never_prints_findings_responsibility_or_measures(firm_factory, profile):
    f = firm_factory(profile)
    r = _decided(f)
    before = _text(render("reply", r.ticket, actor=f.rec, lang="zh_CN"))
    # before the reply: the decision and its reasons as the dialog prefills them
    assert "免费更换同型号新品" in before and "理由：外壳来料缺陷" in before
    workflow.act(r.complaint_id, "reply", actor=f.rec, text="我们将为您免费更换同型号新品。")
    for lang in LANGS:
        text = _text(render("reply", r.ticket, actor=f.rec, lang=lang))
        assert "我们将为您免费更换同型号新品。" in text
        leaked = [s for s in SECRETS if s in text]
        assert leaked == [], (profile, lang, leaked)
        # the reasons are not part of the text sent: not printed
        assert "外壳来料缺陷" not in text
        assert ("Responsibility" not in text and "What we found" not in text
                and "责任" not in text)


def test_reply_prints_the_recorded_text_dated_the_day_it_was_given(firm):
    given = datetime(2026, 3, 10, 10, 0)
    clock.freeze(given - timedelta(hours=2))
    r = _decided(firm)
    clock.freeze(given)
    workflow.act(r.complaint_id, "reply", actor=firm.rec, method="phone",
                 text="经核实确属来料问题，为您免费更换，并承担往返运费。")
    clock.freeze(given + timedelta(days=5))  # printed later: still dated the day of the reply
    for lang in LANGS:
        text = _text(render("reply", r.ticket, actor=firm.rec, lang=lang))
        assert _flat("经核实确属来料问题，为您免费更换，并承担往返运费。") in text
        assert _flat(format_written(given.date(), lang)) in text
        assert _flat(format_written((given + timedelta(days=5)).date(), lang)) not in text
        assert "免费更换同型号新品" not in text  # the decision as typed is not what was sent


def test_an_answer_on_the_spot_prints_what_was_said(firm):
    r = register(firm.rec, category="grumble")
    workflow.act(r.complaint_id, "answer_on_spot", actor=firm.rec,
                 answer="已当面向客户解释收费标准并致歉")
    text = _text(render("reply", r.ticket, actor=firm.rec, lang="zh_CN"))
    assert "已当面向客户解释收费标准并致歉" in text and "抱怨类" not in text


# --- routes if the customer disagrees ----------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_reply_lists_its_own_routes_only(firm_factory, profile):
    f = firm_factory(profile)
    r = walk_to(f, "approved", category=CATEGORY)
    routes = settings.reply_routes()
    assert routes  # a preset from the start, for every profile
    for i, lang in enumerate(LANGS):
        text = _text(render("reply", r.ticket, actor=f.rec, lang=lang))
        key = "zh" if lang == "zh_CN" else "en"
        missing = [x[key] for x in routes if _flat(x[key]) not in text]
        assert missing == [], (profile, lang, missing)
        assert all(m.replace(" ", "") in text for m in MARKERS[profile][i])
        others = [m for p, ms in MARKERS.items() if p != profile for m in ms[i]
                  if m.replace(" ", "") in text and m not in MARKERS[profile][i]]
        assert others == [], (profile, lang, others)


def test_the_law_firm_is_never_offered_road_transport_mediation(firm_factory):
    f = firm_factory("law-firm")
    r = walk_to(f, "replied", category=CATEGORY)
    zh = _text(render("reply", r.ticket, actor=f.rec, lang="zh_CN"))
    assert "道路运输管理机构" not in zh and "律师协会" in zh and "司法行政机关" in zh


def test_routes_saved_in_settings_are_printed(firm_factory):
    f = firm_factory("law-firm")
    r = walk_to(f, "approved", category=CATEGORY)
    with pytest.raises(PermissionDenied):  # the firm's details are the owner's
        settings.save_reply_routes(actor=f.mgr, routes=[{"zh": "x", "en": "x"}])
    with pytest.raises(ValidationError):  # a letter names at least one route
        settings.save_reply_routes(actor=f.owner, routes=[{"zh": " ", "en": ""}])
    saved = settings.save_reply_routes(actor=f.owner, routes=[
        {"zh": " 向本所投诉监督委员会书面反映； ", "en": "write to our complaints committee;"},
        {"zh": "向市律师协会投诉。", "en": ""}])  # English falls back to the Chinese
    assert saved == [
        {"zh": "向本所投诉监督委员会书面反映；", "en": "write to our complaints committee;"},
        {"zh": "向市律师协会投诉。", "en": ""}]
    zh = _text(render("reply", r.ticket, actor=f.rec, lang="zh_CN"))
    en = _text(render("reply", r.ticket, actor=f.rec, lang="en"))
    assert "1.向本所投诉监督委员会书面反映；" in zh and "2.向市律师协会投诉。" in zh
    assert "司法行政机关" not in zh  # the preset is replaced, not added to
    assert "writetoourcomplaintscommittee;" in en and "向市律师协会投诉。" in en
    # the firm's details and its routes are saved together from Settings › Firm
    settings.update_firm(actor=f.owner, reply_routes=[{"zh": "拨打本所监督电话", "en": "call us"}])
    assert settings.reply_routes() == [{"zh": "拨打本所监督电话", "en": "call us"}]
    assert "拨打本所监督电话" in _text(render("reply", r.ticket, actor=f.rec, lang="zh_CN"))


def test_firm_page_edits_the_routes(qtbot, sqlite_firm, session_for):
    from ui.settings.firm_page import FirmPage

    page = FirmPage(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(page)
    assert "12315" in page.routes["zh"].toPlainText()  # the company preset
    assert not page.has_unsaved_changes()
    page.routes["zh"].setPlainText("拨打本公司客服热线\n\n向消费者协会投诉")
    page.routes["en"].setPlainText("call our service line\n\ncomplain to the consumers' "
                                   "association")
    assert page.has_unsaved_changes()
    page.save()
    assert settings.reply_routes() == [
        {"zh": "拨打本公司客服热线", "en": "call our service line"},
        {"zh": "向消费者协会投诉", "en": "complain to the consumers' association"}]
    assert not page.has_unsaved_changes()
    assert page.routes["zh"].toPlainText() == "拨打本公司客服热线\n向消费者协会投诉"
    page.routes["zh"].setPlainText("")
    page.routes["en"].setPlainText("")
    page.save()
    assert page.errors.text_for("reply_routes")
    assert len(settings.reply_routes()) == 2  # nothing written


# --- the extension notice ----------------------------------------------------------------------


def test_extension_notice_prints_what_the_complainant_is_told_not_the_note(firm):
    r = walk_to(firm, "approved")
    workflow.act(r.complaint_id, "extend", actor=firm.mgr, limit="30 minutes",
                 note="承办人请假，内部协调中",
                 told="需等待厂家出具检测报告，我们将在新的期限内答复您。")
    event = next(e for e in complaints.detail(r.ticket, actor=firm.mgr).events
                 if e.action == "extend")
    assert event.note == "承办人请假，内部协调中"
    assert event.data["told"] == "需等待厂家出具检测报告，我们将在新的期限内答复您。"
    for lang in LANGS:
        text = _text(render("extension_notice", r.ticket, actor=firm.rec, lang=lang))
        assert "需等待厂家出具检测报告，我们将在新的期限内答复您。" in text
        assert "承办人请假" not in text and "内部协调" not in text


def test_extension_without_told_tells_a_neutral_sentence_with_the_new_limit(firm):
    r = walk_to(firm, "approved")
    workflow.act(r.complaint_id, "extend", actor=firm.mgr, limit="30 minutes",
                 note="承办人请假，内部协调中")
    event = next(e for e in complaints.detail(r.ticket, actor=firm.mgr).events
                 if e.action == "extend")
    # in the firm's document language, whatever language the one extending uses
    assert "30" in event.data["told"] and "承办人" not in event.data["told"]
    text = _text(render("extension_notice", r.ticket, actor=firm.rec, lang="zh_CN"))
    assert _flat(event.data["told"]) in text and "承办人请假" not in text


def test_extend_dialog_asks_what_the_complainant_is_told(qtbot, sqlite_firm, session_for):
    from ui.complaint.view import ComplaintView

    r = walk_to(sqlite_firm, "investigating", category="grumble")  # one limit runs
    view = ComplaintView(session_for(sqlite_firm, "mgr"), r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("extend")
    told = dialog.fields["told"]
    first = told.toPlainText()
    assert first  # prefilled: a neutral sentence
    qtbot.keyClicks(dialog.fields["limit"], "60 minutes")
    assert told.toPlainText() != first and "60" in told.toPlainText()  # follows the limit
    told.setPlainText("我们需要更多时间核实，请谅解。")
    dialog.fields["limit"].setText("90 minutes")
    assert told.toPlainText() == "我们需要更多时间核实，请谅解。"  # the user's text is kept
    dialog.fields["note"].setPlainText("内部：等待车间排班")
    assert dialog.submit()
    event = next(e for e in complaints.detail(r.ticket, actor=sqlite_firm.mgr).events
                 if e.action == "extend")
    assert event.note == "内部：等待车间排班"
    assert event.data["told"] == "我们需要更多时间核实，请谅解。"


def test_cli_extend_takes_told(sqlite_firm, capsys, monkeypatch):
    import sys

    from tests.conftest import PASSWORD
    from ui import cli

    r = walk_to(sqlite_firm, "approved")
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    status = cli.main(["complaints", "act", r.ticket, "extend", "--limit", "30 minutes",
                       "--note", "内部原因", "--told", "请再给我们一点时间", "--db",
                       sqlite_firm.location, "--user", "mgr", "--password-stdin", "--json"])
    assert status == 0, capsys.readouterr().err
    from services.firm import open_database

    open_database(sqlite_firm.location)
    event = next(e for e in complaints.detail(r.ticket, actor=sqlite_firm.mgr).events
                 if e.action == "extend")
    assert (event.note, event.data["told"]) == ("内部原因", "请再给我们一点时间")


# --- the receipt -------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_receipt_holds_no_category_and_no_note(firm_factory, profile):
    f = firm_factory(profile)
    category = settings.categories(kind="customer")[0]
    r = register(f.rec, category=category.code, request="请尽快处理")
    workflow.act(r.complaint_id, "acknowledge", actor=f.rec, note="投诉人情绪较激动")
    workflow.act(r.complaint_id, "note", actor=f.rec, note="内部备注：老客户")
    for lang in LANGS:
        text = _text(render("receipt", r.ticket, actor=f.rec, lang=lang))
        assert r.ticket in text and "收到的产品外壳开裂" in text and "请尽快处理" in text
        assert category.name_zh not in text and category.name_en.replace(" ", "") not in text
        assert ("类别" not in text and "Category" not in text)
        assert "情绪较激动" not in text and "内部备注" not in text
        assert "陈前台" in text  # the contact
