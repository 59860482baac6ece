"""三方会审记录 (R-BK-02): the review of a 进京非正常上访, a 进京集体上访 or a visit to the province by 50 or more
people, due within 15 工作日 of the visit, with the three parties (县级党政主要领导、事权单位、司法部门专家), the
meeting with the petitioner, the audio and video files (by SHA-256) and the copy sent to the city joint-conference
office — the printable record of `xinfang review show --pdf`."""

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

TYPE_ID = "tripartite_review_record"
LABEL = "三方会审记录"
ROLES = ("县级党政主要领导", "事权单位", "司法部门专家")
FILE_KINDS = ("录音", "录像", "其他材料")


@dataclass(frozen=True)
class Participant:
    role: str
    name: str


@dataclass(frozen=True)
class ReviewFile:
    kind: str
    name: str
    sha256: str


@dataclass(frozen=True)
class ReviewFacts:
    """What the record and the file cover share (read by `read_review`)."""

    triggers: tuple[str, ...]
    visit_on: date
    due_on: date
    held_on: date | None
    participants: tuple[Participant, ...]
    petitioner_met: bool
    city_copy_sent_on: date | None
    files: tuple[ReviewFile, ...]


@dataclass(frozen=True)
class ReviewRecordInput:
    case: CaseHeader
    review: ReviewFacts
    notes: str | None
    issued_on: date


def read_review(r: Reader) -> ReviewFacts:
    """The review's facts, with the R-BK-02 checks: dates in order, all three parties once it is held."""
    triggers = r.texts("triggers", "启动原因", min_items=1, max_length=64)
    visit_on = r.date("visit_on", "上访日期")
    due_on = r.date("due_on", "会审期限")
    held_on = r.opt_date("held_on", "会审日期")
    participants = []
    for p in r.children("participants", "参加人员"):
        participants.append(
            Participant(p.choice("role", "参加人员角色", ROLES), p.text("name", "姓名", max_length=128))
        )
    petitioner_met = r.flag("petitioner_met", "是否与信访人面对面交流")
    city_copy = r.opt_date("city_copy_sent_on", "报送市联席办日期")
    files = []
    for f in r.children("files", "录音录像及材料"):
        files.append(
            ReviewFile(
                f.choice("kind", "材料类别", FILE_KINDS),
                f.text("name", "文件名", max_length=255),
                f.text("sha256", "SHA-256", max_length=64),
            )
        )
    visit = ("visit_on", "上访日期", visit_on)
    check_order(r, visit, ("due_on", "会审期限", due_on))
    if held_on is not None:
        check_order(r, visit, ("held_on", "会审日期", held_on))
        missing = [role for role in ROLES if role not in {p.role for p in participants}]
        if missing:
            r.problem("participants", "参加人员", f"会审须有三方参加，缺少：{'、'.join(missing)}（R-BK-02）")
    if city_copy is not None:
        check_order(
            r, ("held_on", "会审日期", held_on or visit_on), ("city_copy_sent_on", "报送市联席办日期", city_copy)
        )
    return ReviewFacts(
        triggers, visit_on, due_on, held_on, tuple(participants), petitioner_met, city_copy, tuple(files)
    )


def from_json(data: Mapping[str, Any]) -> ReviewRecordInput:
    r = Reader(data)
    case = CaseHeader.read(r)
    review = read_review(r)
    notes = r.opt_text("notes", "会审情况", max_length=4000, multiline=True)
    issued_on = issued(r)
    r.finish()
    return ReviewRecordInput(case, review, notes, issued_on)


def sample_review() -> dict[str, Any]:
    return {
        "triggers": ["进京非正常上访"],
        "visit_on": "2026-06-15",
        "due_on": "2026-07-06",
        "held_on": "2026-06-30",
        "participants": [
            {"role": "县级党政主要领导", "name": "王强（县委书记）"},
            {"role": "事权单位", "name": "示范县自然资源局"},
            {"role": "司法部门专家", "name": "赵敏（县司法局律师）"},
        ],
        "petitioner_met": True,
        "city_copy_sent_on": "2026-07-02",
        "files": [{"kind": "录像", "name": "会审录像.mp4", "sha256": "ab" * 32}],
    }


def sample() -> dict[str, Any]:
    return sample_case(
        **sample_review(),
        notes="三方共同听取信访人诉求，明确补偿款核算依据，由事权单位限期答复",
        issued_on="2026-07-02",
    )


def participant_rows(facts: ReviewFacts) -> tuple[tuple[str, str], ...]:
    return tuple((p.role, p.name) for p in facts.participants) or (("参加人员", "—"),)


def build(inp: ReviewRecordInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    c, v = inp.case, inp.review
    held = f"于{cn_date(v.held_on)}召开" if v.held_on else f"应于{cn_date(v.due_on)}前召开，尚未召开"
    paragraphs: list[Block] = [
        body(
            f"信访人{c.petitioner.for_unit()}反映“{c.topic()}”的信访事项（信访事项编号：{c.case_number}），"
            f"因{'、'.join(v.triggers)}（{cn_date(v.visit_on)}），须在上访后15个工作日内（{cn_date(v.due_on)}前）"
            f"组织“三方会审”。本次会审{held}。"
        ),
        h1("一、参加人员"),
        Table(participant_rows(v), header_rows=0, col_widths=(1, 3)),
        h1("二、会审情况"),
        body(f"与信访人面对面交流：{'是' if v.petitioner_met else '否'}。"),
        body(f"会审情况：{inp.notes.rstrip('。')}。" if inp.notes else "会审情况：—。"),
        h1("三、录音录像及材料"),
    ]
    if v.files:
        rows: list[tuple[str, ...]] = [("序号", "类别", "文件名", "SHA-256")]
        rows += [(str(i), f.kind, f.name, f.sha256) for i, f in enumerate(v.files, start=1)]
        paragraphs.append(Table(tuple(rows), header_rows=1, col_widths=(0.5, 0.7, 1.5, 3)))
    else:
        paragraphs.append(body("无。"))
    paragraphs.append(
        body(
            "会审材料已于"
            + (f"{cn_date(v.city_copy_sent_on)}报送" if v.city_copy_sent_on else "____年__月__日报送")
            + "市信访工作联席会议办公室。"
        )
    )
    return office_document(
        office,
        type_id=TYPE_ID,
        title="“三方会审”记录",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        metadata=case_metadata(c.case_number),
    )


SPEC: DocumentTypeSpec[ReviewRecordInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
