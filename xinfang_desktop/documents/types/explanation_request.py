"""书面说明通知 (R-WS-03/04): after a 预警单, a further visit at county level or above obliges the warned unit to
explain in writing — 责任落实、化解稳控工作、再次上访原因 — within 3 工作日 of that visit, to the head of the higher
信访工作领导小组; a visit after that escalates to the higher 党政主要领导."""

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
    cn_date,
    contact_note,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document
from xinfang_desktop.documents.types.warning_slip import LEVELS

TYPE_ID = "explanation_request"
LABEL = "书面说明通知"


@dataclass(frozen=True)
class ExplanationInput:
    case: CaseHeader
    to_unit: str
    warning_number: str
    warning_on: date
    visit_on: date
    visit_level: str
    escalated: bool  # R-WS-04: a further visit after an explanation
    deadline: Deadline  # 3 工作日 from the visit
    issued_on: date


def from_json(data: Mapping[str, Any]) -> ExplanationInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "被预警单位", max_length=128)
    warning_number = r.text("warning_number", "预警单编号", max_length=64)
    warning_on = r.date("warning_on", "预警单发出日期")
    visit_on = r.date("visit_on", "再次上访日期")
    visit_level = r.choice("visit_level", "再次上访层级", LEVELS)
    escalated = r.flag("escalated", "是否再次上访（向上级党政主要领导说明）")
    deadline = read_deadline(r, "deadline", "书面说明期限")
    issued_on = issued(r)
    check_order(r, ("warning_on", "预警单发出日期", warning_on), ("visit_on", "再次上访日期", visit_on))
    if deadline is not None:
        check_order(r, ("visit_on", "再次上访日期", visit_on), ("deadline.due", "书面说明期限", deadline.due))
    r.finish()
    assert deadline is not None
    return ExplanationInput(
        case, to_unit, warning_number, warning_on, visit_on, visit_level, escalated, deadline, issued_on
    )


def sample() -> dict[str, Any]:
    return sample_case(
        to_unit="城关街道办事处",
        warning_number="示信预警〔2026〕4号",
        warning_on="2026-06-16",
        visit_on="2026-09-14",
        visit_level="市",
        deadline={
            "rule": "R-WS-03",
            "start": "2026-09-14",
            "due": "2026-09-17",
            "explanation": "自2026年9月14日再次上访之次日起计算3个工作日，至2026年9月17日届满。",
        },
        issued_on="2026-09-14",
    )


def build(inp: ExplanationInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, d = inp.case, inp.deadline
    to = f"{office.higher_leaders}" if inp.escalated else f"{office.leading_group}组长"
    paragraphs = [
        body(
            f"本机关已于{cn_date(inp.warning_on)}向你单位发出《信访预警单》（{inp.warning_number}），"
            f"涉及信访人{c.petitioner.for_unit()}反映“{c.topic()}”的信访事项"
            f"（信访事项编号：{c.case_number}）。"
        ),
        body(
            f"{cn_date(inp.visit_on)}，该信访人再次到{inp.visit_level}级上访"
            + ("，此前你单位已就再次上访作出书面说明" if inp.escalated else "")
            + "。"
        ),
        body(f"请你单位于{cn_date(d.due)}前（信访人上访后的3个工作日内），以书面形式向{to}说明以下情况："),
        body("1.责任落实情况；"),
        body("2.化解稳控工作情况；"),
        body("3.信访人再次上访的原因。"),
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="关于书面说明信访人再次上访情况的通知",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}：",
        note=contact_note(office),
        deadlines=[d],
        metadata=case_metadata(c.case_number, warning=inp.warning_number),
    )


SPEC: DocumentTypeSpec[ExplanationInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
