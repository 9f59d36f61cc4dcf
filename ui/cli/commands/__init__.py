"""The command groups, one module each; every module has ``add_commands(command, commands)``
and its ``cmd_*`` functions, and imports only ui.cli.args/output/context and services.

``GROUPS`` is the order in which they are added to the parser (and listed by --help).
"""
from __future__ import annotations

from ui.cli.commands import (
    backups,
    calendar,
    complaints,
    documents,
    integrity,
    penalties,
    reports,
    setup,
    transfer,
    users,
    warranty,
)

GROUPS = (setup, complaints, users, calendar, warranty, penalties, documents, reports,
          integrity, transfer, backups)
