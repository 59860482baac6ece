"""督办单: an order to a unit to speed up or correct its handling — why, the clock it concerns and the date by which
the unit reports (R-LC-01 督办; 条例 art 38)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    SAMPLE_DL06,
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

TYPE_ID = "supervision_form"
LABEL = "督办单"


@dataclass(frozen=True)
class SupervisionInput:
    case: CaseHeader
    to_unit: str
    supervised_on: date
    reason: str
    handling_deadline: Deadline | None  # the clock the unit is behind on (R-DL-05/06 …)
    report_by: date
    report_deadline: Deadline | None  # the engine's explanation of report_by, when it computed it
    addressing: UnitAddressing
    requirements: tuple[str, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> SupervisionInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "被督办单位", max_length=128)
    supervised_on = r.date("supervised_on", "督办日期")
    reason = r.text("reason", "督办事由", max_length=1000, multiline=True)
    handling = read_deadline(r, "handling_deadline", "原办理期限", required=False)
    report_by = r.date("report_by", "报送期限")
    report_deadline = read_deadline(r, "report_deadline", "报送期限说明", required=False)
    addressing = UnitAddressing.read(r, "to_unit", to_unit)
    requirements = r.texts("requirements", "督办要求", max_length=500)
    issued_on = issued(r)
    check_order(r, ("supervised_on", "督办日期", supervised_on), ("report_by", "报送期限", report_by))
    r.finish()
    return SupervisionInput(
        case, to_unit, supervised_on, reason, handling, report_by, report_deadline, addressing, requirements, issued_on
    )


def sample() -> dict[str, Any]:
    return sample_case(
        to_unit="示范县人力资源和社会保障局",
        supervised_on="2026-05-07",
        reason="该事项办理期限已于2026年5月6日届满，承办单位尚未出具处理意见",
        handling_deadline=dict(SAMPLE_DL06),
        report_by="2026-05-14",
        requirements=["查明超期原因", "提出处理意见并书面答复信访人"],
        issued_on="2026-05-07",
    )


def build(inp: SupervisionInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, a = inp.case, inp.addressing
    rows: list[tuple[str, str]] = [
        ("信访事项编号", c.case_number),
        ("信访人", a.petitioner(c)),
        ("信访日期和形式", f"{cn_date(c.received_on)}，{c.channel}"),
        ("反映的主要问题", a.summary(c)),
        ("被督办单位", inp.to_unit),
        ("督办事由", inp.reason.rstrip("。") + "。"),
    ]
    if inp.handling_deadline:
        h = inp.handling_deadline
        rows.append(("原办理期限", f"{cn_date(h.start)}起算，{cn_date(h.due)}届满"))
    rows.append(("报送期限", f"{cn_date(inp.report_by)}前"))
    if inp.requirements:
        rows.append(("督办要求", "；".join(x.rstrip("。；") for x in inp.requirements) + "。"))
    paragraphs = [
        body(
            f"请你单位高度重视，于{cn_date(inp.report_by)}前将办理情况和结果书面报送本机关。"
            "逾期未报送或者办理不力的，本机关将依照有关规定提出改进工作或者责任追究的建议。"
        )
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="信访事项督办单",
        layout=Layout.FORM,
        number=number,
        content=[Table(tuple(rows), header_rows=0, col_widths=(1, 3)), *paragraphs, *a.confidentiality()],
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}：",
        deadlines=[inp.handling_deadline, inp.report_deadline],
        metadata=case_metadata(c.case_number, to_unit=inp.to_unit),
    )


SPEC: DocumentTypeSpec[SupervisionInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.FORM, True, from_json, build, sample, lambda i: i.issued_on
)
