"""A writer process for the robustness tests (not collected by pytest).

``python -m tests.robustness.worker SPEC`` with SPEC a JSON object. It opens the database,
prints ``READY`` and then, once a save is committed, prints one line naming it (flushed), so
the parent knows exactly which saves were acknowledged:

- ``R <complaint id> <ticket> <event id>``: a complaint registered;
- ``E <complaint id> <event id> <action> <state>``: a step taken;
- ``X <complaint id> <action> <error class>``: a step refused with a DomainError;
- ``BUG <complaint id> <action> <repr>``: any other exception (a failure of the tests).

Modes: ``crash`` registers complaints and walks them along the path until killed;
``race`` waits for ``GO`` on stdin, then contests ``acknowledge`` on the given complaints,
adds notes to them and registers complaints, and prints ``DONE``. ``widen`` (seconds) makes
each step sleep after it has read the complaint, so two unserialized writers would surely
overlap; serialized ones (BEGIN IMMEDIATE, SELECT … FOR UPDATE) wait their turn.
"""
from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta

import services.features  # noqa: F401 - every hook connected, as in the program
from services import clock
from services.complaints import ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as registering
from services.errors import DomainError
from services.firm import open_database

# The next step of the crash walk from each state: (actor login, action, params).
NEXT_STEP = {
    "registered": ("rec", "acknowledge", {}),
    "acknowledged": ("rec", "transfer", {"to": "han"}),
    "assigned": ("han", "start_investigation", {}),
    "investigating": ("han", "decide", {"decision": "免费更换", "reasons": "外壳来料缺陷",
                                        "remedy": "return"}),
    "decided": ("mgr", "approve", {}),
    "approved": ("rec", "reply", {"text": "为您免费更换"}),
    "visited": ("rec", "archive", {"root_cause": "来料缺陷"}),
}


def say(*parts) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def new_complaint(actor, rng: random.Random | None = None):
    back = timedelta(minutes=5)
    if rng is not None:  # some in last year: the per-year counts both move
        back = timedelta(days=rng.choice((0, 0, 0, 400)), minutes=rng.randint(5, 600))
    data = ComplaintInput(kind="customer", channel="phone", complainant_name="张三",
                          complainant_phone="13800138000", description="收到的产品外壳开裂",
                          request="换货", category="product_quality",
                          received_at=clock.now() - back)
    return registering.register(data, actor=actor)


def crash(spec: dict, users: dict) -> None:
    from models.entities import Complaint

    rng = random.Random(spec["seed"])
    say("READY")
    while True:
        r = new_complaint(users["rec"], rng)
        say("R", r.complaint_id, r.ticket, r.event_id)
        for _ in range(rng.randint(0, 3)):
            live = [c.id for c in Complaint.select(Complaint.id)
                    .where(Complaint.state.not_in(("archived", "withdrawn")))]
            cid = rng.choice(live)
            state = Complaint.get_by_id(cid).state
            if state == "replied":
                satisfied = Complaint.get_by_id(cid).satisfaction
                login, action, params = (("rec", "visit", {"result": "客户满意"}) if satisfied
                                         else ("rec", "record_satisfaction", {"satisfied": True}))
            elif rng.random() < 0.2:
                login, action, params = "rec", "note", {"note": f"第{rng.randint(1, 99)}次回访"}
            else:
                login, action, params = NEXT_STEP[state]
            done = workflow.act(cid, action, actor=users[login], **params)
            say("E", cid, done.event_id, action, done.state)


def race(spec: dict, users: dict) -> None:
    actor = users[spec["login"]]
    say("READY")
    if sys.stdin.readline().strip() != "GO":
        return

    def attempt(cid, action, **params):
        try:
            done = workflow.act(cid, action, actor=actor, **params)
        except DomainError as exc:
            say("X", cid, action, type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            say("BUG", cid, action, repr(exc).replace("\n", " "))
        else:
            say("E", cid, done.event_id, action, done.state)

    for cid in spec["contest"]:
        attempt(cid, "acknowledge")
    for n in range(spec["notes"]):
        for cid in spec["contest"]:
            attempt(cid, "note", note=f"{spec['login']} 备注 {n}")
    for _ in range(spec["register"]):
        try:
            r = new_complaint(users["rec"])
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            say("BUG", 0, "register", repr(exc).replace("\n", " "))
        else:
            say("R", r.complaint_id, r.ticket, r.event_id)
    say("DONE")


def main() -> None:
    spec = json.loads(sys.argv[1])
    open_database(spec["location"])
    from models.entities import User

    users = {u.login: u for u in User.select()}
    widen = float(spec.get("widen") or 0)
    if widen:
        load = workflow.load

        def slow_load(*args, **kwargs):
            ctx = load(*args, **kwargs)
            time.sleep(widen)
            return ctx

        workflow.load = slow_load
    {"crash": crash, "race": race}[spec["mode"]](spec, users)


if __name__ == "__main__":
    main()
