"""不予受理告知书: to the petitioner — why the matter is not accepted, the statutory route and where to take it
(R-LC-09, 条例 art 31 (1)–(5)), and the remedy: pursue that route within its own time limits."""

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
    body,
    check_order,
    cn_date,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import letter_to_petitioner

TYPE_ID = "decline_notice"
LABEL = "不予受理告知书"

#: The statutory routes of 条例 art 31 (1)–(5) with the item each rests on.
ROUTES: dict[str, str] = {
    "诉讼": "第三十一条第（一）项",
    "仲裁": "第三十一条第（一）项",
    "行政复议": "第三十一条第（一）项",
    "行政裁决": "第三十一条第（二）项",
    "行政确认": "第三十一条第（二）项",
    "行政许可": "第三十一条第（二）项",
    "行政处罚": "第三十一条第（二）项",
    "党员申诉": "第三十一条第（三）项",
    "纪检监察": "第三十一条第（四）项",
    "人事争议": "第三十一条第（五）项",
    "其他法定途径": "第三十一条",
}


@dataclass(frozen=True)
class DeclineInput:
    case: CaseHeader
    decided_on: date
    reason: str
    route: str
    direct_to: str  # the organ to go to
    direct_to_address: str | None
    time_limit_hint: str | None  # e.g. 行政复议申请期限为知道该行政行为之日起60日
    deadline: Deadline | None  # R-DL-01/02: the notice itself is due within 15 日 of receipt
    issued_on: date


def from_json(data: Mapping[str, Any]) -> DeclineInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    decided_on = r.date("decided_on", "决定日期")
    reason = r.text("reason", "不予受理理由", max_length=1000, multiline=True)
    route = r.choice("route", "法定途径", tuple(ROUTES))
    direct_to = r.text("direct_to", "受理机关（应向何处提出）", max_length=128)
    address = r.opt_text("direct_to_address", "受理机关地址", max_length=200)
    hint = r.opt_text("time_limit_hint", "法定期限提示", max_length=300)
    deadline = read_deadline(r, "deadline", "告知期限", required=False)
    issued_on = issued(r)
    check_order(r, ("received_on", "收到信访事项日期", case.received_on), ("decided_on", "决定日期", decided_on))
    r.finish()
    return DeclineInput(case, decided_on, reason, route, direct_to, address, hint, deadline, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        summary="不服示范县自然资源局作出的行政处罚决定，要求撤销该决定",
        decided_on="2026-03-09",
        reason="你反映的事项系对行政机关作出的行政处罚决定不服，属于依法应当通过行政复议或者行政诉讼解决的事项",
        route="行政复议",
        direct_to="示范县人民政府",
        direct_to_address="示范县城关街道政府路1号（示范县行政复议局）",
        time_limit_hint="申请行政复议的期限为自知道或者应当知道该行政行为之日起60日，提起行政诉讼的期限为6个月",
        deadline={
            "rule": "R-DL-02",
            "start": "2026-03-02",
            "due": "2026-03-17",
            "explanation": "自2026年3月2日收到信访事项之次日起计算15日，至2026年3月17日届满"
            "（《信访工作条例》第二十三条第二款）。",
        },
        issued_on="2026-03-09",
    )


def build(inp: DeclineInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    reason = inp.reason.rstrip("。")
    where = f"（地址：{inp.direct_to_address}）" if inp.direct_to_address else ""
    paragraphs = [
        body(f"{c.matter()}，本机关已收悉。"),
        body(
            f"经审查，{reason}。依照{REGULATION}{ROUTES[inp.route]}的规定，对依法应当通过诉讼、仲裁、行政复议"
            f"等法定途径解决的信访事项，应当导入相应程序处理，本机关于{cn_date(inp.decided_on)}决定不予受理。"
        ),
        body(
            # 其他法定途径 already ends in 途径 (“通过其他法定途径途径” was printed from a real case).
            f"请你依照有关法律、法规的规定，通过{inp.route.removesuffix('途径')}途径向{inp.direct_to}提出{where}。"
            + (f"{inp.time_limit_hint.rstrip('。')}，" if inp.time_limit_hint else "")
            + "请注意在法定期限内提出，以免影响你依法行使权利。"
        ),
    ]
    # The deadline (R-DL-01/02) is the office's own: when this notice must be made, not news for the petitioner.
    paragraphs.append(body("特此告知。"))
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项不予受理告知书",
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
    )


SPEC: DocumentTypeSpec[DeclineInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
