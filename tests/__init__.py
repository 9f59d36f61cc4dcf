"""ComplaintDesk tests."""
