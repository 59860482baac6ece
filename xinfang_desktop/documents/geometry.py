"""The page geometry of GB/T 9704-2012, in one place for the PDF and the DOCX renderers.

Lengths are in PostScript points (1/72 in) unless the name ends in ``_MM`` or ``_TWIPS``. Positions measured
from the top of the paper end in ``_FROM_TOP``; the PDF renderer converts them to reportlab's bottom-up y.

Sources (see ``shared/research/documents.md`` §1): A4 paper; 天头 37 mm; 订口 28 mm; 版心 156 × 225 mm;
22 lines × 28 characters; 3号仿宋 body; 2号小标宋 title; 发文机关标志 top edge 35 mm below the 版心's top
edge (72 mm from the paper top); 发文字号 two lines below the mark; red 分隔线 4 mm below the number; page
numbers "— N —" in 4号宋体, their top 7 mm below the 版心, odd pages 右空一字, even pages 左空一字; 版记 rules
0.35 / 0.25 mm with the last rule on the 版心's bottom edge; 信函格式: mark 30 mm from the paper top, red
double rules 170 mm long, the upper one 4 mm under the mark and the lower one 20 mm above the paper bottom.
"""

from __future__ import annotations

from typing import Final

POINTS_PER_MM: Final = 72.0 / 25.4
TWIPS_PER_POINT: Final = 20


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * POINTS_PER_MM


def to_mm(points: float) -> float:
    """Points to millimetres."""
    return points / POINTS_PER_MM


def twips(points: float) -> int:
    """Points to twentieths of a point (Word's unit), rounded."""
    return round(points * TWIPS_PER_POINT)


# --- paper and text area (版心) -----------------------------------------------------------------------------
PAGE_WIDTH_MM: Final = 210.0
PAGE_HEIGHT_MM: Final = 297.0
TOP_MARGIN_MM: Final = 37.0  # 天头
LEFT_MARGIN_MM: Final = 28.0  # 订口
TEXT_WIDTH_MM: Final = 156.0
TEXT_HEIGHT_MM: Final = 225.0
RIGHT_MARGIN_MM: Final = PAGE_WIDTH_MM - LEFT_MARGIN_MM - TEXT_WIDTH_MM  # 26 mm
BOTTOM_MARGIN_MM: Final = PAGE_HEIGHT_MM - TOP_MARGIN_MM - TEXT_HEIGHT_MM  # 35 mm

PAGE_WIDTH: Final = mm(PAGE_WIDTH_MM)
PAGE_HEIGHT: Final = mm(PAGE_HEIGHT_MM)
TOP_MARGIN: Final = mm(TOP_MARGIN_MM)
LEFT_MARGIN: Final = mm(LEFT_MARGIN_MM)
TEXT_WIDTH: Final = mm(TEXT_WIDTH_MM)  # 442.2 pt
TEXT_HEIGHT: Final = mm(TEXT_HEIGHT_MM)  # 637.8 pt
TEXT_BOTTOM_FROM_TOP: Final = TOP_MARGIN + TEXT_HEIGHT

# --- the grid -----------------------------------------------------------------------------------------------
LINES_PER_PAGE: Final = 22
CHARS_PER_LINE: Final = 28
CHAR_PITCH: Final = TEXT_WIDTH / CHARS_PER_LINE  # 15.79 pt: one 字
LINE_PITCH: Final = 28.95  # one 行: Word's linePitch 579 twips; 22 × 28.95 = 636.9 pt ≤ 637.8 pt
LINE_PITCH_TWIPS: Final = 579
BODY_SIZE: Final = CHAR_PITCH  # 3号 is 16 pt; 28 × 16 pt does not fit 156 mm, so the body is set at 15.79 pt
BODY_SIZE_DOCX: Final = 16.0  # Word: 3号 with -0.25 pt character spacing (15.75 pt per character)
DOCX_CHAR_SPACING: Final = -0.25
# Glyphs sit in the grid line with the top of their em box on the line's top edge: the ideographic em box
# runs from -0.12 em to 0.88 em around the baseline in the CJK fonts used here, so the baseline is 0.88 em down.
EM_ASCENT: Final = 0.88

