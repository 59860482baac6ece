"""复核意见书: the last stage (条例 art 36): the review under review, the 复核 clock (R-DL-11, hearing time excluded,
R-TM-04), the decision — and no further remedy, but the R-LC-03 note (same facts and reasons: 不再受理)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
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
    FINAL_NOTE,
    REVIEW_OUTCOMES,
    EarlierDecision,
    clock_text,
    request_lead,
    sections,
)

TYPE_ID = "final_review_opinion"
LABEL = "复核意见书"


@dataclass(frozen=True)
class FinalReviewInput:
    case: CaseHeader
    organ: str | None  # the organ that decides the 复核 (default: OfficeInfo.final_review_organ)
    review: EarlierDecision  # the 复查意见 under review
    requested_on: date  # receipt of the 复核 request: starts R-DL-11
    decided_on: date
    deadline: Deadline | None  # R-DL-11
    hearing: str | None  # e.g. 2026年7月1日举行听证，听证时间不计入复核期限
    findings: tuple[str, ...]
    outcome: str
    reasons: tuple[str, ...]
    basis: tuple[str, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> FinalReviewInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    organ = r.opt_text("organ", "复核机关", max_length=128)
    review = EarlierDecision.read(r.obj("review", "复查意见"), "复查意见")
    requested_on = r.date("requested_on", "收到复核请求日期")
    decided_on = r.date("decided_on", "作出复核意见日期")
    deadline = read_deadline(r, "deadline", "复核期限", required=False)
    hearing = r.opt_text("hearing", "听证情况", max_length=500, multiline=True)
    findings = r.texts("findings", "复核查明的情况", min_items=1, max_length=2000)
    outcome = r.choice("outcome", "复核结论", REVIEW_OUTCOMES)
    reasons = r.texts("reasons", "复核意见的理由", max_length=2000)
    basis = r.texts("basis", "依据", max_length=300)
    issued_on = issued(r)
    check_order(r, ("review.date", "复查意见日期", review.on), ("requested_on", "收到复核请求日期", requested_on))
    check_order(r, ("requested_on", "收到复核请求日期", requested_on), ("decided_on", "作出复核意见日期", decided_on))
    r.finish()
    return FinalReviewInput(
        case, organ, review, requested_on, decided_on, deadline, hearing, findings, outcome, reasons, basis, issued_on
    )


def sample() -> dict[str, Any]:
    return sample_case(
        review={"organ": "示范县人民政府", "number": "示政复查〔2026〕6号", "date": "2026-06-05", "outcome": "维持"},
        requested_on="2026-06-20",
        decided_on="2026-07-10",
        deadline={
            "rule": "R-DL-11",
            "start": "2026-06-20",
            "due": "2026-07-20",
            "explanation": "自2026年6月20日收到复核请求之次日起计算30日，至2026年7月20日届满"
            "（《信访工作条例》第三十六条）。",
        },
        findings=["经复核，复查意见认定的事实清楚，证据确凿，适用依据正确，程序合法。"],
        outcome="维持",
        reasons=["你在复核请求中提出的补偿标准问题，已在原处理意见和复查意见中予以解释说明。"],
        basis=["《信访工作条例》第三十六条"],
        issued_on="2026-07-10",
    )


def build(inp: FinalReviewInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    organ = inp.organ or office.final_review_organ
    lead = request_lead("复核", inp.review, inp.requested_on, organ, c.case_number)
    if inp.outcome == "责令重新作出":
        decision = f"经复核，责令{inp.review.organ}重新作出复查意见。"
        closing = f"{inp.review.organ}将重新作出复查意见，并另行告知你请求复核的权利和期限。"
        title = "告知事项"
    else:
        decision = f"经复核，决定对复查意见予以{inp.outcome}。"
        closing = FINAL_NOTE
        title = "告知事项"
    clock = clock_text("复核意见", "收到复核请求", inp.requested_on, inp.decided_on, inp.deadline)
    if inp.hearing:
        clock += f"{inp.hearing.rstrip('。')}（听证时间不计入复核期限）。"
    parts = sections(inp.findings, decision, inp.reasons, inp.basis, clock, closing, title)
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项复核意见书",
        number=number,
        content=[body(lead), *parts],
        issued_on=inp.issued_on,
        organ=organ,
        deadlines=[inp.deadline],
        metadata=case_metadata(c.case_number, outcome=inp.outcome),
    )


SPEC: DocumentTypeSpec[FinalReviewInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
