"""领导包案通知 (R-PK-01/02): one case, one leader, one team, one plan, seen through to the end; the leader's five
duties (五包) listed with what each means for this case; the date by which the case is to be resolved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    CaseHeader,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    cn_date,
    h1,
    issued,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "package_notice"
LABEL = "领导包案通知"
FIVE_DUTIES = ("包掌握情况", "包思想转化", "包矛盾化解", "包教育稳控", "包息访息诉")  # R-PK-02


@dataclass(frozen=True)
class PackageInput:
    case: CaseHeader
    to_units: tuple[str, ...]
    leader: str
    leader_post: str
    team: tuple[str, ...]  # 专班 members (name and post)
    lead_unit: str
    plan: tuple[str, ...]  # 方案
    duties: dict[str, str]  # 五包 → what it means here (empty → the standard wording)
    resolve_by: date
    report_every: str | None  # e.g. 每半月
    issued_on: date


def from_json(data: Mapping[str, Any]) -> PackageInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_units = r.texts("to_units", "主送单位", min_items=1, max_length=128)
    leader = r.text("leader", "包案领导", max_length=64)
    post = r.text("leader_post", "包案领导职务", max_length=128)
    team = r.texts("team", "工作专班成员", min_items=1, max_length=128)
    lead_unit = r.text("lead_unit", "责任单位", max_length=128)
    plan = r.texts("plan", "化解方案", min_items=1, max_length=2000)
    duties: dict[str, str] = {}
    dr = r.child("duties", "五包责任", required=False)
    if dr is not None:
        for name in FIVE_DUTIES:
            text = dr.opt_text(name, name, max_length=500)
            if text:
                duties[name] = text
    resolve_by = r.date("resolve_by", "化解时限")
    report_every = r.opt_text("report_every", "报告频次", max_length=32)
    issued_on = issued(r)
    check_order(r, ("issued_on", "成文日期", issued_on), ("resolve_by", "化解时限", resolve_by))
    r.finish()
    return PackageInput(
        case, to_units, leader, post, team, lead_unit, plan, duties, resolve_by, report_every, issued_on
    )


STANDARD_DUTIES = {
    "包掌握情况": "全面掌握信访人的基本情况、诉求及其合理性和事项办理经过",
    "包思想转化": "面对面做好信访人的思想疏导工作，引导其依法理性表达诉求",
    "包矛盾化解": "协调解决信访人合理合法诉求，推动问题实质性化解",
    "包教育稳控": "落实教育稳控措施，防止发生越级上访和非正常上访",
    "包息访息诉": "推动信访人息访息诉，做到案结事了",
}


def sample() -> dict[str, Any]:
    return sample_case(
        to_units=["城关街道办事处", "示范县人力资源和社会保障局"],
        leader="李明",
        leader_post="示范县人民政府副县长",
        team=["王芳（城关街道办事处副主任）", "赵强（示范县人力资源和社会保障局科长）"],
        lead_unit="城关街道办事处",
        plan=[
            "4月15日前完成补偿款核算，与信访人见面说明核算结果；",
            "4月30日前落实补发资金，对生活困难部分按规定给予救助。",
        ],
        duties={"包矛盾化解": "协调县财政落实补发资金，4月30日前发放到位"},
        resolve_by="2026-06-30",
        report_every="每半月",
        issued_on="2026-04-08",
    )


def build(inp: PackageInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    paragraphs: list[Block] = [
        body(
            f"为推动信访人{c.petitioner.for_unit()}反映“{c.topic()}”的信访事项"
            f"（信访事项编号：{c.case_number}，{cn_date(c.received_on)}{c.channel}）依法及时就地解决，"
            f"按照“一个案件、一名领导、一个专班、一套方案、一抓到底”的要求，"
            f"经研究，确定由{inp.leader_post}{inp.leader}同志包案，{inp.lead_unit}为责任单位。现将有关事项通知如下："
        ),
        h1("一、包案领导和工作专班"),
        body(f"包案领导：{inp.leader_post}{inp.leader}。"),
        body(f"工作专班：{'、'.join(inp.team)}。"),
        h1("二、化解方案"),
    ]
    paragraphs += [body(f"{i}.{p.rstrip('。；;')}。") for i, p in enumerate(inp.plan, start=1)]
    paragraphs.append(h1("三、包案领导“五包”责任"))
    rows: list[tuple[str, ...]] = [("责任", "具体要求")]
    rows += [(d, inp.duties.get(d, STANDARD_DUTIES[d])) for d in FIVE_DUTIES]
    paragraphs.append(Table(tuple(rows), header_rows=1, col_widths=(1, 3)))
    paragraphs.append(h1("四、工作要求"))
    report = f"{inp.report_every}向本机关报送一次化解进展，" if inp.report_every else ""
    paragraphs.append(
        body(
            f"请责任单位和工作专班按照方案抓好落实，{report}力争于{cn_date(inp.resolve_by)}前化解到位。"
            "未按期化解的，本机关将予以督办，并按照有关规定提出责任追究建议。"
        )
    )
    return office_document(
        office,
        type_id=TYPE_ID,
        title="关于领导包案化解信访事项的通知",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        addressee="、".join(inp.to_units) + "：",
        metadata=case_metadata(c.case_number, leader=inp.leader),
    )


SPEC: DocumentTypeSpec[PackageInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
