"""不再受理告知书: to the petitioner — the same facts and reasons were already decided; the earlier decision it rests
on is named by organ, document number and date (R-LC-03, 条例 art 36 ¶3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Layout, OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    CaseHeader,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    cn_date,
    issued,
    sample_case,
)
from xinfang_desktop.documents.types._frame import letter_to_petitioner
from xinfang_desktop.documents.types._opinion import FINALITY, lapsed_text

TYPE_ID = "refuse_again_notice"
LABEL = "不再受理告知书"

#: The kinds of earlier decision and why each ends the matter.
EARLIER_KINDS: dict[str, str] = {
    "复核意见": FINALITY,
    "复查意见": lapsed_text("复核"),
    "处理意见": lapsed_text("复查"),
}


@dataclass(frozen=True)
class RefuseAgainInput:
    case: CaseHeader
    decided_on: date
    earlier_kind: str
    earlier_organ: str
    earlier_number: str | None
    earlier_on: date
    earlier_outcome: str | None
    reason: str | None
    issued_on: date


def from_json(data: Mapping[str, Any]) -> RefuseAgainInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    decided_on = r.date("decided_on", "决定日期")
    e = r.obj("earlier", "原处理、复查或复核意见")
    kind = e.choice("kind", "原意见种类", tuple(EARLIER_KINDS))
    organ = e.text("organ", "作出原意见的机关", max_length=128)
    earlier_number = e.opt_text("number", "原意见文号", max_length=64)
    earlier_on = e.date("date", "原意见日期")
    outcome = e.opt_text("outcome", "原意见结论", max_length=64)
    reason = r.opt_text("reason", "说明", max_length=1000, multiline=True)
    issued_on = issued(r)
    check_order(r, ("earlier.date", "原意见日期", earlier_on), ("decided_on", "决定日期", decided_on))
    r.finish()
    return RefuseAgainInput(case, decided_on, kind, organ, earlier_number, earlier_on, outcome, reason, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        received_on="2026-09-14",
        decided_on="2026-09-18",
        earlier={
            "kind": "复核意见",
            "organ": "示范市人民政府",
            "number": "示政复核〔2026〕3号",
            "date": "2026-07-10",
            "outcome": "维持",
        },
        reason="你此次反映的事项与已经复核的事项事实和理由相同，未提出新的事实和理由",
        issued_on="2026-09-18",
    )


def build(inp: RefuseAgainInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    ref = f"（{inp.earlier_number}）" if inp.earlier_number else ""
    outcome = f"，结论为“{inp.earlier_outcome}”" if inp.earlier_outcome else ""
    paragraphs = [
        body(f"{c.matter()}，本机关已收悉。"),
        body(
            f"经查，该事项已由{inp.earlier_organ}于{cn_date(inp.earlier_on)}作出{inp.earlier_kind}{ref}{outcome}。"
            + (f"{inp.reason.rstrip('。')}。" if inp.reason else "")
        ),
        body(f"{EARLIER_KINDS[inp.earlier_kind]}。本机关于{cn_date(inp.decided_on)}决定对该事项不再受理。"),
        body("请你尊重已经作出的处理结论，依法、有序表达诉求。如有新的事实和理由，可以另行依法提出。"),
        body("特此告知。"),
    ]
    return letter_to_petitioner(
        office,
        c,
        type_id=TYPE_ID,
        title="信访事项不再受理告知书",
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        metadata=case_metadata(c.case_number, earlier=inp.earlier_number),
    )


SPEC: DocumentTypeSpec[RefuseAgainInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
