"""Shared test set-up: offscreen Qt, a private data folder, and fresh databases on both
SQLite and the PostgreSQL server (docs/design.md)."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Before anything imports Qt: there is no display in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="complaintdesk-tests-")
os.environ["COMPLAINTDESK_HOME"] = _HOME
# The daily backup at open costs every database-heavy test; the backup tests turn it on.
os.environ["COMPLAINTDESK_DAILY_BACKUP"] = "0"

import pytest  # noqa: E402

import services.features  # noqa: E402, F401 - every feature's hooks, as in the program

PG_ADMIN_URL = os.environ.get("COMPLAINTDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = bool(os.environ.get("CI"))

STAFF = (
    # login, name, roles, department
    ("mgr", "王经理", "manager", "service"),
    ("head", "李主管", "head", "service"),
    ("han", "张处理", "handler", "service"),
    ("han2", "赵处理", "handler", "sales"),
    ("rec", "陈前台", "receiver", "service"),
    ("hr1", "孙人事", "handler", "hr"),
)
PASSWORD = "secret1"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HOME, ignore_errors=True)


def _pg_admin():
    import psycopg2

    from models.db import make_database

    db = make_database(PG_ADMIN_URL)
    try:
        db.connect()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        message = f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI requires it)", pytrace=False)
        pytest.skip(message)
    db.connection().set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    return db


def _pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


class Backend:
    """Makes throwaway databases on one backend, from per-profile templates."""

    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        self.workdir = workdir
        self.templates: dict[str, str] = {}
        self.created: list[str] = []

    def new_location(self, template: str | None = None) -> str:
        """A new database: migrated by whoever opens it, or a copy of ``template``."""
        if self.kind == "sqlite":
            target = self.workdir / f"db-{uuid.uuid4().hex[:10]}.sqlite3"
            if template:
                shutil.copyfile(template, target)
            return str(target)
        name = f"cdtest_{uuid.uuid4().hex[:12]}"
        source = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        admin = _pg_admin()
        admin.execute_sql(f'CREATE DATABASE "{name}"{source}')
        admin.close()
        self.created.append(name)
        return _pg_url(name)

    def drop(self, location: str) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(location + suffix).unlink(missing_ok=True)
            return
        name = location.rsplit("/", 1)[1]
        admin = _pg_admin()
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    def cleanup(self) -> None:
        if self.kind == "postgres":
            for name in self.created:
                self.drop(_pg_url(name))


@pytest.fixture(scope="session")
def backends(tmp_path_factory):
    made = {}
    yield made
    from services.firm import close_database

    close_database()
    for backend in made.values():
        backend.cleanup()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, backends, tmp_path_factory) -> Backend:
    kind = request.param
    if kind == "postgres":
        _pg_admin().close()  # fail (CI) or skip (elsewhere) before doing anything
    if kind not in backends:
        backends[kind] = Backend(kind, tmp_path_factory.mktemp(kind))
    return backends[kind]


@pytest.fixture
def empty_db(backend):
    """A new, migrated database with no firm in it."""
    from services import clock
    from services.firm import close_database, open_database

    location = backend.new_location()
    open_database(location)
    yield location
    clock.freeze(None)
    close_database()
    backend.drop(location)


@pytest.fixture
def fresh_db(tmp_path):
    """A migrated SQLite database with no firm: the first start."""
    from services import clock
    from services.firm import close_database, open_database

    location = str(tmp_path / "fresh.sqlite3")
    open_database(location)
    yield location
    clock.freeze(None)
    close_database()


@dataclass
class Firm:
    location: str
    users: dict

    def __getattr__(self, login):
        try:
            return self.users[login]
        except KeyError:
            raise AttributeError(login) from None


def _make_template(backend: Backend, profile: str) -> str:
    from services.firm import FirmSetup, close_database, init_firm, open_database
    from services.people import users

    location = backend.new_location()
    open_database(location)
    init_firm(FirmSetup(profile=profile, firm_name="测试公司", owner_login="owner",
                        owner_password=PASSWORD, owner_name="刘总"))
    owner = users.get_user("owner")
    hashed = owner.password_hash  # one scrypt for all: templates are made often
    for login, name, roles, dept in STAFF:
        users.create_user(login=login, name=name, password="", password_hash=hashed,
                          roles=roles, department=dept if profile == "company" else None,
                          actor=owner)
    close_database()
    return location


def make_firm(backend: Backend, profile: str = "company") -> Firm:
    from models.entities import User
    from services.firm import open_database

    key = profile
    if key not in backend.templates:
        backend.templates[key] = _make_template(backend, profile)
    location = backend.new_location(backend.templates[key])
    open_database(location)
    return Firm(location, {u.login: u for u in User.select()})


@contextmanager
def firm_of(backend: Backend, profile: str = "company"):
    """A firm for one test (see make_firm); afterwards the clock runs again and the database
    is closed and dropped."""
    from services import clock
    from services.firm import close_database

    f = make_firm(backend, profile)
    try:
        yield f
    finally:
        clock.freeze(None)
        close_database()
        backend.drop(f.location)


@pytest.fixture
def firm(backend):
    """A company-profile firm with an owner and the STAFF above (all passwords PASSWORD)."""
    with firm_of(backend) as f:
        yield f


@pytest.fixture
def firm_factory(backend):
    from services import clock
    from services.firm import close_database

    made = []

    def make(profile: str) -> Firm:
        if made:
            close_database()
        f = make_firm(backend, profile)
        made.append(f)
        return f

    yield make
    clock.freeze(None)
    close_database()
    for f in made:
        backend.drop(f.location)


@pytest.fixture
def sqlite_backend(backends, tmp_path_factory) -> Backend:
    """SQLite alone, for tests that do not depend on the backend."""
    if "sqlite" not in backends:
        backends["sqlite"] = Backend("sqlite", tmp_path_factory.mktemp("sqlite"))
    return backends["sqlite"]


@pytest.fixture
def sqlite_firm(sqlite_backend):
    """A company firm on SQLite only, for tests that make many complaints (property tests)."""
    with firm_of(sqlite_backend) as f:
        yield f


@pytest.fixture(autouse=True)
def _program_language():
    """Each test starts in the program's default language, whatever an earlier one chose."""
    from services.i18n import DEFAULT_LANGUAGE, set_language

    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


