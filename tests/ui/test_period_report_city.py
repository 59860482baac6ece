"""期间统计 at a bureau that receives packages (issue 14): 数据 offers 各单位上报汇总 beside 本单位台账; for a whole
month it shows the sum of the offices' figures (equal to the county's own report), names the offices, and refuses a
period that is not a whole month, quarter, half year or year."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate

from tests.ui.conftest import make_ctx
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.ui.period_report_tab import PeriodReportTab

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def city_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    root = tmp_path_factory.mktemp("city")
    county, city = root / "county.sqlite3", root / "city.sqlite3"
    for path in (county, city):
        db = open_database(path)
        seed_reference_data(db)
        if path == county:
            generate_demo(db, 800, 9, today=TODAY)
        db.dispose()
        assert main(["exchange", "keys", "init", "--db", str(path)]) == 0
    assert main(["exchange", "keys", "show", "-o", str(root / "county.pub"), "--db", str(county)]) == 0
    assert (
        main(["exchange", "keys", "trust", str(root / "county.pub"), "--office", "甲县信访局", "--db", str(city)]) == 0
    )
    assert main(["exchange", "pack", "--period", "2026-10", "-o", str(root / "p.zip"), "--db", str(county)]) == 0
    assert main(["exchange", "import", str(root / "p.zip"), "--db", str(city)]) == 0
    return city


def test_the_city_sees_the_offices_sum(qtbot: Any, city_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    city = city_path
    county = city.parent / "county.sqlite3"
    capsys.readouterr()
    assert main(["report", "period", "--from", "2026-10-01", "--to", "2026-10-31", "--db", str(county), "--json"]) == 0
    own = json.loads(capsys.readouterr().out)
    db = open_database(city)
    try:
        tab = PeriodReportTab(make_ctx(db))
        qtbot.addWidget(tab)
        tab.resize(1280, 820)
        tab.from_edit.setDate(QDate(2026, 10, 1))
        tab.to_edit.setDate(QDate(2026, 10, 31))
        with qtbot.waitSignal(tab.loaded):
            tab.show()
        assert tab.source_combo.isVisible()  # this database has received packages
        assert tab.report is not None and tab.report.total.numbers[0] == 0  # the city's own ledger is empty
        tab.source_combo.setCurrentIndex(tab.source_combo.findData("city"))
        with qtbot.waitSignal(tab.loaded):
            tab.refresh()
        assert tab.report.total.numbers[0] == own["total"]["current"]["batches"] > 0
        assert "各单位上报汇总：1 个单位（甲县信访局）" in tab.period_label.text()
        tab.grab().save(str(city.parent / "city-tab.png"))
        tab.to_edit.setDate(QDate(2026, 10, 20))
        tab.refresh()
        assert "整月、整季" in tab.error_label.text()
    finally:
        db.dispose()
