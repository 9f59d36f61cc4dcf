"""Checking the chain and the sealed rows (docs/design.md, Tamper evidence).

- ``verify(full=True)``: every seal's chain link, then every protected row against its latest
  seal: a row changed, added or deleted outside the program is named by table and id (and the
  complaint it belongs to).
- ``verify(full=False)``: only what was sealed since the last clean check (a checkpoint kept,
  keyed, in the settings), plus rows added after the last sealed id of each table: a handful
  of queries whatever the size of the database, cheap enough for every start.
- ``complaint_problems(id)``: one complaint's sealed rows and their seals' links.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from models import seals
from models.db import database
from models.entities import Complaint, Setting
from services.errors import Cancelled
from services.i18n import N_
from services.integrity.problems import Problem, Report
from services.integrity.sealing import key_state

CHECKPOINT_KEY = "integrity.checkpoint"
_PAGE = 5000
_ZERO = "0" * 64


def _mac(key: bytes, seal_id: int, chain: str) -> str:
    return hmac.new(key, f"checkpoint:{seal_id}:{chain}".encode(), hashlib.sha256).hexdigest()


def _checkpoint(key: bytes) -> tuple[int, str] | None:
    row = Setting.get_or_none(Setting.key == CHECKPOINT_KEY)
    value = row.value if row is not None else None
    if not isinstance(value, dict):
        return None
    try:
        seal_id, chain, mac = int(value["seal"]), str(value["chain"]), str(value["mac"])
    except (KeyError, TypeError, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(key, seal_id, chain)):
        return None  # not ours: check from the start
    return seal_id, chain


def _save_checkpoint(key: bytes, seal_id: int, chain: str) -> None:
    value = {"seal": seal_id, "chain": chain, "mac": _mac(key, seal_id, chain)}
    (Setting.insert(key=CHECKPOINT_KEY, value=value)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())


def _with_tickets(problems: list[Problem]) -> tuple[Problem, ...]:
    ids = {p.complaint_id for p in problems if p.complaint_id}
    tickets = {}
    if ids:
        tickets = dict(Complaint.select(Complaint.id, Complaint.ticket)
                       .where(Complaint.id.in_(sorted(ids))).tuples())
    return tuple(Problem(p.kind, p.table, p.row_id, p.complaint_id,
                         tickets.get(p.complaint_id, ""), p.seal_id, p.path) for p in problems)


def _seals_after(db, after: int):
    """The seals after id ``after``, in chain order, a page at a time."""
    p = db.param
    while True:
        rows = db.execute_sql(
            'SELECT id, table_name, row_id, digest, chain, complaint FROM "seal" '
            f"WHERE id > {p} ORDER BY id LIMIT {_PAGE}", (after,)).fetchall()
        yield from rows
        if len(rows) < _PAGE:
            return
        after = rows[-1][0]


def verify(full: bool = True, *, progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> Report:
    """Check the seal chain and the sealed rows; see the module's docstring."""
    return _verify(database.obj, full, progress, cancelled)


def _verify(db, full, progress, cancelled) -> Report:
    state = key_state(db, fresh=full)  # the check at start uses the key already read
    if state is None:  # a database before migration 8: nothing sealed yet
        return Report(full, 0, 0, ())
    if state.key is None:
        return Report(full, 0, 0, (Problem("no_key", "seal", 0, path=state.hint),))
    key = state.key
    problems: list[Problem] = []
    start, previous = 0, _ZERO
    mark = _checkpoint(key)
    if not full:
        if mark is not None:
            start, previous = mark
            row = db.execute_sql(f'SELECT chain FROM "seal" WHERE id = {db.param}',
                                 (start,)).fetchone()
            if row is None or row[0] != previous:
                problems.append(Problem("seals_cut", "seal", start, seal_id=start))
                return Report(full, 0, 0, _with_tickets(problems))
    total = 1
    if full and progress is not None:
        total = max(1, db.execute_sql('SELECT COUNT(*) FROM "seal"').fetchone()[0])
    latest: dict[str, dict[int, tuple[str, int | None, int]]] = {t: {} for t in seals.PROTECTED}
    checked = 0
    last_id, last_chain = start, previous
    for seal_id, table, row_id, row_digest, chain, complaint in _seals_after(db, start):
        if checked == 0 and start == 0 and (table != seals.GENESIS
                                            or row_digest != seals.key_id(key)):
            problems.append(Problem("forged_seal", table, row_id, complaint, seal_id=seal_id))
        elif not hmac.compare_digest(chain, seals.chain_step(key, previous, table, row_id,
                                                             row_digest)):
            problems.append(Problem("forged_seal", table, row_id, complaint, seal_id=seal_id))
        previous = chain  # go on from what is there, to find what else is wrong
        last_id, last_chain = seal_id, chain
        if table in latest:
            latest[table][row_id] = (row_digest, complaint, seal_id)
        checked += 1
        if progress is not None and full and checked % _PAGE == 0:
            progress(min(0.5, 0.5 * checked / total))
        if cancelled is not None and checked % _PAGE == 0 and cancelled():
            raise Cancelled(N_("Cancelled."))
    rows = 0
    tables = list(seals.PROTECTED)
    for n, table in enumerate(tables):
        sealed = latest[table]
        if full:
            after = 0
            while True:
                page = seals.read_rows(db, table, after=after, limit=_PAGE)
                for row_id, complaint, row_digest in page:
                    found = sealed.pop(row_id, None)
                    if found is None:
                        problems.append(Problem("unsealed", table, row_id, complaint))
                    elif found[0] != row_digest:
                        problems.append(Problem("altered", table, row_id, complaint,
                                                seal_id=found[2]))
                rows += len(page)
                if len(page) < _PAGE:
                    break
                after = page[-1][0]
                if cancelled is not None and cancelled():
                    raise Cancelled(N_("Cancelled."))
        elif sealed:
            for row_id, complaint, row_digest in seals.read_rows(db, table, ids=list(sealed)):
                found = sealed.pop(row_id)
                rows += 1
                if found[0] != row_digest:
                    problems.append(Problem("altered", table, row_id, complaint,
                                            seal_id=found[2]))
        for row_id, (_digest, complaint, seal_id) in sorted(sealed.items()):
            problems.append(Problem("missing", table, row_id, complaint, seal_id=seal_id))
        if progress is not None and full:
            progress(0.5 + 0.5 * (n + 1) / len(tables))
    if not full:
        problems.extend(_added_after_last_seal(db))
    if not problems and last_id:
        if mark != (last_id, last_chain):
            _save_checkpoint(key, last_id, last_chain)
    return Report(full, checked, rows, _with_tickets(problems))


