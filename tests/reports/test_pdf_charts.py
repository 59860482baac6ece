"""The charts in the PDF reports (issue 14): made from the report's own data, on the page the layout puts them, after
the table they illustrate, inside the text area, in the document's fonts; the tables themselves unchanged."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.reports.period_fixture import TODAY
from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.core.period_stats import Caliber, GroupBy
from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents import report_charts as pdf_charts
from xinfang_desktop.documents.model import Figure, Table
from xinfang_desktop.documents.page_ops import DrawingOp, TextOp
from xinfang_desktop.documents.pdf_renderer import layout_document, render_pdf
from xinfang_desktop.documents.report_documents import period_report_document, ranking_document
from xinfang_desktop.reports.period_report import period_report
from xinfang_desktop.reports.ranking_report import ranking_report

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber (test tool) is not installed")


def _period(db: Any, by: GroupBy = GroupBy.DESTINATION) -> dict[str, Any]:
    return period_report(db, date(2026, 1, 1), date(2026, 10, 31), by, Caliber.NATURAL).to_json()


def _figures(doc: Any) -> list[Figure]:
    return [b for b in doc.body if isinstance(b, Figure)]


def _pages_of_figures(doc: Any) -> dict[str, tuple[int, DrawingOp]]:
    """Each figure's title → (0-based page, its drawing op), in the layout the PDF is drawn from."""
    layout = layout_document(doc)
    ops = [(n, op) for n, page in enumerate(layout.pages) for op in page.ops if isinstance(op, DrawingOp)]
    return {f.title: placed for f, placed in zip(_figures(doc), ops, strict=True)}


def _text_area(op: DrawingOp) -> bool:
    return (
        op.x >= g.LEFT_MARGIN - 1e-6
        and op.x + op.width <= g.LEFT_MARGIN + g.TEXT_WIDTH + 1e-6
        and op.top >= g.TOP_MARGIN - 1e-6
        and op.bottom <= g.TEXT_BOTTOM_FROM_TOP + 1e-6
    )


def _pdftotext(path: Path, page: int) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_period_charts_follow_the_batches_table_from_the_same_data(demo_db: Any, tmp_path: Path) -> None:
    data = _period(demo_db)
    doc = period_report_document(data)
    kinds = [type(b).__name__ for b in doc.body]
    first_table = kinds.index("Table")
    assert kinds[first_table + 1 : first_table + 3] == ["Figure", "Figure"]  # right after the 批次 table
    bars, trend = _figures(doc)
    assert bars.title == "按去向统计的批次（本期与去年同期）" and trend.title == "月度趋势（批次，2026年）"
    # The values printed are the table's and the trend's own figures: nothing read again.
    for row in data["rows"]:
        assert row["name"] in bars.texts and str(row["current"]["batches"]) in bars.texts
    assert [f"{m}月" for m in range(1, 11)] == [t for t in trend.texts if t.endswith("月") and t[:-1].isdigit()]
    assert [str(p["batches"]) for p in data["trend"]] == list(trend.texts[-len(data["trend"]) :])
    for text in ("单位：批次", "去向", "本期", "去年同期", "月份"):
        assert text in bars.texts or text in trend.texts

    path = tmp_path / "p.pdf"
    info = render_pdf(doc, path)
    placed = _pages_of_figures(doc)
    assert all(_text_area(op) for _, op in placed.values())
    assert b"/Helvetica" not in path.read_bytes()  # no unembedded base font: the drawings use the document's fonts
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == info.pages
        for title, (page_no, op) in placed.items():
            page = pdf.pages[page_no]
            text = page.extract_text() or ""
            assert title in text
            inside = [r for r in page.rects if op.top - 0.5 <= r["top"] and r["bottom"] <= op.bottom + 0.5]
            if title == bars.title:  # 本期 black and 去年同期 light grey, one pair per destination
                fills = [r for r in inside if r["fill"] and r["height"] > 0.5 and r["width"] > 5]
                black = [r for r in fills if tuple(r["non_stroking_color"] or ()) in ((0,), (0, 0, 0), [0])]
                assert len(black) >= sum(1 for r in data["rows"] if r["current"]["batches"])
            else:  # the trend: polylines inside the figure's box
                assert [c for c in page.curves + page.lines if op.top - 0.5 <= c["top"] <= op.bottom + 0.5]
        words = _pdftotext(path, placed[trend.title][0] + 1)
        for text in (trend.title, "单位：批次", "月份", "1月", "10月", "去年同期"):
            assert text in words


