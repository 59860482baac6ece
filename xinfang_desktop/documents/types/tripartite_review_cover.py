"""三方会审卷宗封面 (R-BK-02): the cover of the review's file — the case, why the review was held, when, who took
part, how many recordings and materials the file holds, and the copy sent to the city joint-conference office."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    CaseHeader,
    DocumentTypeSpec,
    Reader,
    case_metadata,
    cn_date,
    issued,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document
from xinfang_desktop.documents.types.tripartite_review_record import ReviewFacts, read_review, sample_review

TYPE_ID = "tripartite_review_cover"
LABEL = "三方会审卷宗封面"


@dataclass(frozen=True)
class ReviewCoverInput:
    case: CaseHeader
    review: ReviewFacts
    issued_on: date  # 立卷日期


def from_json(data: Mapping[str, Any]) -> ReviewCoverInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    review = read_review(r)
    issued_on = issued(r)
    r.finish()
    return ReviewCoverInput(case, review, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(**sample_review(), issued_on="2026-07-02")


def build(inp: ReviewCoverInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, v = inp.case, inp.review
    counts = {k: sum(1 for f in v.files if f.kind == k) for k in ("录音", "录像", "其他材料")}
    rows: tuple[tuple[str, str], ...] = (
        ("卷宗名称", f"{c.petitioner.for_unit()}信访事项“三方会审”卷宗"),
        ("信访事项编号", c.case_number),
        ("反映的主要问题", c.topic()),
        ("启动原因", f"{'、'.join(v.triggers)}（{cn_date(v.visit_on)}）"),
        ("会审期限", cn_date(v.due_on)),
        ("会审日期", cn_date(v.held_on) if v.held_on else "尚未会审"),
        ("参加人员", "；".join(f"{p.role}：{p.name}" for p in v.participants) or "—"),
        ("与信访人面对面", "是" if v.petitioner_met else "否"),
        ("卷内材料", "，".join(f"{k}{n}件" for k, n in counts.items())),
        ("报送市联席办", cn_date(v.city_copy_sent_on) if v.city_copy_sent_on else "未报送"),
        ("立卷日期", cn_date(inp.issued_on)),
    )
    return office_document(
        office,
        type_id=TYPE_ID,
        title="“三方会审”卷宗",
        layout=Layout.FORM,
        number=number,
        content=[Table(rows, header_rows=0, col_widths=(1, 3))],
        issued_on=inp.issued_on,
        metadata=case_metadata(c.case_number),
    )


SPEC: DocumentTypeSpec[ReviewCoverInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.FORM, False, from_json, build, sample, lambda i: i.issued_on
)
