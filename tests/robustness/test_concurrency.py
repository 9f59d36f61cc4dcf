"""Several processes at once on one database (docs/rules.md §10: two PCs wait for each other
instead of failing, and nothing saved is lost).

Writer processes (tests/robustness/worker.py), each its own connection as another PC would
be, start together on ``GO`` and: contest the same step (``acknowledge``) on the same
complaints, of which exactly one may win each; add notes to those complaints, every one of
which must be kept; and register complaints, whose numbers must be unique and gap-free.

Steps must serialize on the complaint: SQLite writes take the write lock at BEGIN
(``BEGIN IMMEDIATE``), PostgreSQL locks the complaint's row (``SELECT … FOR UPDATE``).
``widen`` makes every step pause after reading the complaint, so that writers which do not
serialize surely overlap: without IMMEDIATE, SQLite refuses the late writer with "database is
locked" (not a DomainError); without FOR UPDATE, two processes acknowledge the same complaint
and its timeline no longer explains its state.
"""
from __future__ import annotations

import os
from collections import Counter

import pytest

from tests.conftest import firm_of
from tests.helpers import register
from tests.robustness.support import Ack, parse, problems, start_worker, wait_ready

WORKERS = ("rec", "mgr", "owner", "rec")


def run_together(backend, *, workers: int, contest: int, notes: int, registrations: int,
                 widen: float) -> dict:
    with firm_of(backend) as f:
        made = [register(f.rec) for _ in range(contest)]
        acks = [Ack("R", r.complaint_id, r.event_id, ticket=r.ticket) for r in made]
        cids = [r.complaint_id for r in made]
        procs = [start_worker({"mode": "race", "location": f.location, "login": login,
                               "contest": cids, "notes": notes, "register": registrations,
                               "widen": widen})
                 for login in WORKERS[:workers]]
        lines = []
        try:
            for proc in procs:
                wait_ready(proc)
            for proc in procs:  # all of them at once
                proc.stdin.write("GO\n")
                proc.stdin.flush()
            for proc in procs:
                out, err = proc.communicate(timeout=300)  # a safety net, not a wait
                assert proc.returncode == 0 and out.rstrip().endswith("DONE"), err
                lines += out.splitlines()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()

        bugs = [line for line in lines if line.startswith("BUG")]
        assert not bugs, "not a DomainError:\n" + "\n".join(bugs[:10])
        acks += [a for a in map(parse, lines) if a]
        refused = Counter(line.split()[3] for line in lines if line.startswith("X"))
        won = Counter(a.complaint_id for a in acks if a.action == "acknowledge")
        assert won == Counter(cids), f"acknowledged more than once: {won}"
        assert set(refused) <= {"StateError"}, refused
        assert sum(refused.values()) == contest * (workers - 1)
        kept = Counter(a.complaint_id for a in acks if a.action == "note")
        assert kept == Counter({cid: workers * notes for cid in cids})
        assert sum(a.kind == "R" for a in acks) == contest + workers * registrations
        found = problems(acks)
        assert not found, "\n".join(found[:20])
    figures = {"backend": backend.kind, "workers": workers, "contested": contest * workers,
               "notes": contest * notes * workers, "registrations": workers * registrations,
               "double_wins": 0, "lost": 0}
    print(f"\nprocesses at once, widen={widen}, {backend.kind}: {figures}")
    return figures


def test_processes_at_once_serialize_and_lose_nothing(backend):
    run_together(backend, workers=3, contest=5, notes=2, registrations=4, widen=0.02)


@pytest.mark.slow
@pytest.mark.parametrize("widen", [0.0, 0.01])
def test_processes_at_once_many(backend, widen):
    scale = int(os.environ.get("ROBUSTNESS_SCALE", "1"))
    run_together(backend, workers=4, contest=30 * scale, notes=3, registrations=30 * scale,
                 widen=widen)
