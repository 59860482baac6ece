"""复查意见书: the higher organ's review of a 处理意见 (条例 art 35): 维持 / 撤销 / 变更 / 责令重新作出,
the review clock
(R-DL-09) and the remedy: 复核 within 30 日 of receipt, at the organ above the reviewing one (R-DL-10, art 36)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    REGULATION,
    CaseHeader,
    Deadline,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import letter_to_petitioner
from xinfang_desktop.documents.types._opinion import (
    REVIEW_OUTCOMES,
    EarlierDecision,
    clock_text,
    remedy_text,
    request_lead,
    sections,
)

TYPE_ID = "review_opinion"
LABEL = "复查意见书"


@dataclass(frozen=True)
class ReviewInput:
    case: CaseHeader
    organ: str | None  # the reviewing organ (default: OfficeInfo.review_organ)
    original: EarlierDecision
    requested_on: date  # receipt of the 复查 request: starts R-DL-09
    decided_on: date
    deadline: Deadline | None  # R-DL-09
    findings: tuple[str, ...]
    outcome: str
    reasons: tuple[str, ...]
    basis: tuple[str, ...]
    final_review_organ: str | None  # default: OfficeInfo.final_review_organ
    remedy_days: int
    issued_on: date


def from_json(data: Mapping[str, Any]) -> ReviewInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    organ = r.opt_text("organ", "复查机关", max_length=128)
    original = EarlierDecision.read(r.obj("original", "原处理意见"), "原处理意见")
    requested_on = r.date("requested_on", "收到复查请求日期")
    decided_on = r.date("decided_on", "作出复查意见日期")
    deadline = read_deadline(r, "deadline", "复查期限", required=False)
    findings = r.texts("findings", "复查查明的情况", min_items=1, max_length=2000)
    outcome = r.choice("outcome", "复查结论", REVIEW_OUTCOMES)
    reasons = r.texts("reasons", "复查意见的理由", max_length=2000)
    basis = r.texts("basis", "依据", max_length=300)
    final_organ = r.opt_text("final_review_organ", "复核机关", max_length=128)
    remedy_days = r.integer("remedy_days", "请求复核期限（日）", low=1, high=365, default=30)
    issued_on = issued(r)
    check_order(r, ("original.date", "原处理意见日期", original.on), ("requested_on", "收到复查请求日期", requested_on))
    check_order(r, ("requested_on", "收到复查请求日期", requested_on), ("decided_on", "作出复查意见日期", decided_on))
    r.finish()
    return ReviewInput(
        case,
        organ,
        original,
        requested_on,
        decided_on,
        deadline,
        findings,
        outcome,
        reasons,
        basis,
        final_organ,
        remedy_days,
        issued_on,
    )


def sample() -> dict[str, Any]:
    return sample_case(
        original={
            "organ": "示范县人力资源和社会保障局",
            "number": "示人社处〔2026〕8号",
            "date": "2026-04-20",
            "outcome": "不予支持",
        },
        requested_on="2026-05-15",
        decided_on="2026-06-05",
        deadline={
            "rule": "R-DL-09",
            "start": "2026-05-15",
            "due": "2026-06-15",
            "explanation": "自2026年5月15日收到复查请求之次日起计算30日，届满日2026年6月14日为休息日（星期日），"
            "顺延至2026年6月15日（《信访工作条例》第三十五条）。",
        },
        findings=["经复查，原处理意见认定的事实清楚，适用依据正确，程序合法。"],
        outcome="维持",
        reasons=["你在复查请求中未提出新的事实和证据。"],
        basis=["《信访工作条例》第三十五条"],
        issued_on="2026-06-05",
    )


def build(inp: ReviewInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    organ = inp.organ or office.review_organ
    final_organ = inp.final_review_organ or office.final_review_organ
    lead = request_lead("复查", inp.original, inp.requested_on, organ, c.case_number)
    decision = (
        f"经复查，决定对原处理意见予以{inp.outcome}。"
        if inp.outcome != "责令重新作出"
        else (f"经复查，责令{inp.original.organ}重新作出处理意见。")
    )
    clock = clock_text("复查意见", "收到复查请求", inp.requested_on, inp.decided_on, inp.deadline)
    if inp.outcome == "责令重新作出":
        closing = (
            f"{inp.original.organ}将重新办理并重新作出处理意见，办理期限重新计算（{REGULATION}第三十四条）；"
            "重新作出的处理意见书将另行告知你请求复查的权利和期限。"
        )
    else:
        closing = remedy_text("复核", final_organ, inp.remedy_days)
    parts = sections(inp.findings, decision, inp.reasons, inp.basis, clock, closing, "权利告知")
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项复查意见书",
        number=number,
        content=[body(lead), *parts],
        issued_on=inp.issued_on,
        organ=organ,
        deadlines=[inp.deadline],
        metadata=case_metadata(c.case_number, outcome=inp.outcome, final_review_organ=final_organ),
    )


SPEC: DocumentTypeSpec[ReviewInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
