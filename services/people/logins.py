"""Failed log-ins: logged, and slowed down per login (docs/rules.md §10).

Each failed log-in is written to the program's log and counted in the firm's settings table
(``Setting`` "login_failures:LOGIN": the count, the last failure, when it was locked), so
every PC and the command line count together. The first ``FREE_FAILURES`` cost nothing; then
each further failure makes the login wait longer before it may try again (``FIRST_WAIT``,
doubling, at most ``LONGEST_WAIT``); after ``LOCK_AFTER`` failures it is locked until an owner
unlocks it (Settings ▸ Staff, ``main.py users unlock LOGIN``) — or, so a firm's only owner is
never shut out for good, until ``LOCK_HOURS`` have passed, when it gets one try at a time.
While it waits or is locked, even the right password is refused. A log-in that succeeds
clears the count. Unknown logins are counted like real ones, so the answers tell nobody
which logins exist. Nothing sleeps: the refusal names the moment to try again
(``services.clock``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.db import database, is_read_only
from models.entities import Setting
from services import clock
from services.errors import LoginThrottled
from services.i18n import N_
from services.people.permissions import require_role

FREE_FAILURES = 3
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
LOCK_AFTER = 10
LOCK_HOURS = 24
KEY_PREFIX = "login_failures:"

log = logging.getLogger("complaintdesk.login")


@dataclass(frozen=True)
class LoginState:
    """A login's failed attempts and whether it may try again now."""
    login: str
    failures: int
    last_failure: datetime | None
    until: datetime | None  # no log-in before this moment (None: may try now)
    locked: bool            # waits for an owner (or LOCK_HOURS)


def _key(login: str) -> str:
    return KEY_PREFIX + login[:50]


def wait_after(failures: int) -> timedelta | None:
    """How long a login waits after its ``failures``-th failure in a row (None: no wait)."""
    if failures >= LOCK_AFTER:
        return timedelta(hours=LOCK_HOURS)
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES), LONGEST_WAIT)


def _state(login: str, value) -> LoginState:
    value = value if isinstance(value, dict) else {}
    failures = int(value.get("failures", 0))
    last = value.get("last")
    last = datetime.fromisoformat(last) if last else None
    wait = wait_after(failures)
    until = last + wait if (last is not None and wait is not None) else None
    return LoginState(login, failures, last, until, failures >= LOCK_AFTER)


def state(login: str) -> LoginState:
    row = Setting.get_or_none(Setting.key == _key(login))
    return _state(login, row.value if row else None)


def throttled() -> dict[str, LoginState]:
    """Every login now waiting or locked, by login (Settings ▸ Staff shows them)."""
    now = clock.now()
    out = {}
    for row in Setting.select().where(Setting.key.startswith(KEY_PREFIX)):
        st = _state(row.key[len(KEY_PREFIX):], row.value)
        if st.until is not None and st.until > now:
            out[st.login] = st
    return out


def check(login: str) -> None:
    """Refuse a log-in while ``login`` waits or is locked, whatever the password."""
    st = state(login)
    now = clock.now()
    if st.until is None or now >= st.until:
        return
    log.warning("Log-in refused for %r: %d failed log-ins, %s until %s", login, st.failures,
                "locked" if st.locked else "waiting", st.until.isoformat(timespec="seconds"))
    raise _refusal(st)


def _refusal(st: LoginState) -> LoginThrottled:
    if st.locked:
        return LoginThrottled(
            N_("The login {login} is locked after {count} failed log-ins. An owner can unlock "
               "it in Settings ▸ Staff or with 'users unlock {login}'; otherwise it opens again "
               "at {until}."),
            field="login", login=st.login, count=st.failures, until=st.until, locked=True)
    return LoginThrottled(
        N_("Too many failed log-ins for {login}: try again after {until}."),
        field="login", login=st.login, count=st.failures, until=st.until, locked=False)


def record_failure(login: str) -> LoginState:
    """Count a failed log-in (its own transaction, kept even when the caller's rolls back)."""
    now = clock.now()
    key = _key(login)
    with database.atomic():
        row = Setting.get_or_none(Setting.key == key)
        failures = _state(login, row.value if row else None).failures + 1
        value = {"failures": failures, "last": now.isoformat()}
        if not is_read_only():  # a read-only database cannot count; the log still does
            (Setting.insert(key=key, value=value)
             .on_conflict(conflict_target=[Setting.key], update={Setting.value: value})
             .execute())
    st = _state(login, value)
    log.warning("Failed log-in for %r (%d in a row)%s", login, failures,
                "" if st.until is None else "; {} until {}".format(
                    "locked" if st.locked else "waits", st.until.isoformat(timespec="seconds")))
    return st


def record_success(login: str) -> None:
    if is_read_only():  # a read-only database keeps its count; the log still says who
        log.info("Logged in (read-only database): %r", login)
        return
    Setting.delete().where(Setting.key == _key(login)).execute()
    log.info("Logged in: %r", login)


def unlock(login: str, *, actor) -> bool:
    """The owner lifts a login's wait or lock; whether there was one."""
    require_role(actor, "owner")  # rules.md §2: users are the owner's
    with database.atomic():
        was = Setting.delete().where(Setting.key == _key(login)).execute() > 0
    if was:
        log.warning("Log-in of %r unlocked by %r", login, actor.login)
    return was


def refusal_after(st: LoginState) -> LoginThrottled | None:
    """The refusal to give right after a failure that started a wait (None: none yet)."""
    if st.until is None:
        return None
    return _refusal(st)
