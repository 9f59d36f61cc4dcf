"""The documents' names, for menus and the timeline (msgids; show them with _())."""
from __future__ import annotations

from services.i18n import N_

KIND_NAMES = {
    "receipt": N_("Acknowledgement receipt"),
    "transfer_slip": N_("Transfer slip"),
    "reply": N_("Written reply"),
    "extension_notice": N_("Extension notice"),
    "memo": N_("Quality complaint memo"),
    "warranty_claim": N_("Warranty claim form"),
    "warranty_card": N_("Repair warranty card"),
}
