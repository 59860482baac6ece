"""交办单: the matter handed to a unit with a set period (R-DL-05, 条例 art 22(3)): 要结果 (a 办结报告) or 要情况
(a report on progress), the deadline with its explanation; ID masked, an accuser never named (R-LC-07)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    REGULATION,
    CaseHeader,
    Deadline,
    DocumentTypeSpec,
    Reader,
    UnitAddressing,
    body,
    case_metadata,
    check_order,
    cn_date,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "assignment_form"
LABEL = "交办单"

MODES: dict[str, str] = {
    "要结果": "请按期办结，并将办理结果和办结报告书面报送本机关；本机关将对办结报告进行审核",
    "要情况": "请按期将办理情况（调查核实情况、处理措施和进展）书面报送本机关",
}


@dataclass(frozen=True)
class AssignmentInput:
    case: CaseHeader
    to_unit: str
    assigned_on: date
    mode: str
    days: int
    deadline: Deadline  # R-DL-05, the period set by this 交办
    addressing: UnitAddressing
    requirements: tuple[str, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> AssignmentInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "承办单位", max_length=128)
    assigned_on = r.date("assigned_on", "交办日期")
    mode = r.choice("mode", "交办方式", tuple(MODES))
    days = r.integer("days", "办理期限天数", low=1, high=365)
    deadline = read_deadline(r, "deadline", "办理期限")
    addressing = UnitAddressing.read(r, "to_unit", to_unit)
    requirements = r.texts("requirements", "办理要求", max_length=500)
    issued_on = issued(r)
    check_order(r, ("received_on", "收到信访事项日期", case.received_on), ("assigned_on", "交办日期", assigned_on))
    r.finish()
    assert deadline is not None  # required: finish() raised otherwise
    return AssignmentInput(case, to_unit, assigned_on, mode, days, deadline, addressing, requirements, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        to_unit="城关街道办事处",
        assigned_on="2026-03-04",
        mode="要结果",
        days=30,
        deadline={
            "rule": "R-DL-05",
            "start": "2026-03-04",
            "due": "2026-04-03",
            "explanation": "自2026年3月4日交办之次日起计算30日，至2026年4月3日届满"
            "（《信访工作条例》第二十二条第三项）。",
        },
        requirements=["落实初信初访“三见面”：事权单位与信访人见面、办理结果与信访人见面"],
        issued_on="2026-03-04",
    )


def build(inp: AssignmentInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, a, d = inp.case, inp.addressing, inp.deadline
    rows: list[tuple[str, str]] = [
        ("信访事项编号", c.case_number),
        ("信访人", a.petitioner(c)),
        ("信访日期和形式", f"{cn_date(c.received_on)}，{c.channel}"),
        ("反映的主要问题", a.summary(c)),
        ("交办日期", cn_date(inp.assigned_on)),  # the 承办单位 is the addressee above the table
        ("交办方式", inp.mode),  # what it asks is said once, in the paragraph below (one sheet)
        ("办理期限", f"{inp.days}日，{cn_date(d.due)}前报送"),
    ]
    if inp.requirements:
        rows.append(("办理要求", "；".join(x.rstrip("。；") for x in inp.requirements) + "。"))
    paragraphs = [
        body(
            f"依照{REGULATION}第二十二条第三项的规定，现将上述信访事项交由你单位办理。{MODES[inp.mode]}"
            "（期限见上表）。逾期未报的，本机关将予以督办。"
        )
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="信访事项交办单",
        layout=Layout.FORM,
        number=number,
        content=[Table(tuple(rows), header_rows=0, col_widths=(1, 3)), *paragraphs, *a.confidentiality()],
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}：",
        deadlines=[d],
        metadata=case_metadata(c.case_number, to_unit=inp.to_unit, mode=inp.mode),
    )


SPEC: DocumentTypeSpec[AssignmentInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.FORM, True, from_json, build, sample, lambda i: i.issued_on
)
