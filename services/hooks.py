"""Hooks: how one feature reacts to another without importing it (docs/design.md, "Hooks").

A feature that records something fires a hook; a feature that cares subscribes to it when its
package is imported. ``services.features`` imports every feature package once, so every
entry point (the window, the command line, the tests) has all subscribers connected.
Subscribers run inside the caller's transaction: an exception in one rolls the step back.

The window imports the features after its first paint (docs/design.md, Start-up): it names
here, with ``load_subscribers_before_firing``, how to import them, and the first fire of any
hook (or a look at its subscribers) does that first, so no step is ever recorded with a
subscriber missing.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_pending: list[Callable[[], None]] = []  # how to import the subscribers not yet imported
_pending_lock = threading.RLock()  # the worker fires while a warm-up thread may import
_all_in = True  # nothing pending and nothing being imported: a fire need not wait
_depth = 0  # nested load_subscribers calls of the thread holding the lock


def load_subscribers_before_firing(load: Callable[[], None]) -> None:
    """``load`` imports subscribers (e.g. ``import services.features``); it runs once, before
    the next fire of any hook, unless ``load_subscribers`` ran it already."""
    global _all_in
    with _pending_lock:
        _pending.append(load)
        _all_in = False


def load_subscribers() -> None:
    """Import every subscriber named to ``load_subscribers_before_firing`` now (once). A
    thread that calls this while another imports them waits until that import is done."""
    global _all_in, _depth
    if _all_in:
        return
    with _pending_lock:
        _depth += 1
        try:
            while _pending:
                load = _pending.pop(0)  # taken first: a fire during the import won't rerun it
                try:
                    load()
                except BaseException:
                    _pending.insert(0, load)  # still pending: the fire that needed it fails
                    raise
        finally:
            _depth -= 1
        if _depth == 0 and not _pending:
            _all_in = True


class Hook:
    """A named list of callables, fired in the order they subscribed."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._subscribers: list[Callable[..., Any]] = []

    def subscribe(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if fn not in self._subscribers:
            self._subscribers.append(fn)
        return fn

    def fire(self, *args, **kwargs) -> list[Any]:
        return [fn(*args, **kwargs) for fn in self.subscribers()]

    def subscribers(self) -> list[Callable[..., Any]]:
        """Who a fire reaches now: every subscriber, including those not imported yet."""
        load_subscribers()
        return list(self._subscribers)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._subscribers)} subscribers>"


event_recorded = Hook(
    "event_recorded",
    "(complaint, event): a step of the complaint path was written to the timeline, inside its "
    "transaction. Penalties propose entries for limits met late and repeat complaints. A "
    "subscriber returns the Changes it made (services/changes.py), or None.")

firm_created = Hook(
    "firm_created",
    "(firm, now): a new firm was set up from its profile, inside the same transaction. "
    "Warranty and penalties add their presets.")
