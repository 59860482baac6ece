"""The 领导包案 section: packages, the leader register (R-PK-03) and reception compliance (R-RC-01)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.ui.conftest import make_ctx, register_cases
from xinfang_desktop.persistence.packages_store import PackageInput, add_leader, create_package
from xinfang_desktop.persistence.reception_store import plan_reception, record_reception
from xinfang_desktop.ui.packages_panel import PackagesPanel


def test_panel_lists_packages_leaders_and_compliance(qtbot: Any, empty_db: Any) -> None:
    db = empty_db
    number = register_cases(db, 1)[0]
    add_leader(db, "李明", organ="政府", rank="副职", level="县", post="副县长", phone="13800138000")
    add_leader(db, "王强", organ="党委", rank="正职", level="县", post="县委书记")
    create_package(db, PackageInput(cases=[number], leader="王强"), today=date(2026, 11, 20))
    plan_reception(db, "李明", date(2026, 10, 14))
    record_reception(db, "王强", date(2026, 10, 13), received=2, today=date(2026, 11, 20))

    panel = PackagesPanel(make_ctx(db))
    qtbot.addWidget(panel)
    panel.start()
    assert panel.packages.rowCount() == 1
    assert panel.packages.item(0, 1).text() == "县委书记王强"
    assert panel.packages.item(0, 4).text() == "0/5"
    assert panel.leaders.item(0, 1).text() == "王强"  # R-PK-03: party principal first
    assert panel.leaders.item(1, 7).text() == "138****8000"  # masked
    assert panel.period.text() == "2026Q4"
    rows = {panel.compliance.item(i, 0).text(): i for i in range(panel.compliance.rowCount())}
    li = rows["李明"]
    assert panel.compliance.item(li, 2).text() == "未达标"  # October passed without a held day
    assert panel.compliance.item(li, 4).text() == "2026-10-14"
    panel.period.setText("2026Q9")
    panel.refresh_compliance()
    assert "读取失败" in panel.status.text()
    panel.status_filter.setCurrentText("已办结")
    assert panel.packages.rowCount() == 0
