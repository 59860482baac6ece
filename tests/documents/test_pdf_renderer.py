"""The PDF: extracted text, margins and line pitch measured with pdfplumber, 避头, page numbers, fonts."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.linebreak import NO_LINE_START
from xinfang_desktop.documents.model import PROVISIONAL_WARNING, OfficialDocument, Paragraph, Table
from xinfang_desktop.documents.pdf_renderer import layout_document, printed_text, render_pdf
from xinfang_desktop.documents.sample_documents import (
    acceptance_notice,
    accountability_proposal,
    all_samples,
    service_receipt,
)

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber (test tool) is not installed")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)
MM = g.POINTS_PER_MM
HALF_MM = 0.5 * MM


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    for key, doc in all_samples().items():
        paths[key] = out / f"{key}.pdf"
        render_pdf(doc, paths[key])
    return paths


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


@needs_poppler
@pytest.mark.parametrize("key", sorted(all_samples()))
def test_extracted_text_is_what_was_meant(pdfs: dict[str, Path], key: str) -> None:
    doc = all_samples()[key]
    extracted = squash(pdftotext(pdfs[key]))
    expected = squash(printed_text(doc))
    # Same characters, none lost or replaced (table cells may interleave across their wrapped lines) ...
    assert Counter(extracted) == Counter(expected)
    # ... and every paragraph outside tables reads whole and in order.
    table_rows = {squash(" ".join(row)) for b in doc.body if isinstance(b, Table) for row in b.rows}
    position = 0
    for part in doc.plain_text().split("\n"):
        if not squash(part) or squash(part) in table_rows:
            continue
        found = extracted.find(squash(part), position)
        assert found >= 0, part
        position = found + len(squash(part))
    if key != "accountability_proposal":
        assert "李𠮷堃" in extracted


@needs_poppler
def test_every_font_is_embedded(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
        rows = out.strip().splitlines()[2:]
        assert rows
        for row in rows:
            assert re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$", row), row


def fangsong_ps_name() -> str:
    """The PostScript name of the body font, as pdfplumber reports it after the subset tag."""
    from reportlab.pdfbase import pdfmetrics

    from xinfang_desktop.documents.fonts import get_fonts
    from xinfang_desktop.documents.model import FontRole

    face = get_fonts().primary[FontRole.FANGSONG]
    name: bytes | str = pdfmetrics.getFont(face.key).face.name  # type: ignore[attr-defined]
    return name.decode() if isinstance(name, bytes) else name


def chars_by_line(page: object) -> dict[float, list[dict[str, object]]]:
    lines: dict[float, list[dict[str, object]]] = {}
    for ch in page.chars:  # type: ignore[attr-defined]
        lines.setdefault(round(float(ch["top"]), 1), []).append(ch)
    return dict(sorted(lines.items()))


LONG = "信访工作是党的群众工作的重要组成部分，是了解社情民意的重要窗口。" * 50


def test_margins_and_line_pitch_measured(tmp_path: Path) -> None:
    doc = OfficialDocument(type_id="t", title="测试", body=(Paragraph.of(LONG),))
    render_pdf(doc, tmp_path / "long.pdf")
    with pdfplumber.open(tmp_path / "long.pdf") as pdf:
        assert len(pdf.pages) >= 3
        page = pdf.pages[1]  # page 2: the flow starts at the top of the text area
        body = [
            c
            for c in page.chars
            if abs(float(c["size"]) - g.BODY_SIZE) < 0.05 and str(c["fontname"]).endswith(fangsong_ps_name())
        ]
        top = min(float(c["top"]) for c in body)
        left = min(float(c["x0"]) for c in body)
        right = max(float(c["x1"]) for c in body)
        assert abs(top - g.TOP_MARGIN) <= HALF_MM, top / MM
        assert abs(left - g.LEFT_MARGIN) <= HALF_MM, left / MM
        assert abs(right - (g.LEFT_MARGIN + g.TEXT_WIDTH)) <= HALF_MM, right / MM
        tops = sorted({round(float(c["top"]), 2) for c in body if float(c["x0"]) < g.LEFT_MARGIN + 3 * g.BODY_SIZE})
        steps = [b - a for a, b in itertools.pairwise(tops) if b - a < 1.5 * g.LINE_PITCH]
        assert steps
        for step in steps:
            assert abs(step - g.LINE_PITCH) <= HALF_MM, step
        assert len(tops) == g.LINES_PER_PAGE


def test_footer_last_rule_on_the_text_area_bottom(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["accountability_proposal"]) as pdf:
        assert len(pdf.pages) == 2
        bottom_rule = max(float(line["top"]) for line in pdf.pages[1].lines)
        assert abs(bottom_rule - (g.TOP_MARGIN + g.TEXT_HEIGHT)) <= HALF_MM


def test_red_header_positions(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["accountability_proposal"]) as pdf:
        page = pdf.pages[0]
        mark = [c for c in page.chars if float(c["size"]) > 30]
        assert "".join(c["text"] for c in mark) == "示范县信访局文件"
        mark_top = min(float(c["top"]) for c in mark)
        # the em box top: 35 mm below the text area (within the font's own ascent convention)
        assert abs(mark_top - g.ISSUER_MARK_TOP_FROM_TOP) <= 1.5 * MM
        red_rules = [ln for ln in page.lines if ln["stroking_color"] not in ((0,), (0.0,), None, [0])]
        assert red_rules, "the red rule under the document number"
        assert abs(float(red_rules[0]["x1"]) - float(red_rules[0]["x0"]) - g.TEXT_WIDTH) < 1


def test_letter_rules_and_first_page_unnumbered(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["acceptance_notice"]) as pdf:
        first = pdf.pages[0]
        long_rules = [ln for ln in first.lines if abs(float(ln["x1"]) - float(ln["x0"]) - g.LETTER_RULE_LENGTH) < 1]
        assert len(long_rules) == 4  # two double rules
        mark_top = min(float(c["top"]) for c in first.chars if float(c["size"]) > 25)
        assert abs(mark_top - g.mm(30)) <= 1.5 * MM
        assert "—" not in first.extract_text()
        assert "— 2 —" in pdf.pages[1].extract_text()


@needs_poppler
def test_page_numbers_odd_right_even_left(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["accountability_proposal"]) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            nums = [c for c in page.chars if float(c["top"]) > g.TEXT_BOTTOM_FROM_TOP]
            text = "".join(c["text"] for c in nums).replace(" ", "")
            assert text == f"—{n}—"
            top = min(float(c["top"]) for c in nums)
            assert abs(top - g.PAGE_NUMBER_TOP_FROM_TOP) <= 1.5 * MM
            if n % 2:
                assert abs(max(float(c["x1"]) for c in nums) - (g.LEFT_MARGIN + g.TEXT_WIDTH - 14)) < 2
            else:
                assert abs(min(float(c["x0"]) for c in nums) - (g.LEFT_MARGIN + 14)) < 2


def test_no_line_starts_with_a_forbidden_character(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for chars in chars_by_line(page).values():
                    first = min(chars, key=lambda c: float(c["x0"]))  # type: ignore[arg-type]
                    if float(first["x0"]) < g.LEFT_MARGIN + 3 * g.BODY_SIZE:
                        assert first["text"] not in NO_LINE_START, first


def test_long_paragraph_fills_the_grid() -> None:
    doc = OfficialDocument(type_id="t", title="测试", body=(Paragraph.of(LONG),))
    layout = layout_document(doc)
    page2 = layout.pages[1]
    assert page2.used_lines == g.LINES_PER_PAGE
    lines = [op for op in page2.ops if op.__class__.__name__ == "TextOp" and op.top < g.TEXT_BOTTOM_FROM_TOP]
    assert len(lines) == g.LINES_PER_PAGE
    assert all(len(op.text) == g.CHARS_PER_LINE for op in lines)  # type: ignore[union-attr]


def test_blank_page_before_a_footer_that_does_not_fit() -> None:
    base = accountability_proposal()
    longer = OfficialDocument(
        **{**base.__dict__, "body": (*base.body, Paragraph.of("补充说明。" * 12))}  # type: ignore[arg-type]
    )
    layout = layout_document(longer)
    assert len(layout.pages) % 2 == 0
    assert layout.footer_page == len(layout.pages) - 1
    if layout.blank_page_inserted:
        assert layout.pages[-1].number is None and layout.pages[-2].number is None


def test_provisional_dates_warn_the_clerk_and_print_nothing(tmp_path: Path) -> None:
    import io

    stream = io.BytesIO()
    info = render_pdf(acceptance_notice(provisional=True), stream)
    assert info.pages == 2 and info.warnings == (PROVISIONAL_WARNING,)
    assert render_pdf(acceptance_notice(), io.BytesIO()).warnings == ()
    path = tmp_path / "p.pdf"
    path.write_bytes(stream.getvalue())
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")
    assert "暂估" not in text and "注意" not in text


def test_render_info_reports_fonts_and_fallbacks(tmp_path: Path) -> None:
    info = render_pdf(service_receipt(), tmp_path / "f.pdf")
    assert info.pages == 1
    assert set(info.fonts) == {"fangsong", "heiti", "kaiti", "songti", "xiaobiaosong"}
    assert "𠮷" in "".join(info.fallbacks.get("fangsong", {}).values())
    assert info.missing == ""


def test_a_two_party_signature_stands_in_two_aligned_columns(tmp_path: Path) -> None:
    """责任书 (issue 18): 甲方 left, 乙方 right, each column's lines and its date starting at one x, room for seals."""
    from xinfang_desktop.documents.office import OfficeInfo
    from xinfang_desktop.documents.types import spec

    s = spec("responsibility_statement")
    doc = s.document(s.sample(), OfficeInfo.from_settings({}), "示信责〔2026〕1号")
    path = tmp_path / "statement.pdf"
    render_pdf(doc, path)
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[-1].extract_words(keep_blank_chars=True, use_text_flow=True)
    starts = {w["text"]: round(w["x0"], 1) for w in words}
    left = [starts[t] for t in ("甲方（盖章）：", "示范县人民政府")]
    right = [starts[t] for t in ("乙方（盖章）：", "城关街道办事处")]
    assert len(set(left)) == 1 and len(set(right)) == 1, starts
    assert right[0] > left[0] + 100  # side by side, not overlapping
    dates = sorted(round(w["x0"], 1) for w in words if w["text"].startswith("2026年2月10日"))
    assert dates == [left[0], right[0]]
