"""Every feature package, imported once so that their hooks are connected (docs/design.md).

Entry points import this module, never the other way round: it sits above every feature.
"""
from __future__ import annotations

import services.complaints  # noqa: F401
import services.integrity  # noqa: F401 - seals rows as they are written (Tamper evidence)
import services.penalties  # noqa: F401
import services.warranty  # noqa: F401
