"""Printed pieces of the 领导包案 section (issue 7), built from plain data so commands and screens share them:

- the 年度市领导包片督查信访积案表 (R-PK-05) from `reports.oversight.OversightReport.table_rows()`;
- the one-page case card (案情卡) a leader reads before meeting the petitioner (约见, R-PK-01/02), from
  `persistence.packages_store.case_card_data()`.

Personal data is masked before it gets here (phones and ID numbers never appear on the card).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from xinfang_desktop.documents.model import Block, Layout, OfficialDocument, Paragraph, ParagraphKind, Table


def oversight_document(title: str, rows: Sequence[Sequence[str]], *, notes: Sequence[str] = ()) -> OfficialDocument:
    """The annual oversight table as a one-table form: header row (督查领导 / 联系单位 / 积案数(共N件)) and rows."""
    table = Table(tuple(tuple(r) for r in rows), header_rows=1, col_widths=(2, 2.6, 2))
    body: list[Block] = [table]
    body += [Paragraph.of(n, ParagraphKind.PLAIN) for n in notes]
    return OfficialDocument(
        type_id="oversight_table",
        title=title,
        layout=Layout.FORM,
        body=tuple(body),
        metadata={"report": "oversight"},
    )


CARD_SUMMARY_MAX = 48  # the card is one page: longer complaints are cut (the full text is in the case file)


def _cn(d: str | None) -> str:
    if not d:
        return "—"
    v = date.fromisoformat(d)
    return f"{v.year}年{v.month}月{v.day}日"


def case_card_document(card: Mapping[str, Any]) -> OfficialDocument:
    """领导包案案情卡: one page with the case, the team, the plan, the five duties and the meetings so far."""
    pkg = card["package"]
    case = pkg["cases"][0] if pkg["cases"] else {}
    others = "、".join(c["number"] for c in pkg["cases"][1:])
    team = "、".join(f"{m['name']}（{m['role']}）" for m in pkg["team"][:3])
    if len(pkg["team"]) > 3:
        team += f"等{len(pkg['team'])}人"
    pending = [m for m in pkg["plan"] if not m["done_on"]]
    plan = "；".join(f"{m['title']}（{_cn(m['due_on'])}）" for m in pending[:3])
    done_steps = len(pkg["plan"]) - len(pending)
    plan = (f"已完成{done_steps}项；" if done_steps else "") + (f"待完成：{plan}" if plan else "全部完成")
    done = [d["duty"] for d in pkg["duties"] if d["status"] == "已落实"]
    todo = [d["duty"].removeprefix("包") for d in pkg["duties"] if d["status"] != "已落实"]
    duties = f"已落实{len(done)}/{len(pkg['duties'])}" + (f"，待落实：{'、'.join(todo)}" if todo else "")
    meetings = "；".join(_cn(m["held_on"]) for m in pkg["meetings"][-3:])
    summary = case.get("summary", "—")
    if len(summary) > CARD_SUMMARY_MAX:
        summary = summary[: CARD_SUMMARY_MAX - 1] + "…"
    received = f"（{_cn(case.get('received_on'))}{card.get('channel') or ''}）" if case else ""
    reminders = "；".join(r["message"] for r in pkg.get("reminders", [])[:1])
    rows: list[tuple[str, str]] = [
        ("信访事项", case.get("number", "—") + received + (f"，关联：{others}" if others else "")),
        ("信访人", card.get("petitioner") or "—"),
        ("主要诉求", summary),
        ("包案领导", f"{pkg['leader']['post']}{pkg['leader']['name']}"),
        ("责任单位", pkg.get("lead_unit") or card.get("responsible_unit") or "—"),
        ("工作专班", team or "—"),
        ("化解方案", plan),
        ("五包", duties),
        ("约见", meetings or "尚未约见"),
        ("化解时限", _cn(pkg["target_on"]) + (f"。{reminders}" if reminders else "")),
    ]
    body: list[Block] = [Table(tuple(rows), header_rows=0, col_widths=(1, 4))]
    return OfficialDocument(
        type_id="package_card",
        title="领导包案案情卡",
        layout=Layout.FORM,
        body=tuple(body),
        metadata={"package": str(pkg["id"]), "case_number": case.get("number", "")},
    )
