"""The 统计 section opens on the counts it last made (issue 19): exact and not recounted when nothing was written
since, recounted when the ledger changed; the kept counts are not settings and never reach `xinfang stats`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.persistence.assessment_ledger import TODAY, build_ledger
from tests.ui.conftest import make_ctx
from xinfang_desktop.core.assessment import Grouping, default_period
from xinfang_desktop.persistence.settings_store import CACHE_PREFIX, SqlSettings
from xinfang_desktop.reports.assessment import assessment_report
from xinfang_desktop.reports.assessment_cache import cached_report
from xinfang_desktop.ui.statistics_panel import StatisticsPanel


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(tmp_path / "stats.sqlite3")
    seed_reference_data(db)
    build_ledger(db)
    yield db
    db.dispose()


def _opened(qtbot: Any, db: Any) -> StatisticsPanel:
    ctx = make_ctx(db)
    ctx.today = lambda: TODAY
    panel = StatisticsPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.start()
    return panel


def _kept(db: Any) -> dict[str, Any]:
    with db.read_session() as s:
        value = SqlSettings(s).get(f"{CACHE_PREFIX}assessment.{Grouping.UNIT.value}")
    assert isinstance(value, dict)
    return value


def test_opened_again_with_nothing_written_it_shows_the_kept_counts_without_recounting(qtbot: Any, ledger: Any) -> None:
    first = _opened(qtbot, ledger)
    kept = _kept(ledger)
    period = default_period(TODAY)
    found = cached_report(ledger, period, Grouping.UNIT, today=TODAY)
    assert found is not None and found.current
    assert found.report.groups == assessment_report(ledger, period, Grouping.UNIT, today=TODAY).groups

    second = _opened(qtbot, ledger)
    assert _kept(ledger) == kept  # not recounted: the same count, made at the same time
    assert second.report is not None and first.report is not None
    assert second.report.groups == first.report.groups
    assert second.kept_note.text() == ""


def test_after_a_write_the_kept_counts_are_stale_and_the_section_recounts(qtbot: Any, ledger: Any) -> None:
    from tests.ui.conftest import intake
    from xinfang_desktop.persistence.case_intake import add_case

    first = _opened(qtbot, ledger)
    assert first.report is not None
    before = first.report.total.cases
    add_case(ledger, intake(1, received_on=TODAY.isoformat()), today=TODAY, user="tester")
    found = cached_report(ledger, default_period(TODAY), Grouping.UNIT, today=TODAY)
    assert found is not None and not found.current  # the figures kept no longer hold

    second = _opened(qtbot, ledger)
    assert second.report is not None and second.report.total.cases == before + 1
    assert cached_report(ledger, default_period(TODAY), Grouping.UNIT, today=TODAY).current  # type: ignore[union-attr]


def test_the_kept_counts_are_not_settings(qtbot: Any, ledger: Any) -> None:
    _opened(qtbot, ledger)
    with ledger.read_session() as s:
        assert not [k for k in SqlSettings(s).all() if k.startswith(CACHE_PREFIX)]


def test_another_day_or_period_is_not_served_from_the_kept_counts(qtbot: Any, ledger: Any) -> None:
    from datetime import timedelta

    _opened(qtbot, ledger)
    period = default_period(TODAY)
    assert cached_report(ledger, period, Grouping.UNIT, today=TODAY + timedelta(days=1)) is None
    assert cached_report(ledger, period, Grouping.TOWNSHIP, today=TODAY) is None