# --- the window's tests ---------------------------------------------------------------------
# UI tests never wait on the clock: debounced calls happen at once and the worker runs each
# job inline (one test keeps the real thread), so they wait on signals only.


@pytest.fixture
def no_debounce():
    """Every debounced call (a search typed, a column resized) is made at once."""
    from ui.widgets import debounce

    debounce.set_delay(0)
    yield
    debounce.set_delay(None)


@pytest.fixture
def english(qapp, tmp_path, no_debounce):
    """English texts (Qt's own too), private preferences, the log in the test's folder."""
    from services import i18n
    from ui import errors, prefs
    from ui.qt_i18n import apply_language

    previous = i18n.current_language()
    prefs.use_file(str(tmp_path / "prefs.ini"))
    errors.setup_logging(tmp_path)
    apply_language("en")
    yield
    apply_language(previous)


@pytest.fixture
def tasks():
    """The worker, running every job inline on the GUI thread."""
    from ui.tasks import TaskManager

    return TaskManager(synchronous=True)


@pytest.fixture
def session_for(tasks):
    """``session_for(firm, "rec")``: a window session of that user, on the inline worker."""
    from ui.session import Session

    made = []  # alive for the whole test, whatever the test keeps

    def make(firm, login: str = "owner"):
        made.append(Session(user=getattr(firm, login), location=firm.location, tasks=tasks))
        return made[-1]

    return make
