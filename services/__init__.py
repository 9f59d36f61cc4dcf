"""Domain rules of ComplaintDesk. Nothing here imports Qt (docs/design.md)."""

__version__ = "0.1.0"
