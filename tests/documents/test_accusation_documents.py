"""Documents addressed to a unit about an accusation (R-LC-07, 《信访工作条例》第四十六条第（五）项、第三十条第三款):
every such type is refused before numbering when addressed to the accused unit or a unit under it — the stored case
decides, whatever the input says — and, to any other unit, prints neither the accuser's name, ID number, phone nor
address (PDF read back with pdftotext, DOCX with python-docx)."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import docx
import pytest
from sqlalchemy import func, select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.core.accusation_guard import CONFIDENTIAL
from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.documents.document_store import issue_document
from xinfang_desktop.documents.types import spec
from xinfang_desktop.documents.types._addressed import UNIT_ADDRESSEES, conceal_accuser
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.records import DocumentRecord

ACCUSER = {"name": "李检举", "id_number": "11010519491231002X", "phone": "13912345678", "address": "示范县西街8号"}


def _accusation(db: Any, accused: str = "县公安局") -> str:
    data = sample_case(
        petitioner=dict(ACCUSER),
        purpose="揭发控告",
        received_on="2026-03-02",
        summary="检举县公安局民警违规收费",
        accused_units=[accused],
    )
    return add_case(db, data, today=date(2026, 3, 3)).registered.number


def _input(type_id: str, number: str, unit: str, *, say_accusation: bool = False) -> dict[str, Any]:
    """The type's sample about the stored case, addressed to `unit`, with the accuser's particulars in full —
    and, as in the measured bypass, no word of the accusation unless `say_accusation`."""
    data = spec(type_id).sample()
    data |= {"case_number": number, "petitioner": dict(ACCUSER)}
    data["summary"] = (
        f"检举县公安局民警违规收费，检举人{ACCUSER['name']}，电话{ACCUSER['phone']}，住{ACCUSER['address']}"
    )
    for key, _label in UNIT_ADDRESSEES[type_id]:
        data[key] = [unit] if key == "to_units" else unit
    if say_accusation:
        data |= {"accusation": True}
    return data


def _documents(db: Any) -> int:
    with db.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(DocumentRecord)) or 0)


@pytest.mark.parametrize("type_id", sorted(UNIT_ADDRESSEES))
@pytest.mark.parametrize("unit", ["示范县公安局", "县公安局", "示范县公安局城关派出所", "城关派出所"])
def test_no_unit_addressed_document_reaches_the_accused_unit_or_one_under_it(
    sqlite_db: Any, type_id: str, unit: str
) -> None:
    number = _accusation(sqlite_db)
    before = content_hash(sqlite_db)
    with pytest.raises(ValidationError) as info:
        issue_document(sqlite_db, type_id, _input(type_id, number, unit))
    assert "《信访工作条例》第四十六条" in info.value.message and "R-LC-07" in info.value.message
    assert content_hash(sqlite_db) == before and _documents(sqlite_db) == 0  # nothing numbered, nothing stored


def test_the_accused_units_given_in_the_input_alone_are_guarded_with_the_register(sqlite_db: Any) -> None:
    data = spec("transfer_letter").sample() | {"accused_units": ["县公安局"], "to_unit": "示范县公安局城关派出所"}
    with pytest.raises(ValidationError, match="隶属于"):
        issue_document(sqlite_db, "transfer_letter", data)
    assert _documents(sqlite_db) == 0


def _pdf_text(path: Any) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def _docx_text(path: Any) -> str:
    word = docx.Document(str(path))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "".join("".join(parts).split())


@pytest.mark.parametrize("type_id", sorted(UNIT_ADDRESSEES))
def test_a_document_to_another_unit_never_names_the_accuser(sqlite_db: Any, type_id: str) -> None:
    number = _accusation(sqlite_db)
    for fmt, read in (("pdf", _pdf_text), ("docx", _docx_text)):
        issued = issue_document(sqlite_db, type_id, _input(type_id, number, "示范县民政局"), fmt=fmt)
        printed = read(issued.path)
        assert "示范县民政局" in printed
        for secret in ACCUSER.values():
            assert secret not in printed, (type_id, fmt, secret)
        assert CONFIDENTIAL in printed, (type_id, fmt)


def test_an_ordinary_case_keeps_its_petitioner_on_a_transfer_letter(sqlite_db: Any) -> None:
    number = add_case(sqlite_db, sample_case(received_on="2026-03-02"), today=date(2026, 3, 3)).registered.number
    data = spec("transfer_letter").sample() | {"case_number": number}
    issued = issue_document(sqlite_db, "transfer_letter", data)
    assert "张伟" in _pdf_text(issued.path)


def test_conceal_accuser_clears_the_summary_of_every_particular() -> None:
    data = {"petitioner": dict(ACCUSER), "summary": f"{ACCUSER['name']}（{ACCUSER['phone']}）住{ACCUSER['address']}"}
    out = conceal_accuser(data, flag=True)
    assert out["petitioner"] == {"name": CONFIDENTIAL} and out["accusation"] is True
    assert out["summary"] == "检举控告人（（略））住（略）"
    assert data["petitioner"] == ACCUSER  # the caller's input is left as it was
