"""The page layout: a document's 版头, flow, 版记 and page numbers placed on its pages (:func:`layout_document`)."""

from __future__ import annotations

from dataclasses import replace

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.flow import FlowBuilder, Item, blank_item, em_top
from xinfang_desktop.documents.fonts import FallbackReport, FontSet, get_fonts
from xinfang_desktop.documents.linebreak import Line, title_lines
from xinfang_desktop.documents.model import FontRole, Layout, OfficialDocument
from xinfang_desktop.documents.page_ops import (
    BLACK,
    RED,
    DocumentLayout,
    Op,
    PageLayout,
    RuleOp,
    TextOp,
    line_op,
    shift_op,
)

# --- pagination --------------------------------------------------------------------------------------------------


def _paginate(items: list[Item], first_page_start: int) -> list[list[tuple[Item, int]]]:
    """Place items on pages of LINES_PER_PAGE grid lines; page 1 starts at ``first_page_start``."""
    pages: list[list[tuple[Item, int]]] = [[]]
    line = first_page_start
    i = 0
    guard = 0
    while i < len(items):
        guard += 1
        if guard > 100000:
            raise RuntimeError("pagination did not converge")
        item = items[i]
        page = pages[-1]
        if item.spacer and line == 0 and page == [] and len(pages) > 1:
            i += 1  # no blank line at a page's top
            continue
        if line + item.lines <= g.LINES_PER_PAGE:
            page.append((item, line))
            line += item.lines
            i += 1
            continue
        if line == 0 and not page:  # taller than a page: let it overflow rather than loop
            page.append((item, line))
            line += item.lines
            i += 1
            continue
        # Does not fit: move the run of keep-with-next items before it along (but never a whole page).
        back = 0
        while back < len(page) and page[-1 - back][0].keep_with_next and back < 8:
            back += 1
        moved = 0
        if 0 < back < len(page):
            del page[len(page) - back :]
            i -= back
            moved = back
        pages.append([])
        line = 0
        if moved == 0 and item.header_rows:
            for h in item.header_rows:
                pages[-1].append((h, line))
                line += h.lines
    return pages


def _used_lines(page: list[tuple[Item, int]]) -> int:
    return max((start + it.lines for it, start in page if not it.spacer), default=0)


# --- layout -----------------------------------------------------------------------------------------------------


