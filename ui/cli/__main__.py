"""``python -m ui.cli COMMAND ...``: the command line (the complaintdesk-cli program)."""
from __future__ import annotations

import sys

from ui.cli.entry import cli_main

if __name__ == "__main__":
    sys.exit(cli_main())
