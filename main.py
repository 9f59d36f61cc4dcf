"""ComplaintDesk: `python main.py` opens the window; `python main.py COMMAND ...` runs the CLI;
`python main.py --version` prints the version (docs/design.md, Shipping)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """``argv`` as in sys.argv (program name first). Qt is imported only for the window."""
    from ui.launcher import window_main

    return window_main(argv)


if __name__ == "__main__":
    sys.exit(main())