def layout_document(doc: OfficialDocument, fonts: FontSet | None = None) -> DocumentLayout:
    """Measure, break and paginate ``doc``; the result holds every page's drawing operations."""
    fonts = fonts or get_fonts()
    report = FallbackReport()
    b = FlowBuilder(fonts, report, doc.names)
    left = g.LEFT_MARGIN
    head_ops: list[Op] = []
    letter = doc.layout == Layout.LETTER
    form = doc.layout == Layout.FORM

    def centred_text(text: str, role: FontRole, size: float, top: float, color: str = BLACK) -> TextOp:
        sh = b.shape([(text, role, False)], size)
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        return line_op(sh, line, left, top, g.TEXT_WIDTH, "center", color)

    def mark_size(text: str, max_size: float, width: float) -> float:
        sh = b.shape([(text, FontRole.XIAOBIAOSONG, False)], 1.0)
        return min(max_size, width / max(sum(sh.widths), 1e-6))

    start_line = 0
    if letter:
        top = g.LETTER_MARK_TOP_FROM_TOP
        below = top
        if doc.issuer_mark:
            size = mark_size(doc.issuer_mark, g.LETTER_MARK_MAX_SIZE, g.LETTER_RULE_LENGTH)
            head_ops.append(centred_text(doc.issuer_mark, FontRole.XIAOBIAOSONG, size, top, RED))
            below = top + size
        rule_y = below + g.mm(g.LETTER_RULE_BELOW_MARK_MM)
        x1 = left + (g.TEXT_WIDTH - g.LETTER_RULE_LENGTH) / 2
        x2 = x1 + g.LETTER_RULE_LENGTH
        head_ops.append(RuleOp(x1, rule_y, x2, rule_y, g.LETTER_THICK_RULE, RED))
        thin_y = rule_y + g.LETTER_THICK_RULE / 2 + g.LETTER_RULE_GAP + g.LETTER_THIN_RULE / 2
        head_ops.append(RuleOp(x1, thin_y, x2, thin_y, g.LETTER_THIN_RULE, RED))
        bottom = g.PAGE_HEIGHT - g.mm(g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM)
        thin_b = bottom - g.LETTER_THICK_RULE / 2 - g.LETTER_RULE_GAP - g.LETTER_THIN_RULE / 2
        head_ops.append(RuleOp(x1, thin_b, x2, thin_b, g.LETTER_THIN_RULE, RED))
        head_ops.append(RuleOp(x1, bottom, x2, bottom, g.LETTER_THICK_RULE, RED))
        after = thin_y + g.LETTER_THIN_RULE / 2
        if doc.document_number:
            num_top = after + g.LETTER_NUMBER_BELOW_RULE
            sh = b.shape([(doc.document_number, FontRole.FANGSONG, False)])
            line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
            head_ops.append(line_op(sh, line, left, num_top, g.TEXT_WIDTH, "right"))
            after = num_top + g.BODY_SIZE
        start_line = g.nearest_line(after + g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH)
    elif not form and doc.issuer_mark:
        top = g.ISSUER_MARK_TOP_FROM_TOP
        size = mark_size(doc.issuer_mark, g.ISSUER_MARK_MAX_SIZE, g.TEXT_WIDTH)
        head_ops.append(centred_text(doc.issuer_mark, FontRole.XIAOBIAOSONG, size, top, RED))
        after = top + size
        if doc.document_number:
            num_top = after + g.NUMBER_LINES_BELOW_MARK * g.LINE_PITCH
            head_ops.append(centred_text(doc.document_number, FontRole.FANGSONG, g.BODY_SIZE, num_top))
            after = num_top + g.BODY_SIZE
        rule_y = after + g.mm(g.RED_RULE_BELOW_NUMBER_MM)
        head_ops.append(RuleOp(left, rule_y, left + g.TEXT_WIDTH, rule_y, g.RED_RULE_WIDTH, RED))
        start_line = g.nearest_line(rule_y + g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH)

    items: list[Item] = []
    if form and doc.document_number:  # a form's number stands at the top right, above its title
        sh = b.shape([(doc.document_number, FontRole.FANGSONG, False)])
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        op = line_op(sh, line, 0.0, 0.0, g.TEXT_WIDTH, "right")
        items.append(Item(1, [op], keep_with_next=True, text=[op.text]))
    # Title: 2号小标宋, centred, balanced lines (梯形), never more than the text width.
    if doc.title:
        sh = b.shape([(doc.title, FontRole.XIAOBIAOSONG, False)], g.TITLE_SIZE)
        lines = title_lines(sh.text, sh.widths, g.TEXT_WIDTH - 2 * g.TITLE_SIZE)
        for line in lines:
            op = line_op(sh, replace(line, justify=False), 0.0, em_top(g.TITLE_SIZE), g.TEXT_WIDTH, "center")
            items.append(Item(1, [op], keep_with_next=True, text=[op.text]))
        items.append(blank_item(g.ADDRESSEE_LINES_BELOW_TITLE))
        items[-1].keep_with_next = True
    if doc.addressee:
        items += b.paragraph_items([(doc.addressee, FontRole.FANGSONG, False)])
        items[-1].keep_with_next = True
    for block in doc.body:
        items += b.block_items(block)
    if doc.attachments:
        items.append(blank_item())
        items += b.attachment_items(doc.attachments)
    if items and doc.signature:
        # The signature never stands alone: it keeps the two lines before it on its page.
        for it in items[-2:]:
            it.keep_with_next = True
    if doc.signature:
        items += b.signature_items(doc.signature, doc.note)
    elif doc.note:
        items += b.paragraph_items([(doc.note, FontRole.FANGSONG, False)], first_indent_chars=2, align="left")
    if doc.tail:
        # After the signature, behind a cut line, and whole on one page (a receipt torn off and sent back).
        cut = Item(1, [RuleOp(0, g.BODY_SIZE / 2, g.TEXT_WIDTH, g.BODY_SIZE / 2, 0.5, dash=(4, 3))], text=[])
        part = [cut, *b.paragraph_items([(doc.tail_heading, FontRole.FANGSONG, False)], align="center")]
        for block in doc.tail:
            part += b.block_items(block)
        for it in part[:-1]:
            it.keep_with_next = True
        items += part

    placed = _paginate(items, start_line)
    pages = [PageLayout() for _ in placed]
    pages[0].ops.extend(head_ops)
    printed: list[str] = [op.text for op in head_ops if isinstance(op, TextOp)]
    for page, content in zip(pages, placed, strict=True):
        for item, grid_line in content:
            dy = g.line_top(grid_line)
            page.ops.extend(shift_op(op, left, dy) for op in item.ops)
            printed.extend(item.text)
        page.used_lines = page.flow_lines = _used_lines(content)

    layout = DocumentLayout(pages, report, fonts, start_line, printed_text=printed)
    if doc.footer:
        _place_footer(b, doc, layout)
    _number_pages(doc, layout)
    return layout


