"""送达回证: proof that a document reached the petitioner; the day signed for starts the 复查/复核 window
(R-DL-08/10: 送达日期 must be recorded before a request window can start). Signature and date are written by hand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    REGULATION,
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    cn_date,
    issued,
    read_petitioner,
)
from xinfang_desktop.documents.types._frame import office_document
from xinfang_desktop.documents.types._opinion import REMEDIES

TYPE_ID = "delivery_receipt"
LABEL = "送达回证"
METHODS = ("直接送达", "邮寄送达", "委托送达", "留置送达", "电子送达")
#: What the delivery of each document starts (the window, its length and article).
WINDOWS = {f"{opinion}书": (f"请求{kind}", article) for kind, (opinion, article) in REMEDIES.items()}


@dataclass(frozen=True)
class DeliveryInput:
    case_number: str
    recipient_name: str
    recipient_address: str | None
    document_title: str
    document_number: str | None
    method: str
    server: str | None  # 送达人
    delivered_on: date | None  # filled in when known (else left blank for the pen)
    issued_on: date


def from_json(data: Mapping[str, Any]) -> DeliveryInput:
    r = Reader(data)
    case_number = r.text("case_number", "信访事项编号", max_length=32)
    petitioner = read_petitioner(r, "recipient")
    title = r.text("document_title", "送达文书名称", max_length=100)
    doc_number = r.opt_text("document_number", "送达文书文号", max_length=64)
    method = r.choice("method", "送达方式", METHODS, default="直接送达")
    server = r.opt_text("server", "送达人", max_length=64)
    delivered_on = r.opt_date("delivered_on", "送达日期")
    issued_on = issued(r)
    r.finish()
    return DeliveryInput(
        case_number, petitioner.name, petitioner.address, title, doc_number, method, server, delivered_on, issued_on
    )


def sample() -> dict[str, Any]:
    return {
        "case_number": "XF2026-000001",
        "recipient": {"name": "张伟", "address": "示范县城关街道东街社区1号"},
        "document_title": "信访事项处理意见书",
        "document_number": "示信处〔2026〕15号",
        "method": "直接送达",
        "server": "王芳、赵强",
        "issued_on": "2026-04-20",
    }


def build(inp: DeliveryInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    doc = inp.document_title + (f"（{inp.document_number}）" if inp.document_number else "")
    delivered = cn_date(inp.delivered_on) if inp.delivered_on else "    年  月  日"
    rows: tuple[tuple[str, ...], ...] = (
        ("信访事项编号", inp.case_number),
        ("送达文书", doc),
        ("受送达人", inp.recipient_name),
        ("送达地址", inp.recipient_address or ""),
        ("送达方式", inp.method),
        ("受送达人签名（盖章）", ""),
        ("签收日期", delivered),
        ("代收人及代收理由", ""),
        ("送达人", inp.server or ""),
        ("备注", ""),
    )
    paragraphs: list[Block] = [Table(rows, header_rows=0, col_widths=(1.2, 3))]
    window = next((w for key, w in WINDOWS.items() if key in inp.document_title), None)
    if window:
        paragraphs.append(
            body(
                f"受送达人签收之日为收到该文书之日。{window[0]}的30日期间自签收之日的次日起计算"
                f"（{REGULATION}{window[1]}）。"
            )
        )
    return office_document(
        office,
        type_id=TYPE_ID,
        title="送达回证",
        layout=Layout.FORM,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        metadata=case_metadata(inp.case_number, delivered=inp.document_number),
    )


SPEC: DocumentTypeSpec[DeliveryInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.FORM, True, from_json, build, sample, lambda i: i.issued_on
)
