"""The command line's entry point (the bundle's complaintdesk-cli, pip's console script,
``python -m ui.cli``); ui/launcher.py is the window's (docs/design.md, Shipping)."""
from __future__ import annotations

import sys
from collections.abc import Sequence


def prepare(args: Sequence[str]) -> int | None:
    """Streams that exist, and --version answered at once (no Qt, no database)."""
    from ui.cli.args import version_line, version_requested
    from ui.cli.streams import ensure_streams

    ensure_streams()
    if version_requested(args):
        print(version_line())
        return 0
    return None


def cli_main(argv: Sequence[str] | None = None) -> int:
    """A command; without one, the usage (exit status 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    done = prepare(args)
    if done is not None:
        return done
    from ui.cli import main

    return main(args)
