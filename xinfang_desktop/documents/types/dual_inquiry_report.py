"""一事双查报告 (R-BK-01): for a new backlog case, the check of how the matter was handled (first handling unit,
handler, what went wrong) and the check of accountability (pursued or not, the outcome or why not), each with its
deadline and the day it was completed — the printable report of `xinfang inquiry show --pdf`."""

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

TYPE_ID = "dual_inquiry_report"
LABEL = "一事双查报告"
PURSUED = ("是", "否")


@dataclass(frozen=True)
class DualInquiryInput:
    case: CaseHeader
    detected_on: date  # the day the case was listed as a backlog case (R-CL-05)
    backlog_reason: str
    handling_due_on: date
    first_unit: str | None
    handler: str | None
    findings: str | None
    handling_done_on: date | None
    accountability_due_on: date
    pursued: bool | None
    outcome: str | None
    accountability_done_on: date | None
    issued_on: date


def from_json(data: Mapping[str, Any]) -> DualInquiryInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    detected_on = r.date("detected_on", "列为积案日期")
    backlog_reason = r.text("backlog_reason", "列为积案原因", max_length=1000, multiline=True)
    handling_due_on = r.date("handling_due_on", "处理情况核查期限")
    first_unit = r.opt_text("first_unit", "首办单位", max_length=128)
    handler = r.opt_text("handler", "经办人", max_length=64)
    findings = r.opt_text("findings", "存在问题", max_length=2000, multiline=True)
    handling_done_on = r.opt_date("handling_done_on", "处理情况核查完成日期")
    accountability_due_on = r.date("accountability_due_on", "追责情况核查期限")
    pursued_text = r.choice("pursued", "是否追究责任", PURSUED, default="") or None
    outcome = r.opt_text("outcome", "追责结果或不追责理由", max_length=2000, multiline=True)
    accountability_done_on = r.opt_date("accountability_done_on", "追责情况核查完成日期")
    issued_on = issued(r)
    detected = ("detected_on", "列为积案日期", detected_on)
    check_order(r, detected, ("handling_due_on", "处理情况核查期限", handling_due_on))
    check_order(r, detected, ("accountability_due_on", "追责情况核查期限", accountability_due_on))
    if handling_done_on is not None:
        check_order(r, detected, ("handling_done_on", "处理情况核查完成日期", handling_done_on))
        if not first_unit:
            r.problem("first_unit", "首办单位", "处理情况核查已完成的，须写明首办单位（R-BK-01）")
        if not findings:
            r.problem("findings", "存在问题", "处理情况核查已完成的，须写明存在问题（R-BK-01）")
    if accountability_done_on is not None:
        check_order(r, detected, ("accountability_done_on", "追责情况核查完成日期", accountability_done_on))
        if pursued_text is None:
            r.problem("pursued", "是否追究责任", "追责情况核查已完成的，须写明是否追究责任（R-BK-01）")
        if not outcome:
            r.problem("outcome", "追责结果或不追责理由", "须写明追责结果，或不追究责任的理由（R-BK-01）")
    r.finish()
    pursued = None if pursued_text is None else pursued_text == "是"
    return DualInquiryInput(
        case,
        detected_on,
        backlog_reason,
        handling_due_on,
        first_unit,
        handler,
        findings,
        handling_done_on,
        accountability_due_on,
        pursued,
        outcome,
        accountability_done_on,
        issued_on,
    )


def sample() -> dict[str, Any]:
    return sample_case(
        detected_on="2026-07-20",
        backlog_reason="未在规定期限内办结（办理期限2026年5月6日届满），信访人于2026年7月20日再次信访",
        handling_due_on="2026-08-10",
        first_unit="城关街道办事处",
        handler="李明",
        findings="未按期作出处理意见，补偿款核算依据未向信访人说明",
        handling_done_on="2026-08-05",
        accountability_due_on="2026-09-01",
        pursued="是",
        outcome="对首办单位经办人予以通报批评",
        accountability_done_on="2026-08-28",
        issued_on="2026-08-28",
    )


def _state(due: date, done: date | None) -> str:
    return f"已于{cn_date(done)}完成" if done else f"期限{cn_date(due)}，尚未完成"


def build(inp: DualInquiryInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    pursued = {True: "已追究责任", False: "未追究责任", None: "尚未认定"}[inp.pursued]
    paragraphs: list[Block] = [
        body(
            f"信访人{c.petitioner.for_unit()}于{cn_date(c.received_on)}以{c.channel}形式反映“{c.topic()}”的信访事项"
            f"（信访事项编号：{c.case_number}），于{cn_date(inp.detected_on)}列为新增信访积案："
            f"{inp.backlog_reason.rstrip('。')}。依照“一事双查”要求，既查信访事项处理情况，"
            "又查责任追究情况，现将核查情况报告如下。"
        ),
        h1("一、信访事项处理情况"),
        Table(
            (
                ("首办单位", inp.first_unit or "—"),
                ("经办人", inp.handler or "—"),
                ("存在问题", inp.findings or "—"),
                ("核查期限", cn_date(inp.handling_due_on)),
                ("核查情况", _state(inp.handling_due_on, inp.handling_done_on)),
            ),
            header_rows=0,
            col_widths=(1, 3),
        ),
        h1("二、责任追究情况"),
        Table(
            (
                ("是否追责", pursued),
                ("追责结果" if inp.pursued is not False else "不追责理由", inp.outcome or "—"),
                ("核查期限", cn_date(inp.accountability_due_on)),
                ("核查情况", _state(inp.accountability_due_on, inp.accountability_done_on)),
            ),
            header_rows=0,
            col_widths=(1, 3),
        ),
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="新增信访积案“一事双查”报告",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        metadata=case_metadata(c.case_number),
    )


SPEC: DocumentTypeSpec[DualInquiryInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
