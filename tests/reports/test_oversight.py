"""年度市领导包片督查信访积案表 (R-PK-05): import the seed 002 annex, report it from the ledger, export, re-import."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import content_hash
from tests.reports.oversight_fixture import ANNEX_ROWS, NOTE_ROW, TITLE, TOTAL, YEAR, setup_ledger, write_annex_xlsx
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.packages import normalise_name
from xinfang_desktop.documents.leader_documents import oversight_document
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.oversight_store import import_assignments
from xinfang_desktop.persistence.packages_store import add_leader
from xinfang_desktop.persistence.records import AuditEntryRecord
from xinfang_desktop.reports.oversight import oversight_report, read_xlsx, write_xlsx

EXPECTED = [(normalise_name(leader) or None, unit, count) for leader, unit, count in ANNEX_ROWS]


def test_annex_transcription_adds_up() -> None:
    assert len(ANNEX_ROWS) == 14 and sum(c for _, _, c in ANNEX_ROWS) == TOTAL == 237


def test_read_annex_xlsx(tmp_path: Path) -> None:
    rows = read_xlsx(write_annex_xlsx(tmp_path / "annex.xlsx"))
    assert [(normalise_name(r.leader or "") or None, r.contact, r.count) for r in rows[:14]] == EXPECTED
    note = rows[14]
    assert note.count is None and normalise_name(note.leader or "") == "市人大常委会、市政协领导"
    assert note.contact == NOTE_ROW[1] and len(rows) == 15  # the contact line under the table is not a row
    assert rows[0].source_row == 4


def test_report_reproduces_the_seed_annex(db: Database, tmp_path: Path) -> None:
    """R-PK-05: imported rows + ledger backlog → the annex exactly: 237 cases over 14 rows, total in the header."""
    setup_ledger(db)
    add_leader(db, "林亮", organ="政府", rank="副职", level="市", post="副市长")
    imported = import_assignments(db, YEAR, read_xlsx(write_annex_xlsx(tmp_path / "annex.xlsx")))
    assert len(imported) == 15 and imported[-1]["note"]
    report = oversight_report(db, YEAR)
    assert report.title == TITLE
    assert [(r.leader, r.contact_unit, r.backlog) for r in report.counted_rows] == EXPECTED
    assert report.total == TOTAL and len(report.counted_rows) == 14 and report.unassigned == 0
    assert all(r.backlog == r.imported_count for r in report.counted_rows)
    note = report.rows[-1]
    assert note.backlog is None and note.leader == "市人大常委会、市政协领导"
    data = report.to_json()
    assert data["total"] == 237 and data["row_count"] == 14
    lin = next(g for g in data["by_leader"] if g["leader"] == "林亮")  # one leader over several units
    assert lin == {"leader": "林亮", "units": ["丽水开发区", "市国土局"], "backlog": 17}
    assert data["rows"][6]["leader_id"] is not None and data["rows"][0]["leader_id"] is None  # 张兵 not registered
    assert data["rows"][11]["leader"] is None  # 市发改委: no named leader
    assert data["rows"][2]["leader"] == "市委专职副书记"  # a role in place of a name
    table = report.table_rows()
    assert table[0] == ("督查领导", "联系单位", "积案数(共237件)")
    assert table[1] == ("张  兵", "景宁县", "8") and table[12] == ("", "市发改委", "1")

    # .xlsx export in the annex's shape, and it imports back to the same table.
    out = tmp_path / "report.xlsx"
    write_xlsx(report, out)
    ws = load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == TITLE and ws["C2"].value == "积案数(共237件)"
    assert (ws["A3"].value, ws["B3"].value, ws["C3"].value) == ("张  兵", "景宁县", 8)
    again = read_xlsx(out)
    assert [(normalise_name(r.leader or "") or None, r.contact, r.count) for r in again[:14]] == EXPECTED

    # PDF export: one table with every row.
    pdf = tmp_path / "report.pdf"
    info = render_pdf(oversight_document(report.title, table), pdf)
    with pdfplumber.open(pdf) as doc:
        text = "".join("".join((p.extract_text() or "").split()) for p in doc.pages)
    assert info.pages >= 1 and TITLE in text and "积案数(共237件)" in text
    for _, unit, _ in ANNEX_ROWS:
        assert unit in text


def test_reimport_replaces_the_year_and_is_audited(db: Database, tmp_path: Path) -> None:
    setup_ledger(db)
    path = write_annex_xlsx(tmp_path / "annex.xlsx")
    import_assignments(db, YEAR, read_xlsx(path))
    import_assignments(db, YEAR, read_xlsx(path))
    assert len(oversight_report(db, YEAR).rows) == 15
    with db.read_session() as s:
        n = s.scalar(select(func.count()).where(AuditEntryRecord.entity == "oversight_year"))
    assert n == 2


def test_unknown_contact_unit_changes_nothing(db: Database, tmp_path: Path) -> None:
    setup_ledger(db)
    before = content_hash(db)
    bad = [*ANNEX_ROWS[:3], ("某领导", "不存在的单位", 3)]
    with pytest.raises(DomainError, match="不存在的单位"):
        import_assignments(db, YEAR, read_xlsx(write_annex_xlsx(tmp_path / "bad.xlsx", bad)))
    assert content_hash(db) == before
    with pytest.raises(DomainError, match="尚未设置"):
        oversight_report(db, YEAR)


def test_bad_files(tmp_path: Path) -> None:
    from openpyxl import Workbook

    with pytest.raises(DomainError, match="找不到"):
        read_xlsx(tmp_path / "missing.xlsx")
    (tmp_path / "x.xlsx").write_text("not a workbook")
    with pytest.raises(DomainError, match="无法读取"):
        read_xlsx(tmp_path / "x.xlsx")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "单位"])
    wb.save(tmp_path / "nohdr.xlsx")
    with pytest.raises(DomainError, match="表头"):
        read_xlsx(tmp_path / "nohdr.xlsx")
    with pytest.raises(DomainError, match="不是整数"):
        read_xlsx(write_annex_xlsx(tmp_path / "n.xlsx", [("张兵", "景宁县", "八")]))  # type: ignore[list-item]


def test_the_annex_imports_into_a_fresh_database(db: Database, tmp_path: Path) -> None:
    """Issue 18: without the ledger's units, the seed's own annex refused every row. Counties and cities resolve
    through GB/T 2260 (景宁县 for 景宁畲族自治县), and the other contacts are registered with `create_units`."""
    from xinfang_desktop.persistence.records import RegionRecord, UnitRecord

    path = write_annex_xlsx(tmp_path / "annex.xlsx")
    before = content_hash(db)
    with pytest.raises(DomainError) as refused:
        import_assignments(db, YEAR, read_xlsx(path))
    message = str(refused.value.message)
    assert "丽水开发区" in message and "市建设局" in message and "--create-units" in message
    assert "景宁县" not in message and "缙云县" not in message and "龙泉市" not in message
    assert content_hash(db) == before  # nothing written, regions included
    imported = import_assignments(db, YEAR, read_xlsx(path), create_units=True)
    assert len(imported) == 15
    with db.read_session() as s:
        regions = dict(s.execute(select(RegionRecord.name, RegionRecord.code)).all())
        units = set(s.scalars(select(UnitRecord.name)))
    assert regions["景宁畲族自治县"] == "331127" and regions["龙泉市"] == "331181"
    assert {"丽水开发区", "市建设局"} <= units and "景宁县" not in units
    assert sum(r["imported_count"] or 0 for r in imported) == TOTAL  # the ledger, empty here, counts 0
