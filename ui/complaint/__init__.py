"""The complaint screens: the register form, the complaint view and its action dialogs."""
from __future__ import annotations

from ui.complaint.form import ComplaintForm, NewComplaintDialog
from ui.complaint.view import ComplaintView, ComplaintWindow

__all__ = ["ComplaintForm", "ComplaintView", "ComplaintWindow", "NewComplaintDialog"]
