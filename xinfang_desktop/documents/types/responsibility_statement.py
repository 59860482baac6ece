"""信访工作责任书 (R-RS-01/02, S0 art 5): the annual statement between a level and the level below — the two parties,
the year, the targets table, the measures, what follows if targets are missed, and a signature block for each side.

Input from JSON (`xinfang doc render`) or, for `xinfang statement render` and the 责任落实 section, from the stored
statement (`issue_statement`: persistence/statements/store.py builds the same input from the record). The printed
text cites the regulations' articles, never rule IDs; 甲方 signs on the left, 乙方 on the right; an unsigned
statement prints a blank date to sign by hand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from xinfang_desktop.core.statement_targets import DEFAULT_CONSEQUENCES as CORE_CONSEQUENCES
from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Paragraph, ParagraphKind, Signature, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    DocumentTypeSpec,
    Reader,
    blocks,
    body,
    h1,
    plain,
)

if TYPE_CHECKING:
    from xinfang_desktop.documents.document_store import IssuedDocument
    from xinfang_desktop.persistence.database import Database

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
    signed_on: date | None


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
    signed_on = r.opt_date("signed_on", "签订日期")
    if signed_on is not None and signed_on.year > 1970 and year > 2000 and signed_on.year not in (year - 1, year):
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
            {"item": "上访量", "value": "下降20%以上", "note": "两年内，以2025年为基数"},
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


#: Printed when the statement lists no consequences of its own (S0 art 5 责任查究措施; S3 arts 10–16).
DEFAULT_CONSEQUENCES = CORE_CONSEQUENCES


def build(inp: StatementInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    rows: list[tuple[str, ...]] = [("序号", "目标项目", "目标值", "说明")]
    rows += [(str(i), t.item, t.value, t.note or "") for i, t in enumerate(inp.targets, start=1)]
    # No 版头 on an agreement, so the number (发文字号) of an issued statement stands at the top right of the text.
    paragraphs: list[Block] = [Paragraph.of(f"编号：{number}", ParagraphKind.RIGHT)] if number else []
    paragraphs += [
        plain(f"甲方：{inp.first_party}"),
        plain(f"乙方：{inp.second_party}"),
        body(
            "为落实信访工作责任制，依法及时就地解决群众合理诉求，根据《信访工作条例》《信访工作责任制实施办法》"
            f"和有关规定，经甲乙双方协商，签订{inp.year}年度信访工作责任书，明确年度信访工作目标任务和责任查究措施。"
        ),
        h1("一、目标任务"),
        Table(tuple(rows), header_rows=1, col_widths=(0.6, 2.0, 2.6, 1.8)),
        h1("二、工作措施"),
    ]
    paragraphs += [body(f"{i}.{m.rstrip('。；')}。") for i, m in enumerate(inp.measures, start=1)]
    paragraphs.append(h1("三、考核与责任追究"))
    paragraphs += [body(f"{i}.{c.rstrip('。')}。") for i, c in enumerate(inp.consequences or DEFAULT_CONSEQUENCES, 1)]
    paragraphs.append(h1("四、其他"))
    paragraphs.append(
        body(f"本责任书自签订之日起生效，有效期至{inp.year}年12月31日。本责任书一式两份，甲乙双方各执一份。")
    )
    # Each side: 甲方/乙方（盖章）, the party's name (its seal goes over it), the signatory, then a line for the seal
    # to reach the date. Short lines, so that the two columns stand side by side.
    first = ("甲方（盖章）：", inp.first_party, f"{inp.first_signatory or '负责人'}（签字）：", "")
    second = ("乙方（盖章）：", inp.second_party, f"{inp.second_signatory or '负责人'}（签字）：", "")
    return OfficialDocument(
        type_id=TYPE_ID,
        title=f"{inp.year}年度信访工作责任书",
        layout=Layout.DOCUMENT,
        issuer_mark=None,
        document_number=number,
        body=blocks(paragraphs),
        # The renderers print `second_party` in the left column and `issuers` in the right: 甲方 left, 乙方 right.
        signature=Signature(issuers=second, signed_on=inp.signed_on, second_party=first),
        metadata={"year": str(inp.year), "first_party": inp.first_party, "second_party": inp.second_party},
    )


def issued_on(inp: StatementInput) -> date:
    """The day the number's year is taken from: the signing date, or 1 January of the statement's year."""
    return inp.signed_on or date(inp.year, 1, 1)


SPEC: DocumentTypeSpec[StatementInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, issued_on
)


def issue_statement(
    db: Database, year: int, unit: str, *, fmt: str = "pdf", user: str | None = None
) -> tuple[IssuedDocument, dict[str, Any]]:
    """Issue the 责任书 of a stored statement (R-RS-01): its input built from the record, numbered, rendered and
    stored by the document store (a statement rendered before gets the next version of its number), then linked to
    the statement. Returns the issued document and the statement as stored afterwards."""
    from xinfang_desktop.documents.document_store import issue_document
    from xinfang_desktop.persistence.statements.store import document_input, link_document, show_statement

    data, previous, statement_id = document_input(db, year, unit)
    issued = issue_document(db, TYPE_ID, data, fmt=fmt, reissue_of=previous, user=user)
    link_document(db, statement_id, issued.id, issued.number, user=user)
    return issued, show_statement(db, year, unit)
