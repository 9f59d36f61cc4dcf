"""Tests of services/ (see tests/conftest.py for the shared fixtures)."""
