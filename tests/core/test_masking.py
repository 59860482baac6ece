"""core.masking (issue 17): ID numbers and phones masked, and free text scrubbed of them (crash reports, logs)."""

from __future__ import annotations

import pytest

from xinfang_desktop.core.masking import mask_id_number, mask_phone


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number(None) is None and mask_phone("") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证 11010519491231002X 有误", "身份证 110105********002X 有误"),
        ("电话13800138000，", "电话138****8000，"),
        ("XF2026-000123 与 2026-12-04", "XF2026-000123 与 2026-12-04"),  # case numbers and dates untouched
        ("sha 11010519491231002X0000 end", "sha 11010519491231002X0000 end"),  # inside a longer run: not a number
        ("座机 0571-88888888", "座机 0571-88888888"),  # landlines are not detected in free text (I)
    ],
)
def test_scrub_text_masks_numbers_quoted_in_free_text(text: str, expected: str) -> None:
    from xinfang_desktop.core.masking import scrub_text

    assert scrub_text(text) == expected
