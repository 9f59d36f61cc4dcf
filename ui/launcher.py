"""The window program's entry point (main.py, the bundle's ComplaintDesk, pip's
``complaintdesk``): a command given runs the command line, else the window opens
(docs/design.md, Shipping)."""
from __future__ import annotations

import sys
from collections.abc import Sequence


def window_main(argv: Sequence[str] | None = None) -> int:
    """``argv`` as in sys.argv (program name first). Qt is imported only for the window."""
    argv = list(sys.argv if argv is None else argv)
    from ui.cli.args import wants_cli

    if wants_cli(argv[1:]):
        from ui.cli.entry import prepare

        done = prepare(argv[1:])
        if done is not None:
            return done
        from ui.cli import main

        return main(argv[1:])
    from ui import crash_log
    from ui.cli.streams import ensure_streams

    ensure_streams()  # a windowed executable has no console: stray output goes to a log
    crash_log.install()
    import ui.app

    return ui.app.run(argv)
