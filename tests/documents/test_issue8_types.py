"""The issue-8 printable documents: 一事双查报告, 三方会审记录 and its 卷宗封面 (R-BK-01, R-BK-02)."""

from __future__ import annotations

from typing import Any

import pytest

from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.documents.model import Layout
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import REGISTRY, spec

OFFICE = OfficeInfo()
TYPES = {
    "dual_inquiry_report": ("一事双查报告", Layout.DOCUMENT),
    "tripartite_review_record": ("三方会审记录", Layout.DOCUMENT),
    "tripartite_review_cover": ("三方会审卷宗封面", Layout.FORM),
}


def text_of(type_id: str, data: dict[str, Any] | None = None) -> str:
    s = spec(type_id)
    return s.document(s.sample() if data is None else data, OFFICE, "示信〔2026〕3号").plain_text()


def problems(type_id: str, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        spec(type_id).from_json(data)
    return {p.field: p.reason for p in err.value.errors}


@pytest.mark.parametrize("type_id", sorted(TYPES))
def test_registered_with_label_layout_and_number_prefix(type_id: str) -> None:
    label, layout = TYPES[type_id]
    assert REGISTRY[type_id][0] == label == spec(type_id).label and spec(type_id).layout is layout
    assert OFFICE.document_number(type_id, 2026, 1) not in {
        OFFICE.document_number(t, 2026, 1) for t in REGISTRY if t != type_id
    }
    text = text_of(type_id)
    assert "XF2026-000001" in text and "11010519491231002X" not in text and "2026年" in text


def test_dual_inquiry_report_has_both_checks() -> None:
    text = text_of("dual_inquiry_report")
    assert "一事双查" in text and "R-BK-01" not in text  # rule IDs are the clerk's, never printed
    assert "城关街道办事处" in text and "李明" in text and "已追究责任" in text and "通报批评" in text
    assert "2026年8月5日完成" in text.replace("已于", "")


def test_dual_inquiry_report_open_parts_and_checks() -> None:
    data = spec("dual_inquiry_report").sample()
    for key in (
        "first_unit",
        "handler",
        "findings",
        "handling_done_on",
        "pursued",
        "outcome",
        "accountability_done_on",
    ):
        data.pop(key)
    text = text_of("dual_inquiry_report", data)
    assert "尚未完成" in text and "尚未认定" in text
    bad = spec("dual_inquiry_report").sample() | {"pursued": "也许", "handling_due_on": "2026-07-01"}
    bad.pop("findings")
    found = problems("dual_inquiry_report", bad)
    assert "可选" in found["pursued"] and "早于" in found["handling_due_on"] and "R-BK-01" in found["findings"]
    no_outcome = spec("dual_inquiry_report").sample()
    no_outcome.pop("outcome")
    assert "outcome" in problems("dual_inquiry_report", no_outcome)


def test_review_record_lists_parties_files_and_city_copy() -> None:
    text = text_of("tripartite_review_record")
    for part in (
        "县级党政主要领导",
        "事权单位",
        "司法部门专家",
        "会审录像.mp4",
        "ab" * 32,
        "2026年7月2日报送",
    ):
        assert part in text
    open_review = spec("tripartite_review_record").sample()
    for key in ("held_on", "city_copy_sent_on", "files", "notes"):
        open_review.pop(key)
    text = text_of("tripartite_review_record", open_review)
    assert "尚未召开" in text and "____年" in text


@pytest.mark.parametrize("type_id", ["tripartite_review_record", "tripartite_review_cover"])
def test_a_held_review_needs_all_three_parties(type_id: str) -> None:
    data = spec(type_id).sample()
    data["participants"] = data["participants"][:2]
    assert "司法部门专家" in problems(type_id, data)["participants"]
    data = spec(type_id).sample() | {"held_on": "2026-06-01", "triggers": []}
    found = problems(type_id, data)
    assert "早于" in found["held_on"] and "triggers" in found
    data = spec(type_id).sample()
    data["participants"][0]["role"] = "路人"
    assert "可选" in problems(type_id, data)["participants[0].role"]


def test_cover_counts_the_materials() -> None:
    text = text_of("tripartite_review_cover")
    assert "录音0件，录像1件，其他材料0件" in text and "卷宗" in text and "张伟" in text