def test_the_tables_are_unchanged_by_the_charts(demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang_desktop.documents import report_documents

    for by in (GroupBy.DESTINATION, GroupBy.CATEGORY):
        data = _period(demo_db, by)
        doc = period_report_document(data)
        tables = [b for b in doc.body if isinstance(b, Table)]
        assert len(tables) == 4
        first = tables[0]
        expected = [(r["name"], str(r["current"]["batches"]), str(r["same_period_last_year"]["batches"]))
                    for r in [*data["rows"], data["total"]]]  # fmt: skip
        assert [row[:3] for row in first.rows[1:]] == expected
        with monkeypatch.context() as m:  # the document as it was before the charts
            m.setattr(report_documents, "period_figures", lambda data: [])
            before = period_report_document(data)
        assert not _figures(before) and tables == [b for b in before.body if isinstance(b, Table)]
        assert replace(doc, body=tuple(b for b in doc.body if not isinstance(b, Figure))) == before
        # On paper: the same cells at the same x, in the same order (header rows repeat where the pages break).
        headers = {c for t in tables for c in t.rows[0]}
        assert _cells(doc, headers) == _cells(before, headers)


def _cells(doc: Any, headers: set[str]) -> list[tuple[str, float]]:
    layout = layout_document(doc)
    return [
        (op.text, round(op.x, 2))
        for page in layout.pages
        for op in page.ops
        if isinstance(op, TextOp)
        and op.size == g.TABLE_SIZE
        and op.top < g.TEXT_BOTTOM_FROM_TOP  # not page numbers
        and not any(op.text in h for h in headers)  # nor the header rows' lines, repeated on every page
    ]


def test_category_share_and_lying_bars(demo_db: Any) -> None:
    doc = period_report_document(_period(demo_db, GroupBy.CATEGORY))
    share = _figures(doc)[0]
    assert share.title == "内容分类占比（本期批次）"
    assert "其余分类" in share.texts and any(t.endswith("%）") for t in share.texts)
    unit = period_report_document(_period(demo_db, GroupBy.UNIT))
    assert _figures(unit)[0].title == "按责任单位统计的本期批次"
    assert all(_text_area(op) for _, op in _pages_of_figures(unit).values())
    # A month has no trend line (one point is not a line): only the grouping's bars.
    month = period_report(demo_db, date(2026, 3, 1), date(2026, 3, 31), GroupBy.DESTINATION, Caliber.NATURAL)
    titles = [f.title for f in _figures(period_report_document(month.to_json()))]
    assert titles == ["按去向统计的批次（本期与去年同期）"]


def test_ranking_bars_mark_the_listed_and_the_last(demo_db: Any, tmp_path: Path) -> None:
    data = ranking_report(demo_db, parse_period("2026Q3"), today=TODAY).to_json()
    doc = ranking_document(data)
    kinds = [type(b).__name__ for b in doc.body]
    for i, kind in enumerate(kinds):
        if kind == "Table":
            assert kinds[i + 1] == "Figure"  # each grouping's bars after its table
    towns = data["tables"][0]
    figure = _figures(doc)[0]
    assert figure.title == f"综合得分（按{towns['by_label']}）"
    scored = [r for r in towns["rows"] if r["score"] is not None]
    n = len(scored)
    names, labels = figure.texts[-2 * n : -n], figure.texts[-n:]  # the names down the axis, then the values
    assert list(names) == [r["name"] for r in scored]
    for r, label in zip(scored, labels, strict=True):
        assert label.startswith(f"{r['score']:.1f}")
        assert ("挂牌整治" in label) == r["rectification_listing"] and ("末位" in label) == r["lowest"]
    assert any(r["rectification_listing"] for r in scored)  # the demo quarter lists someone (末位 at least)

    path = tmp_path / "r.pdf"
    render_pdf(doc, path)
    page_no, op = _pages_of_figures(doc)[figure.title]
    assert _text_area(op)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_no]
        bars = [r for r in page.rects if r["fill"] and op.top <= r["top"] and r["bottom"] <= op.bottom and
                r["height"] > 5 and r["width"] > 20]  # fmt: skip
        black = [r for r in bars if tuple(r["non_stroking_color"] or ()) in ((0,), (0, 0, 0))]
        assert len(bars) == len(scored)
        assert len(black) == sum(1 for r in scored if r["rectification_listing"])
    words = _pdftotext(path, page_no + 1)
    for text in (figure.title, "综合得分（分）", "挂牌整治", "末位"):
        assert text in words


def test_many_groups_go_on_several_figures_each_one_page(demo_db: Any) -> None:
    rows = [
        {"rank": i + 1, "name": f"第{i + 1}单位", "score": 100 - i * 0.5, "lowest": i == 59,
         "rectification_listing": i == 59, "listed_for": []}
        for i in range(60)
    ]  # fmt: skip
    figures = pdf_charts.ranking_figures({"by_label": "责任单位", "rows": rows})
    assert len(figures) >= 2 and figures[1].title.endswith("（续）")
    doc = ranking_document(
        {
            "label": "测试", "from": "2026-07-01", "to": "2026-09-30", "today": "2026-11-20", "quarter": "2026Q3",
            "weights": {"rates": {}, "formula": "综合得分", "listing_rule": "挂牌"},
            "tables": [{"by_label": "责任单位", "rows": rows}],
        }
    )  # fmt: skip
    placed = _pages_of_figures(doc)
    assert len(placed) == len(figures) and all(_text_area(op) for _, op in placed.values())
    assert len({page for page, _ in placed.values()}) == len(figures)  # each a page of its own: none split
    # A period report by a grouping of many names does the same.
    period = {"by": "unit", "by_label": "责任单位", "rows": [
        {"name": f"第{i + 1}单位", "current": {"batches": i + 1}, "same_period_last_year": {"batches": 0}}
        for i in range(50)
    ]}  # fmt: skip
    titles = [f.title for f in pdf_charts.group_figures(period)]
    assert titles == ["按责任单位统计的本期批次", "按责任单位统计的本期批次（续）"]
