"""The DOCX: reopens with python-docx, East Asian fonts set, grid and spacing, same page count in LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.docx_renderer import render_docx
from xinfang_desktop.documents.fonts import bundled_font_dir
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.documents.sample_documents import acceptance_notice, accountability_proposal, all_samples

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.parametrize("key", sorted(all_samples()))
def test_reopens_with_east_asian_fonts(tmp_path: Path, key: str) -> None:
    doc = all_samples()[key]
    path = tmp_path / f"{key}.docx"
    info = render_docx(doc, path)
    assert info.fonts["fangsong"]
    word = Document(str(path))
    runs = [r for p in word.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.text
    text = "".join(p.text for p in word.paragraphs)
    cells = "".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    for line in doc.plain_text().split("\n"):
        for chunk in line.split(" "):
            assert chunk.replace("\n", "") in text.replace("\n", "") or chunk in cells, chunk


def test_geometry_grid_and_footers(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    render_docx(accountability_proposal(), path)
    word = Document(str(path))
    section = word.sections[0]
    assert abs(section.top_margin.mm - 37) < 0.1 and abs(section.left_margin.mm - 28) < 0.1
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == str(g.LINE_PITCH_TWIPS)
    assert word.settings.odd_and_even_pages_header_footer
    body = next(p for p in word.paragraphs if "基本事实" in p.text)
    spacing = body._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "579" and spacing.get(qn("w:lineRule")) == "exact"
    odd = section.footer._element.xml
    even = section.even_page_footer._element.xml
    assert "PAGE" in odd and "PAGE" in even
    assert 'w:val="right"' in odd and 'w:val="left"' in even
    assert "FF0000" in word.element.xml  # the red rule (paragraph border) and the red mark


def fontconfig(tmp_path: Path) -> Path:
    """Aliases so that LibreOffice draws the Windows font names with the bundled fonts (not Noto CJK JP)."""
    aliases = {
        "仿宋_GB2312": "AR PL SungtiL GB",
        "仿宋": "AR PL SungtiL GB",
        "宋体": "AR PL SungtiL GB",
        "方正小标宋简体": "AR PL SungtiL GB",
        "楷体_GB2312": "AR PL KaitiM GB",
        "楷体": "AR PL KaitiM GB",
        "黑体": "WenQuanYi Micro Hei",
    }
    body = "".join(
        f'<alias binding="same"><family>{k}</family><prefer><family>{v}</family></prefer></alias>'
        for k, v in aliases.items()
    )
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{bundled_font_dir()}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>{body}</fontconfig>",
        encoding="utf-8",
    )
    return conf


def _issued_line(pdf: Path, last_page: int) -> float:
    """The bottom (pt from the top) of the 版记's “…印发” line on the last page of a PDF."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(last_page), "-l", str(last_page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(r'yMax="([0-9.]+)">[^<]*印发</word>', xml)
    assert found, f"no 印发 line on page {last_page} of {pdf.name}"
    return float(found[-1])


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) is not installed")
def accountability_recommendation() -> OfficialDocument:
    """The 责任追究建议书 from its sample input: four pages, the 版记 alone on the last one (issue 18)."""
    from xinfang_desktop.documents.office import OfficeInfo
    from xinfang_desktop.documents.types import spec

    kind = spec("accountability_recommendation")
    return kind.build(kind.from_json(kind.sample()), OfficeInfo(), "示信追责〔2026〕1号")


@pytest.mark.parametrize(
    "make",
    [acceptance_notice, accountability_proposal, accountability_recommendation],
    ids=["letter", "proposal", "footer-page-alone"],
)
def test_libreoffice_gives_the_same_page_count(tmp_path: Path, make: object) -> None:
    assert SOFFICE is not None
    doc = make()  # type: ignore[operator]
    docx_path = tmp_path / "doc.docx"
    render_docx(doc, docx_path)
    ours = render_pdf(doc, tmp_path / "ours.pdf").pages
    out = tmp_path / "lo"
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(tmp_path)), "HOME": str(tmp_path)}
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    info = subprocess.run(["pdfinfo", str(out / "doc.pdf")], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == ours
    if doc.footer is not None and doc.layout.value != "letter":
        # The 版记 (issue 18): on the last page, its 印发 line at the foot of the text area in Word's layout as in ours.
        ours_at, lo_at = _issued_line(tmp_path / "ours.pdf", ours), _issued_line(out / "doc.pdf", pages)
        assert abs(ours_at - lo_at) < 3 / 25.4 * 72, (ours_at, lo_at)  # within 3 mm
