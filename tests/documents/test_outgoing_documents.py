"""Documents that leave the office (issue 18): nothing internal printed, one number per document whatever its
formats, and no character dropped silently — a name keeps one typeface, a character no font has stops the issue."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import select

from xinfang_desktop.core.errors import ConflictError, ValidationError
from xinfang_desktop.documents.document_store import document_rows, issue_document
from xinfang_desktop.documents.docx_renderer import render_docx
from xinfang_desktop.documents.fonts import MissingCharacters, get_fonts
from xinfang_desktop.documents.model import PROVISIONAL_WARNING, FontRole, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.documents.public_text import internal_marks, public_text
from xinfang_desktop.documents.sample_documents import acceptance_notice as engine_notice
from xinfang_desktop.documents.sample_documents import accountability_proposal, service_receipt
from xinfang_desktop.documents.types import all_specs, spec
from xinfang_desktop.persistence.records import AuditEntryRecord, DocumentFileRecord, DocumentRecord

OFFICE = OfficeInfo.from_settings({})
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


def _provisional(value: Any) -> Any:
    """Every deadline of an input marked provisional (a year without holiday data)."""
    if isinstance(value, dict):
        out = {k: _provisional(v) for k, v in value.items()}
        if "start" in out and "due" in out:
            out["provisional"] = True
        return out
    if isinstance(value, list):
        return [_provisional(v) for v in value]
    return value


def _variants(type_id: str) -> list[dict[str, Any]]:
    sample = spec(type_id).sample()
    out = [sample, _provisional(sample)]
    if "to_unit" in sample and type_id in ("transfer_letter", "assignment_form", "supervision_form", "urge_notice"):
        out.append(sample | {"accusation": True})
    if "reason" in sample and isinstance(sample["reason"], str):
        # A reason recorded by `tick` for the clerk, with its rule IDs, reaching the document as input.
        out.append(sample | {"reason": "办理期限（R-DL-06，至2026年5月6日）已过半，自动督办（R-LC-01）"})
    return out


def pdf_text(doc: OfficialDocument, tmp_path: Path) -> str:
    path = tmp_path / f"{doc.type_id}.pdf"
    render_pdf(doc, path)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(doc: OfficialDocument) -> str:
    stream = io.BytesIO()
    render_docx(doc, stream)
    stream.seek(0)
    word = docx.Document(stream)
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    for section in word.sections:
        for part in (section.header, section.even_page_header, section.first_page_header, section.footer):
            parts += [p.text for p in part.paragraphs]
            parts += [c.text for t in part.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def assert_public(text: str, where: str) -> None:
    assert not re.search(r"R-[A-Z]{2}-\d", text), where
    assert not re.search(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", text), where
    assert internal_marks(text) == [], (where, internal_marks(text))
    for word in ("暂估", "尚未录入", "期限说明", "书面作出"):
        assert word not in text, (where, word)


@needs_pdftotext
@pytest.mark.parametrize("type_id", [s.type_id for s in all_specs()])
def test_every_document_type_prints_nothing_internal(type_id: str, tmp_path: Path) -> None:
    for i, data in enumerate(_variants(type_id)):
        doc = spec(type_id).document(data, OFFICE, "示信测〔2026〕1号")
        assert_public(pdf_text(doc, tmp_path), f"{type_id} #{i} PDF")
        assert_public(docx_text(doc), f"{type_id} #{i} DOCX")


@needs_pdftotext
def test_the_engine_samples_print_nothing_internal(tmp_path: Path) -> None:
    for doc in (engine_notice(provisional=True), accountability_proposal(), service_receipt()):
        assert_public(pdf_text(doc, tmp_path), doc.type_id)
        assert_public(docx_text(doc), doc.type_id)


def test_provisional_dates_are_a_warning_for_the_clerk() -> None:
    data = _provisional(spec("handling_opinion").sample())
    doc = spec("handling_opinion").document(data, OFFICE)
    assert doc.clerk_warnings() == (PROVISIONAL_WARNING,) and "设置 → 节假日安排" in PROVISIONAL_WARNING
    assert render_pdf(doc, io.BytesIO()).warnings == (PROVISIONAL_WARNING,)
    assert render_docx(doc, io.BytesIO()).warnings == (PROVISIONAL_WARNING,)
    assert spec("handling_opinion").document(spec("handling_opinion").sample(), OFFICE).clerk_warnings() == ()


def test_public_text_keeps_the_words_and_drops_the_rule_ids() -> None:
    assert public_text("办理期限（R-DL-06，至2026年5月6日）已过半") == "办理期限（至2026年5月6日）已过半"
    assert public_text("等情况（R-WS-03）；") == "等情况；"
    assert public_text("（听证时间不计入，R-TM-04）") == "（听证时间不计入）"
    assert public_text("越级（《信访工作条例》第二十条，R-CL-03）") == "越级（《信访工作条例》第二十条）"
    assert public_text("说明（R-WS-03/04）。") == "说明。"
    assert public_text("示信交〔2026〕12号") == "示信交〔2026〕12号"


# --- one document, one number -------------------------------------------------------------------------------------


def test_pdf_and_docx_of_one_document_carry_one_number(sqlite_db: Any) -> None:
    data = spec("acceptance_notice").sample()
    pdf = issue_document(sqlite_db, "acceptance_notice", data, fmt="pdf")
    word = issue_document(sqlite_db, "acceptance_notice", data, fmt="docx")
    assert pdf.number == word.number == "示信受〔2026〕1号"
    assert word.same_as == "pdf" and word.id == pdf.id and word.path != pdf.path and word.path.is_file()
    # Issuing again in a format it already has is a new document, with the next number.
    again = issue_document(sqlite_db, "acceptance_notice", data, fmt="pdf")
    assert again.number == "示信受〔2026〕2号"
    with sqlite_db.read_session() as s:
        assert len(s.scalars(select(DocumentRecord)).all()) == 2
        assert [f.format for f in s.scalars(select(DocumentFileRecord))] == ["docx"]
        actions = s.scalars(select(AuditEntryRecord.action).where(AuditEntryRecord.entity == "document")).all()
        rows = document_rows(s)
    assert actions == ["issue", "issue_format", "issue"]
    assert sorted((r["number"], r["format"]) for r in rows) == [
        ("示信受〔2026〕1号", "docx"),
        ("示信受〔2026〕1号", "pdf"),
        ("示信受〔2026〕2号", "pdf"),
    ]
    # A reissue's other format is that new version, not the superseded one.
    v2 = issue_document(
        sqlite_db, "acceptance_notice", data | {"handling_unit": "示范县自然资源局"}, reissue_of=pdf.number
    )
    v2_docx = issue_document(
        sqlite_db, "acceptance_notice", data | {"handling_unit": "示范县自然资源局"}, fmt="docx", reissue_of=pdf.number
    )
    assert (v2.number, v2.version) == (v2_docx.number, v2_docx.version) == (pdf.number, 2)


def test_a_typed_number_is_the_one_printed_and_draws_nothing(sqlite_db: Any) -> None:
    data = spec("assignment_form").sample() | {"number": "示信交[2026]12号"}
    pdf = issue_document(sqlite_db, "assignment_form", data, fmt="pdf")
    word = issue_document(sqlite_db, "assignment_form", data, fmt="docx")
    assert pdf.number == word.number == "示信交〔2026〕12号" and pdf.seq <= 0
    assert "示信交〔2026〕12号" in pdf.path.read_bytes().decode("latin-1") or pdf.pages >= 1
    assert "示信交〔2026〕12号" in docx_text(spec("assignment_form").document(data, OFFICE))
    # The sequence was not touched, and skips the typed number when it reaches it.
    plain = spec("assignment_form").sample()
    numbers = [issue_document(sqlite_db, "assignment_form", plain).number for _ in range(12)]
    assert numbers[0] == "示信交〔2026〕1号" and "示信交〔2026〕12号" not in numbers
    assert numbers[-1] == "示信交〔2026〕13号"
    with pytest.raises(ConflictError, match="已用于"):
        issue_document(sqlite_db, "assignment_form", data | {"requirements": ["另一份"]})
    with pytest.raises(ValidationError, match="发文字号的格式"):
        issue_document(sqlite_db, "assignment_form", plain | {"number": "第12号"})


# --- characters the fonts lack ------------------------------------------------------------------------------------


@needs_pdftotext
def test_an_extension_a_name_is_printed(tmp_path: Path) -> None:
    data = spec("acceptance_notice").sample()
    data["petitioner"] = dict(data["petitioner"], name="刘䶮")
    doc = spec("acceptance_notice").document(data, OFFICE)
    assert "刘䶮" in pdf_text(doc, tmp_path).replace(" ", "")
    assert render_pdf(doc, io.BytesIO()).missing == ""


def test_a_name_keeps_one_typeface() -> None:
    fonts = get_fonts()
    for name in ("张喆", "李堃", "王龘", "刘䶮"):
        text = f"信访人{name}于2026年3月2日来访"
        faces = fonts.faces(FontRole.FANGSONG, text, keep=(name,))
        at = text.index(name)
        named = {f.key for f in faces[at : at + len(name)] if f is not None}
        assert len(named) == 1, name
        assert "Hei" not in faces[at].family  # a 明朝/宋 face, not 黑体, in the middle of 仿宋 text
        assert faces[0] is fonts.primary[FontRole.FANGSONG]  # the rest of the line keeps the body face
    # The names of the input are kept together without being told: the document carries them.
    data = spec("acceptance_notice").sample()
    data["petitioner"] = dict(data["petitioner"], name="张喆")
    assert "张喆" in spec("acceptance_notice").document(data, OFFICE).names


def test_a_character_no_font_has_is_refused_by_name(sqlite_db: Any) -> None:
    data = spec("acceptance_notice").sample()
    data["petitioner"] = dict(data["petitioner"], name="王\U0002b740")  # CJK Extension D: in no bundled font
    doc = spec("acceptance_notice").document(data, OFFICE)
    for render in (render_pdf, render_docx):
        with pytest.raises(MissingCharacters, match="U\\+2B740") as err:
            render(doc, io.BytesIO())
        assert "\U0002b740" in err.value.message and "未出具" in err.value.message
    with pytest.raises(MissingCharacters):
        issue_document(sqlite_db, "acceptance_notice", data)
    with sqlite_db.read_session() as s:
        assert s.scalars(select(DocumentRecord)).all() == []


def test_the_decline_notice_says_the_route_once() -> None:
    # “通过其他法定途径途径” was printed when the route chosen was 其他法定途径 (issue 18).
    s = spec("decline_notice")
    data = {**s.sample(), "route": "其他法定途径"}
    text = s.document(data, OFFICE).plain_text()
    assert "途径途径" not in text and "通过其他法定途径向" in text


def test_review_opinions_carry_the_reviewing_governments_code() -> None:
    # A 复查/复核意见书 is the decision of the government that reviews, not of the 信访局 drafting it (issue 18).
    office = OfficeInfo.from_settings({})
    assert office.document_number("review_opinion", 2026, 3) == "示政复查〔2026〕3号"
    assert office.document_number("final_review_opinion", 2026, 1) == "示市政复核〔2026〕1号"
    assert office.document_number("handling_opinion", 2026, 1).startswith("示信")
    custom = OfficeInfo.from_settings({"document_prefixes": {"review_opinion": "示府复"}})
    assert custom.document_number("review_opinion", 2026, 1) == "示府复〔2026〕1号"


def test_the_warning_slips_explanation_goes_to_the_level_above_the_warned_unit() -> None:
    # A county 信访局 warns townships and county departments: the level directly above them is the county (R-WS-03).
    office = OfficeInfo.from_settings({"office_name": "青田县信访局"})
    assert office.leading_group == "青田县信访工作领导小组" and office.higher_leaders == "青田县党政主要领导"
    text = spec("warning_slip").document(spec("warning_slip").sample(), office).plain_text()
    assert "向青田县信访工作领导小组组长说明" in text and "示范市信访工作领导小组" not in text
    configured = OfficeInfo.from_settings({"higher_leading_group": "丽水市信访工作领导小组"})
    assert configured.leading_group.startswith("丽水市")


def test_the_warning_slips_receipt_comes_after_the_signature_whole_on_one_page(tmp_path: Path) -> None:
    # Issue 18: the 签收回执 stood above the signature and split across pages; now it follows the signature behind a
    # cut line, with the slip's number on it, and is never split.
    from xinfang_desktop.documents.pdf_renderer import layout_document

    s = spec("warning_slip")
    doc = s.document(s.sample(), OFFICE, "示信预警〔2026〕7号")
    text = doc.plain_text()
    assert text.index(OFFICE.name, text.index("请收到本预警单后签收")) < text.index("\n签收回执\n")
    assert "此联沿虚线裁下" in text and "预警单编号 示信预警〔2026〕7号" in text
    layout = layout_document(doc)
    pages_with_receipt = [i for i, page in enumerate(layout.pages) if any("签收时间" in t for t in _texts(page))]
    pages_with_heading = [i for i, page in enumerate(layout.pages) if "签收回执" in _texts(page)]
    assert len(pages_with_receipt) == 1 and pages_with_heading == pages_with_receipt


def _texts(page: object) -> list[str]:
    from xinfang_desktop.documents.page_ops import TextOp

    return [op.text for op in getattr(page, "ops", []) if isinstance(op, TextOp)]
