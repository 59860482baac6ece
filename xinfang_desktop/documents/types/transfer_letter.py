"""转送函: to the unit with authority — the matter, the petitioner (ID masked; an accuser never named, R-LC-07)
and what the unit must do by when (R-DL-03: notify the petitioner within 15 日; R-DL-04: object within 5 工作日)."""

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

TYPE_ID = "transfer_letter"
LABEL = "转送函"


@dataclass(frozen=True)
class TransferInput:
    case: CaseHeader
    to_unit: str
    transferred_on: date
    addressing: UnitAddressing
    deadline: Deadline | None  # R-DL-03 (as estimated from the transfer date)
    attachments: tuple[str, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> TransferInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "承办单位", max_length=128)
    transferred_on = r.date("transferred_on", "转送日期")
    addressing = UnitAddressing.read(r, "to_unit", to_unit)
    deadline = read_deadline(r, "deadline", "书面告知期限", required=False)
    attachments = r.texts("attachments", "附件", max_length=100)
    issued_on = issued(r)
    check_order(
        r, ("received_on", "收到信访事项日期", case.received_on), ("transferred_on", "转送日期", transferred_on)
    )
    r.finish()
    return TransferInput(case, to_unit, transferred_on, addressing, deadline, attachments, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        to_unit="示范县人力资源和社会保障局",
        transferred_on="2026-03-04",
        deadline={
            "rule": "R-DL-03",
            "start": "2026-03-04",
            "due": "2026-03-19",
            "explanation": "自2026年3月4日收到转送、交办之次日起计算15日，至2026年3月19日届满"
            "（《信访工作条例》第二十三条第三款）。",
        },
        attachments=["信访材料（共3页）"],
        issued_on="2026-03-04",
    )


def build(inp: TransferInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, a = inp.case, inp.addressing
    paragraphs = [
        body(
            f"{cn_date(c.received_on)}，本机关收到以{c.channel}形式反映的信访事项（信访事项编号：{c.case_number}），"
            f"经审查属于你单位职权范围，依照{REGULATION}第二十二条的规定，于{cn_date(inp.transferred_on)}转送你单位办理。"
        ),
        body(f"信访人：{a.petitioner(c)}。"),
        body(f"反映的主要问题：{a.summary(c)}。"),
        body(
            f"请你单位依照{REGULATION}第二十三条第三款的规定，自收到本函之日起15日内决定是否受理，书面告知信访人，"
            "并将告知情况抄送本机关；对不属于你单位职权范围的，请自收到本函之日起5个工作日内向本机关提出异议，"
            "并详细说明理由，经核实同意后交还本机关。"
        ),
    ]
    if inp.deadline:
        paragraphs.append(
            body(f"按本函{cn_date(inp.deadline.start)}送达计算，书面告知期限至{cn_date(inp.deadline.due)}届满。")
        )
    return office_document(
        office,
        type_id=TYPE_ID,
        title="关于转送信访事项的函",
        layout=Layout.LETTER,  # a 函 is in the 信函格式 (GB/T 9704 clause 10.1), like the notices
        number=number,
        content=[*paragraphs, *a.confidentiality()],
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}：",
        attachments=inp.attachments,
        note=contact_note(office),
        deadlines=[inp.deadline],
        metadata=case_metadata(c.case_number, to_unit=inp.to_unit),
    )


SPEC: DocumentTypeSpec[TransferInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
