"""延期告知书: to the petitioner — the handling period is extended once, by at most 30 日, with the head's approval
and the reason (R-DL-07, 条例 art 34); both the original and the new end date with their explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    REGULATION,
    SAMPLE_DL06,
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

TYPE_ID = "extension_notice"
LABEL = "延期告知书"
MAX_EXTENSION_DAYS = 30  # R-DL-07 (national profile)


@dataclass(frozen=True)
class ExtensionInput:
    case: CaseHeader
    accepted_on: date
    original: Deadline  # R-DL-06 before the extension
    days: int
    extended: Deadline  # R-DL-06 with the extension (its explanation tells both steps)
    reason: str
    approved_on: date
    issued_on: date


def from_json(data: Mapping[str, Any]) -> ExtensionInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    accepted_on = r.date("accepted_on", "受理日期")
    original = read_deadline(r, "original_deadline", "原办理期限")
    days = r.integer("days", "延长天数", low=1, high=MAX_EXTENSION_DAYS)
    extended = read_deadline(r, "extended_deadline", "延长后的办理期限")
    reason = r.text("reason", "延期理由", max_length=1000, multiline=True)
    approved_on = r.date("approved_on", "批准日期")
    issued_on = issued(r)
    check_order(r, ("accepted_on", "受理日期", accepted_on), ("approved_on", "批准日期", approved_on))
    if original and extended and extended.due <= original.due:
        r.problem("extended_deadline.due", "延长后的办理期限", "应晚于原办理期限届满日")
    if original and approved_on > original.due and original.due.year > 1970:
        r.problem(
            "approved_on", "批准日期", f"晚于原办理期限届满日{cn_date(original.due)}，延期应在期限届满前批准（R-DL-07）"
        )
    r.finish()
    assert original is not None and extended is not None
    return ExtensionInput(case, accepted_on, original, days, extended, reason, approved_on, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        accepted_on="2026-03-05",
        original_deadline=dict(SAMPLE_DL06),
        days=30,
        extended_deadline={
            "rule": "R-DL-06",
            "start": "2026-03-05",
            "due": "2026-06-05",
            "explanation": "自2026年3月5日受理之次日起计算60日，届满日2026年5月4日为法定节假日，顺延至2026年5月6日"
            "（《信访工作条例》第三十四条）；经批准延期30日，至2026年6月5日届满（《信访工作条例》第三十四条）。",
        },
        reason="该事项涉及多个部门，补偿标准需重新核算，情况复杂",
        approved_on="2026-04-28",
        issued_on="2026-04-28",
    )


def build(inp: ExtensionInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, o, e = inp.case, inp.original, inp.extended
    paragraphs = [
        body(f"{c.matter()}，本机关已于{cn_date(inp.accepted_on)}受理，办理期限原定于{cn_date(o.due)}届满。"),
        body(
            f"因{inp.reason.rstrip('。')}，不能在原定期限内办结。依照{REGULATION}第三十四条的规定，"
            f"经本机关负责人于{cn_date(inp.approved_on)}批准，办理期限延长{inp.days}日，"
            f"至{cn_date(e.due)}届满。"
        ),
        body("办理期限只能延长一次。办理结束后，将向你出具书面处理意见。"),
        body("特此告知。"),
    ]
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项延期办理告知书",
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        deadlines=[o, e],
    )


SPEC: DocumentTypeSpec[ExtensionInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
