"""信访预警单 (R-WS-01/02, S2 §二(二)4): to the leader of the territorial or responsible unit, numbered, with the
visits that triggered it, what the unit must do, the R-WS-03/04 duty that follows, and a 签收 section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    cn_date,
    h1,
    issued,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "warning_slip"
LABEL = "信访预警单"
LEVELS = ("县", "市", "省", "进京")
TRIGGERS = {
    "repeat_visits": "信访人初次信访后到县级及以上信访部门上访2次（含）以上",
    "other_risk": "存在其他可能引发异常情况上访的风险",
}


@dataclass(frozen=True)
class Visit:
    on: date
    level: str
    office: str | None


@dataclass(frozen=True)
class WarningInput:
    case: CaseHeader
    to_unit: str
    to_leader: str  # the unit's leader the slip is addressed to (R-WS-02)
    trigger: str
    visits: tuple[Visit, ...]
    risk: str | None  # the other risk, for a slip issued by hand
    requirements: tuple[str, ...]
    issued_on: date


def from_json(data: Mapping[str, Any]) -> WarningInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    to_unit = r.text("to_unit", "被预警单位", max_length=128)
    to_leader = r.text("to_leader", "被预警单位领导", max_length=64)
    trigger = r.choice("trigger", "预警原因", tuple(TRIGGERS), default="repeat_visits")
    visits = []
    for v in r.children("visits", "上访记录"):
        visits.append(
            Visit(
                v.date("date", "上访日期"),
                v.choice("level", "上访层级", LEVELS),
                v.opt_text("office", "接待机关", max_length=128),
            )
        )
    risk = r.opt_text("risk", "风险情况", max_length=1000, multiline=True)
    if trigger == "repeat_visits" and len(visits) < 2:
        r.problem(
            "visits", "上访记录", f"初次信访后到县级及以上上访2次（含）以上方发预警单（R-WS-01），现为{len(visits)}次"
        )
    if trigger == "other_risk" and not risk:
        r.problem("risk", "风险情况", "因其他风险发出预警单时须写明风险情况（R-WS-01）")
    requirements = r.texts("requirements", "工作要求", max_length=500)
    issued_on = issued(r)
    r.finish()
    return WarningInput(case, to_unit, to_leader, trigger, tuple(visits), risk, requirements, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        received_on="2026-03-02",
        to_unit="城关街道办事处",
        to_leader="党工委书记",
        trigger="repeat_visits",
        visits=[
            {"date": "2026-05-11", "level": "县", "office": "示范县信访局"},
            {"date": "2026-06-15", "level": "市", "office": "示范市信访局"},
        ],
        requirements=["落实包案领导和化解稳控责任", "做好信访人的思想疏导和教育稳控工作"],
        issued_on="2026-06-16",
    )


def build(inp: WarningInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    rows: list[tuple[str, ...]] = [("序号", "上访日期", "层级", "接待机关")]
    rows += [(str(i), cn_date(v.on), v.level, v.office or "—") for i, v in enumerate(inp.visits, start=1)]
    reason = TRIGGERS[inp.trigger] + (f"：{inp.risk.rstrip('。')}" if inp.risk else "")
    paragraphs: list[Block] = [
        body(
            f"信访人{c.petitioner.for_unit()}反映“{c.topic()}”的信访事项（信访事项编号：{c.case_number}，"
            f"{cn_date(c.received_on)}初次{c.channel}），{reason}，现向你单位发出信访预警。"
        ),
    ]
    if inp.visits:
        paragraphs.append(Table(tuple(rows), header_rows=1, col_widths=(0.6, 1.6, 0.8, 2), caption="上访记录"))
    paragraphs.append(h1("一、工作要求"))
    reqs = inp.requirements or ("落实化解稳控责任，做好信访人的教育疏导工作",)
    paragraphs += [body(f"{i}.{x.rstrip('。')}。") for i, x in enumerate(reqs, start=1)]
    paragraphs.append(h1("二、书面说明责任"))
    paragraphs.append(
        body(
            "本预警单发出后，信访人再次到县级及以上上访的，你单位须在信访人上访后的3个工作日内，以书面形式向"
            f"{office.leading_group}组长说明责任落实、化解稳控工作及信访人再次上访原因等情况；"
            f"信访人再次上访的，向{office.higher_leaders}说明情况。"
        )
    )
    paragraphs.append(body("请收到本预警单后签收，并将签收回执交回本机关。"))
    # The 签收回执 after the signature, behind a cut line, whole on one page: it is torn off and sent back.
    receipt = Table(
        (
            ("预警单编号", number or ""),
            ("签收单位", inp.to_unit),
            ("签收人", ""),
            ("签收时间", "    年  月  日  时  分"),
        ),
        header_rows=0,
        col_widths=(1, 3),
        caption="签收回执",
    )
    doc = office_document(
        office,
        type_id=TYPE_ID,
        title="信访预警单",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        addressee=f"{inp.to_unit}{inp.to_leader}：",
        metadata=case_metadata(c.case_number, to_unit=inp.to_unit),
    )
    return replace(doc, tail=(receipt,))


SPEC: DocumentTypeSpec[WarningInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
