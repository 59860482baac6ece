"""The annual report to the level above (R-AS-04, 条例 art 41) as an editable draft: the figures and tables filled
from the ledger, the prose a skeleton for the clerk to finish. Built from the plain data of
`reports.annual_report` (`xinfang report annual --json`). The passages to write are marked 【…】 in the draft; no
rule IDs or English are printed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import (
    Block,
    Layout,
    OfficialDocument,
    Paragraph,
    ParagraphKind,
    Signature,
    Table,
)

FILL = "【请经办人填写：{}】"


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)  # no thousands separator: figures on paper right-aligned as numbers


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "持平"
    return f"上升{value:.1f}%" if value > 0 else f"下降{-value:.1f}%"


def _share(part: int, whole: int) -> str:
    return "—" if whole <= 0 else f"{part * 100 / whole:.1f}%"


def _rows_table(first: str, rows: Sequence[Mapping[str, Any]]) -> Table:
    body: list[tuple[str, ...]] = [(first, "批次", "人次", "去年同期批次", "同比")]
    for r in rows:
        body.append(
            (
                r["name"],
                _n(r["current"]["batches"]),
                _n(r["current"]["person_visits"]),
                _n(r["same_period_last_year"]["batches"]),
                _change(r["yoy"]["batches"]),
            )
        )
    return Table(tuple(body), header_rows=1, col_widths=(1.4, 1, 1, 1.2, 1.2))


def _ranked(title: str, items: Sequence[Mapping[str, Any]], total: int) -> Table:
    body: list[tuple[str, ...]] = [("序号", title, "件数", "占比")]
    body += [(str(i), it["name"], _n(it["cases"]), _share(it["cases"], total)) for i, it in enumerate(items, 1)]
    return Table(tuple(body), header_rows=1, col_widths=(0.6, 2.6, 1, 1))


def _statistics(data: Mapping[str, Any]) -> list[Block]:
    year, subs = data["year"], data["submissions"]
    cases, last = data["cases"], data["cases_last_year"]
    cats = data["categories"][:5]
    focus = "、".join(f"{c['name']}（{c['cases']}件）" for c in cats[:3]) or "无"
    special = {s["key"]: s for s in data["special"]}
    collective = special.get("collective", {}).get("current", {"batches": 0, "person_visits": 0})
    blocks: list[Block] = [
        Paragraph.of("一、信访事项的数据统计和分析", ParagraphKind.HEADING1),
        Paragraph.of(
            f"{year}年，全县共登记信访事项{_n(cases)}件，去年同期{_n(last)}件；"
            f"受理信访件{_n(subs['batches'])}批{_n(subs['person_visits'])}人次，"
            f"批次同比{_change(subs['yoy']['batches'])}，人次同比{_change(subs['yoy']['person_visits'])}。"
            f"其中集体访{_n(collective['batches'])}批{_n(collective['person_visits'])}人次。"
            f"反映问题主要集中在{focus}等领域。",
        ),
        Paragraph.of("（一）按去向统计", ParagraphKind.HEADING2),
        _rows_table("去向", data["by_destination"]),
        Paragraph.of("（二）按信访形式统计", ParagraphKind.HEADING2),
        _rows_table("信访形式", data["by_channel"]),
        Paragraph.of("（三）重点来访", ParagraphKind.HEADING2),
        _rows_table("项目", data["special"]),
        Paragraph.of("（四）反映较集中的领域", ParagraphKind.HEADING2),
        _ranked("内容分类", cats, cases),
        Paragraph.of("（五）被反映较多的机关、单位", ParagraphKind.HEADING2),
    ]
    if data["top_units"]:
        blocks.append(_ranked("责任单位", data["top_units"][:5], cases))
    if data["accused_units"]:
        names = "、".join(f"{u['name']}（{u['cases']}件）" for u in data["accused_units"][:5])
        blocks.append(Paragraph.of(f"揭发控告类信访事项中被反映较多的有：{names}。"))
    blocks.append(Paragraph.of(FILL.format("对上述数据的分析，反映问题的主要原因和特点")))
    blocks.append(Paragraph.of(data["caliber_note"] + "。", ParagraphKind.PLAIN))
    return blocks


def _handling(data: Mapping[str, Any]) -> list[Block]:
    steps, labels = data["steps"], data["step_labels"]
    total = data["cases"]
    body: list[tuple[str, ...]] = [("环节", "件数", "占当年信访事项")]
    for key in ("accept", "simplified_accept", "forward", "assign", "supervise", "urge", "conclude"):
        body.append((labels[key], _n(steps.get(key, 0)), _share(steps.get(key, 0), total)))
    body.append(
        (
            "申请复查、复核",
            _n(steps.get("request_review", 0) + steps.get("request_final_review", 0)),
            _share(steps.get("request_review", 0) + steps.get("request_final_review", 0), total),
        )
    )
    return [
        Paragraph.of("二、转送、督办情况", ParagraphKind.HEADING1),
        Paragraph.of(
            f"当年登记的信访事项中，转送{_n(steps.get('forward', 0))}件，交办{_n(steps.get('assign', 0))}件，"
            f"督办{_n(steps.get('supervise', 0))}件，催办{_n(steps.get('urge', 0))}件；"
            f"已办结{_n(steps.get('conclude', 0) + steps.get('simplified_conclude', 0))}件。"
        ),
        Table(tuple(body), header_rows=1, col_widths=(1.6, 1, 1.4)),
        Paragraph.of(FILL.format("督办的重点事项及成效")),
    ]


def _suggestions(data: Mapping[str, Any]) -> list[Block]:
    recs = data["recommendations"]
    adopted = sum(1 for r in recs if r["adopted"])
    blocks: list[Block] = [
        Paragraph.of("三、提出改进工作、完善政策和追究责任建议以及建议被采纳情况", ParagraphKind.HEADING1),
        Paragraph.of(FILL.format("本年度提出的改进工作、完善政策的建议及其采纳情况")),
    ]
    if recs:
        blocks.append(
            Paragraph.of(
                f"本年度提出追究责任建议{len(recs)}件，已反馈采纳{adopted}件，尚未反馈{len(recs) - adopted}件。"
            )
        )
        rows: list[tuple[str, ...]] = [("编号", "被建议追责单位", "建议送达机关", "反馈情况")]
        for r in recs:
            outcome = (r["feedback_outcome"] or "已反馈") if r["adopted"] else "尚未反馈"
            rows.append((r["number"], r["subject_unit"], r["referred_to"] or "—", outcome))
        blocks.append(Table(tuple(rows), header_rows=1, col_widths=(1.2, 1.6, 1.6, 1.6)))
    else:
        blocks.append(Paragraph.of("本年度未提出追究责任建议。"))
    return blocks


def annual_report_document(data: Mapping[str, Any], *, signed_on: date | None = None) -> OfficialDocument:
    """关于{year}年度信访工作情况的报告, with the four parts of 条例 art 41."""
    year, office = data["year"], data["office"]
    body: list[Block] = [
        Paragraph.of(
            f"根据《信访工作条例》第四十一条规定，现将{year}年度信访工作情况报告如下。",
        ),
        *_statistics(data),
        *_handling(data),
        *_suggestions(data),
        Paragraph.of("四、其他应当报告的事项", ParagraphKind.HEADING1),
        Paragraph.of(FILL.format("其他应当报告的事项")),
        Paragraph.of("特此报告。"),
    ]
    return OfficialDocument(
        type_id="annual_report",
        title=f"{office}关于{year}年度信访工作情况的报告",
        layout=Layout.DOCUMENT,
        addressee=(data.get("addressee") or "【主送机关】") + "：",
        body=tuple(body),
        signature=Signature(issuers=(office,), signed_on=signed_on),
        metadata={"report": "annual", "year": str(year)},
    )
