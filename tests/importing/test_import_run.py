"""End to end on the real SQLite: the messy hand-kept ledger, its GBK CSV twin and a national-system sheet import with
the expected cases, submissions (批次/人次) and row errors; dry runs write nothing; a second import adds nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from tests.importing.fixtures import TODAY, ZHANG_ID, gbk_csv, messy_ledger, messy_mapping, national_sheet, ods_sheet
from xinfang_desktop.importing.inspect import inspect_file
from xinfang_desktop.importing.mapping import ImportMapping
from xinfang_desktop.importing.run import MappingIncomplete, run_import
from xinfang_desktop.persistence.importing.codes import code_tables


def _ledger(db: Any) -> dict[str, dict[str, Any]]:
    from xinfang_desktop.persistence.records import CasePetitionerRecord, CaseRecord, PetitionerRecord

    with db.read_session() as s:
        rows = s.execute(
            select(CaseRecord, PetitionerRecord.name)
            .join(CasePetitionerRecord, CasePetitionerRecord.case_id == CaseRecord.id)
            .join(PetitionerRecord, PetitionerRecord.id == CasePetitionerRecord.petitioner_id)
        ).all()
        return {
            name: {
                "number": c.number,
                "status": c.status,
                "batches": c.batches,
                "person_visits": c.person_visits,
                "received_on": c.received_on,
                "due_on": c.due_on,
                "category": c.category_code,
                "locality": c.locality_code,
                "channel": c.channel,
                "unit": c.responsible_unit_id,
                "headcount": c.headcount,
                "is_repeat": c.is_repeat,
            }
            for c, name in rows
        }


def test_messy_ledger_dry_run_lists_every_error_and_writes_nothing(sqlite_db: Any, tmp_path: Path) -> None:
    path = messy_ledger(tmp_path / "台账.xlsx")
    before = content_hash(sqlite_db)
    report = run_import(sqlite_db, path, today=TODAY, mapping=ImportMapping.from_json(messy_mapping()), dry_run=True)
    assert content_hash(sqlite_db) == before
    assert report.header_row == 4 and not report.committed
    assert (report.rows, report.cases, report.submissions) == (6, 3, 1)
    assert [(e.row, e.column) for e in report.errors] == [(6, "身份证号"), (9, "来访日期")]
    assert "末尾几位已丢失" in report.errors[0].reason and "2026/13/01" in report.errors[1].reason
    assert report.skipped == [{"row": 12, "reason": "合计行"}]


def test_messy_ledger_import_with_skip_bad_rows(sqlite_db: Any, tmp_path: Path) -> None:
    path = messy_ledger(tmp_path / "台账.xlsx")
    errors = tmp_path / "错误行.xlsx"
    mapping = ImportMapping.from_json(messy_mapping())
    report = run_import(sqlite_db, path, today=TODAY, mapping=mapping, skip_bad_rows=True, errors_xlsx=errors)
    assert report.committed and (report.cases, report.submissions) == (3, 1)
    cases = _ledger(sqlite_db)
    assert set(cases) == {"张伟", "王强", "钱进"}
    zhang = cases["张伟"]
    assert (zhang["batches"], zhang["person_visits"], zhang["is_repeat"]) == (2, 2, True)  # row 8 repeats row 5
    assert str(zhang["received_on"]) == "2026-03-02" and zhang["category"] == "0101" and zhang["channel"] == "visit"
    assert zhang["unit"] is not None
    assert cases["王强"]["unit"] == zhang["unit"]  # 责任单位 merged down J5:J7 applies to the rows below
    assert cases["王强"]["channel"] == "visit"  # 走访 normalised
    assert str(cases["钱进"]["received_on"]) == "2026-03-09"  # an Excel serial
    # imported open cases got the R-DL-01 clock on the working-day calendar: long overdue, so in the queue at once
    assert all(c["due_on"] is not None and c["due_on"] < TODAY for c in cases.values())
    # the bad rows, with an error column, fixed and imported again: only they come in
    wb = openpyxl.load_workbook(errors)
    ws = wb.active
    assert [c.value for c in ws[1]][:3] == ["原行号", "序号", "姓名"] and ws.cell(1, ws.max_column).value == "错误"
    assert [ws.cell(r, 1).value for r in (2, 3)] == [6, 9]
    ws.cell(2, 4).value = "110105198001010016"  # 身份证号 retyped as text
    ws.cell(3, 6).value = "2026-11-01"  # 来访日期 corrected
    wb.save(errors)
    again = run_import(sqlite_db, errors, today=TODAY, mapping=mapping)
    assert again.committed and not again.errors and again.cases == 2
    assert {"李娜", "赵敏"} <= set(_ledger(sqlite_db))


def test_messy_ledger_import_refuses_bad_rows_without_skip(sqlite_db: Any, tmp_path: Path) -> None:
    path = messy_ledger(tmp_path / "台账.xlsx")
    before = content_hash(sqlite_db)
    report = run_import(sqlite_db, path, today=TODAY, mapping=ImportMapping.from_json(messy_mapping()))
    assert not report.committed and len(report.errors) == 2
    assert content_hash(sqlite_db) == before


def test_importing_the_same_file_twice_adds_nothing(sqlite_db: Any, tmp_path: Path) -> None:
    path = national_sheet(tmp_path / "国家信访信息系统导出.xlsx")
    first = run_import(sqlite_db, path, today=TODAY)
    assert first.committed and (first.cases, first.submissions) == (4, 1)
    before = content_hash(sqlite_db)
    second = run_import(sqlite_db, path, today=TODAY)
    assert (second.cases, second.submissions, len(second.skipped)) == (0, 0, 5)
    assert all("已导入过" in s["reason"] for s in second.skipped)
    from sqlalchemy import func

    from xinfang_desktop.persistence.records import CaseRecord

    with sqlite_db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(CaseRecord)) == 4
    assert before != ""  # (the second run writes no case, submission or event)


def test_national_layout_maps_fully(sqlite_db: Any, tmp_path: Path) -> None:
    path = national_sheet(tmp_path / "export.xlsx")
    found = inspect_file(path, tables=code_tables(sqlite_db))
    assert found.missing == []
    cols = found.mapping.columns
    assert cols["信访件编号"] == "external_number" and cols["信访件状态"] == "status" and cols["限办时间"] == "due_on"
    assert found.mapping.values["category"]["劳动和社会保障_劳动报酬_拖欠农民工工资"] == "030101"
    assert found.mapping.values["channel"]["手机信访"] == "网上信访"
    report = run_import(sqlite_db, path, today=TODAY, mapping=found.mapping)
    assert report.committed and (report.cases, report.submissions) == (4, 1)
    cases = _ledger(sqlite_db)
    assert cases["孙丽"]["status"] == "accepted" and cases["孙丽"]["batches"] == 2
    assert str(cases["孙丽"]["due_on"]) == "2026-11-02"  # R-DL-06: 60 日 from 受理 on 2026-09-02, a Sunday → Monday
    assert cases["周强"]["status"] == "closed" and cases["周强"]["due_on"] is None and cases["周强"]["headcount"] == 6
    assert cases["吴刚"]["status"] == "under_review" and cases["吴刚"]["channel"] == "online"
    assert cases["郑华"]["status"] == "declined"
    # the implied events, and the source file, row and 信访件编号 in the audit trail
    from xinfang_desktop.persistence.records import AuditEntryRecord, CaseEventRecord, CaseRecord

    with sqlite_db.read_session() as s:
        case_id = s.scalar(select(CaseRecord.id).where(CaseRecord.number == cases["孙丽"]["number"]))
        actions = s.scalars(
            select(CaseEventRecord.action).where(CaseEventRecord.case_id == case_id).order_by(CaseEventRecord.seq)
        ).all()
        assert list(actions) == ["register", "accept", "submit"]
        details = s.scalars(
            select(AuditEntryRecord.detail).where(
                AuditEntryRecord.entity == "case",
                AuditEntryRecord.entity_id == cases["孙丽"]["number"],
                AuditEntryRecord.action == "import",
            )
        ).all()
    first = json.loads(details[0])
    assert first["file"] == "export.xlsx" and first["row"] == 2 and first["external_number"] == "3312212026000101"
    assert {json.loads(d)["as"] for d in details} == {"case", "submission"}


def test_overdue_imported_cases_are_in_the_queue_at_once(sqlite_db: Any, tmp_path: Path) -> None:
    from xinfang_desktop.cli import main

    run_import(sqlite_db, national_sheet(tmp_path / "n.xlsx"), today=TODAY)
    url = str(sqlite_db.engine.url.database)
    assert main(["queue", "overdue", "--today", TODAY.isoformat(), "--db", url]) == 0


def test_gbk_csv_is_detected_and_imported(sqlite_db: Any, tmp_path: Path) -> None:
    path = gbk_csv(tmp_path / "台账.csv")
    found = inspect_file(path, tables=code_tables(sqlite_db))
    assert found.encoding == "GBK" and found.missing == []
    report = run_import(sqlite_db, path, today=TODAY, mapping=found.mapping, skip_bad_rows=True)
    assert report.cases == 2 and [(e.row, e.column) for e in report.errors] == [(4, "身份证号码")]
    assert str(_ledger(sqlite_db)["周强"]["received_on"]) == "2026-10-05"


def test_utf8_bom_csv(sqlite_db: Any, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        "姓名,信访日期,信访形式,概况,信访目的\n张三,2026-01-02,来信,反映问题。,求决\n", encoding="utf-8-sig"
    )
    found = inspect_file(path)
    assert found.encoding == "UTF-8-BOM" and found.columns[0].header == "姓名"
    assert run_import(sqlite_db, path, today=TODAY).cases == 1


def test_incomplete_mapping_is_refused(sqlite_db: Any, tmp_path: Path) -> None:
    path = messy_ledger(tmp_path / "台账.xlsx")
    with pytest.raises(MappingIncomplete, match="信访目的"):
        run_import(sqlite_db, path, today=TODAY)


def test_zhang_id_is_valid() -> None:
    from xinfang_desktop.core.id_numbers import validate_id_number

    assert validate_id_number(ZHANG_ID, today=TODAY).valid


@pytest.mark.parametrize("chunk", [500, 2])
def test_identical_rows_and_repeats_across_chunks(
    sqlite_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """State kept between chunks lives in the transaction: the same outcome whatever the chunk size."""
    import xinfang_desktop.importing.run as run_module

    monkeypatch.setattr(run_module, "CHUNK_ROWS", chunk)
    path = tmp_path / "dup.csv"
    row = "张三,13800138000,2026-01-02,来信,反映小区物业管理混乱电梯停运。,求决"
    later = "张三,13800138000,2026-02-03,来访,再次反映小区物业管理混乱电梯停运。,求决"
    other = "李四,13900139000,2026-01-05,来信,反映拖欠工资。,求决"
    path.write_text(
        f"姓名,联系电话,信访日期,信访形式,概况,信访目的\n{row}\n{other}\n{row}\n{later}\n", encoding="utf-8"
    )
    report = run_import(sqlite_db, path, today=TODAY)
    assert (report.cases, report.submissions) == (2, 1)
    assert report.skipped == [{"row": 4, "reason": "与第 2 行完全相同"}]
    assert _ledger(sqlite_db)["张三"]["batches"] == 2


def test_ods_sheet(sqlite_db: Any, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["姓名", "信访日期", "信访形式", "概况", "信访目的"],
        ["张三", "2026年1月2日", "来信", "反映小区噪声扰民问题。", "求决"],
    ]
    path = ods_sheet(tmp_path / "台账.ods", rows)
    found = inspect_file(path)
    assert found.kind == "ods" and found.sheets == ("台账",)
    assert run_import(sqlite_db, path, today=TODAY).cases == 1
