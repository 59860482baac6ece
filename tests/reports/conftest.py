"""Fixtures of the report tests: the demo database of the period reports (tests/reports/period_fixture.py)."""

from tests.reports.period_fixture import demo_db, demo_path  # noqa: F401 — pytest finds fixtures by name here
