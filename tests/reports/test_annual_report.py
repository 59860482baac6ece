"""The annual report to the level above (R-AS-04, 条例 art 41) drafted from a demo ledger: the four parts, figures
equal to hand counts in SQL, the DOCX written with the draft's 【…】 passages, no rule IDs or English on paper, and
the CLI (`xinfang report annual --year Y -o FILE.docx`) with bad input refused (exit 2, nothing written)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.reports.period_fixture import raw
from xinfang_desktop.cli import main
from xinfang_desktop.documents.annual_report_document import annual_report_document
from xinfang_desktop.documents.docx_renderer import render_docx
from xinfang_desktop.reports.annual_report import annual_report

PARTS = (
    "一、信访事项的数据统计和分析",
    "二、转送、督办情况",
    "三、提出改进工作、完善政策和追究责任建议以及建议被采纳情况",
    "四、其他应当报告的事项",
)


def test_figures_equal_the_ledger(demo_db: Any, demo_path: Path) -> None:
    data = annual_report(demo_db, 2025).to_json()
    conn = raw(demo_path)
    cases = conn.execute(
        "SELECT count(*) FROM cases WHERE received_on BETWEEN '2025-01-01' AND '2025-12-31'"
    ).fetchone()
    assert data["cases"] == cases[0] > 0
    subs = conn.execute(
        "SELECT count(*), sum(headcount) FROM submissions WHERE received_on BETWEEN '2025-01-01' AND '2025-12-31'"
    ).fetchone()
    assert (data["submissions"]["batches"], data["submissions"]["person_visits"]) == tuple(subs)
    assert sum(c["cases"] for c in data["categories"]) == cases[0]
    top_unit = conn.execute(
        "SELECT u.name, count(*) FROM cases c JOIN units u ON u.id = c.responsible_unit_id "
        "WHERE c.received_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY u.name ORDER BY 2 DESC, 1 LIMIT 1"
    ).fetchone()
    assert (data["top_units"][0]["name"], data["top_units"][0]["cases"]) == tuple(top_unit)
    supervised = conn.execute(
        "SELECT count(DISTINCT e.case_id) FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE e.action = 'supervise' AND c.received_on BETWEEN '2025-01-01' AND '2025-12-31'"
    ).fetchone()[0]
    assert data["steps"]["supervise"] == supervised
    conn.close()


def test_the_docx_has_the_four_parts_and_no_internal_text(demo_db: Any, tmp_path: Path) -> None:
    data = annual_report(demo_db, 2025).to_json()
    document = annual_report_document(data)
    path = tmp_path / "年报.docx"
    info = render_docx(document, path)
    assert info.pages >= 2
    word = Document(str(path))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    for part in PARTS:
        assert part in text
    assert "关于2025年度信访工作情况的报告" in text.replace("\n", "")  # the title breaks over two lines
    assert "【请经办人填写" in text  # the prose left for the clerk
    assert "来县" in cells and "进京" in cells and "集体访" in cells
    assert not re.search(r"R-[A-Z]{2}-\d", text + cells)
    assert not re.search(r"[A-Za-z]", text + cells)


def test_cli_drafts_the_docx_and_refuses_bad_input(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "annual.docx"
    assert main(["report", "annual", "--year", "2025", "-o", str(out), "--db", str(demo_path)]) == 0
    assert "已起草" in capsys.readouterr().out and out.stat().st_size > 5000
    empty = tmp_path / "bad"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for argv in (
        ("--year", "1999", "-o", "a.docx"),
        ("--year", "2025", "-o", "a.txt"),
        ("--year", "x", "-o", "a.docx"),
    ):
        assert main(["report", "annual", *argv, "--db", str(demo_path)]) == 2
    assert list(empty.iterdir()) == []
