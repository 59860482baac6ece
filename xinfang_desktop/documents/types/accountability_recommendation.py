"""责任追究建议书 (R-AC-01…05): to the organ with authority over the persons — the facts, the grounds citing article
and item, the allocation of responsibility (R-AC-04), the suggested measure on the ladder (R-AC-02/03) and the written
feedback requested by a date (S0 art 16, S1 art 17, 条例 art 40)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, FooterBlock, Layout, OfficialDocument, Table
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._common import (
    DocumentTypeSpec,
    Reader,
    body,
    case_metadata,
    check_order,
    cn_date,
    h1,
    issued,
)
from xinfang_desktop.documents.types._frame import office_document

TYPE_ID = "accountability_recommendation"
LABEL = "责任追究建议书"

S3 = "《信访工作责任制实施办法》"
#: S3 art 11: the six grounds (seed 003), quoted in the document.
S3_ART11_ITEMS = (
    "因决策失误、工作失职，损害群众利益，导致信访问题产生，造成严重后果的",
    "未按照规定受理、交办、转送和督办信访事项，或者不执行信访事项处理意见，严重损害信访群众合法权益的",
    "违反群众纪律，对应当解决的群众合理合法诉求消极应付、推诿扯皮，或者对待信访群众态度恶劣、简单粗暴，"
    "损害党群干群关系，造成严重后果的",
    "对发生的集体访或者信访负面舆情处置不力，导致事态扩大，造成不良影响的",
    "对信访部门提出的改进工作、完善政策和给予处分等建议重视不够、落实不力，导致问题长期得不到解决的",
    "其他应当追究责任的失职失责情形",
)
CN_ITEM = "一二三四五六七八九十"
CN_ARTICLE = {
    11: "十一",
    12: "十二",
    13: "十三",
    14: "十四",
    15: "十五",
    16: "十六",
    17: "十七",
    40: "四十",
    42: "四十二",
    43: "四十三",
    44: "四十四",
    45: "四十五",
    46: "四十六",
}

RESPONSIBILITIES = {
    "主要领导责任": "集体",
    "重要领导责任": "集体",
    "直接责任": "个人",
    "领导责任": "个人",
}
#: Measures (R-AC-02) with their rung on the ladder (R-AC-03) and the S3 article that provides for them.
MEASURES: dict[str, tuple[int, int]] = {
    "通报": (1, 13),
    "诫勉": (2, 14),
    "组织调整或者组织处理": (3, 15),
    "停职检查": (3, 15),
    "调整职务": (3, 15),
    "责令辞职": (3, 15),
    "降职": (3, 15),
    "免职": (3, 15),
    "纪律处分": (4, 16),
}
ORGAN_MEASURES = ("责令书面检查", "通报批评")
SEVERITY_RUNG = {"较轻": 1, "严重": 2, "特别严重": 3}


def _cn(n: int) -> str:
    return CN_ARTICLE.get(n) or str(n)


@dataclass(frozen=True)
class Ground:
    """A ground as typed (regulation, article, item) or as stored on an accountability case (`citation`, `text`)."""

    regulation: str
    article: int
    item: int | None
    citation: str | None = None
    text: str | None = None

    def cite(self) -> str:
        if self.citation:
            return f"{self.citation}“{self.text.rstrip('。；')}”" if self.text else self.citation
        item = f"第（{CN_ITEM[self.item - 1]}）项" if self.item and self.item <= 10 else ""
        text = f"{self.regulation}第{_cn(self.article)}条{item}"
        if self.regulation == S3 and self.article == 11 and self.item:
            text += f"“{S3_ART11_ITEMS[self.item - 1]}”"
        return text


@dataclass(frozen=True)
class Exempted:
    """A person found not to bear responsibility (recorded objection, 尽职免责), named with the reason."""

    name: str
    post: str
    reason: str


@dataclass(frozen=True)
class Person:
    name: str
    post: str
    responsibility: str
    measure: str


@dataclass(frozen=True)
class AccountabilityInput:
    to_organ: str
    subject_unit: str
    case_number: str | None
    facts: tuple[str, ...]
    grounds: tuple[Ground, ...]
    persons: tuple[Person, ...]
    organ_measure: str | None
    severity: str
    escalation: str | None  # why a rung above the severity's (an earlier measure not rectified in time)
    rectify_by: date | None
    feedback_by: date
    copy_to: tuple[str, ...]
    issued_on: date
    exempted: tuple[Exempted, ...] = ()
    materials: tuple[str, ...] = ("相关调查材料",)


def _read_ground(g: Reader) -> Ground:
    if g.has("citation"):
        # From the record: the citation and the item's words as they stood when the ground was chosen.
        citation = g.text("citation", "追责依据", max_length=200)
        return Ground("", 0, None, citation, g.opt_text("text", "情形原文", max_length=1000, multiline=True))
    regulation = g.text("regulation", "依据的规定", max_length=100)
    if regulation and not regulation.startswith("《"):
        regulation = f"《{regulation}》"
    article = g.integer("article", "条", low=1, high=200)
    item = g.integer("item", "项", low=1, high=20, default=0) or None
    if regulation == S3:
        if article != 11:
            g.problem("article", "条", f"{S3}的追责情形在第十一条（R-AC-01），现为第{article}条")
        elif item is None or item > len(S3_ART11_ITEMS):
            g.problem("item", "项", f"{S3}第十一条共{len(S3_ART11_ITEMS)}项，应写明第几项（R-AC-01）")
    elif regulation == "《信访工作条例》" and not 42 <= article <= 46:
        g.problem("article", "条", f"《信访工作条例》的追责条款为第四十二条至第四十六条，现为第{article}条")
    elif regulation not in (S3, "《信访工作条例》") and item is None:
        g.problem("item", "项", "应写明所依据的条和项（R-AC-01）")
    return Ground(regulation, article, item)


def from_json(data: Mapping[str, Any]) -> AccountabilityInput:
    r = Reader(data)
    to_organ = r.text("to_organ", "有管理权限的机关", max_length=128)
    subject_unit = r.text("subject_unit", "被追责单位", max_length=128)
    case_number = r.opt_text("case_number", "信访事项编号", max_length=32)
    facts = r.texts("facts", "基本事实", min_items=1, max_length=3000)
    grounds = tuple(_read_ground(g) for g in r.children("grounds", "追责依据", min_items=1))
    persons = []
    kinds: set[str] = set()
    for p in r.children("persons", "责任人", min_items=1):
        responsibility = p.choice("responsibility", "责任类型", tuple(RESPONSIBILITIES))
        kinds.add(RESPONSIBILITIES[responsibility])
        persons.append(
            Person(
                p.text("name", "责任人姓名", max_length=64),
                p.text("post", "职务", max_length=128),
                responsibility,
                p.choice("measure", "建议的追责方式", tuple(MEASURES)),
            )
        )
    if len(kinds) > 1:
        r.problem(
            "persons",
            "责任人",
            "集体责任（主要领导责任、重要领导责任）与个人责任（直接责任、领导责任）不能混在一份建议中（R-AC-04）",
        )
    organ_measure = r.opt_text("organ_measure", "对单位的处理建议", max_length=32)
    if organ_measure and organ_measure not in ORGAN_MEASURES:
        r.problem("organ_measure", "对单位的处理建议", f"“{organ_measure}”无效，可选：{'、'.join(ORGAN_MEASURES)}")
    severity = r.choice("severity", "情节", tuple(SEVERITY_RUNG))
    escalation = r.opt_text("escalation", "从重理由", max_length=500, multiline=True)
    for i, person in enumerate(persons):
        rung = MEASURES[person.measure][0]
        if rung < 4 and rung > SEVERITY_RUNG[severity] and not escalation:
            r.problem(
                f"persons[{i}].measure",
                "建议的追责方式",
                f"情节{severity}对应“{['通报', '诫勉', '组织调整或者组织处理'][SEVERITY_RUNG[severity] - 1]}”，"
                f"建议“{person.measure}”须写明从重理由（如受到通报、诫勉后仍未按期完成整改，R-AC-03）",
            )
    rectify_by = r.opt_date("rectify_by", "整改期限")
    if rectify_by is None and any(MEASURES[p.measure][0] in (1, 2) for p in persons):
        r.problem("rectify_by", "整改期限", "建议通报或诫勉的，应同时提出限期整改的日期（R-AC-03）")
    feedback_by = r.date("feedback_by", "书面反馈期限")
    copy_to = r.texts("copy_to", "抄送", max_length=128)
    exempted = tuple(
        Exempted(
            e.text("name", "姓名", max_length=64),
            e.text("post", "职务", max_length=128),
            e.text("reason", "不承担责任的理由", max_length=1000, multiline=True),
        )
        for e in r.children("exempted", "不承担责任的人员")
    )
    materials = r.texts("materials", "移送材料", max_length=200) or ("相关调查材料",)
    issued_on = issued(r)
    check_order(r, ("issued_on", "成文日期", issued_on), ("feedback_by", "书面反馈期限", feedback_by))
    r.finish()
    return AccountabilityInput(
        to_organ,
        subject_unit,
        case_number,
        facts,
        grounds,
        tuple(persons),
        organ_measure,
        severity,
        escalation,
        rectify_by,
        feedback_by,
        copy_to,
        issued_on,
        exempted,
        materials,
    )


def sample() -> dict[str, Any]:
    return {
        "to_organ": "中共示范县委组织部",
        "subject_unit": "城关街道办事处",
        "case_number": "XF2026-000001",
        "facts": [
            "2026年3月4日，本机关将信访人反映征地拆迁补偿款未足额发放的信访事项交由城关街道办事处办理，"
            "要求于2026年4月3日前报送办结报告。",
            "城关街道办事处未按期办理，经2026年4月7日督办、4月15日催办后仍未答复信访人，致使信访人于2026年5月11日"
            "到县、6月15日到市重复上访。",
        ],
        "grounds": [{"regulation": "信访工作责任制实施办法", "article": 11, "item": 2}],
        "persons": [
            {"name": "陈某", "post": "城关街道办事处信访办主任", "responsibility": "直接责任", "measure": "通报"},
            {
                "name": "刘某",
                "post": "城关街道办事处副主任（分管信访工作）",
                "responsibility": "领导责任",
                "measure": "通报",
            },
        ],
        "severity": "较轻",
        "rectify_by": "2026-07-31",
        "feedback_by": "2026-07-31",
        "copy_to": ["中共示范县纪委示范县监委", "示范县人力资源和社会保障局"],
        "issued_on": "2026-06-30",
    }


def build(inp: AccountabilityInput, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
    case = f"（信访事项编号：{inp.case_number}）" if inp.case_number else ""
    paragraphs: list[Block] = [
        body(
            f"本机关在督查中发现，{inp.subject_unit}在办理信访事项{case}过程中存在失职失责情形。"
            f"依照{S3}第七条、第十一条和《信访工作条例》第四十条的规定，现提出责任追究建议如下："
        ),
        h1("一、基本事实"),
    ]
    paragraphs += [body(f) for f in inp.facts]
    paragraphs.append(h1("二、责任追究依据"))
    paragraphs.append(
        body(
            f"{inp.subject_unit}的上述行为，属于"
            + "；".join(g.cite() for g in inp.grounds)
            + "规定的情形，应当追究责任。"
        )
    )
    paragraphs.append(h1("三、责任划分"))
    collective = RESPONSIBILITIES[inp.persons[0].responsibility] == "集体"
    rule = (
        "涉及集体责任的，领导班子主要负责人和直接主管的负责人承担主要领导责任，参与决策和工作的班子其他成员承担重要领导责任，"
        "对错误决策或者行为提出明确反对意见而没有被采纳的，不承担领导责任"
        if collective
        else "涉及个人责任的，具体负责的工作人员承担直接责任，领导班子主要负责人和直接主管的负责人承担领导责任"
    )
    paragraphs.append(body(f"依照{S3}第十一条第二款，{rule}。据此："))
    rows: list[tuple[str, ...]] = [("姓名", "职务", "责任类型", "建议追责方式")]
    rows += [(p.name, p.post, p.responsibility, p.measure) for p in inp.persons]
    paragraphs.append(Table(tuple(rows), header_rows=1, col_widths=(1, 2.6, 1.4, 1.4)))
    for e in inp.exempted:
        paragraphs.append(body(f"{e.post}{e.name}同志{e.reason.rstrip('。')}，不承担责任。"))
    paragraphs.append(h1("四、处理建议"))
    articles = sorted({MEASURES[p.measure][1] for p in inp.persons})
    basis = "、".join(f"第{_cn(a)}条" for a in articles)
    escalation = f"且{inp.escalation.rstrip('。')}，" if inp.escalation else ""
    suggestion = "；".join(f"对{p.name}同志给予{p.measure}" for p in inp.persons)
    text = f"鉴于上述情形情节{inp.severity}，{escalation}依照{S3}第十二条、{basis}，建议{suggestion}"
    text += "。"
    if inp.rectify_by:
        text += f"请责令相关责任人于{cn_date(inp.rectify_by)}前完成整改。"
    if any(MEASURES[p.measure][0] == 2 for p in inp.persons):
        text += f"同时，依照{S3}第十四条，取消{inp.subject_unit}本年度评选综合性荣誉称号的资格。"
    paragraphs.append(body(text))
    if inp.organ_measure:
        paragraphs.append(body(f"建议对{inp.subject_unit}予以{inp.organ_measure}。"))
    paragraphs.append(body("涉嫌违法犯罪的，按照国家有关法律规定处理。"))
    paragraphs.append(h1("五、反馈要求"))
    paragraphs.append(
        body(
            f"请于{cn_date(inp.feedback_by)}前将处理结果书面反馈本机关。本机关将相关材料一并移交，"
            "并将处理结果通报组织人事部门。"
        )
    )
    return office_document(
        office,
        type_id=TYPE_ID,
        title=f"关于对{inp.subject_unit}有关人员追究信访工作责任的建议",
        layout=Layout.DOCUMENT,
        number=number,
        content=paragraphs,
        issued_on=inp.issued_on,
        addressee=f"{inp.to_organ}：",
        attachments=inp.materials,
        footer=FooterBlock(issuer=office.name, issued_on=inp.issued_on, copy_to=inp.copy_to),
        metadata=case_metadata(inp.case_number, to_organ=inp.to_organ),
    )


SPEC: DocumentTypeSpec[AccountabilityInput] = DocumentTypeSpec(
    TYPE_ID, LABEL, Layout.DOCUMENT, False, from_json, build, sample, lambda i: i.issued_on
)
