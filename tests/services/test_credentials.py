"""Credentials (docs/design.md, Credentials; docs/rules.md §10): the server password kept in
the keyring and never in clear, failed log-ins logged and throttled per login, the owner
lifting a lock. No test sleeps: the clock is frozen and moved."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from models import db as dbmod
from services import clock
from services.errors import LoginThrottled, PasswordNeeded, PermissionDenied
from services.firm import credentials, setup
from services.people import logins, users
from tests.conftest import PASSWORD

T0 = datetime(2026, 3, 2, 9, 0, 0)


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (a real backend's place in tests)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch):
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())


# --- the location without its password ----------------------------------------------------


@pytest.mark.parametrize("url, shown, clean, password", [
    ("postgresql://desk:s3cret@db.local:5433/firm", "postgresql://desk:***@db.local:5433/firm",
     "postgresql://desk@db.local:5433/firm", "s3cret"),
    ("postgres://desk:p%40ss@h/firm", "postgres://desk:***@h/firm", "postgres://desk@h/firm",
     "p@ss"),
    ("postgresql://desk:a@b@h/firm", "postgresql://desk:***@h/firm", "postgresql://desk@h/firm",
     "a@b"),
    ("postgresql://desk@h/firm", "postgresql://desk@h/firm", "postgresql://desk@h/firm", None),
    ("postgresql://h:5432/firm", "postgresql://h:5432/firm", "postgresql://h:5432/firm", None),
    ("/home/x/complaintdesk.sqlite3", "/home/x/complaintdesk.sqlite3",
     "/home/x/complaintdesk.sqlite3", None),
])
def test_redact_and_split(url, shown, clean, password):
    assert credentials.redact(url) == shown
    assert credentials.split(url) == (clean, password)
    if password:
        again = dbmod.with_password(clean, password)
        assert credentials.split(again) == (clean, password)
        params = dbmod.make_database(again).connect_params
        assert params["password"] == password


def test_redact_text_in_a_log_line():
    line = "Could not open postgresql://desk:hunter22@10.0.0.5/firm: timeout; retry " \
           "postgres://a:b@c/d"
    out = credentials.redact_text(line)
    assert "hunter22" not in out and ":b@" not in out
    assert "postgresql://desk:***@10.0.0.5/firm" in out


def test_the_keyring_names_a_server_login():
    assert credentials.account("postgresql://desk:x@db.local/firm") == "desk@db.local:5432/firm"


# --- the keyring ---------------------------------------------------------------------------


def test_a_password_in_the_url_goes_to_the_keyring_and_is_used_next_time(memory_keyring,
                                                                         monkeypatch):
    opened = []
    monkeypatch.setattr(setup, "open_database", lambda location: opened.append(location))
    credentials.open_database("postgresql://desk:s3cret@db.local/firm")
    assert memory_keyring.kept == {("ComplaintDesk", "desk@db.local:5432/firm"): "s3cret"}
    credentials.open_database("postgresql://desk@db.local/firm")  # remembered: not asked
    assert [credentials.split(u)[1] for u in opened] == ["s3cret", "s3cret"]


def test_without_a_keyring_nothing_is_kept_and_the_server_asks(no_keyring, monkeypatch):
    def server(location):
        if credentials.split(location)[1] != "s3cret":
            raise RuntimeError('FATAL:  password authentication failed for user "desk"')

    monkeypatch.setattr(setup, "open_database", server)
    assert not credentials.keyring_usable()
    credentials.open_database("postgresql://desk:s3cret@db.local/firm")  # works, kept nowhere
    with pytest.raises(PasswordNeeded) as caught:
        credentials.open_database("postgresql://desk@db.local/firm")
    assert "desk" in caught.value.message() and "s3cret" not in caught.value.message()
    credentials.open_database("postgresql://desk@db.local/firm", "s3cret")  # asked, given


def test_a_stale_kept_password_is_forgotten(memory_keyring, monkeypatch):
    memory_keyring.kept[("ComplaintDesk", "desk@db.local:5432/firm")] = "old-one"

    def server(location):
        if credentials.split(location)[1] != "new-one":
            raise RuntimeError("fe_sendauth: password authentication failed")

    monkeypatch.setattr(setup, "open_database", server)
    with pytest.raises(PasswordNeeded):
        credentials.open_database("postgresql://desk@db.local/firm")
    assert memory_keyring.kept == {}
    credentials.open_database("postgresql://desk@db.local/firm", "new-one")
    assert list(memory_keyring.kept.values()) == ["new-one"]


def test_other_failures_are_not_taken_for_a_password(memory_keyring, monkeypatch):
    def server(location):
        raise RuntimeError("could not translate host name")

    monkeypatch.setattr(setup, "open_database", server)
    with pytest.raises(RuntimeError):
        credentials.open_database("postgresql://desk:x@nowhere/firm")
    assert memory_keyring.kept == {}  # not accepted: not kept


def test_the_real_server_opens_with_a_password_in_the_url(backend, memory_keyring, caplog):
    """On PostgreSQL (trust auth here) the URL's password is accepted, kept in the keyring,
    and shown nowhere: not in the location label, not in the log."""
    if backend.kind != "postgres":
        pytest.skip("a server URL")
    location = backend.new_location()
    user, rest = location.split("://", 1)[1].split("@", 1)
    with_pw = f"postgresql://{user}:Top-Secret-9@{rest}"
    caplog.set_level(logging.INFO)
    try:
        credentials.open_database(with_pw)
        assert setup.is_initialized() is False
        assert "Top-Secret-9" not in setup.location_label()
        assert list(memory_keyring.kept.values()) == ["Top-Secret-9"]
        assert "Top-Secret-9" not in caplog.text
    finally:
        setup.close_database()
        backend.drop(location)


# --- failed log-ins ------------------------------------------------------------------------


def _fail(login: str, times: int = 1):
    for _i in range(times):
        with pytest.raises(PermissionDenied):
            users.authenticate(login, "wrong-guess")


def test_failed_log_ins_wait_longer_and_longer(firm, caplog):
    clock.freeze(T0)
    caplog.set_level(logging.INFO, logger="complaintdesk.login")
    _fail("rec", logins.FREE_FAILURES - 1)
    with pytest.raises(LoginThrottled) as caught:  # the failure that starts the wait says so
        users.authenticate("rec", "wrong-guess")
    until = T0 + logins.FIRST_WAIT
    assert caught.value.params["until"] == until and not caught.value.params["locked"]
    assert "2026-03-02 09:00:30" in caught.value.message()
    # Even the right password waits: refused without being checked, nothing counted.
    clock.freeze(until - timedelta(seconds=1))
    with pytest.raises(LoginThrottled):
        users.authenticate("rec", PASSWORD)
    assert logins.state("rec").failures == logins.FREE_FAILURES
    # Then a wrong one doubles the wait; a right one after it logs in and clears the count.
    clock.freeze(until)
    with pytest.raises(LoginThrottled) as caught:
        users.authenticate("rec", "wrong-again")
    assert caught.value.params["until"] == until + 2 * logins.FIRST_WAIT
    clock.freeze(until + 2 * logins.FIRST_WAIT)
    assert users.authenticate("rec", PASSWORD).login == "rec"
    assert logins.state("rec").failures == 0
    assert "Failed log-in for 'rec'" in caplog.text and "Logged in: 'rec'" in caplog.text
    assert PASSWORD not in caplog.text and "wrong-guess" not in caplog.text


def test_fifty_seven_guesses_in_ten_seconds_get_nowhere(firm):
    clock.freeze(T0)
    refused_unchecked = 0
    for i in range(57):
        clock.freeze(T0 + timedelta(seconds=i * 10 / 57))
        with pytest.raises(PermissionDenied) as caught:
            users.authenticate("mgr", f"guess{i}")
        refused_unchecked += isinstance(caught.value, LoginThrottled)
    assert logins.state("mgr").failures == logins.FREE_FAILURES  # 3 checked, 54 turned away
    assert refused_unchecked == 57 - logins.FREE_FAILURES + 1
    with pytest.raises(LoginThrottled):
        users.authenticate("mgr", PASSWORD)  # the right password, 10 s later: still refused


def test_a_lock_after_many_failures_that_the_owner_lifts(firm):
    moment = T0
    for _i in range(logins.LOCK_AFTER):
        clock.freeze(moment)
        with pytest.raises(PermissionDenied):
            users.authenticate("han", "wrong-guess")
        moment = logins.state("han").until or moment  # wait out every delay before the next
    st = logins.state("han")
    assert st.locked and st.failures == logins.LOCK_AFTER
    assert st.until == st.last_failure + timedelta(hours=logins.LOCK_HOURS)
    clock.freeze(st.last_failure + timedelta(hours=1))
    with pytest.raises(LoginThrottled) as caught:
        users.authenticate("han", PASSWORD)
    assert caught.value.params["locked"]
    assert "users unlock han" in caught.value.message()
    assert "han" in logins.throttled()
    # Only the owner lifts it.
    with pytest.raises(PermissionDenied):
        logins.unlock("han", actor=firm.mgr)
    assert logins.unlock("han", actor=firm.owner) is True
    assert logins.unlock("han", actor=firm.owner) is False
    assert users.authenticate("han", PASSWORD).login == "han"


def test_a_lock_opens_by_itself_after_a_day_for_one_try_at_a_time(firm):
    clock.freeze(T0)
    for _i in range(logins.LOCK_AFTER):
        logins.record_failure("owner")
    clock.freeze(T0 + timedelta(hours=logins.LOCK_HOURS, seconds=1))
    with pytest.raises(LoginThrottled):  # one more wrong guess: locked again at once
        users.authenticate("owner", "wrong-guess")
    clock.freeze(T0 + timedelta(hours=2 * logins.LOCK_HOURS, seconds=2))
    assert users.authenticate("owner", PASSWORD).login == "owner"


def test_unknown_logins_are_counted_like_real_ones(firm):
    clock.freeze(T0)
    _fail("nobody", logins.FREE_FAILURES - 1)
    with pytest.raises(LoginThrottled):
        users.authenticate("nobody", "x")
    _fail("rec", logins.FREE_FAILURES - 1)
    with pytest.raises(LoginThrottled) as caught:
        users.authenticate("rec", "x")
    assert caught.value.message().replace("rec", "nobody") == \
        logins.refusal_after(logins.state("nobody")).message()


def test_the_count_is_per_login(firm):
    clock.freeze(T0)
    _fail("rec", logins.FREE_FAILURES)
    assert users.authenticate("mgr", PASSWORD).login == "mgr"

