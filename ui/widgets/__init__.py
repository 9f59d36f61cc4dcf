"""Widgets and models that more than one screen uses: inline messages, form dialogs with
errors under their fields, input fields, list tables and the lazy table model, debouncing.
Nothing here imports a screen package (docs/design.md)."""