# --- font sizes (字号, Word's points) -------------------------------------------------------------------------
SIZE_ER_HAO: Final = 22.0  # 2号: title
SIZE_SAN_HAO: Final = 16.0  # 3号
SIZE_SI_HAO: Final = 14.0  # 4号: page numbers, 版记
SIZE_XIAO_SI: Final = 12.0  # 小4: table cells that do not fit in 3号
ISSUER_MARK_MAX_SIZE: Final = 42.0  # 初号; shrunk so that the mark fits the text area
LETTER_MARK_MAX_SIZE: Final = 30.0
TITLE_SIZE: Final = SIZE_ER_HAO
PAGE_NUMBER_SIZE: Final = SIZE_SI_HAO
FOOTER_BLOCK_SIZE: Final = SIZE_SI_HAO
TABLE_SIZE: Final = SIZE_SI_HAO  # table cells: 4号 on the body grid
TABLE_CELL_PADDING: Final = 4.0  # pt, left and right inside a cell

# --- 版头 (header of the ordinary document) ---------------------------------------------------------------------
ISSUER_MARK_TOP_MM: Final = 35.0  # mark's top edge below the 版心's top edge
ISSUER_MARK_TOP_FROM_TOP: Final = TOP_MARGIN + mm(ISSUER_MARK_TOP_MM)  # 72 mm from the paper top
NUMBER_LINES_BELOW_MARK: Final = 2  # 发文字号 下空二行
RED_RULE_BELOW_NUMBER_MM: Final = 4.0
RED_RULE_WIDTH: Final = 1.0  # pt; the standard leaves it open, templates use 1–2.25 pt
TITLE_LINES_BELOW_RULE: Final = 2  # 标题 下空二行 (from the red rule)
ADDRESSEE_LINES_BELOW_TITLE: Final = 1  # 主送 标题下空一行

# --- 信函格式 ---------------------------------------------------------------------------------------------------
LETTER_MARK_TOP_MM: Final = 30.0  # from the paper top
LETTER_MARK_TOP_FROM_TOP: Final = mm(LETTER_MARK_TOP_MM)
LETTER_RULE_LENGTH_MM: Final = 170.0
LETTER_RULE_LENGTH: Final = mm(LETTER_RULE_LENGTH_MM)
LETTER_RULE_BELOW_MARK_MM: Final = 4.0
LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM: Final = 20.0
LETTER_THICK_RULE: Final = 2.0  # pt
LETTER_THIN_RULE: Final = 0.6  # pt
LETTER_RULE_GAP: Final = 2.0  # pt between the two lines of a double rule
LETTER_NUMBER_BELOW_RULE: Final = 7 / 8 * SIZE_SAN_HAO  # 7/8 of a 3号 character's height

# --- page numbers -----------------------------------------------------------------------------------------------
PAGE_NUMBER_BELOW_TEXT_MM: Final = 7.0
PAGE_NUMBER_TOP_FROM_TOP: Final = TEXT_BOTTOM_FROM_TOP + mm(PAGE_NUMBER_BELOW_TEXT_MM)
PAGE_NUMBER_INDENT: Final = SIZE_SI_HAO  # 空一字 (one 4号 character)


def page_number_text(number: int) -> str:
    """ "— 3 —": the page number between two 一字线 (GB/T 9704 7.5)."""
    return f"— {number} —"


# --- 版记 --------------------------------------------------------------------------------------------------------
FOOTER_THICK_RULE: Final = mm(0.35)
FOOTER_THIN_RULE: Final = mm(0.25)
FOOTER_LINE_PITCH: Final = LINE_PITCH  # one grid line per 抄送 / 印发 line
FOOTER_INDENT: Final = SIZE_SI_HAO  # 左右各空一字

# --- signature block -------------------------------------------------------------------------------------------
SIGNATURE_DATE_RIGHT_CHARS: Final = 4  # 成文日期 右空四字 (sealed documents)
SIGNATURE_LINES_BELOW_BODY: Final = 2  # room for the seal between the body and the 署名 (下空二行)
BODY_INDENT_CHARS: Final = 2  # 左空二字


def line_top(index: int) -> float:
    """The top of grid line ``index`` (0-based) measured from the paper top."""
    return TOP_MARGIN + index * LINE_PITCH


def nearest_line(from_top: float) -> int:
    """The grid line whose top is nearest to a position measured from the paper top (never before line 0)."""
    return max(0, round((from_top - TOP_MARGIN) / LINE_PITCH))
