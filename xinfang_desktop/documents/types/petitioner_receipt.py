"""信访事项回执: given to the petitioner at intake — the case number, what was received and when, the query code for
looking the case up, and the date by which the office answers in writing (R-DL-01/02, 15 日)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    CaseHeader,
    Deadline,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    cn_date,
    issued,
    read_deadline,
    sample_case,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "petitioner_receipt"
LABEL = "信访事项回执"
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on the phone without confusion


def query_code(case_number: str, secret: str) -> str:
    """An 8-character code (XXXX-XXXX) derived from the case number and a per-case secret (its registration time):
    a petitioner can give it on the phone; it cannot be guessed from the case number alone."""
    digest = hashlib.sha256(f"{case_number}|{secret}".encode()).digest()
    chars = [_ALPHABET[b % len(_ALPHABET)] for b in digest[:8]]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def valid_query_code(code: str) -> bool:
    return len(code) == 9 and code[4] == "-" and all(c in _ALPHABET for c in code[:4] + code[5:])


@dataclass(frozen=True)
class ReceiptInput:
    case: CaseHeader
    query_code: str
    deadline: Deadline | None  # R-DL-01/02: written answer within 15 日
    issued_on: date


def from_json(data: Mapping[str, Any]) -> ReceiptInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    code = r.text("query_code", "查询码", max_length=16).upper()
    if code and not valid_query_code(code):
        r.problem("query_code", "查询码", f"“{code}”格式错误，应为 XXXX-XXXX（不含 0、1、I、L、O）")
    deadline = read_deadline(r, "deadline", "书面答复期限", required=False)
    issued_on = issued(r)
    r.finish()
    return ReceiptInput(case, code, deadline, issued_on)


def sample() -> dict[str, Any]:
    return sample_case(
        query_code=query_code("XF2026-000001", "2026-03-02T09:30:00"),
        deadline={
            "rule": "R-DL-01",
            "start": "2026-03-02",
            "due": "2026-03-17",
            "explanation": "自2026年3月2日收到信访事项之次日起计算15日，至2026年3月17日届满"
            "（《信访工作条例》第二十二条）。",
        },
        issued_on="2026-03-02",
    )


def build(inp: ReceiptInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c = inp.case
    rows: list[tuple[str, ...]] = [
        ("信访事项编号", c.case_number),
        ("查询码", inp.query_code),
        ("信访人", c.petitioner.name),
        ("收到日期", cn_date(c.received_on)),
        ("信访形式", c.channel),
        ("反映的主要问题", c.summary.rstrip("。")),
    ]
    if inp.deadline:
        rows.append(("书面答复期限", f"{cn_date(inp.deadline.due)}前"))
    how = office.query_hint or (f"拨打{office.phone}" if office.phone else "到本机关接待场所")
    paragraphs: list[Block] = [
        Table(tuple(rows), header_rows=0, col_widths=(1, 3)),
        body(
            f"你反映的信访事项本机关已登记。本机关将依照《信访工作条例》的规定，在收到之日起15日内决定是否受理"
            f"或者转送、交办有关机关办理，并书面告知你。你可以凭信访事项编号和查询码，{how}查询办理进展。"
        ),
        body("请妥善保管本回执，查询码请勿告知他人。"),
    ]
    return office_document(
        office,
        type_id=TYPE_ID,
        title="信访事项回执",
        layout=Layout.FORM,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        deadlines=[inp.deadline],
        metadata=case_metadata(c.case_number, query_code=inp.query_code),
    )


SPEC: DocumentTypeSpec[ReceiptInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.FORM, True, from_json, build, sample, lambda i: i.issued_on
)
