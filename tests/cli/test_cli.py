"""The command line: every command in-process on a temporary SQLite file, plus
`python main.py` run for real."""
from __future__ import annotations

import contextlib
import gettext
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from services import i18n
from tests.children import python_child
from ui import cli
from ui.cli import context as cli_context

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "secret1"
HANDLER_PASSWORD = "secret2"


@dataclass
class Result:
    status: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the CLI in-process; ``stdin`` feeds --password-stdin / --new-password-stdin."""
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)

    def call(*argv: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return call


def one_error_line(result: Result) -> str:
    assert result.status == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "cli.sqlite3")


@pytest.fixture(scope="session")
def law_firm_template(tmp_path_factory) -> Path:
    """The law firm below, set up once through the CLI itself (init, users add) and copied for
    each test: hashing two passwords per test would cost the suite seconds of CPU."""
    path = tmp_path_factory.mktemp("cli-template") / "law.sqlite3"
    steps = [
        (["init", "--db", str(path), "--profile", "law-firm", "--firm", "测试律师事务所",
          "--owner", "boss", "--password-stdin"], PASSWORD),
        (["users", "add", "--db", str(path), "--login", "han", "--name", "张处理", "--roles",
          "handler", "--department", "litigation", "--new-password-stdin"], HANDLER_PASSWORD),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cli.ENV_USER, "boss")
        mp.setenv(cli.ENV_PASSWORD, PASSWORD)
        for argv, secret in steps:
            mp.setattr(sys, "stdin", io.StringIO(secret + "\n"))
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()) as err:
                assert cli.main(argv) == 0, err.getvalue()
    return path


@pytest.fixture
def law_firm(law_firm_template, db, monkeypatch) -> str:
    """A law firm (approval before reply) with owner `boss` acting by default, and handler
    `han` in litigation."""
    shutil.copyfile(law_firm_template, db)
    monkeypatch.setenv(cli.ENV_USER, "boss")
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    return db


def register(run, db, *extra: str) -> str:
    r = run("complaints", "register", "--db", db, "--channel", "phone", "--name", "张三",
            "--phone", "13800138000", "--description", "律师两周未回复", "--request", "尽快答复",
            "--category", "communication", "--json", *extra)
    assert r.status == 0, r.err
    return r.json()["ticket"]


# --- init ------------------------------------------------------------------------------------


def test_init_reads_the_password_from_stdin(run, db):
    r = run("init", "--db", db, "--profile", "bank", "--firm", "某银行支行", "--owner", "boss",
            "--password-stdin", "--json", stdin=PASSWORD + "\n")
    assert r.status == 0, r.err
    assert r.json() == {"firm": "某银行支行", "profile": "bank", "owner": "boss", "database": db}
    assert Path(db).exists()
    # the owner can log in with that password
    r = run("users", "list", "--db", db, "--json", "--user", "boss", "--password-stdin",
            stdin=PASSWORD + "\n")
    assert [u["login"] for u in r.json()] == ["boss"]
    assert set(r.json()[0]["roles"]) == {"owner", "manager"}


def test_init_twice_is_refused(run, db):
    args = ("init", "--db", db, "--profile", "company", "--firm", "甲公司", "--owner", "boss",
            "--password-stdin", "--lang", "en")
    assert run(*args, stdin=PASSWORD + "\n").status == 0
    assert "already belongs to a firm" in one_error_line(run(*args, stdin=PASSWORD + "\n"))


def test_init_asks_twice_on_the_terminal_and_refuses_a_mismatch(run, db, monkeypatch):
    answers = iter(["secret1", "secret9"])
    monkeypatch.setattr(cli_context.getpass, "getpass", lambda prompt: next(answers))
    r = run("init", "--db", db, "--profile", "company", "--firm", "甲公司", "--owner", "boss",
            "--lang", "en")
    assert "not the same" in one_error_line(r)
    answers = iter(["secret1", "secret1"])
    r = run("init", "--db", db, "--profile", "company", "--firm", "甲公司", "--owner", "boss",
            "--lang", "en")
    assert r.status == 0, r.err
    assert "boss" in r.out


def test_init_with_a_bad_profile_exits_2_with_one_line(run, db):
    r = run("init", "--db", db, "--profile", "bakery", "--firm", "x", "--owner", "boss",
            "--password-stdin", stdin=PASSWORD + "\n")
    line = one_error_line(r)
    assert "--profile" in line and "bakery" in line
    assert r.out == ""
    assert not Path(db).exists()  # nothing created for a command that was refused


def test_init_with_a_short_password_exits_2(run, db):
    r = run("init", "--db", db, "--profile", "company", "--firm", "甲公司", "--owner", "boss",
            "--password-stdin", "--lang", "en", stdin="123\n")
    assert "at least 6 characters" in one_error_line(r)


# --- deadline --------------------------------------------------------------------------------


def test_deadline_spec_example(run, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("COMPLAINTDESK_HOME", str(home))
    r = run("deadline", "--start", "2025-09-25T10:00", "--limit", "15 working days", "--json")
    assert r.status == 0, r.err
    data = r.json()
    # day limits count from the next day and end at the end of the last day (rules.md §5/§6)
    assert data["due"].startswith("2025-10-22")
    assert data["provisional"] is False
    assert data["calendar"] == "builtin"
    assert not list(home.glob("*.sqlite3"))  # answering must not create the default database


def test_deadline_into_an_unpublished_year_is_provisional(run):
    r = run("deadline", "--start", "2027-03-01T09:00", "--limit", "15 working days", "--json")
    assert r.status == 0, r.err
    assert r.json()["provisional"] is True
    r = run("deadline", "--start", "2027-03-01T09:00", "--limit", "15 working days",
            "--lang", "en")
    assert "Provisional" in r.out and "2027" in r.out


@pytest.mark.parametrize("limit, due", [
    ("30 minutes", "2025-09-25T10:30:00"), ("24 hours", "2025-09-26T10:00:00"),
    ("3 days", "2025-09-28T23:59:59"),
])
def test_deadline_units(run, limit, due):
    r = run("deadline", "--start", "2025-09-25T10:00", "--limit", limit, "--json")
    assert r.json()["due"] == due


def test_deadline_profile_gives_the_usual_limit(run):
    r = run("deadline", "--start", "2025-09-25T10:00", "--profile", "bank", "--json")
    assert r.json()["due"].startswith("2025-10-22") and r.json()["unit"] == "working_days"


def test_deadline_uses_the_database_calendar_when_there_is_one(run, law_firm):
    r = run("deadline", "--db", law_firm, "--start", "2025-09-25T10:00",
            "--limit", "15 working days", "--json")
    assert r.json()["calendar"] == "database" and r.json()["due"].startswith("2025-10-22")


@pytest.mark.parametrize("args, needle", [
    (("--start", "2025-09-31T10:00", "--limit", "3 days"), "--start"),
    (("--start", "2025-09-25T10:00", "--limit", "15 fortnights"), "15 fortnights"),
    (("--start", "2025-09-25T10:00", "--limit", "0 hours"), "longer than zero"),
    (("--start", "2025-09-25T10:00",), "--limit"),
])
def test_deadline_bad_input(run, args, needle):
    assert needle in one_error_line(run("deadline", "--lang", "en", *args))


def test_deadline_with_a_missing_database_file_is_refused(run, tmp_path):
    missing = tmp_path / "nope.sqlite3"
    r = run("deadline", "--db", str(missing), "--start", "2025-09-25T10:00", "--limit", "3 days",
            "--lang", "en")
    assert "no database" in one_error_line(r)
    assert not missing.exists()


# --- a complaint from registration to archive ------------------------------------------------


def test_whole_path_from_a_script(run, law_firm):
    db = law_firm
    ticket = register(run, db)

    r = run("complaints", "list", "--db", db, "--json")  # options after the subcommand
    rows = r.json()
    assert len(rows) == 1
    row = rows[0]
    assert {"ticket", "kind", "state", "category", "received", "next_due", "overdue"} <= set(row)
    assert (row["ticket"], row["kind"], row["state"], row["category"]) == (
        ticket, "customer", "registered", "communication")
    assert row["next_due"] and row["overdue"] is False
    # options before the command word work too
    assert cli.main(["--db", db, "--json", "complaints", "list"]) == 0

    def act(*args, user="boss", password=PASSWORD, expect="") -> dict:
        r = run("complaints", "act", ticket, *args, "--db", db, "--json", "--user", user,
                "--password-stdin", stdin=password + "\n")
        assert r.status == 0, r.err
        data = r.json()
        if expect:
            assert data["state"] == expect
        return data

    act("acknowledge", expect="acknowledged")
    act("transfer", "--to", "han", expect="assigned")
    act("start-investigation", user="han", password=HANDLER_PASSWORD, expect="investigating")
    act("decide", "--decision", "书面致歉并指定专人跟进", "--reasons", "承办律师确有延误",
        "--remedy", "apology", user="han", password=HANDLER_PASSWORD, expect="decided")
    # rules.md §4: no reply before the decision is approved (law-firm profile)
    r = run("complaints", "act", ticket, "reply", "--db", db, "--lang", "en")
    assert "approved before the reply" in one_error_line(r)
    # the handler cannot approve
    r = run("complaints", "act", ticket, "approve", "--db", db, "--lang", "en", "--user", "han",
            "--password-stdin", stdin=HANDLER_PASSWORD + "\n")
    assert "may not" in one_error_line(r)
    act("approve", expect="approved")
    act("reply", expect="replied")
    act("record_satisfaction", "--satisfied", "yes", expect="replied")
    act("visit", "--result", "客户表示满意", expect="visited")
    done = act("archive", "--root-cause", "沟通机制", expect="archived")
    assert done["data"]["root_cause"] == "沟通机制"

    r = run("complaints", "show", ticket, "--db", db, "--json")
    shown = r.json()
    assert shown["state"] == "archived" and shown["root_cause"] == "沟通机制"
    assert shown["satisfaction"] == "satisfied" and shown["remedy"] == "apology"
    assert shown["handler"] == "张处理" and shown["category"] == "communication"
    assert [e["action"] for e in shown["timeline"]] == [  # newest first
        "archive", "visit", "record_satisfaction", "reply", "approve", "decide",
        "start_investigation", "transfer", "acknowledge", "register"]
    assert [c["status"] for c in shown["clocks"]] == ["met"]
    assert "archive" not in shown["allowed"]

    r = run("complaints", "show", ticket, "--db", db, "--lang", "en")
    assert r.status == 0
    assert "Archived" in r.out and "Timeline (newest first)" in r.out and "沟通机制" in r.out
    assert r.out.index("Archive ") < r.out.index("Register ")

    # archived complaints are read-only
    r = run("complaints", "act", ticket, "note", "--note", "x", "--db", db, "--lang", "en")
    assert "read-only" in one_error_line(r)
    assert run("complaints", "list", "--db", db, "--state", "closed", "--json").json()[0][
        "ticket"] == ticket
    assert run("complaints", "list", "--db", db, "--state", "open", "--json").json() == []


def test_action_in_the_wrong_state_exits_2_and_changes_nothing(run, law_firm):
    ticket = register(run, law_firm)
    r = run("complaints", "act", ticket, "approve", "--db", law_firm, "--lang", "en")
    line = one_error_line(r)
    assert "'Approve' is not possible while the complaint is Registered" in line
    shown = run("complaints", "show", ticket, "--db", law_firm, "--json").json()
    assert shown["state"] == "registered" and len(shown["timeline"]) == 1


def test_act_input_errors(run, law_firm):
    ticket = register(run, law_firm)
    base = ("complaints", "act", ticket)
    assert "dance" in one_error_line(run(*base, "dance", "--db", law_firm))
    line = one_error_line(run(*base, "transfer", "--to", "han", "--param", "to=boss",
                              "--db", law_firm, "--lang", "en"))
    assert "given twice" in line
    assert "key=value" in one_error_line(run(*base, "note", "--param", "oops", "--db", law_firm,
                                              "--lang", "en"))
    assert "yes or no" in one_error_line(run(*base, "record_satisfaction", "--satisfied", "maybe",
                                             "--db", law_firm, "--lang", "en"))
    line = one_error_line(run("complaints", "act", "999999999", "acknowledge", "--db", law_firm,
                              "--lang", "en"))
    assert "No complaint 999999999" in line


def test_param_passes_any_action_input(run, law_firm):
    ticket = register(run, law_firm)
    r = run("complaints", "act", ticket, "acknowledge", "--param", "contact=前台 010-1234567",
            "--db", law_firm, "--json")
    assert r.status == 0, r.err
    assert r.json()["data"] == {"contact": "前台 010-1234567"}


def test_register_bad_input_names_the_field(run, law_firm):
    base = ("complaints", "register", "--db", law_firm, "--lang", "en", "--name", "张三",
            "--description", "x")
    assert "category" in one_error_line(run(*base, "--channel", "phone", "--category", "nope"))
    assert "--channel" in one_error_line(run(*base, "--channel", "pigeon", "--category", "fees"))
    assert "future" in one_error_line(run(*base, "--channel", "phone", "--category", "fees",
                                          "--received", "2099-01-01T10:00"))


def test_list_filters_table_and_due(run, law_firm):
    first = register(run, law_firm, "--received", "2025-03-03T09:00")
    second = register(run, law_firm)
    r = run("complaints", "list", "--db", law_firm, "--lang", "en")
    lines = r.out.strip().splitlines()
    assert lines[0].split()[:2] == ["Ticket", "Received"]
    assert lines[-1] == "2 of 2"
    assert r.out.index(second) < r.out.index(first)  # newest first
    assert "OVERDUE" in next(line for line in lines if line.startswith(first))
    r = run("complaints", "list", "--db", law_firm, "--json", "--limit", "1")
    assert [row["ticket"] for row in r.json()] == [second]
    r = run("complaints", "list", "--db", law_firm, "--limit", "1", "--lang", "en")
    assert r.out.strip().endswith("1 of 2")
    r = run("complaints", "list", "--db", law_firm, "--json", "--overdue")
    assert [row["ticket"] for row in r.json()] == [first]
    r = run("complaints", "list", "--db", law_firm, "--json", "--to", "2025-12-31")
    assert [row["ticket"] for row in r.json()] == [first]
    r = run("complaints", "list", "--db", law_firm, "--json", "--search", second)
    assert [row["ticket"] for row in r.json()] == [second]
    due = run("complaints", "due", "--db", law_firm, "--json").json()
    assert [d["ticket"] for d in due] == [first, second]
    assert due[0]["status"] == "overdue" and due[0]["due"].startswith("2025-03-24")


# --- users, log-in, permissions --------------------------------------------------------------


def test_wrong_password_exits_2(run, law_firm):
    r = run("complaints", "list", "--db", law_firm, "--lang", "en", "--user", "boss",
            "--password-stdin", stdin="wrong-password\n")
    assert "Wrong login or password" in one_error_line(r)
    assert r.out == ""


def test_acting_user_is_required(run, law_firm, monkeypatch):
    monkeypatch.delenv(cli.ENV_USER)
    assert "--user" in one_error_line(run("complaints", "list", "--db", law_firm, "--lang", "en"))


def test_only_the_people_involved_see_a_complaint(run, law_firm):
    ticket = register(run, law_firm)
    as_han = ("--db", law_firm, "--lang", "en", "--user", "han", "--password-stdin")
    r = run("complaints", "list", "--json", *as_han, stdin=HANDLER_PASSWORD + "\n")
    assert r.json() == []
    r = run("complaints", "show", ticket, *as_han, stdin=HANDLER_PASSWORD + "\n")
    assert "or it is not yours to see" in one_error_line(r)  # as a missing ticket


def test_a_handler_cannot_add_users(run, law_firm):
    r = run("users", "add", "--db", law_firm, "--lang", "en", "--login", "eve", "--name", "Eve",
            "--roles", "owner", "--user", "han", "--password-stdin", "--new-password-stdin",
            stdin=f"{HANDLER_PASSWORD}\nsecret3\n")
    assert "needs the role" in one_error_line(r)
    logins = [u["login"] for u in run("users", "list", "--db", law_firm, "--json").json()]
    assert logins == ["boss", "han"]


def test_users_list(run, law_firm):
    r = run("users", "list", "--db", law_firm, "--lang", "en")
    assert "张处理" in r.out and "Handler" in r.out and "诉讼部" in r.out


# --- calendar --------------------------------------------------------------------------------


def test_calendar_show_official_and_provisional_years(run, law_firm):
    r = run("calendar", "show", "2025", "--db", law_firm, "--json")
    data = r.json()
    assert data["official"] is True
    days = {d["date"]: d["kind"] for d in data["days"]}
    assert days["2025-10-01"] == "holiday" and days["2025-09-28"] == "workday"
    r = run("calendar", "show", "2030", "--db", law_firm, "--json")
    assert r.json()["official"] is False
    assert {"date": "2030-10-01", "kind": "holiday", "name": "National Day"} in r.json()[
        "provisional_holidays"]
    r = run("calendar", "show", "2030", "--db", law_firm, "--lang", "en")
    assert "provisional" in r.out


def test_calendar_import_export_and_set(run, law_firm, tmp_path):
    source = tmp_path / "2030.csv"
    source.write_text("date,kind,name\n2030-10-01,holiday,国庆节\n2030-09-29,workday,国庆节调休\n",
                      encoding="utf-8")
    r = run("calendar", "import", str(source), "--db", law_firm, "--json")
    assert r.status == 0, r.err
    assert r.json() == {"years": [2030], "days": 2}
    assert run("calendar", "show", "2030", "--db", law_firm, "--json").json()["official"]
    r = run("calendar", "export", "2030", "--db", law_firm)
    assert r.out.splitlines() == ["date,kind,name", "2030-09-29,workday,国庆节调休",
                                  "2030-10-01,holiday,国庆节"]
    r = run("calendar", "set", "2030-10-02", "holiday", "--name", "国庆节", "--db", law_firm,
            "--json")
    assert r.status == 0, r.err
    days = run("calendar", "show", "2030", "--db", law_firm, "--json").json()["days"]
    assert "2030-10-02" in [d["date"] for d in days]


def test_calendar_changes_need_an_owner_or_manager(run, law_firm, tmp_path):
    source = tmp_path / "2030.csv"
    source.write_text("2030-10-01,holiday,国庆节\n", encoding="utf-8")
    r = run("calendar", "import", str(source), "--db", law_firm, "--lang", "en", "--user", "han",
            "--password-stdin", stdin=HANDLER_PASSWORD + "\n")
    assert "needs the role" in one_error_line(r)
    assert run("calendar", "show", "2030", "--db", law_firm, "--json").json()["days"] == []


def test_calendar_import_bad_file(run, law_firm, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("2030-10-01,holiday\n2030-13-01,holiday\n", encoding="utf-8")
    assert "Line 2" in one_error_line(run("calendar", "import", str(source), "--db", law_firm,
                                          "--lang", "en"))
    assert "Cannot read" in one_error_line(run("calendar", "import", str(tmp_path / "none.csv"),
                                               "--db", law_firm, "--lang", "en"))


# --- demo ------------------------------------------------------------------------------------


@dataclass
class FakeSummary:
    profile: str
    complaints: int
    logins: list
    password: str


@pytest.fixture
def fake_demo(monkeypatch) -> list:
    """services.demo.generate_all stood in for; returns the calls made to it."""
    from services import demo

    calls = []

    def generate_all(*, profile, complaints, seed=1, progress=None):
        calls.append((profile, complaints, seed))
        return FakeSummary(profile, complaints, ["boss", "rec"], "demo123")

    monkeypatch.setattr(demo, "generate_all", generate_all)
    return calls


def test_demo_is_wired_to_services_demo(run, db, fake_demo):
    r = run("demo", "--db", db, "--profile", "repair-shop", "--complaints", "30", "--json")
    assert r.status == 0, r.err
    assert fake_demo == [("repair-shop", 30, 1)]
    assert r.json() == {"profile": "repair-shop", "complaints": 30, "logins": ["boss", "rec"],
                        "password": "demo123"}
    r = run("demo", "--db", db, "--profile", "bank", "--seed", "7", "--lang", "en")
    assert fake_demo[-1] == ("bank", 200, 7)
    assert "boss, rec" in r.out and "demo123" in r.out


def test_demo_never_goes_into_a_firm_s_database(run, law_firm, fake_demo):
    r = run("demo", "--db", law_firm, "--profile", "bank", "--lang", "en")
    assert "already belongs to a firm" in one_error_line(r)
    assert fake_demo == []


# --- languages, errors -----------------------------------------------------------------------


class _Catalog(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]):
        super().__init__()
        self.messages = messages

    def gettext(self, message):
        return self.messages.get(message, message)


def test_lang_picks_the_language_of_messages(run, law_firm, monkeypatch):
    monkeypatch.setitem(i18n._catalogs, "zh_CN", _Catalog({
        "Wrong login or password.": "用户名或密码错误。",
        "error: {message}": "错误：{message}",
        "Due: {due} ({limit} from {start})": "到期：{due}（自{start}起{limit}）",
    }))
    before = i18n.current_language()
    bad_login = ("complaints", "list", "--db", law_firm, "--user", "boss", "--password-stdin")
    r = run(*bad_login, "--lang", "zh_CN", stdin="nope\n")
    assert one_error_line(r) == "错误：用户名或密码错误。"
    r = run(*bad_login, "--lang", "en", stdin="nope\n")
    assert one_error_line(r) == "error: Wrong login or password."
    deadline = ("deadline", "--start", "2025-09-25T10:00", "--limit", "15 working days")
    assert run(*deadline, "--lang", "zh_CN").out.startswith("到期：2025-10-22 23:59")
    assert run(*deadline, "--lang", "en").out.startswith("Due: 2025-10-22 23:59")
    assert "language" in one_error_line(run(*deadline, "--lang", "fr"))
    assert i18n.current_language() == before  # the CLI leaves the program's language alone


def test_unexpected_errors_exit_1_with_one_line(run, law_firm, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    from services.complaints import register as complaint_service

    monkeypatch.setattr(complaint_service, "count", boom)
    r = run("complaints", "list", "--db", law_firm, "--lang", "en")
    assert r.status == 1
    assert len(r.err.strip().splitlines()) == 1 and "disk on fire" in r.err
    r = run("complaints", "list", "--db", law_firm, "--lang", "en", "--debug")
    assert r.status == 1 and "Traceback" in r.err


def test_help_exits_0(run):
    r = run("complaints", "act", "--help")
    assert r.status == 0 and "--root-cause" in r.out and "start_investigation" in r.out


def test_main_without_a_command_starts_the_window(monkeypatch):
    import types

    import main

    seen = []
    fake = types.SimpleNamespace(run=lambda argv: seen.append(argv) or 0)
    monkeypatch.setitem(sys.modules, "ui.app", fake)
    monkeypatch.setattr(sys.modules["ui"], "app", fake, raising=False)
    assert main.main(["main.py", "--db", "x.sqlite3"]) == 0
    assert seen == [["main.py", "--db", "x.sqlite3"]]


@pytest.mark.parametrize("argv, wanted", [
    ([], False), (["--db", "x.sqlite3"], False), (["--lang", "en", "--debug"], False),
    (["deadline"], True), (["--db", "x", "complaints", "list"], True), (["--help"], True),
    (["nonsense"], True),
])
def test_main_tells_commands_from_window_options(argv, wanted):
    assert cli.wants_cli(argv) is wanted


# --- for real ----------------------------------------------------------------------------------


def test_main_py_deadline_in_a_subprocess(tmp_path):
    env = {**_clean_env(), "COMPLAINTDESK_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "main.py", "deadline", "--start", "2025-09-25T10:00",
         "--limit", "15 working days", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["due"].startswith("2025-10-22") and data["provisional"] is False
    assert list(tmp_path.iterdir()) == []  # no database was created


def test_the_cli_path_never_imports_qt(tmp_path):
    code = ("import sys, main\n"
            "status = main.main(['main.py', 'deadline', '--start', '2025-09-25T10:00',"
            " '--limit', '3 days', '--json'])\n"
            "assert status == 0, status\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n")
    env = {**_clean_env(), "COMPLAINTDESK_HOME": str(tmp_path)}
    python_child(code, env=env, timeout=60)


def _clean_env() -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTDESK_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_document_command(run, tmp_path):
    """`document KIND --ticket N --out FILE.pdf [--lang]` produces and records it."""
    import json as _json

    from pypdf import PdfReader

    db = str(tmp_path / "docs.sqlite3")
    assert run("init", "--db", db, "--profile", "company", "--firm", "测试公司", "--owner",
               "boss", "--password-stdin", stdin="secret1\n").status == 0
    r = run("complaints", "register", "--db", db, "--user", "boss", "--password-stdin",
            "--kind", "customer", "--channel", "phone", "--name", "王五", "--description",
            "空调不制冷", "--category", "product_quality", "--json", stdin="secret1\n")
    ticket = r.json()["ticket"]
    out = tmp_path / "receipt.pdf"
    r = run("document", "receipt", "--ticket", ticket, "--out", str(out), "--db", db,
            "--user", "boss", "--password-stdin", "--lang", "en", "--json", stdin="secret1\n")
    assert r.status == 0, r.err
    made = _json.loads(r.out)
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert ticket in text and "Acknowledgement receipt" in text
    show = run("complaints", "show", ticket, "--db", db, "--user", "boss", "--password-stdin",
               "--json", stdin="secret1\n").json()
    assert any(e["action"] == "document" and e["data"]["sha256"] == made["sha256"]
               for e in show["timeline"])
    r = run("document", "reply", "--ticket", ticket, "--out", str(out), "--db", db, "--user",
            "boss", "--password-stdin", stdin="secret1\n")
    assert r.status == 2  # no decision yet: nothing to reply


# --- the path's table refuses with one line naming the rule (docs/rules.md §4) -----------


def test_cli_refuses_a_self_review_with_one_line_naming_the_rule(run, law_firm):
    db = law_firm
    ticket = register(run, db)

    def act(*args, user="boss", password=None):
        extra = ("--user", user, "--password-stdin") if password else ()
        r = run("complaints", "act", ticket, *args, "--db", db, "--json", *extra,
                stdin=(password or "") + "\n")
        assert r.status == 0, r.err
        return r.json()

    act("acknowledge")
    act("transfer", "--to", "han")
    act("start-investigation", user="han", password=HANDLER_PASSWORD)
    act("decide", "--decision", "致歉", "--reasons", "延误", user="han",
        password=HANDLER_PASSWORD)
    act("approve")  # the owner approves: he may not review it afterwards
    act("reply")
    act("record_satisfaction", "--satisfied", "no")
    r = run("complaints", "act", ticket, "review", "--outcome", "keep_reply", "--db", db,
            "--json", "--lang", "en")
    line = one_error_line(r)
    assert line.startswith("error: Review by the next level up:"), line
    assert r.out == ""


def test_cli_records_a_review_outcome_and_a_link(run, law_firm):
    db = law_firm
    first = register(run, db)
    second = register(run, db)
    r = run("complaints", "act", second, "link", "--earlier", first, "--kind", "repeat",
            "--db", db, "--json")
    assert r.status == 0, r.err
    assert r.json()["data"]["earlier_ticket"] == first


def test_cli_refuses_a_step_from_a_stale_version(run, law_firm):
    db = law_firm
    ticket = register(run, db)
    shown = run("complaints", "show", ticket, "--db", db, "--json")
    version = shown.json()["version"]
    assert run("complaints", "act", ticket, "acknowledge", "--db", db,
               "--expect-version", str(version)).status == 0
    r = run("complaints", "act", ticket, "withdraw", "--note", "撤回", "--db", db, "--lang", "en",
            "--expect-version", str(version))
    assert "Someone else changed this complaint meanwhile" in one_error_line(r)
