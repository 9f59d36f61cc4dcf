"""Domain rules of ComplaintDesk. Nothing here imports Qt (STYLE practice 1)."""
