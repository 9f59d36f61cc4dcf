"""The complaint screens: the register form (form.py), the complaint view and window
(view.py) and its action dialogs. Import the modules themselves: keeping this package
empty lets other packages use ui.complaint.common without loading every screen."""
