"""The complaint screens: the register form (form.py), the complaint view and window
(view.py) and its action dialogs. Import the modules themselves: this package stays empty so
importing one of them does not load every screen."""
