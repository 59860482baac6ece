"""追责情况通报 (S1 art 18, R-AC-05): the outcome of an accountability case reported to the organisation and personnel
departments — who was held responsible, the measure the organ with authority took, when and by which document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, FooterBlock, Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    cn_date,
    h1,
    issued,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "accountability_outcome_report"
LABEL = "追责情况通报"


@dataclass(frozen=True)
class PersonOutcome:
    name: str
    post: str
    unit: str
    responsibility: str
    measure: str
    on: date | None
    document: str | None


@dataclass(frozen=True)
class OutcomeInput:
    to_organ: str
    subject_unit: str
    case_number: str | None
    recommendation_number: str | None
    referred_to: str
    referred_on: date
    feedback_on: date
    feedback_document: str | None
    outcome: str
    grounds: tuple[str, ...]
    persons: tuple[PersonOutcome, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> OutcomeInput:
    r = Reader(data)
    to_organ = r.text("to_organ", "通报机关", max_length=128)
    subject_unit = r.text("subject_unit", "被追责单位", max_length=128)
    case_number = r.opt_text("case_number", "信访事项编号", max_length=32)
    recommendation = r.opt_text("recommendation_number", "责任追究建议书文号", max_length=64)
    referred_to = r.text("referred_to", "移送机关", max_length=128)
    referred_on = r.date("referred_on", "移送日期")
    feedback_on = r.date("feedback_on", "反馈日期")
    feedback_document = r.opt_text("feedback_document", "反馈文号", max_length=128)
    outcome = r.text("outcome", "处理结果", max_length=4000, multiline=True)
    grounds = r.texts("grounds", "追责依据", min_items=1, max_length=200)
    persons = tuple(
        PersonOutcome(
            p.text("name", "姓名", max_length=64),
            p.text("post", "职务", max_length=128),
            p.text("unit", "所在单位", max_length=128),
            p.text("responsibility", "责任类型", max_length=32),
            p.text("measure", "处理结果", max_length=64),
            p.opt_date("on", "处理日期"),
            p.opt_text("document", "处理文号", max_length=128),
        )
        for p in r.children("persons", "责任人", min_items=1)
    )
    issued_on = issued(r)
    check_order(r, ("referred_on", "移送日期", referred_on), ("feedback_on", "反馈日期", feedback_on))
    check_order(r, ("feedback_on", "反馈日期", feedback_on), ("issued_on", "成文日期", issued_on))
    r.finish()
    return OutcomeInput(
        to_organ,
        subject_unit,
        case_number,
        recommendation,
        referred_to,
        referred_on,
        feedback_on,
        feedback_document,
        outcome,
        grounds,
        persons,
        issued_on,
    )


def sample() -> dict[str, Any]:
    return {
        "to_organ": "中共示范县委组织部、示范县人力资源和社会保障局",
        "subject_unit": "城关街道办事处",
        "case_number": "XF2026-000001",
        "recommendation_number": "示信追〔2026〕1号",
        "referred_to": "中共示范县委组织部",
        "referred_on": "2026-06-30",
        "feedback_on": "2026-07-28",
        "feedback_document": "示组函〔2026〕15号",
        "outcome": "经研究，对陈某、刘某予以通报，责令于2026年7月31日前完成整改。",
        "grounds": ["《信访工作责任制实施办法》第十一条第（二）项"],
        "persons": [
            {
                "name": "陈某",
                "post": "信访办主任",
                "unit": "城关街道办事处",
                "responsibility": "直接责任",
                "measure": "通报",
                "on": "2026-07-20",
                "document": "示组函〔2026〕15号",
            }
        ],
        "issued_on": "2026-08-03",
    }


def build(inp: OutcomeInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    rec = f"（{inp.recommendation_number}）" if inp.recommendation_number else ""
    case = f"（信访事项编号：{inp.case_number}）" if inp.case_number else ""
    feedback = f"（{inp.feedback_document}）" if inp.feedback_document else ""
    paragraphs: list[Block] = [
        body(
            f"本机关于{cn_date(inp.referred_on)}向{inp.referred_to}提出对{inp.subject_unit}有关人员追究信访工作责任的"
            f"建议{rec}{case}，依据为" + "、".join(inp.grounds) + "。"
            f"{inp.referred_to}已于{cn_date(inp.feedback_on)}书面反馈处理结果{feedback}。现将有关情况通报如下。"
        ),
        h1("一、处理结果"),
        body(inp.outcome.rstrip("。") + "。"),
    ]
    rows: list[tuple[str, ...]] = [("姓名", "职务", "责任类型", "处理结果", "处理日期及文号")]
    for p in inp.persons:
        when = "，".join(x for x in (cn_date(p.on) if p.on else "", p.document or "") if x) or "—"
        rows.append((p.name, f"{p.unit}{p.post}", p.responsibility, p.measure, when))
    paragraphs.append(Table(tuple(rows), header_rows=1, col_widths=(0.9, 2.2, 1.2, 1.2, 1.9)))
    paragraphs.append(h1("二、有关要求"))
    paragraphs.append(
        body(
            "请将上述人员被追究信访工作责任的情况记入干部档案材料，作为业绩评定、奖励处罚、选拔任用的重要依据；"
            "在干部考察工作中听取信访部门意见，了解掌握领导干部履行信访工作职责情况。"
        )
    )
    return office_document(
        office,
        type_id=TYPE_ID,
        title=f"关于{inp.subject_unit}有关人员信访工作责任追究情况的通报",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        addressee=f"{inp.to_organ}：",
        footer=FooterBlock(issuer=office.name, issued_on=inp.issued_on, copy_to=()),
        metadata=case_metadata(inp.case_number, to_organ=inp.to_organ),
    )


SPEC: DocumentTypeSpec[OutcomeInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
