"""ComplaintDesk: `python main.py` opens the window; `python main.py COMMAND ...` runs the CLI."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """``argv`` as in sys.argv (program name first). Qt is imported only for the window."""
    argv = list(sys.argv if argv is None else argv)
    from ui import cli

    if cli.wants_cli(argv[1:]):
        for stream in (sys.stdout, sys.stderr):
            # Pipes get UTF-8 (JSON for scripts), whatever the Windows code page is.
            if not stream.isatty() and hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8")
        return cli.main(argv[1:])
    import ui.app

    return ui.app.run(argv)


if __name__ == "__main__":
    sys.exit(main())
