"""One small dialog per step of the complaint path, asking what that step needs
(docs/rules.md).

The fields are named as ``services.complaints.actions`` names its parameters, so a DomainError's
``field`` finds the widget to show its message under. ``note`` and ``at`` go to
``workflow.act`` itself.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from services import clock, settings
from services.complaints import (
    LEVEL_NAMES,
    LINK_KIND_NAMES,
    LINK_KINDS,
    OTHER_CAUSE,
    REPLY_METHOD_NAMES,
    REPLY_METHODS,
    REVIEW_OUTCOME_NAMES,
    REVIEW_OUTCOMES,
    actions,
    decision_remedies,
    root_causes,
)
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import DomainError, StaleError
from services.firm import (
    EXTERNAL_ROUTE_NAMES,
    EXTERNAL_ROUTES,
    REMEDIES,
    REMEDY_NAMES,
    SEVERITIES,
    SEVERITY_NAMES,
)
from services.i18n import N_, _, format_datetime, format_money
from services.people import ROLE_NAMES, users
from services.timelimits import parse_limit
from ui.complaint.describe import action_name
from ui.complaint.merge_dialog import MergeDialog
from ui.widgets.fields import (
    ChoiceList,
    TextEdit,
    combo_value,
    datetime_edit,
    edit_value,
    phone_edit,
    select_data,
    text_value,
)
from ui.widgets.form_dialog import FormDialog

# Steps whose note is their reason, which the service requires (docs/rules.md: extension
# with a reason, the complainant is told).
REASON_ACTIONS = ("send_back", "withdraw", "reopen", "pause", "extend", "amend")
# The steps a dialog here asks for (docs/rules.md). Others are taken elsewhere: 'attach' by the
# attachments panel, 'document' by the printed documents; a warranty claim's quality memo by the
# warranty screen (the complaint window's memo is for other product-quality complaints).
DIALOG_ACTIONS = (
    "acknowledge", "answer_on_spot", "transfer", "start_investigation", "record_findings",
    "escalate", "hold_meeting", "decide", "send_back", "approve", "reply",
    "record_satisfaction", "review", "external_route", "visit", "deliver", "internal_handling",
    "quality_memo", "report_regulator", "link", "extend", "pause", "resume",
    "archive", "withdraw", "reopen", "amend", "note", "merge")
AMENDABLE_TEXT = (("description", N_("What happened"), True),
                  ("request", N_("Request"), True), ("location", N_("Place"), False),
                  ("contract_no", N_("Contract / order no."), False),
                  ("respondent_text", N_("Respondent (free text)"), False))


class ActionDialog(FormDialog):
    """Asks for one action's inputs and takes it with ``workflow.act``.

    On success the dialog closes, ``result_value`` holds the ActionResult and the session
    hears that the complaint changed; a DomainError is shown in the dialog, which stays open.
    """

    def __init__(self, session, detail, action: str, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = workflow.act  # its ActionResult says what changed
        self.detail = detail
        self.complaint = detail.complaint
        self.action = action
        self.expected_version = detail.complaint.version
        self.fields: dict[str, QWidget] = {}
        self._getters: dict[str, Callable[[], object]] = {}
        self._initial: dict[str, object] = {}

        getattr(self, f"_build_{action}", lambda: None)()
        self._build_note()
        self.at = self._add("at", N_("Time it happened"), datetime_edit(clock.now()),
                            lambda: edit_value(self.at))
        self.setMinimumWidth(520)
        self.retranslate()

    # --- fields -----------------------------------------------------------------------------

    def _add(self, name: str, msgid: str, widget: QWidget, getter: Callable[[], object], *,
             required: bool = False) -> QWidget:
        self.field(name, msgid, widget, required=required)
        self.fields[name] = widget
        self._getters[name] = getter
        return widget

    def _line(self, name: str, msgid: str, value: str = "", *, required: bool = False,
              placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value or "")
        if placeholder:
            self.texts.add(edit.setPlaceholderText, placeholder)
        self._initial[name] = edit.text()
        return self._add(name, msgid, edit, edit.text, required=required)

    def _text(self, name: str, msgid: str, value: str = "", *, required: bool = False,
              height: int = 90) -> QPlainTextEdit:
        edit = TextEdit(value or "", height=height)
        self._initial[name] = edit.toPlainText()
        return self._add(name, msgid, edit, edit.toPlainText, required=required)

    def _choice(self, name: str, msgid: str, items: list[tuple[str, str]], value=None, *,
                required: bool = False) -> QComboBox:
        combo = QComboBox()
        for data, text in items:
            combo.addItem(text, data)
        if value is not None:
            select_data(combo, value)
        self._initial[name] = combo_value(combo)
        return self._add(name, msgid, combo, lambda: text_value(combo), required=required)

    def _person(self) -> None:
        people = complaints.candidates(self.complaint.id, self.action, actor=self.session.user)
        items = [("", "")]
        for u in people:
            roles = ", ".join(_(ROLE_NAMES[r]) for r in u.roles)
            extra = f"{roles}; {u.department}" if u.department else roles
            items.append((u.login, f"{u.name} ({extra})"))
        self._choice("to", N_("Give it to"), items, required=True)

    def _satisfied(self, msgid: str, *, required: bool) -> None:
        combo = QComboBox()
        answers = {"": None, "yes": True, "no": False}
        combo.addItem(_("Choose…") if required else _("Not asked"), "")
        combo.addItem(_("Satisfied"), "yes")
        combo.addItem(_("Dissatisfied"), "no")
        self._add("satisfied", msgid, combo, lambda: answers[text_value(combo)],
                  required=required)

    def _info(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self.form.addRow(label)

    # --- per action -------------------------------------------------------------------------

    def _build_acknowledge(self) -> None:
        me = self.session.user
        self._line("contact", N_("Contact given"), me.phone or me.name,
                   placeholder=N_("who the complainant can call, and how"))

    def _build_answer_on_spot(self) -> None:
        self._text("answer", N_("What was said"), required=True)

    def _build_transfer(self) -> None:
        self._person()

    def _build_escalate(self) -> None:
        level = min(self.complaint.level + 1, 2)
        self._info(_("Escalate to the {level}.").format(level=_(LEVEL_NAMES[level])))
        self._person()

    def _build_record_findings(self) -> None:
        self._text("findings", N_("Findings"), required=True, height=110)
        self._line("responsibility", N_("Responsibility"), self.complaint.responsibility,
                   placeholder=N_("which person or department is responsible"))

    def _decision_fields(self) -> None:
        c = self.complaint
        self._text("decision", N_("Decision"), c.decision, required=True)
        self._text("reasons", N_("Reasons"), c.decision_reasons, required=True, height=70)
        # docs/rules.md §4: a decision may carry several remedies; an amount only with one
        # that pays money (the service refuses it otherwise, under the amount).
        remedies = ChoiceList([(r, _(REMEDY_NAMES[r])) for r in REMEDIES if r != "none"])
        decision = next((e for e in self.detail.events
                         if e.action in ("decide", "hold_meeting")), None)
        remedies.set_values(decision_remedies(decision.data if decision else None,
                                              c.remedy or ""))
        self._add("remedy", N_("Remedies"), remedies, remedies.values)
        self.texts.add(remedies.setToolTip, N_("Tick every remedy the decision gives; an "
                                               "amount goes with a refund, a discount or "
                                               "compensation."))
        amount = "" if c.compensation is None else str(c.compensation)
        self._line("amount", N_("Amount (CNY)"), amount, placeholder=N_("e.g. 200.00"))
        self._line("responsibility", N_("Responsibility"), c.responsibility)
        share = QSpinBox()
        share.setRange(-1, 100)
        share.setSuffix(" %")
        share.setSpecialValueText("—")
        share.setValue(-1)
        self._add("firm_share", N_("Firm's share"), share,
                  lambda: None if share.value() < 0 else share.value())
        self.texts.add(share.setToolTip, N_("For product quality: the firm's part of the "
                                            "responsibility, the customer bears the rest"))

    def _build_decide(self) -> None:
        self._decision_fields()

    def _build_hold_meeting(self) -> None:
        self._line("meeting", N_("Meeting"), _("Complaint group meeting"), required=True)
        edit = QLineEdit()
        self.texts.add(edit.setPlaceholderText, N_("names, separated by commas"))
        self._add("attendees", N_("Attendees"), edit, lambda: _split_names(edit.text()),
                  required=True)
        self._decision_fields()

    def _build_approve(self) -> None:
        # What is being approved, read-only above the buttons (docs/rules.md §4).
        c = self.complaint
        decision = next((e for e in self.detail.events
                         if e.action in ("decide", "hold_meeting")), None)
        remedies = decision_remedies(decision.data if decision else None, c.remedy or "")
        rows = [
            (_("Decision"), c.decision),
            (_("Reasons"), c.decision_reasons),
            (_("Remedies"), ", ".join(_(REMEDY_NAMES.get(r, r)) for r in remedies)),
            (_("Amount"), format_money(c.compensation) if c.compensation is not None else ""),
            (_("Responsibility"), c.responsibility),
            (_("Decided by"), decision.actor if decision else ""),
            (_("Reply to send"), c.decision),
        ]
        self.summary = QLabel("<table>" + "".join(
            f"<tr><td style='padding-right:8px; color:#555;'>{escape(name)}</td>"
            f"<td>{escape(value).replace(chr(10), '<br>')}</td></tr>"
            for name, value in rows if value) + "</table>")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setObjectName("approval_summary")
        self.summary.setStyleSheet("background: #f4f6f8; border: 1px solid #d0d7de; "
                                   "padding: 6px;")
        self.summary_rows = {name: value for name, value in rows if value}
        self.form.addRow(self.summary)

    def _build_reply(self) -> None:
        c = self.complaint
        text = c.decision
        if c.decision_reasons:
            text += "\n" + _("Reasons: {text}").format(text=c.decision_reasons)
        self._text("text", N_("Reply"), text, required=True, height=130)
        self._choice("method", N_("How"), [(m, _(REPLY_METHOD_NAMES[m])) for m in REPLY_METHODS],
                     "written")

    def _build_record_satisfaction(self) -> None:
        self._satisfied(N_("Satisfaction"), required=True)

    def _build_external_route(self) -> None:
        self._choice("route", N_("Route"),
                     [(r, _(EXTERNAL_ROUTE_NAMES[r])) for r in EXTERNAL_ROUTES], required=True)
        self._text("outcome", N_("Outcome"), height=70)

    def _build_visit(self) -> None:
        me = self.session.user
        self._info(_("Visited by: {name}").format(name=me.name))
        self._text("result", N_("Visit result"), required=True)
        self._satisfied(N_("Satisfaction"), required=False)

    def _build_review(self) -> None:
        # docs/rules.md §4: a review has an outcome; keeping it and closing needs the note
        # nothing chosen for the reviewer: keeping or changing a decision is a deliberate act
        self._choice("outcome", N_("Outcome of the review"),
                     [("", _("Choose…"))]
                     + [(o, _(REVIEW_OUTCOME_NAMES[o])) for o in REVIEW_OUTCOMES], "",
                     required=True)

    def _build_deliver(self) -> None:
        self._line("what", N_("What was delivered"), required=True,
                   placeholder=N_("e.g. the repaired vehicle, the replaced part"))

    def _build_internal_handling(self) -> None:
        self._text("handling", N_("Handling (repair, shipping)"), required=True, height=80)
        self._line("accountable", N_("Who is accountable"), self.complaint.responsibility,
                   required=True)

    def _build_quality_memo(self) -> None:
        self._text("findings", N_("Findings"), required=True, height=90)
        for name, msgid, value in (("firm_percent", N_("Firm's share"), 100),
                                   ("customer_percent", N_("Customer's share"), 0)):
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setValue(value)
            self._add(name, msgid, spin, spin.value, required=True)
        self._text("measures", N_("Measures"), height=60)

    def _build_report_regulator(self) -> None:
        self._line("regulator", N_("Regulator"), self.complaint.channel_detail, required=True)
        self._text("content", N_("What was reported"), required=True, height=90)

    def _build_link(self) -> None:
        # docs/rules.md §7: the program suggests earlier complaints by the same complainant;
        # the receiver decides
        combo = QComboBox()
        combo.setEditable(True)
        for c in workflow.repeat_suggestions(self.complaint.id, actor=self.session.user):
            combo.addItem(f"{c.ticket} — {c.description[:30]}", c.ticket)
        self.texts.add(combo.lineEdit().setPlaceholderText, N_("ticket number"))

        def ticket() -> str:
            data = combo.currentData()
            text = combo.currentText().strip()
            return data if data and text.startswith(data) else text.split(" ")[0]

        self._add("earlier", N_("Earlier complaint"), combo, ticket, required=True)
        self._choice("kind", N_("Kind of link"), [(k, _(LINK_KIND_NAMES[k])) for k in LINK_KINDS],
                     "repeat")

    def _build_extend(self) -> None:
        running = [c for c in self.detail.clocks if c.status == "running"]
        items = [(c.rule_code, _("{rule}: {limit}, due {due}").format(
            rule=c.rule_name, limit=c.limit, due=format_datetime(c.due_at))) for c in running]
        combo = self._choice("rule", N_("Time limit"), items)
        self.current_limit = QLabel()
        self.form.addRow(self.current_limit)

        def show_current() -> None:
            clk = next((c for c in running if c.rule_code == combo_value(combo)), None)
            self.current_limit.setText(
                _("Current limit: {limit}").format(limit=clk.limit) if clk else "")

        combo.currentIndexChanged.connect(lambda _i: show_current())
        show_current()
        limit = self._line("limit", N_("New limit"), required=True,
                           placeholder=N_("e.g. 30 working days"))
        # docs/rules.md §8.4: the notice prints what the complainant is told, never the note
        # (the internal reason). Prefilled in the letters' language, following the new limit
        # until the user writes their own.
        lang = settings.firm_info().document_language
        told = self._text("told", N_("Told to the complainant"),
                          actions.extension_told(lang=lang), height=60)
        self.texts.tip(told, N_("Printed in the extension notice. The reason above stays on "
                                "file and is not shown to the complainant."))
        auto = [told.toPlainText()]

        def follow_limit(text: str) -> None:
            if told.toPlainText() != auto[0]:
                return  # the user wrote their own
            try:
                length, unit = parse_limit(text)
            except DomainError:
                auto[0] = actions.extension_told(lang=lang)
            else:
                auto[0] = actions.extension_told(length, unit, lang)
            told.setPlainText(auto[0])

        limit.textChanged.connect(follow_limit)

    def _build_archive(self) -> None:
        # docs/rules.md §4 源头治理: picked from the firm's list, so the same cause is always
        # written the same way; anything else is "Other: …".
        causes = root_causes()
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("", "")
        for name in causes:
            combo.addItem(name, name)
        current = self.complaint.root_cause
        if current and current not in causes:
            combo.setEditText(current)
        else:
            select_data(combo, current or "")
        self.texts.add(combo.lineEdit().setPlaceholderText,
                       N_("choose from the list, or type another cause"))

        def cause() -> str:
            text = combo.currentText().strip()
            if not text or text in causes or text.startswith(_(OTHER_CAUSE).split("{")[0]):
                return text
            return _(OTHER_CAUSE).format(text=text)

        self._add("root_cause", N_("Root cause"), combo, cause,
                  required=self.complaint.state != "withdrawn")

    def _build_amend(self) -> None:
        c = self.complaint
        for name, msgid, multi in AMENDABLE_TEXT:
            if multi:
                self._text(name, msgid, getattr(c, name), height=60)
            else:
                self._line(name, msgid, getattr(c, name))
        phone = phone_edit()
        phone.setText(c.complainant_phone)
        self._initial["complainant_phone"] = phone.text()
        self._add("complainant_phone", N_("Phone"), phone, phone.text)
        cats = settings.categories(kind=c.kind)
        current = self.detail.category_code
        self._choice("category", N_("Category"), [(x.code, x.name) for x in cats], current)
        self._choice("severity", N_("Severity"),
                     [(s, _(SEVERITY_NAMES[s])) for s in SEVERITIES], c.severity)
        depts = users.list_departments()
        dept = next((d.code for d in depts if d.id == c.respondent_department_id), "")
        self._choice("respondent_department", N_("Department complained about"),
                     [("", "—")] + [(d.code, d.name) for d in depts], dept)

    def _build_note(self) -> None:
        if self.action == "note":
            self._text("note", N_("Note"), required=True)
        elif self.action in REASON_ACTIONS:
            self._text("note", N_("Reason"), required=True, height=70)
        else:
            self._text("note", N_("Note"), height=50)

    # --- taking the step --------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("{action} — {ticket}").format(
            action=action_name(self.action), ticket=self.complaint.ticket))
        self.save_button.setText(action_name(self.action))

    def values(self) -> dict:
        values = {name: get() for name, get in self._getters.items()}
        if self.action == "amend":
            # Only what the user changed is a correction (docs/rules.md: old and new
            # recorded).
            values = {k: v for k, v in values.items()
                      if k in ("note", "at") or v != self._initial.get(k)}
        return values

    def kwargs(self) -> dict:
        # the version the user looked at: a step from a stale view is refused (docs/design.md)
        return dict(complaint_id=self.complaint.id, action=self.action,
                    expected_version=self.expected_version, **self.values())

    def _refused(self, err) -> None:
        if isinstance(err, StaleError):
            # the input stays; saving again applies it to the complaint as it is now
            self.expected_version = err.params.get("version", self.expected_version)
        super()._refused(err)


def _split_names(text: str) -> list[str]:
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    return [n.strip() for n in text.split(",") if n.strip()]


# Steps with a dialog of their own instead of an ActionDialog (same arguments).
DIALOG_CLASSES = {"merge": MergeDialog}


def dialog_for(session, detail, action: str, parent: QWidget | None = None):
    """The dialog that takes ``action`` on the complaint of ``detail``."""
    return DIALOG_CLASSES.get(action, ActionDialog)(session, detail, action, parent)
