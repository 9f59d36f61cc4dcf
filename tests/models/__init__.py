"""Tests of models/ (see tests/conftest.py for the shared fixtures)."""
