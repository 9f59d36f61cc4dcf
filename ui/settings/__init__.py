"""Settings: firm details, profile presets, staff, the holiday calendar and the language."""
from __future__ import annotations

from ui.settings.view import SettingsView

__all__ = ["SettingsView"]
