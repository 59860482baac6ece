"""Forms that are one sheet stay one sheet (issue 18): 送达回证, 信访事项回执, 交办单, 督办单, 卷宗封面 on one A4 page.

A form row left blank for a hand-written signature or note keeps two lines; a row already filled keeps one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xinfang_desktop.documents.flow import _to_write_by_hand
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.documents.types import spec

OFFICE = OfficeInfo.from_settings({})
ONE_SHEET = ("delivery_receipt", "petitioner_receipt", "assignment_form", "supervision_form", "tripartite_review_cover")


@pytest.mark.parametrize("type_id", ONE_SHEET)
def test_the_form_fits_one_sheet(type_id: str, tmp_path: Path) -> None:
    doc = spec(type_id).document(spec(type_id).sample(), OFFICE, "示信〔2026〕1号")
    assert render_pdf(doc, tmp_path / f"{type_id}.pdf").pages == 1


def test_only_blank_rows_are_left_two_lines_for_handwriting() -> None:
    assert _to_write_by_hand(("受送达人签名（盖章）", ""))
    assert _to_write_by_hand(("备注", "\u3000"))
    assert not _to_write_by_hand(("签收日期", "年\u3000月\u3000日"))
    assert not _to_write_by_hand(("受送达人", "张伟"))
