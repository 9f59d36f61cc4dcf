"""Widgets and models that more than one screen uses: inline messages, form dialogs with
errors under their fields, input fields, list tables and the lazy table model, texts that
follow the language, rows and columns built from their parts, reading again when shown, and
debouncing. Nothing here imports a screen package (docs/design.md)."""
