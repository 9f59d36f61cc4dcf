"""Domain rules of ComplaintDesk. Nothing here imports Qt (STYLE practice 1)."""

__version__ = "0.1.0"
