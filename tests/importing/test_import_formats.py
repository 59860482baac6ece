""".xls, .et and .ods (issue 15): the messy hand-kept ledger and the national sheet written as .xlsx (openpyxl, the
fixture builders), converted by LibreOffice headless into .xls (Excel 97–2003, BIFF8) and .ods, and imported with
the same cases, submissions, row errors and merged cells as the .xlsx. WPS 表格's .et: the .xls renamed, as WPS
writes its .et in the same binary (BIFF8 in an OLE2 container); calamine reads it by its content. A file named .et
that is not such a workbook is refused with the advice to save it as .xlsx.

Skipped, with the reason, where LibreOffice Calc is not installed (`apt-get install libreoffice-calc-nogui`)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from tests.importing.fixtures import TODAY, messy_ledger, messy_mapping, national_sheet
from xinfang_desktop.importing.inspect import inspect_file
from xinfang_desktop.importing.limits import ImportFileError
from xinfang_desktop.importing.mapping import ImportMapping
from xinfang_desktop.importing.run import run_import

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _convert(sources: list[Path], target: str, out: Path, profile: Path) -> list[Path]:
    """LibreOffice headless, with its own profile (another soffice running on the machine does not interfere)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: .xls/.ods fixtures cannot be made")
    argv = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
            "--outdir", str(out), *map(str, sources)]  # fmt: skip
    subprocess.run(argv, capture_output=True, timeout=180, check=False)
    made = [out / f"{s.stem}.{target}" for s in sources]
    if not all(m.exists() for m in made):
        pytest.skip(f"LibreOffice Calc is not installed (libreoffice-calc-nogui): no .{target} written")
    return made


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("formats")
    sources = [messy_ledger(work / "messy.xlsx"), national_sheet(work / "national.xlsx")]
    profile = work / "lo-profile"
    xls = _convert(sources, "xls", work / "xls", profile)
    (ods,) = _convert(sources[:1], "ods", work / "ods", profile)
    et = work / "messy.et"
    shutil.copyfile(xls[0], et)  # WPS's .et: the same BIFF8 workbook under its own name
    national_et = work / "national.et"
    shutil.copyfile(xls[1], national_et)
    return {"xls": xls[0], "et": et, "ods": ods, "national.xls": xls[1], "national.et": national_et}


def _ledger(db: Any) -> dict[str, Any]:
    from xinfang_desktop.persistence.records import CasePetitionerRecord, CaseRecord, PetitionerRecord

    with db.read_session() as s:
        rows = s.execute(
            select(CaseRecord, PetitionerRecord.name)
            .join(CasePetitionerRecord, CasePetitionerRecord.case_id == CaseRecord.id)
            .join(PetitionerRecord, PetitionerRecord.id == CasePetitionerRecord.petitioner_id)
        ).all()
        s.expunge_all()
        return {name: c for c, name in rows}


@pytest.mark.parametrize("kind", ["xls", "et", "ods"])
def test_messy_ledger_in_each_format(converted: dict[str, Path], sqlite_db: Any, kind: str) -> None:
    path = converted[kind]
    found = inspect_file(path)
    assert found.kind == ("ods" if kind == "ods" else "xls") and found.sheets == ("2026年台账",)
    assert found.header_row == 4 and found.header_rows == 2  # title rows skipped, the two-row merged header
    mapping = ImportMapping.from_json(messy_mapping())
    before = content_hash(sqlite_db)
    dry = run_import(sqlite_db, path, today=TODAY, mapping=mapping, dry_run=True)
    assert content_hash(sqlite_db) == before
    assert (dry.rows, dry.cases, dry.submissions) == (6, 3, 1)
    assert [(e.row, e.column) for e in dry.errors] == [(6, "身份证号"), (9, "来访日期")]
    assert "末尾几位已丢失" in dry.errors[0].reason  # the ID number stored as a number survives the conversion
    assert dry.skipped == [{"row": 12, "reason": "合计行"}]
    report = run_import(sqlite_db, path, today=TODAY, mapping=mapping, skip_bad_rows=True)
    assert report.committed and (report.cases, report.submissions) == (3, 1)
    cases = _ledger(sqlite_db)
    assert set(cases) == {"张伟", "王强", "钱进"}
    assert (cases["张伟"].batches, cases["张伟"].person_visits) == (2, 2)
    assert cases["张伟"].received_on == date(2026, 3, 2) and cases["张伟"].category_code == "0101"
    assert cases["王强"].responsible_unit_id == cases["张伟"].responsible_unit_id is not None  # merged J5:J7
    assert cases["钱进"].received_on == date(2026, 3, 9)  # the Excel serial 46090
    again = run_import(sqlite_db, path, today=TODAY, mapping=mapping, skip_bad_rows=True)
    assert (again.cases, again.submissions) == (0, 0)


@pytest.mark.parametrize("kind", ["national.xls", "national.et"])
def test_national_sheet_as_xls(converted: dict[str, Path], sqlite_db: Any, kind: str) -> None:
    from xinfang_desktop.persistence.records import SubmissionRecord

    report = run_import(sqlite_db, converted[kind], today=TODAY)
    assert report.committed and (report.cases, report.submissions) == (4, 1) and not report.errors
    with sqlite_db.read_session() as s:
        numbers = sorted(s.scalars(select(SubmissionRecord.external_number)).all())
    assert numbers == [f"33122120260001{n:02d}" for n in range(1, 6)]  # text cells stay text, no “.0”
    cases = _ledger(sqlite_db)
    assert cases["孙丽"].status == "accepted" and cases["周强"].status == "closed"


def test_an_et_that_is_no_workbook_names_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "台账.et"
    path.write_bytes(b"WPS\x00" + bytes(range(256)) * 40)
    with pytest.raises(ImportFileError) as caught:
        inspect_file(path)
    assert "另存为" in caught.value.message and ".xlsx" in caught.value.message
