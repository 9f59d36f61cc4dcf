"""The firm: its profile and presets, opening its database, setting it up (docs/rules.md §1).

One import for callers (``from services import firm``); the parts:
- ``profiles``: the four profiles and their presets (categories, limits, approval, routes);
- ``setup``: opening and migrating a database, setting up a new firm (fires
  ``services.hooks.firm_created``).

Editing the settings a firm shares (``services.settings``) sits above the features it edits.
"""
from __future__ import annotations

from services.firm import setup
from services.firm.profiles import (
    CHANNEL_NAMES,
    CHANNELS,
    EXTERNAL_ROUTE_NAMES,
    EXTERNAL_ROUTES,
    KIND_NAMES,
    KINDS,
    PROFILE_NAMES,
    PROFILES,
    REMEDIES,
    REMEDY_NAMES,
    RULES,
    SEVERITIES,
    SEVERITY_NAMES,
    RulePreset,
)
from services.firm.setup import (
    FirmSetup,
    close_database,
    data_folder,
    init_firm,
    is_initialized,
    open_database,
    release_thread_connection,
)


