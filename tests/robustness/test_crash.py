"""SIGKILL in the middle of writing (docs/rules.md §10, "Nothing saved is lost").

A writer process registers complaints and walks them along the path on one database,
printing each save once it is committed; the test kills it (SIGKILL: no clean-up, no
rollback by the program) after a random number of acknowledged saves, and again, and again.
After each kill the database must be sound (SQLite: PRAGMA integrity_check), hold every
acknowledged save, number its complaints gap-free per year, and each complaint's state must
be the one its timeline reaches. The test waits for the writer's lines, never on the clock;
the moment of the kill is random (seeded) between two acknowledgements.
"""
from __future__ import annotations

import os
import random
import signal
import sys
import time

import pytest

from tests.conftest import firm_of
from tests.robustness.support import parse, problems, read_line, start_worker, wait_ready

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SEED = int(os.environ.get("ROBUSTNESS_SEED", "20240611"))


def kill_repeatedly(backend, runs: int, seed: int) -> dict:
    """``runs`` writers killed one after the other on one database; the figures."""
    rng = random.Random(seed)
    acks = []
    with firm_of(backend) as f:
        for run in range(runs):
            proc = start_worker({"mode": "crash", "location": f.location,
                                 "seed": rng.randrange(2**32)})
            try:
                wait_ready(proc)
                for _ in range(rng.randint(1, 12)):
                    line = read_line(proc)
                    ack = parse(line)
                    assert ack is not None, line
                    acks.append(ack)
                # somewhere within the next save (a save takes a few milliseconds)
                time.sleep(rng.uniform(0, 0.005))
            finally:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            # what it printed before it died was committed too
            acks += [a for a in map(parse, proc.stdout.read().splitlines()) if a]
            proc.stdout.close()
            proc.stderr.close()
            proc.stdin.close()
            found = problems(acks)
            assert not found, f"after kill {run + 1} of {runs} (seed {seed}):\n" + "\n".join(
                found[:20])
    figures = {"backend": backend.kind, "kills": runs,
               "registrations": sum(a.kind == "R" for a in acks),
               "steps": sum(a.kind == "E" for a in acks), "lost": 0}
    print(f"\nSIGKILL during writes, {backend.kind}: {figures}")
    return figures


def test_sigkill_during_writes_loses_no_acknowledged_save(backend):
    figures = kill_repeatedly(backend, runs=5, seed=SEED)
    assert figures["registrations"] >= 5


@pytest.mark.slow
def test_sigkill_during_writes_many_times(backend):
    kill_repeatedly(backend, runs=int(os.environ.get("ROBUSTNESS_KILLS", "200")), seed=SEED + 1)
