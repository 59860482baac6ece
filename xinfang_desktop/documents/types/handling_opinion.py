"""处理意见书: to the petitioner — the findings, the decision (予以支持 / 解释说明 / 不予支持, 条例 art 32), the
handling clock (R-DL-06) and the remedy: 复查 within 30 日 of receipt, at the named higher organ (R-DL-08, art 35)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    SAMPLE_DL06,
    CaseHeader,
    Deadline,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    cn_date,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import letter_to_petitioner
from xinfang_desktop.documents.types._opinion import OUTCOMES, clock_text, remedy_text, sections

TYPE_ID = "handling_opinion"
LABEL = "处理意见书"


@dataclass(frozen=True)
class HandlingInput:
    case: CaseHeader
    organ: str | None  # the organ that decided (default: the office)
    accepted_on: date
    concluded_on: date
    deadline: Deadline | None  # R-DL-06 (with any extension)
    findings: tuple[str, ...]
    outcome: str
    reasons: tuple[str, ...]
    basis: tuple[str, ...]
    review_organ: str | None  # default: OfficeInfo.review_organ
    remedy_days: int
    issued_on: date


def from_json(data: Mapping[str, Any]) -> HandlingInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    organ = r.opt_text("organ", "作出处理意见的机关", max_length=128)
    accepted_on = r.date("accepted_on", "受理日期")
    concluded_on = r.date("concluded_on", "作出处理意见日期")
    deadline = read_deadline(r, "deadline", "办理期限", required=False)
    findings = r.texts("findings", "调查核实情况", min_items=1, max_length=2000)
    outcome = r.choice("outcome", "处理意见", OUTCOMES)
    reasons = r.texts("reasons", "处理意见的理由", max_length=2000)
    basis = r.texts("basis", "依据", max_length=300)
    review_organ = r.opt_text("review_organ", "复查机关", max_length=128)
    remedy_days = r.integer("remedy_days", "请求复查期限（日）", low=1, high=365, default=30)
    issued_on = issued(r)
    check_order(r, ("accepted_on", "受理日期", accepted_on), ("concluded_on", "作出处理意见日期", concluded_on))
    r.finish()
    return HandlingInput(
        case,
        organ,
        accepted_on,
        concluded_on,
        deadline,
        findings,
        outcome,
        reasons,
        basis,
        review_organ,
        remedy_days,
        issued_on,
    )


def sample() -> dict[str, Any]:
    return sample_case(
        accepted_on="2026-03-05",
        concluded_on="2026-04-20",
        deadline=dict(SAMPLE_DL06),
        findings=[
            "经调查核实，你户被征收房屋的补偿款已按2025年补偿安置方案核定，其中装修补偿部分因评估报告未送达，"
            "尚有人民币12,600元未予发放。"
        ],
        outcome="予以支持",
        reasons=["示范县人力资源和社会保障局已会同城关街道办事处于2026年4月30日前补发上述款项。"],
        basis=["《国有土地上房屋征收与补偿条例》第二十七条", "《信访工作条例》第三十二条第一款第（一）项"],
        issued_on="2026-04-20",
    )


def build(inp: HandlingInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    organ = inp.organ or office.name
    review_organ = inp.review_organ or office.review_organ
    who = organ if inp.organ else "本机关"
    lead = f"{c.matter()}，{who}于{cn_date(inp.accepted_on)}依法受理。现将处理意见告知如下："
    decision = f"经研究，对你提出的诉求，{inp.outcome}。"
    clock = clock_text("处理意见", "受理", inp.accepted_on, inp.concluded_on, inp.deadline)
    parts = sections(
        inp.findings,
        decision,
        inp.reasons,
        inp.basis,
        clock,
        remedy_text("复查", review_organ, inp.remedy_days),
        "权利告知",
    )
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项处理意见书",
        number=number,
        content=[body(lead), *parts],
        issued_on=inp.issued_on,
        organ=organ,
        deadlines=[inp.deadline],
        metadata=case_metadata(c.case_number, outcome=inp.outcome, review_organ=review_organ),
    )


SPEC: DocumentTypeSpec[HandlingInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
