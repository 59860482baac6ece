"""信访工作责任书 (R-RS-01/02, S0 art 5): the annual statement between a level and the level below — the two parties,
the year, the targets table, the measures, what follows if targets are missed, and a signature block for each side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Signature, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    DocumentTypeSpec,
    Reader,
    blocks,
    body,
    h1,
    plain,
)

TYPE_ID = "responsibility_statement"
LABEL = "信访工作责任书"


@dataclass(frozen=True)
class Target:
    item: str
    value: str
    note: str | None


@dataclass(frozen=True)
class StatementInput:
    year: int
    first_party: str  # 甲方: the upper level
    second_party: str  # 乙方: the level below
    first_signatory: str | None  # e.g. 县长（签字）
    second_signatory: str | None
    targets: tuple[Target, ...]
    measures: tuple[str, ...]
    consequences: tuple[str, ...]
    signed_on: date


def from_json(data: Mapping[str, Any]) -> StatementInput:
    r = Reader(data)
    year = r.integer("year", "责任年度", low=2000, high=2199)
    first = r.text("first_party", "甲方（上级）", max_length=128)
    second = r.text("second_party", "乙方（下级）", max_length=128)
    if first and first == second:
        r.problem("second_party", "乙方（下级）", "不能与甲方相同")
    first_signatory = r.opt_text("first_signatory", "甲方负责人", max_length=64)
    second_signatory = r.opt_text("second_signatory", "乙方负责人", max_length=64)
    targets = []
    for t in r.children("targets", "目标任务", min_items=1):
        targets.append(
            Target(
                t.text("item", "目标项目", max_length=100),
                t.text("value", "目标值", max_length=100),
                t.opt_text("note", "说明", max_length=300),
            )
        )
    measures = r.texts("measures", "工作措施", min_items=1, max_length=1000)
    consequences = r.texts("consequences", "考核与责任追究", max_length=1000)
    signed_on = r.date("signed_on", "签订日期")
    if signed_on.year > 1970 and year > 2000 and signed_on.year not in (year - 1, year):
        r.problem("signed_on", "签订日期", f"{signed_on.year}年签订与责任年度{year}年不符（应在当年或上一年签订）")
    r.finish()
    return StatementInput(
        year, first, second, first_signatory, second_signatory, tuple(targets), measures, consequences, signed_on
    )


def sample() -> dict[str, Any]:
    return {
        "year": 2026,
        "first_party": "示范县人民政府",
        "second_party": "城关街道办事处",
        "first_signatory": "县长",
        "second_signatory": "主任",
        "targets": [
            {"item": "上访量", "value": "下降20%以上", "note": "两年内，以2025年为基数（R-RS-02）"},
            {"item": "信访重点人员", "value": "下降30%以上", "note": "两年内"},
            {"item": "新增积案率", "value": "下降50%以上", "note": "两年内"},
            {"item": "越级进京上访", "value": "下降30%以上", "note": "两年内"},
            {"item": "上级交办积案化解率", "value": "国家信访局交办100%，省市交办80%以上"},
            {"item": "及时受理率、按期办结率", "value": "100%"},
            {"item": "群众满意率", "value": "90%以上"},
        ],
        "measures": [
            "落实信访工作领导责任制，主要负责人为第一责任人，班子成员履行“一岗双责”",
            "落实初信初访“三见面”制度，做到天天清、周周结、月月检",
            "建立矛盾纠纷排查化解机制，每半月开展一次排查",
        ],
        "signed_on": "2026-02-10",
    }


DEFAULT_CONSEQUENCES = (
    "甲方按季度通报、年终考核乙方目标完成情况，考核结果纳入年度综合考评（《信访工作责任制实施办法》第十条）。",
    "乙方未完成目标任务或者有《信访工作责任制实施办法》第十一条所列情形的，依照该办法第十二条至第十六条，"
    "视情节轻重对相关责任人进行通报、诫勉、组织调整或者组织处理、纪律处分。",
)


def build(inp: StatementInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    rows: list[tuple[str, ...]] = [("序号", "目标项目", "目标值", "说明")]
    rows += [(str(i), t.item, t.value, t.note or "") for i, t in enumerate(inp.targets, start=1)]
    paragraphs: list[Block] = [
        plain(f"甲方：{inp.first_party}"),
        plain(f"乙方：{inp.second_party}"),
        body(
            "为落实信访工作责任制，依法及时就地解决群众合理诉求，根据《信访工作责任制实施办法》《信访工作条例》"
            f"和有关规定，甲乙双方签订{inp.year}年度信访工作责任书（R-RS-01）。"
        ),
        h1("一、目标任务"),
        Table(tuple(rows), header_rows=1, col_widths=(0.6, 1.8, 1.8, 2.4)),
        h1("二、工作措施"),
    ]
    paragraphs += [body(f"{i}.{m.rstrip('。；')}。") for i, m in enumerate(inp.measures, start=1)]
    paragraphs.append(h1("三、考核与责任追究"))
    paragraphs += [body(f"{i}.{c.rstrip('。')}。") for i, c in enumerate(inp.consequences or DEFAULT_CONSEQUENCES, 1)]
    paragraphs.append(h1("四、其他"))
    paragraphs.append(
        body(f"本责任书自签订之日起生效，有效期至{inp.year}年12月31日。本责任书一式两份，甲乙双方各执一份。")
    )
    first = (f"甲方：{inp.first_party}",) + ((f"{inp.first_signatory}（签字）：",) if inp.first_signatory else ())
    second = (f"乙方：{inp.second_party}",) + ((f"{inp.second_signatory}（签字）：",) if inp.second_signatory else ())
    return OfficialDocument(
        type_id=TYPE_ID,
        title=f"{inp.year}年度信访工作责任书",
        layout=Layout.DOCUMENT,
        issuer_mark=None,
        document_number=number,
        body=blocks(paragraphs),
        signature=Signature(issuers=first, signed_on=inp.signed_on, second_party=second),
        metadata={"year": str(inp.year), "first_party": inp.first_party, "second_party": inp.second_party},
    )


SPEC: DocumentTypeSpec[StatementInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.signed_on
)
