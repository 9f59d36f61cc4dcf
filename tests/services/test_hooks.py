"""Hooks whose subscribers are imported late (services/hooks.py): the first fire imports them
first, once; a failed import stays pending, so no fire ever misses a subscriber."""
from __future__ import annotations

import pytest

from services import hooks


@pytest.fixture
def hook(monkeypatch):
    monkeypatch.setattr(hooks, "_pending", [])
    monkeypatch.setattr(hooks, "_all_in", True)
    return hooks.Hook("test_hook", "(value): for these tests only.")


def test_the_first_fire_imports_the_pending_subscribers_once(hook):
    loads, seen = [], []

    def load():
        loads.append(1)
        hook.subscribe(lambda value: seen.append(value))

    hooks.load_subscribers_before_firing(load)
    assert loads == []  # nothing until a hook fires
    hook.fire("a")
    hook.fire("b")
    assert loads == [1] and seen == ["a", "b"]


def test_a_look_at_the_subscribers_imports_them_too(hook):
    hooks.load_subscribers_before_firing(lambda: hook.subscribe(print))
    assert hook.subscribers() == [print]


def test_a_failed_import_stays_pending_and_the_fire_fails(hook):
    attempts, seen = [], []

    def load():
        attempts.append(1)
        if len(attempts) == 1:
            raise ImportError("not yet")
        hook.subscribe(seen.append)

    hooks.load_subscribers_before_firing(load)
    with pytest.raises(ImportError):
        hook.fire("lost?")
    assert seen == []
    hook.fire("kept")
    assert attempts == [1, 1] and seen == ["kept"]


def test_a_fire_during_the_import_does_not_run_it_again(hook):
    loads = []

    def load():
        loads.append(1)
        hook.fire("while importing")  # an imported module that fires at import
        hook.subscribe(print)

    hooks.load_subscribers_before_firing(load)
    hook.fire("x")
    assert loads == [1]


def test_a_fire_on_another_thread_waits_for_an_import_under_way(hook):
    """The warm-up thread imports the features while the worker records a step: the step's
    fire waits for the import, then reaches the subscriber it brought."""
    import threading

    started, release, seen = threading.Event(), threading.Event(), []

    def load():
        started.set()
        assert release.wait(30)
        hook.subscribe(seen.append)

    hooks.load_subscribers_before_firing(load)
    importing = threading.Thread(target=hooks.load_subscribers)
    importing.start()
    assert started.wait(30)
    fired = []
    firing = threading.Thread(target=lambda: fired.append(hook.fire("step")))
    firing.start()
    release.set()
    firing.join(30)
    importing.join(30)
    assert seen == ["step"] and fired == [[None]]
