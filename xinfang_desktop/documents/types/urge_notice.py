"""催办通知: a reminder to a unit whose period is running out or has run out — the clock, its dates and explanation,
and the date by which the unit must answer."""

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
    UnitAddressing,
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

TYPE_ID = "urge_notice"
LABEL = "催办通知"


@dataclass(frozen=True)
class UrgeInput:
    case: CaseHeader
    to_unit: str
    urged_on: date
    deadline: Deadline  # the clock being urged
    reply_by: date
    supervision_number: str | None  # the 督办单 this follows, if any
    reason: str | None
    addressing: UnitAddressing
    issued_on: date


def from_json(data: Mapping[str, Any]) -> UrgeInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "承办单位", max_length=128)
    urged_on = r.date("urged_on", "催办日期")
    deadline = read_deadline(r, "deadline", "办理期限")
    reply_by = r.date("reply_by", "回复期限")
    supervision_number = r.opt_text("supervision_number", "督办单文号", max_length=64)
    reason = r.opt_text("reason", "催办事由", max_length=1000, multiline=True)
    addressing = UnitAddressing.read(r, "to_unit", to_unit)
    issued_on = issued(r)
    check_order(r, ("urged_on", "催办日期", urged_on), ("reply_by", "回复期限", reply_by))
    r.finish()
    assert deadline is not None
    return UrgeInput(case, to_unit, urged_on, deadline, reply_by, supervision_number, reason, addressing, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        to_unit="示范县人力资源和社会保障局",
        urged_on="2026-05-15",
        deadline=dict(SAMPLE_DL06),
        reply_by="2026-05-20",
        supervision_number="示信督〔2026〕5号",
        issued_on="2026-05-15",
    )


def build(inp: UrgeInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, a, d = inp.case, inp.addressing, inp.deadline
    state = "已于" if inp.urged_on > d.due else "将于"
    follows = f"本机关已于此前以{inp.supervision_number}督办，" if inp.supervision_number else ""
    paragraphs = [
        body(
            f"你单位承办的信访事项（信访事项编号：{c.case_number}，信访人：{a.petitioner(c)}，"
            f"{cn_date(c.received_on)}{c.channel}），反映“{a.summary(c)}”问题。"
        ),
        body(
            f"该事项的办理期限自{cn_date(d.start)}起算，{state}{cn_date(d.due)}届满。"
            + (f"{inp.reason.rstrip('。')}。" if inp.reason else "")
        ),
        body(
            f"{follows}现予催办。请你单位抓紧办理，于{cn_date(inp.reply_by)}前将办理情况书面报送本机关；"
            "不能按期办结的，请说明原因和拟办结时间。"
        ),
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="关于催办信访事项的通知",
        layout=Layout.DOCUMENT,
        number=number,
        content=[*paragraphs, *a.confidentiality()],
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}：",
        note=contact_note(office),
        deadlines=[d],
        metadata=case_metadata(c.case_number, to_unit=inp.to_unit),
    )


SPEC: DocumentTypeSpec[UrgeInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, True, from_json, build, sample, lambda i: i.issued_on
)