def _added_after_last_seal(db) -> list[Problem]:
    """Rows of each protected table above the highest id ever sealed there: one query."""
    p = db.param
    parts, params = [], []
    for table in seals.PROTECTED:
        parts.append(f"SELECT {p}, t.id, {seals.COMPLAINT_OF[table]} FROM \"{table}\" t "
                     f"WHERE t.id > (SELECT COALESCE(MAX(s.row_id), 0) FROM \"seal\" s "
                     f"WHERE s.table_name = {p})")
        params += [table, table]
    rows = db.execute_sql(" UNION ALL ".join(parts), params).fetchall()
    return [Problem("unsealed", table, row_id, complaint) for table, row_id, complaint in rows]


def recent_problems() -> tuple[Problem, ...]:
    """The incremental check, for the window at start: what was sealed since the last clean
    check, and rows added behind the program's back since."""
    return verify(full=False).problems


# Which rows of a protected table belong to a complaint.
_OF_COMPLAINT = {
    "event": "complaint_id = {p}",
    "attachment": "complaint_id = {p}",
    "complaint_link": "complaint_id = {p}",
    "penalty_entry": "complaint_id = {p}",
    "penalty_entry_event": 'entry_id IN (SELECT id FROM "penalty_entry" WHERE complaint_id = {p})',
    "complaint_access": "complaint_id = {p}",
}


def complaint_problems(complaint_id: int) -> tuple[Problem, ...]:
    """What does not match among one complaint's sealed rows (for a banner on its window):
    each row against its latest seal, and each of those seals against the one before it."""
    db = database.obj
    state = key_state(db)
    if state is None:
        return ()
    if state.key is None:
        return (Problem("no_key", "seal", 0, path=state.hint),)
    key, p = state.key, db.param
    problems: list[Problem] = []
    latest: dict[tuple[str, int], tuple[str, int]] = {}
    for seal_id, table, row_id, row_digest, chain, previous in db.execute_sql(
            'SELECT s.id, s.table_name, s.row_id, s.digest, s.chain, (SELECT b.chain FROM '
            '"seal" b WHERE b.id < s.id ORDER BY b.id DESC LIMIT 1) FROM "seal" s '
            f"WHERE s.complaint = {p} ORDER BY s.id", (complaint_id,)):
        if previous is None or not hmac.compare_digest(
                chain, seals.chain_step(key, previous, table, row_id, row_digest)):
            problems.append(Problem("forged_seal", table, row_id, complaint_id, seal_id=seal_id))
        latest[(table, row_id)] = (row_digest, seal_id)
    for table, where in _OF_COMPLAINT.items():
        ids = [r[0] for r in db.execute_sql(
            f'SELECT id FROM "{table}" WHERE {where.format(p=p)}', (complaint_id,))]
        for row_id, _complaint, row_digest in seals.read_rows(db, table, ids=ids):
            found = latest.pop((table, row_id), None)
            if found is None:
                problems.append(Problem("unsealed", table, row_id, complaint_id))
            elif found[0] != row_digest:
                problems.append(Problem("altered", table, row_id, complaint_id,
                                        seal_id=found[1]))
    for (table, row_id), (_digest, seal_id) in sorted(latest.items()):
        if table in _OF_COMPLAINT:
            problems.append(Problem("missing", table, row_id, complaint_id, seal_id=seal_id))
    return _with_tickets(problems)
