"""Tests of ui/ (see tests/conftest.py for the shared fixtures)."""
