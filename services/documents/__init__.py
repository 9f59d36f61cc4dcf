"""Printed documents: PDF on A4 with ReportLab, no Qt (SPEC §8)."""
from __future__ import annotations
