"""The GB/T 9704 numbers the renderers share."""

from __future__ import annotations

import pytest

from xinfang_desktop.documents import geometry as g


def test_paper_and_text_area() -> None:
    assert pytest.approx(595.28, abs=0.01) == g.PAGE_WIDTH
    assert pytest.approx(841.89, abs=0.01) == g.PAGE_HEIGHT
    assert pytest.approx(26.0) == g.RIGHT_MARGIN_MM
    assert pytest.approx(35.0) == g.BOTTOM_MARGIN_MM
    assert g.to_mm(g.mm(37.0)) == pytest.approx(37.0)


def test_grid_fits_22_lines_of_28_characters() -> None:
    assert pytest.approx(g.TEXT_WIDTH) == g.CHAR_PITCH * g.CHARS_PER_LINE
    assert pytest.approx(15.79, abs=0.01) == g.BODY_SIZE
    assert g.LINES_PER_PAGE * g.LINE_PITCH <= g.TEXT_HEIGHT
    assert (g.LINES_PER_PAGE + 1) * g.LINE_PITCH > g.TEXT_HEIGHT
    assert g.twips(g.LINE_PITCH) == g.LINE_PITCH_TWIPS
    assert 28.95 <= g.LINE_PITCH <= 28.99
    # Word: 3号 with -0.25 pt spacing must still fit 28 characters on a line
    assert (g.BODY_SIZE_DOCX + g.DOCX_CHAR_SPACING) * g.CHARS_PER_LINE <= g.TEXT_WIDTH


def test_header_positions() -> None:
    assert g.to_mm(g.ISSUER_MARK_TOP_FROM_TOP) == pytest.approx(72.0)
    assert g.to_mm(g.LETTER_MARK_TOP_FROM_TOP) == pytest.approx(30.0)
    assert g.to_mm(g.PAGE_NUMBER_TOP_FROM_TOP) == pytest.approx(37 + 225 + 7)
    assert g.LETTER_RULE_LENGTH_MM == 170.0
    assert g.to_mm(g.FOOTER_THICK_RULE) == pytest.approx(0.35)


def test_grid_lines_and_page_numbers() -> None:
    assert g.line_top(0) == g.TOP_MARGIN
    assert g.nearest_line(g.line_top(5) + 10) == 5
    assert g.nearest_line(0) == 0
    assert g.page_number_text(3) == "— 3 —"
