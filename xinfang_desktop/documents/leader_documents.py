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


# ------------------------------------------------------------------------------------------------ 实绩档案


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def leader_record_document(record: Mapping[str, Any]) -> OfficialDocument:
    """信访工作实绩档案: one leader's petition work over a period — packages and their outcomes with the 化解率,
    reception days held against those required (R-RC-01), the 阅批 count and share (R-RC-02), the cases the leader
    received in person. `record` is the plain data `xinfang leader record --json` prints."""
    leader = record["leader"]
    period = record["period"]
    res = record["resolution"]
    rec = record["reception"]
    ins = record["instructions"]
    inp = record["received_in_person"]
    pkgs = record["packages"]
    title = f"{leader['name']}同志信访工作实绩档案"
    span = f"{_cn(period['start'])}至{_cn(period['end'])}"
    summary_rows: list[tuple[str, str]] = [
        ("姓名", leader["name"]),
        ("职务", leader["post"]),
        ("所属机关/职级/层级", f"{leader['organ']} / {leader['rank']} / {leader['level']}"),
        ("统计期间", f"{period['period']}（{span}）"),
        (
            "领导包案",
            f"期间内包案{len(pkgs)}件，其中办结{sum(1 for p in pkgs if p['closed_on'])}件、"
            f"在办{sum(1 for p in pkgs if not p['closed_on'])}件",
        ),
        (
            "包案化解率",
            f"{res['resolved']}/{res['packages']}（{_pct(res['rate'])}）"
            + (f"，期末未办结{res['open']}件" if res["open"] else ""),
        ),
        (
            "接访日",
            f"应接访{rec['required']}天，实际接访{rec['held']}天，{rec['light_label']}"
            + (f"，缺{rec['missing']}天" if rec["missing"] else "")
            + (f"（计划未接访：{'、'.join(rec['missed_days'])}）" if rec["missed_days"] else ""),
        ),
        (
            f"阅批初次来信（{'、'.join(ins['quarters'])}）" if len(ins["quarters"]) < 4 else "阅批初次来信（全年）",
            f"{ins['instructed']}/{ins['first_letters']}（{_pct(ins['share'])}，"
            + (
                f"要求不低于{ins['threshold'] * 100:.0f}%，{ins['light_label']}）" if ins["applies"] else "非主要领导）"
            ),
        ),
        (
            "接待来访群众",
            f"接访{inp['days']}次，接待{inp['petitioners']}人次，登记信访事项{len(inp['cases'])}件"
            + (f"：{'、'.join(inp['cases'])}" if inp["cases"] else ""),
        ),
    ]
    body: list[Block] = [
        Paragraph.of("一、基本情况", ParagraphKind.HEADING1),
        Table(tuple(summary_rows), header_rows=0, col_widths=(1.2, 4)),
        Paragraph.of("二、包案明细", ParagraphKind.HEADING1),
    ]
    if pkgs:
        rows: list[tuple[str, ...]] = [("编号", "信访事项", "开始", "化解时限", "五包", "结果")]
        rows += [
            (
                str(p["id"]),
                "、".join(p["cases"]),
                p["started_on"],
                p["target_on"],
                p["duties_progress"],
                f"{p['outcome']}（{p['closed_on']}）" if p["outcome"] else p["status"],
            )
            for p in pkgs
        ]
        body.append(Table(tuple(rows), header_rows=1, col_widths=(0.6, 2, 1.2, 1.2, 0.7, 1.6)))
    else:
        body.append(Paragraph.of("期间内无包案。", ParagraphKind.PLAIN))
    body.append(Paragraph.of("三、接访落实", ParagraphKind.HEADING1))
    wrows: list[tuple[str, ...]] = [("考核周期", "起止", "接访日期", "情况")]
    wrows += [
        (
            w["period"],
            f"{w['start']}至{w['end']}",
            "、".join(w["held_days"]) or "—",
            w["light_label"] + (f"，缺{w['missing']}天" if w["missing"] and w["light"] == "red" else ""),
        )
        for w in rec["windows"]
    ]
    body.append(Table(tuple(wrows), header_rows=1, col_widths=(1, 2.2, 2, 1.2)))
    return OfficialDocument(
        type_id="leader_record",
        title=title,
        layout=Layout.FORM,
        body=tuple(body),
        metadata={"report": "leader_record", "leader": leader["name"], "period": period["period"]},
    )


# ------------------------------------------------------------------------------------------------ 领导包案通知


def package_notice_input(
    card: Mapping[str, Any],
    header: Mapping[str, Any],
    *,
    issued_on: date,
    to_units: Sequence[str] = (),
    leader_unit: str | None = None,
    duties: Mapping[str, str] | None = None,
    report_every: str | None = None,
) -> dict[str, Any]:
    """The input of the `package_notice` document type from a stored package (`case_card_data()`) and the case
    header of its main case: leader and post, team, plan (the open steps of the 方案), 五包 wording, target date.

    Addressed to `to_units`, else the package's lead unit, the case's responsible unit, the leader's unit (the
    first known). Missing pieces are left out: `from_json` then names what the notice still needs."""
    pkg = card["package"]
    unit = pkg.get("lead_unit") or card.get("responsible_unit") or leader_unit
    team = [f"{m['name']}（{m['post'] or m['role']}）" for m in pkg["team"]]
    plan = [f"{_cn(m['due_on'])}前{m['title']}" for m in pkg["plan"] if not m["done_on"]]
    data: dict[str, Any] = dict(header)
    data.update(
        {
            "to_units": list(to_units) or ([unit] if unit else []),
            "leader": pkg["leader"]["name"],
            "leader_post": pkg["leader"]["post"],
            "team": team,
            "lead_unit": unit or "",
            "plan": plan,
            "resolve_by": pkg["target_on"],
            "issued_on": issued_on.isoformat(),
        }
    )
    if duties:
        data["duties"] = dict(duties)
    if report_every:
        data["report_every"] = report_every
    return data
