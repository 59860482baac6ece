"""The period report on a demo database (issue 14, R-AS-01): a monthly report by destination with 同比/环比 equals
hand counts in SQL; the 21–20 caliber moves the cases of the 21st–31st into the next month; the .xlsx reads back
with its merged two-row headers and print setup; the national export has exactly the system's headers; 三无
(R-AS-03) and the composite ranking (R-AS-02) agree with the ledger."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.reports.period_fixture import TODAY, raw
from xinfang_desktop.core.codes import Destination
from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.core.period_stats import Caliber, GroupBy
from xinfang_desktop.reports.national_export import HEADERS, export_national
from xinfang_desktop.reports.period_report import period_report
from xinfang_desktop.reports.period_xlsx import write_period_xlsx
from xinfang_desktop.reports.ranking_report import ranking_report, sanwu_report

LEVEL_OF = {"to_county": "county", "to_city": "city", "to_province": "province", "to_capital": "national"}


def _hand(conn: Any, dest: str, start: date, end: date) -> tuple[int, int]:
    """批次/人次 reaching a destination: visits by their recorded destination, everything else by its level."""
    visits = conn.execute(
        "SELECT count(*), coalesce(sum(headcount), 0) FROM submissions WHERE channel = 'visit' AND destination = ? "
        "AND received_on >= ? AND received_on <= ?",
        (dest, start.isoformat(), end.isoformat()),
    ).fetchone()
    others = conn.execute(
        "SELECT count(*), coalesce(sum(headcount), 0) FROM submissions "
        "WHERE (channel != 'visit' OR destination IS NULL) AND level = ? AND received_on >= ? AND received_on <= ?",
        (LEVEL_OF[dest], start.isoformat(), end.isoformat()),
    ).fetchone()
    return visits[0] + others[0], visits[1] + others[1]


def _pct(cur: int, base: int) -> float | None:
    return None if base == 0 else round((cur - base) / base * 100 + (1e-9 if cur >= base else -1e-9), 1)


def test_monthly_report_by_destination_matches_hand_counts(demo_db: Any, demo_path: Path) -> None:
    report = period_report(demo_db, date(2026, 3, 1), date(2026, 3, 31), GroupBy.DESTINATION, Caliber.NATURAL)
    data = report.to_json()
    assert data["caliber"]["id"] == "natural" and "自然月" in data["caliber"]["note"]
    rows = {r["key"]: r for r in data["rows"]}
    assert [r["name"] for r in data["rows"]][:4] == ["来县", "来市", "到省", "进京"]
    conn = raw(demo_path)
    months = {
        "current": (date(2026, 3, 1), date(2026, 3, 31)),
        "same_period_last_year": (date(2025, 3, 1), date(2025, 3, 31)),
        "previous_period": (date(2026, 2, 1), date(2026, 2, 28)),
    }
    checked = 0
    for dest in Destination:
        row = rows[dest.value]
        hands = {name: _hand(conn, dest.value, *span) for name, span in months.items()}
        for name, (batches, persons) in hands.items():
            assert (row[name]["batches"], row[name]["person_visits"]) == (batches, persons), (dest, name)
        cur, ly, prev = hands["current"], hands["same_period_last_year"], hands["previous_period"]
        assert row["yoy"] == {"batches": _pct(cur[0], ly[0]), "person_visits": _pct(cur[1], ly[1])}
        assert row["mom"] == {"batches": _pct(cur[0], prev[0]), "person_visits": _pct(cur[1], prev[1])}
        checked += cur[0]
    assert checked > 0  # the demo has March visits to count
    total = conn.execute(
        "SELECT count(*), sum(headcount) FROM submissions WHERE received_on BETWEEN '2026-03-01' AND '2026-03-31'"
    ).fetchone()
    assert (data["total"]["current"]["batches"], data["total"]["current"]["person_visits"]) == tuple(total)
    collective = conn.execute(
        "SELECT count(*) FROM submissions WHERE channel = 'visit' AND headcount >= 5 "
        "AND received_on BETWEEN '2026-03-01' AND '2026-03-31'"
    ).fetchone()[0]
    specials = {s["key"]: s for s in data["special"]}
    assert specials["collective"]["current"]["batches"] == collective
    conn.close()


def test_the_21_20_caliber_moves_the_late_days_into_the_next_month(demo_db: Any, demo_path: Path) -> None:
    natural = period_report(demo_db, date(2026, 3, 1), date(2026, 3, 31), GroupBy.CHANNEL, Caliber.NATURAL)
    reporting = period_report(demo_db, date(2026, 3, 1), date(2026, 3, 31), GroupBy.CHANNEL, Caliber.REPORTING)
    assert (reporting.period.start, reporting.period.end) == (date(2026, 2, 21), date(2026, 3, 20))
    assert "上月21日至本月20日" in reporting.caliber_note
    conn = raw(demo_path)

    def count(a: str, b: str) -> int:
        return conn.execute("SELECT count(*) FROM submissions WHERE received_on BETWEEN ? AND ?", (a, b)).fetchone()[0]

    late_feb, late_mar = count("2026-02-21", "2026-02-28"), count("2026-03-21", "2026-03-31")
    assert late_feb and late_mar
    # March under 21–20 = natural March + 21–28 February − 21–31 March.
    assert reporting.total.current.batches == natural.total.current.batches + late_feb - late_mar
    assert reporting.total.current.batches == count("2026-02-21", "2026-03-20")
    assert reporting.previous.start == date(2026, 1, 21)
    assert reporting.total.previous.batches == count("2026-01-21", "2026-02-20")
    conn.close()


def test_xlsx_has_merged_two_row_headers_print_setup_and_the_caliber(demo_db: Any, tmp_path: Path) -> None:
    report = period_report(demo_db, date(2026, 1, 1), date(2026, 6, 30), GroupBy.LOCALITY, Caliber.REPORTING)
    path = write_period_xlsx(report, tmp_path / "期间.xlsx")
    wb = load_workbook(path)
    ws = wb["信访情况统计"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    header_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "乡镇（属地）")
    assert f"A{header_row}:A{header_row + 1}" in merged  # the name column spans both header rows
    assert f"B{header_row}:C{header_row}" in merged and ws.cell(header_row, 2).value == "本期"
    assert [ws.cell(header_row + 1, c).value for c in range(2, 12)] == ["批次", "人次"] * 5
    assert [ws.cell(header_row, c).value for c in (2, 4, 6, 8, 10)] == ["本期", "去年同期", "同比", "上期", "环比"]
    assert ws.freeze_panes == f"B{header_row + 2}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"$1:${header_row + 1}"
    first = header_row + 2
    assert ws.cell(first, 2).number_format == "#,##0" and ws.cell(first, 6).number_format.startswith("+0.0%")
    texts = [str(ws.cell(r, 1).value or "") for r in range(1, ws.max_row + 1)]
    assert any("统计口径：统计月为上月21日至本月20日" in t for t in texts)
    assert any(t.startswith("同比 =") for t in texts)
    total_row = next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total_row, 2).value == report.total.current.batches
    assert set(wb.sheetnames) == {"信访情况统计", "重点来访", "按信访形式", "月度趋势"}
    assert wb["月度趋势"].max_row >= 6


def test_national_export_has_exactly_the_system_headers(demo_db: Any, demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "national.xlsx"
    count = export_national(demo_db, date(2026, 1, 1), date(2026, 3, 31), path)
    wb = load_workbook(path, read_only=True)
    rows = list(wb["信访件"].iter_rows(values_only=True))
    wb.close()
    assert list(rows[0]) == [
        *("信访件编号", "姓名", "信访人数", "住址", "手机号码", "问题属地", "信访目的", "内容分类", "信访日期"),
        *("登记日期", "限办时间", "信访形式", "概况", "是否办结", "是否全国初次信访", "联名信或集体访"),
        *("信访件状态", "登记部门", "登记人"),
    ]
    assert list(rows[0]) == list(HEADERS)
    conn = raw(demo_path)
    expected = conn.execute(
        "SELECT count(*) FROM cases WHERE received_on BETWEEN '2026-01-01' AND '2026-03-31'"
    ).fetchone()[0]
    assert count == expected == len(rows) - 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["信访形式"] in {"来信", "来访", "网上信访", "电话信访", "领导信箱"}
    assert first["是否办结"] in {"是", "否"} and first["信访日期"].startswith("2026-")
    conn.close()


def test_sanwu_lists_the_visits_that_broke_it(demo_db: Any, demo_path: Path) -> None:
    period = parse_period("2026")
    report = sanwu_report(demo_db, period)
    data = report.to_json()
    conn = raw(demo_path)
    abnormal = conn.execute(
        "SELECT count(*) FROM submissions WHERE channel = 'visit' AND destination = 'to_capital' AND is_abnormal = 1 "
        "AND received_on BETWEEN '2026-01-01' AND '2026-12-31'"
    ).fetchone()[0]
    listed = sum(1 for t in data["townships"] for e in t["events"] if e["condition"] == "abnormal_capital")
    assert listed == abnormal
    for t in data["townships"]:
        assert t["sanwu"] == (not t["events"])
    assert data["achieved"] + data["broken"] == len(data["townships"]) >= 10
    conn.close()


def test_composite_ranking_prints_its_formula_and_lists_by_the_rule(demo_db: Any) -> None:
    report = ranking_report(demo_db, parse_period("2026Q1"), today=TODAY)
    data = report.to_json()
    assert data["formula"].startswith("综合得分 = 及时受理率×20%")
    townships = data["tables"][0]["rows"]
    scored = [r for r in townships if r["score"] is not None]
    assert scored and scored[0]["rank"] == 1
    assert [r["score"] for r in scored] == sorted((r["score"] for r in scored), reverse=True)
    lowest = [r for r in scored if r["lowest"]]
    assert lowest and all("综合得分末位" in r["listed_for"] for r in lowest)
    assert all(r["rectification_listing"] == bool(r["listed_for"]) for r in townships)


def test_the_pdfs_carry_no_rule_ids_or_english(demo_db: Any, tmp_path: Path) -> None:
    """Paper for people: the caliber and the formulas in Chinese, no rule IDs, English keys or internal notes."""
    import pdfplumber

    from xinfang_desktop.documents.pdf_renderer import render_pdf
    from xinfang_desktop.documents.report_documents import period_report_document, ranking_document

    period = period_report(demo_db, date(2026, 1, 1), date(2026, 3, 31), GroupBy.UNIT, Caliber.REPORTING).to_json()
    ranking = ranking_report(demo_db, parse_period("2026Q1"), today=TODAY).to_json()
    for name, document in (("p.pdf", period_report_document(period)), ("r.pdf", ranking_document(ranking))):
        render_pdf(document, tmp_path / name)
        with pdfplumber.open(tmp_path / name) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert not re.search(r"[A-Za-z]", text), name
        assert "尚未实现" not in text
    assert "上月21日至本月20日" in period_report_document(period).plain_text()
    assert "综合得分 =" in ranking_document(ranking).plain_text()


def test_a_long_table_prints_one_page_per_40_rows(tmp_path: Path) -> None:
    from xinfang_desktop.reports.report_xlsx import HeaderGroup, SheetSpec, write_sheets

    rows = [[f"=第{i}行", i, i * 2] for i in range(85)]  # a name that looks like a formula stays text
    spec = SheetSpec("表", "标题", ["副标题"], [HeaderGroup("名称"), HeaderGroup("本期", ("批次", "人次"))], rows,
                     [None, "#,##0", "#,##0"], notes=["说明"])  # fmt: skip
    ws = load_workbook(write_sheets(tmp_path / "long.xlsx", [spec]))["表"]
    first = 5  # title, subtitle, two header rows
    assert [b.id for b in ws.row_breaks.brk] == [first + 39, first + 79]
    assert ws.page_setup.fitToHeight == 3 and ws.page_setup.fitToWidth == 1
    assert ws.cell(first, 1).value == "=第0行" and ws.cell(first, 1).data_type != "f"
