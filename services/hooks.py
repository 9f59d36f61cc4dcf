"""Hooks: how one feature reacts to another without importing it (docs/design.md, "Hooks").

A feature that records something fires a hook; a feature that cares subscribes to it when its
package is imported. ``services.features`` imports every feature package once, so every
entry point (the window, the command line, the tests) has all subscribers connected.
Subscribers run inside the caller's transaction: an exception in one rolls the step back.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
        return [fn(*args, **kwargs) for fn in list(self._subscribers)]

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
