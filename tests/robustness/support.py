"""What the robustness tests share: starting writer processes and reading their
acknowledgements, and the invariants a database must keep whatever happened to its writers
(docs/rules.md §10, "Nothing saved is lost")."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Ack:
    """One save a writer reported as committed (see worker.py)."""

    kind: str  # "R" registered, "E" a step
    complaint_id: int
    event_id: int
    ticket: str = ""
    action: str = "register"


def parse(line: str) -> Ack | None:
    parts = line.split()
    if parts and parts[0] == "R":
        return Ack("R", int(parts[1]), int(parts[3]), ticket=parts[2])
    if parts and parts[0] == "E":
        return Ack("E", int(parts[1]), int(parts[2]), action=parts[3])
    return None


def start_worker(spec: dict) -> subprocess.Popen:
    """A writer process (python -m tests.robustness.worker) on ``spec['location']``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "tests.robustness.worker", json.dumps(spec)],
                            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def read_line(proc: subprocess.Popen) -> str:
    """The worker's next line; its error output if it ended instead."""
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        raise AssertionError(f"the writer ended (exit {proc.returncode}):\n"
                             f"{proc.stderr.read()}")
    return line.strip()


def wait_ready(proc: subprocess.Popen) -> None:
    line = read_line(proc)
    assert line == "READY", line


# --- the invariants ------------------------------------------------------------------------


def problems(acks: list[Ack]) -> list[str]:
    """Everything wrong with the open database given the acknowledged saves: an empty list
    when nothing acknowledged is missing, ticket numbers are gap-free and unique per year,
    and each complaint's state is what its timeline says (SQLite: and the file is sound)."""
    from models.db import database, is_postgres
    from models.entities import Complaint, Event, TicketCounter
    from services.complaints import numbering

    out = []
    if not is_postgres():
        check = [r[0] for r in database.execute_sql("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            out.append(f"integrity_check: {check[:5]}")
        broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            out.append(f"foreign_key_check: {broken[:5]}")

    complaints = {c.id: c for c in Complaint.select()}
    events: dict[int, list] = {}
    for e in Event.select().order_by(Event.id):
        events.setdefault(e.complaint_id, []).append(e)
    by_id = {e.id: e for timeline in events.values() for e in timeline}

    for ack in acks:
        e = by_id.get(ack.event_id)
        if e is None or e.complaint_id != ack.complaint_id or e.action != ack.action:
            out.append(f"lost acknowledged save: {ack}")
        if ack.kind == "R":
            c = complaints.get(ack.complaint_id)
            if c is None or c.ticket != ack.ticket:
                out.append(f"lost acknowledged complaint: {ack}")

    by_year: dict[int, list] = {}
    for c in complaints.values():
        by_year.setdefault(c.year, []).append(c.seq)
        if c.ticket != numbering.format_ticket(c.received_at, c.seq):
            out.append(f"complaint {c.id}: ticket {c.ticket} is not its count {c.seq}")
    counters = {t.year: t.last for t in TicketCounter.select()}
    for year, seqs in sorted(by_year.items()):
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            out.append(f"{year}: counts not gap-free and unique: {sorted(seqs)}")
        if counters.get(year) != len(seqs):
            out.append(f"{year}: the counter says {counters.get(year)}, "
                       f"{len(seqs)} complaints have a number")

    for cid, c in complaints.items():
        timeline = events.get(cid, [])
        if not timeline or timeline[0].action != "register" or timeline[0].from_state != "":
            out.append(f"complaint {cid} ({c.ticket}): the timeline does not start with "
                       "its registration")
            continue
        for before, after in zip(timeline, timeline[1:], strict=False):
            if after.from_state != before.to_state:
                out.append(f"complaint {cid} ({c.ticket}): {after.action} (event {after.id}) "
                           f"left {after.from_state!r}, but the timeline had reached "
                           f"{before.to_state!r}")
        if c.state != timeline[-1].to_state:
            out.append(f"complaint {cid} ({c.ticket}) is {c.state!r}, its timeline says "
                       f"{timeline[-1].to_state!r}")
    orphans = set(events) - set(complaints)
    if orphans:
        out.append(f"events of no complaint: {sorted(orphans)[:5]}")
    return out
