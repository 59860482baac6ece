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
    REGULATION,
    CaseHeader,
    DocumentTypeSpec,
    Reader,
    blocks,
    body,
    case_metadata,
    check_order,
    cn_date,
    contact_note,
    issued,
    office_signature,
    sample_case,
)

TYPE_ID = "refuse_again_notice"
LABEL = "不再受理告知书"

#: The kinds of earlier decision and why each ends the matter.
EARLIER_KINDS: dict[str, str] = {
    "复核意见": f"依照{REGULATION}第三十六条第三款，信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，"
    "各级党委和政府信访部门和其他机关、单位不再受理",
    "复查意见": f"你在收到复查意见书后未在{REGULATION}第三十六条规定的30日内请求复核，复查意见已经生效，"
    "你以同一事实和理由再次提出的，不再受理",
    "处理意见": f"你在收到处理意见书后未在{REGULATION}第三十五条规定的30日内请求复查，处理意见已经生效，"
    "你以同一事实和理由再次提出的，不再受理",
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
    return OfficialDocument(
        type_id=TYPE_ID,
        title="信访事项不再受理告知书",
        layout=Layout.LETTER,
        issuer_mark=office.mark,
        document_number=number,
        addressee=f"{c.petitioner.name}：",
        body=blocks(paragraphs),
        signature=office_signature(office, inp.issued_on),
        note=contact_note(office),
        metadata=case_metadata(c.case_number, earlier=inp.earlier_number),
    )


SPEC: DocumentTypeSpec[RefuseAgainInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.LETTER, True, from_json, build, sample, lambda i: i.issued_on
)
