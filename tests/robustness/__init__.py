"""Robustness: crashes, several processes at once, the safety settings, hostile input
(docs/rules.md §10)."""
