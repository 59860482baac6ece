"""受理告知书: to the petitioner — the matter is accepted, by whom it is handled and by when (R-DL-02/03, R-DL-06)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    REGULATION,
    SAMPLE_DL06,
    CaseHeader,
    Deadline,
    DocumentTypeSpec,
    Reader,
    body,
    check_order,
    cn_date,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import letter_to_petitioner

TYPE_ID = "acceptance_notice"
LABEL = "受理告知书"


@dataclass(frozen=True)
class AcceptanceInput:
    case: CaseHeader
    accepted_on: date
    handling_unit: str | None  # 承办单位 when not the office itself
    deadline: Deadline | None  # R-DL-06 (or R-DL-13 in 简易办理)
    simplified: bool
    issued_on: date


def from_json(data: Mapping[str, Any]) -> AcceptanceInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    accepted_on = r.date("accepted_on", "受理日期")
    unit = r.opt_text("handling_unit", "承办单位", max_length=128)
    deadline = read_deadline(r, "deadline", "办理期限", required=False)
    simplified = r.flag("simplified", "简易办理")
    issued_on = issued(r)
    check_order(r, ("received_on", "收到信访事项日期", case.received_on), ("accepted_on", "受理日期", accepted_on))
    check_order(r, ("accepted_on", "受理日期", accepted_on), ("issued_on", "成文日期", issued_on))
    r.finish()
    return AcceptanceInput(case, accepted_on, unit, deadline, simplified, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        accepted_on="2026-03-05",
        handling_unit="示范县人力资源和社会保障局",
        deadline=dict(SAMPLE_DL06),
        issued_on="2026-03-05",
    )


def build(inp: AcceptanceInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    handler = f"，由{inp.handling_unit}负责办理" if inp.handling_unit else ""
    paragraphs = [
        body(
            f"{c.matter()}，本机关已收悉。经审查，该事项符合受理条件，"
            f"本机关已于{cn_date(inp.accepted_on)}依法予以受理{handler}。"
        )
    ]
    if inp.deadline:
        d = inp.deadline
        if inp.simplified:
            law = "依照信访事项简易办理的有关规定，本事项适用简易办理，"
        else:
            law = (
                f"依照{REGULATION}第三十四条，信访事项应当自受理之日起60日内办结；"
                "情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过30日，并告知延期理由。"
            )
        paragraphs.append(body(f"{law}本事项的办理期限至{cn_date(d.due)}届满。"))
    paragraphs.append(
        body(
            "办理结束后，将向你出具书面处理意见。办理期间如有新的情况或材料，请及时与承办单位联系。"
            "请你依法、有序反映诉求，自觉维护信访秩序。"
        )
    )
    paragraphs.append(body("特此告知。"))
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项受理告知书",
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        deadlines=[inp.deadline],
    )


SPEC: DocumentTypeSpec[AcceptanceInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