def _place_footer(b: FlowBuilder, doc: OfficialDocument, layout: DocumentLayout) -> None:
    assert doc.footer is not None
    letter = doc.layout == Layout.LETTER
    rows, copy_rows = b.footer_rows(doc.footer, letter)
    need = len(rows)
    layout.footer_rows, layout.footer_copy_rows = need, copy_rows
    pages = layout.pages
    last = len(pages) - 1
    free_from = pages[last].used_lines
    fits = free_from + need <= g.LINES_PER_PAGE
    if letter or doc.layout == Layout.FORM:
        if not fits:
            pages.append(PageLayout())
    else:
        # The 版记 goes on an even page (the back of the last sheet).
        if fits and (last + 1) % 2 == 0:
            pass
        elif (last + 1) % 2 == 1:
            pages.append(PageLayout())  # the back of the last sheet holds the 版记 alone
        else:
            pages.append(PageLayout(blank=True))  # a blank, unnumbered page; the 版记 page after it
            pages.append(PageLayout())
            layout.blank_page_inserted = True
    target = pages[-1]
    layout.footer_page = len(pages) - 1
    first_line = g.LINES_PER_PAGE - need
    left = g.LEFT_MARGIN
    right = left + g.TEXT_WIDTH
    base = g.line_top(first_line)
    bottom = g.TEXT_BOTTOM_FROM_TOP
    pitch = (bottom - base) / need  # the 版记 rows fill the space down to the 版心's bottom edge
    for r, ops in enumerate(rows):
        for op in ops:
            target.ops.append(shift_op(op, left, base + r * pitch))
            layout.printed_text.append(op.text)
    if not letter:
        target.ops.append(RuleOp(left, base, right, base, g.FOOTER_THICK_RULE))
        if copy_rows:
            y = base + copy_rows * pitch
            target.ops.append(RuleOp(left, y, right, y, g.FOOTER_THIN_RULE))
        target.ops.append(RuleOp(left, bottom, right, bottom, g.FOOTER_THICK_RULE))
    target.used_lines = g.LINES_PER_PAGE


def _number_pages(doc: OfficialDocument, layout: DocumentLayout) -> None:
    pages = layout.pages
    if doc.layout == Layout.FORM and len(pages) == 1:
        return
    fonts = layout.fonts
    b = FlowBuilder(fonts, layout.report)
    for n, page in enumerate(pages, start=1):
        if page.blank or (doc.layout == Layout.LETTER and n == 1):
            continue
        if layout.blank_page_inserted and layout.footer_page == n - 1:
            continue
        page.number = n
        text = g.page_number_text(n)
        sh = b.shape([(text, FontRole.SONGTI, False)], g.PAGE_NUMBER_SIZE)
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        inner = g.TEXT_WIDTH - g.PAGE_NUMBER_INDENT
        if n % 2:
            op = line_op(sh, line, g.LEFT_MARGIN, g.PAGE_NUMBER_TOP_FROM_TOP, inner, "right")
        else:
            op = line_op(sh, line, g.LEFT_MARGIN + g.PAGE_NUMBER_INDENT, g.PAGE_NUMBER_TOP_FROM_TOP, inner, "left")
        page.ops.append(op)
