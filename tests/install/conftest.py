"""tests/install: the wheel built, installed in a fresh venv and run as a user would run it.

Tests marked `install` take about a minute (build, a venv, PySide6 and the other dependencies installed from the
configured package index): the plain `pytest` run skips them, `pytest -m install` (.ci/run) runs them.
"""

from __future__ import annotations

import pytest

INSTALL_SKIP_REASON = "builds the wheel and installs it in a fresh venv (about a minute): run with `pytest -m install`"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "install" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason=INSTALL_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("install") is not None:
            item.add_marker(skip)
