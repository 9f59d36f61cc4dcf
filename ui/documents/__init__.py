"""The complaint view's Documents menu (the preview and the page images it shows are shared
widgets: ui.widgets.preview, ui.widgets.pdf_pages)."""
