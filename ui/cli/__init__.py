"""The command line: set up a firm, compute a time limit, walk a complaint from a script.

Every command calls services only, so roles, recusal and confidentiality (docs/rules.md) apply
here exactly as in the window. Exit status: 0 done, 2 bad input or refused (one line on
stderr), 1 anything unexpected. The parts: ``args`` (the parser), ``output`` (printing),
``context`` (one run's database, user and stdin), ``commands`` (one module per group),
``run`` (one run, from the arguments to the exit status).
"""
from __future__ import annotations

from collections.abc import Sequence

from ui.cli.args import ENV_PASSWORD, ENV_USER, version_line, version_requested, wants_cli
from ui.cli.streams import ensure_streams

__all__ = ["ENV_PASSWORD", "ENV_USER", "ensure_streams", "main", "version_line",
           "version_requested", "wants_cli"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 done, 2 bad input/refused, 1 unexpected)."""
    # Loaded here, not at the top: main.py asks wants_cli() before it opens the window, and
    # the window should not pay for every command group and feature (start-up time).
    from ui.cli.run import main as run

    return run(argv)
