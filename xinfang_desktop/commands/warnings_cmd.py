"""`xinfang warn|backlog|inquiry|review`: warning slips (R-WS), backlog cases (R-CL-05, R-BK-03), 一事双查 (R-BK-01)
and 三方会审 (R-BK-02). Bad input exits with code 2 and leaves the database unchanged."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.commands.base import today_arg as _today
from xinfang_desktop.commands.summary import add_summary_args


def _date(text: str, label: str) -> date:
    return parse_date_arg(text, label)


def _print_target(text: str | None, option: str) -> Path | None:
    """The file a printed document is copied to: checked before anything is numbered or stored."""
    if text is None:
        return None
    path = Path(text).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"{option} 应为一个文件路径，且其所在文件夹须已存在：{text}", field=option.lstrip("-"))
    return path


def _print_document(ctx: Context, type_id: str, data: Mapping[str, Any], number: str, target: Path) -> dict[str, Any]:
    """Number, render and store the document (`issue_document`), then copy the stored file's plain content to
    `target` (decrypted when the archive is encrypted, issue 17)."""
    from xinfang_desktop.documents.document_store import issue_document
    from xinfang_desktop.persistence.encryption import copy_plain

    issued = issue_document(ctx.database(), type_id, data, fmt="pdf", case_number=number)
    copy_plain(issued.path, target)
    return {**issued.to_json(), "copied_to": str(target)}


# --- warn ---------------------------------------------------------------------------------------------------------


def _scan(ctx: Context) -> Result:
    from xinfang_desktop.commands.lifecycle_cmd import WARNING_LISTS
    from xinfang_desktop.commands.summary import first_of, summarise
    from xinfang_desktop.persistence.warnings_store import scan

    first = first_of(ctx.args)
    # The text lists the first 100; the JSON the first N (`--all`: every one). `--full` also repairs the index.
    listed = None if first is None else max(first, 100)
    summary = scan(ctx.database(), today=_today(ctx), repair=ctx.args.full, first=listed)
    lines = [f"{summary['today']}：符合预警条件、尚未发预警单的事项 {summary['counts']['candidates']} 件（R-WS-01）"]
    for c in summary["candidates"][:100]:
        lines.append(f"  {c['number']} {c['petitioner'] or ''}：{c['reason']}")
    extra = [
        ("新增书面说明", len(summary["explanations"])),
        ("新增积案", len(summary["backlog"])),
        ("新增三方会审", len(summary["reviews"])),
        ("书面说明逾期", len(summary["overdue"])),
    ]
    lines.append("；".join(f"{k} {n} 件" for k, n in extra))
    return Result(summarise(summary, WARNING_LISTS, first=first), "\n".join(lines))


def _issue(ctx: Context) -> Result:
    from xinfang_desktop.documents.document_store import issue_document
    from xinfang_desktop.persistence.warnings_store import issue_slip

    a = ctx.args
    db = ctx.database()

    def issue(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
        return issue_document(db, type_id, data, fmt=a.format, case_number=case_number)

    slip = issue_slip(db, a.number, today=_today(ctx), issue=issue, reason=a.reason, to_unit=a.unit, to_leader=a.leader)
    text = (
        f"已发出信访预警单 {slip['number']}：{slip['case_number']} → {slip['to_unit']}{slip['to_leader']}\n"
        f"  原因：{slip['reason']}"
    )
    return Result(slip, text)


def _slip_lines(slip: dict[str, Any]) -> list[str]:
    receipt = f"已签收 {slip['receipted_on']}" if slip["receipted_on"] else "未签收"
    lines = [
        f"{slip['number']}  {slip['issued_on']}  {slip['case_number']} {slip['petitioner'] or ''} → "
        f"{slip['to_unit']}（{receipt}）"
    ]
    for e in slip["explanations"]:
        lines.append(
            f"    {e['seq']}. {e['visit_on']} 到{e['visit_level']}级上访 → 向{e['owed_to']}书面说明，"
            f"期限 {e['due_on']}（{e['rule']}）：{e['status_label']}"
            + (f"，已发通知 {e['notice']['number']}" if e.get("notice") else "")
        )
    return lines


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.warnings_store import list_slips

    slips = list_slips(ctx.database(), today=_today(ctx))
    lines = [f"预警单 {len(slips)} 份"]
    for slip in slips:
        lines += _slip_lines(slip)
    return Result({"slips": slips, "total": len(slips)}, "\n".join(lines))


def _notify(ctx: Context) -> Result:
    from xinfang_desktop.documents.document_store import issue_document
    from xinfang_desktop.persistence.warnings_store import notify_explanations

    db = ctx.database()

    def issue(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
        return issue_document(db, type_id, data, fmt="pdf", case_number=case_number)

    slip = notify_explanations(db, ctx.args.slip, today=_today(ctx), issue=issue)
    head = (
        f"已发出书面说明通知 {len(slip['notified'])} 份："
        + "、".join(f"{n['number']}（第{n['seq']}次再次上访）" for n in slip["notified"])
        if slip["notified"]
        else f"预警单 {slip['number']} 没有尚未发出通知的待说明事项"
    )
    return Result(slip, "\n".join([head, *_slip_lines(slip)]))


def _explain(ctx: Context) -> Result:
    from xinfang_desktop.persistence.warnings_store import record_explanation

    slip = record_explanation(ctx.database(), ctx.args.slip, on=_date(ctx.args.date, "书面说明日期"), today=_today(ctx))
    return Result(slip, "\n".join(_slip_lines(slip)))


def _receipt(ctx: Context) -> Result:
    from xinfang_desktop.persistence.warnings_store import receipt_slip

    slip = receipt_slip(ctx.database(), ctx.args.slip, on=_date(ctx.args.date, "签收日期"), today=_today(ctx))
    return Result(slip, "\n".join(_slip_lines(slip)))


# --- backlog ------------------------------------------------------------------------------------------------------


def _backlog_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backlog_store import list_backlog

    data = list_backlog(ctx.database(), today=_today(ctx))
    lines = [f"积案 {data['total']} 件，已化解 {data['resolved']} 件"]
    for c in data["cases"]:
        state = f"已化解 {c['resolved_on']}" if c["resolved_on"] else "未化解"
        lines.append(f"  {c['number']} {c['petitioner'] or ''} [{c['origin_label']}] {state}：{c['reason']}")
    for t in data["targets"]:
        if t["total"]:
            rate = f"{t['rate'] * 100:.1f}%" if t["rate"] is not None else "—"
            goal = f"，目标 {t['target'] * 100:.0f}%（R-BK-03）" if t["target"] is not None else ""
            lines.append(f"  {t['label']}：{t['resolved']}/{t['total']} 化解率 {rate}{goal}")
    return Result(data, "\n".join(lines))


def _backlog_classify(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backlog_store import classify_backlog

    a = ctx.args
    data = classify_backlog(
        ctx.database(),
        a.number,
        origin=a.origin,
        batch=a.batch,
        handed_down_on=_date(a.handed_down, "交办日期") if a.handed_down else None,
        today=_today(ctx),
    )
    return Result(data, f"{data['number']}：{data['origin_label']} {data['batch'] or ''}".rstrip())


# --- inquiry ------------------------------------------------------------------------------------------------------


def _inquiry_text(data: dict[str, Any]) -> str:
    from xinfang_desktop.persistence.backlog_store import inquiry_report

    return inquiry_report(data)


def _inquiry_create(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backlog_store import create_inquiry

    data = create_inquiry(ctx.database(), ctx.args.number, today=_today(ctx))
    return Result(data, _inquiry_text(data))


def _yes_no(text: str | None) -> bool | None:
    if text is None:
        return None
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1", "是", "已追责"):
        return True
    if value in ("no", "n", "false", "0", "否", "未追责"):
        return False
    raise UsageError(f"--pursued 应为 是/否（yes/no），而不是“{text}”", field="pursued")


def _inquiry_record(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backlog_store import InquiryUpdate, record_inquiry

    a = ctx.args
    if a.part not in ("handling", "accountability"):
        raise UsageError("请指定核查内容：handling（办理情况）或 accountability（追责情况）", field="part")
    change = InquiryUpdate(
        part=a.part,
        done_on=_date(a.date, "核查日期") if a.date else _today(ctx),
        first_unit=a.first_unit,
        handler=a.handler_name,
        findings=a.findings,
        pursued=_yes_no(a.pursued),
        outcome=a.outcome,
    )
    data = record_inquiry(ctx.database(), a.number, change, today=_today(ctx))
    return Result(data, _inquiry_text(data))


def inquiry_document(header: Mapping[str, Any], data: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The `dual_inquiry_report` input from `show_inquiry` and the case header."""
    h, a = data["handling"], data["accountability"]
    doc: dict[str, Any] = {
        **header,
        "detected_on": data["backlog"]["detected_on"],
        "backlog_reason": data["backlog"]["reason"],
        "handling_due_on": h["due_on"],
        "first_unit": h["first_unit"],
        "handler": h["handler"],
        "findings": h["findings"],
        "handling_done_on": h["done_on"],
        "accountability_due_on": a["due_on"],
        "pursued": {True: "是", False: "否"}.get(a["pursued"]),
        "outcome": a["outcome"],
        "accountability_done_on": a["done_on"],
        "issued_on": today.isoformat(),
    }
    return {k: v for k, v in doc.items() if v is not None}


def _inquiry_show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backlog_store import show_inquiry
    from xinfang_desktop.persistence.warnings_store import case_header

    target = _print_target(ctx.args.pdf, "--pdf")
    today = _today(ctx)
    data = show_inquiry(ctx.database(), ctx.args.number, today=today)
    text = _inquiry_text(data)
    if target is not None:
        doc = inquiry_document(case_header(ctx.database(), data["number"]), data, today)
        data["document"] = _print_document(ctx, "dual_inquiry_report", doc, data["number"], target)
        text += f"\n已出具一事双查报告 {data['document']['number']}，PDF：{target}"
    return Result(data, text)


# --- review -------------------------------------------------------------------------------------------------------


def _review_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reviews_store import list_reviews

    rows = list_reviews(ctx.database(), today=_today(ctx), open_only=ctx.args.open)
    lines = [f"三方会审 {len(rows)} 件"] + [
        f"  #{r['id']} {r['number']} {r['petitioner'] or ''}：{'、'.join(r['triggers'])}（{r['visit_on']}），"
        f"期限 {r['due_on']}，{r['status_label']}"
        for r in rows
    ]
    return Result({"reviews": rows, "total": len(rows)}, "\n".join(lines))


def _review_create(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reviews_store import create_review, review_cover

    data = create_review(ctx.database(), ctx.args.number, seq=ctx.args.seq, today=_today(ctx))
    return Result(data, review_cover(data))


def _review_id(text: str) -> int:
    try:
        value = int(text.strip().lstrip("#"))
    except ValueError:
        raise UsageError(f"三方会审编号应为数字，而不是“{text}”", field="id") from None
    if value < 1:
        raise UsageError(f"三方会审编号应为正整数，而不是“{text}”", field="id")
    return value


def _review_record(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reviews_store import (
        ReviewRecordInput,
        parse_participant,
        record_review,
        review_cover,
    )

    a = ctx.args
    change = ReviewRecordInput(
        held_on=_date(a.held_on, "会审日期") if a.held_on else None,
        participants=tuple(parse_participant(p) for p in a.participant or ()),
        petitioner_met=True if a.met_petitioner else None,
        notes=a.notes,
        city_copy_sent_on=_date(a.city_copy, "报送市联席办日期") if a.city_copy else None,
        files=tuple((Path(f), a.kind) for f in a.file or ()),
    )
    data = record_review(ctx.database(), _review_id(a.id), change, today=_today(ctx))
    return Result(data, review_cover(data))


def review_document(header: Mapping[str, Any], data: Mapping[str, Any], today: date, *, cover: bool) -> dict[str, Any]:
    """The `tripartite_review_record` (or, with `cover`, `tripartite_review_cover`) input from `show_review`."""
    doc: dict[str, Any] = {
        **header,
        "triggers": list(data["triggers"]),
        "visit_on": data["visit_on"],
        "due_on": data["due_on"],
        "held_on": data["held_on"],
        "participants": [{"role": p["role_label"], "name": p["name"]} for p in data["participants"]],
        "petitioner_met": bool(data["petitioner_met"]),
        "city_copy_sent_on": data["city_copy_sent_on"],
        "files": [{"kind": f["kind_label"], "name": f["name"], "sha256": f["sha256"]} for f in data["manifest"]],
        "issued_on": today.isoformat(),
    }
    if not cover:
        doc["notes"] = data["notes"]
    return {k: v for k, v in doc.items() if v is not None}


def _review_show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reviews_store import review_cover, show_review, verify_manifest
    from xinfang_desktop.persistence.warnings_store import case_header

    pdf = _print_target(ctx.args.pdf, "--pdf")
    cover = _print_target(ctx.args.cover, "--cover")
    if pdf is not None and cover is not None and pdf.resolve() == cover.resolve():
        raise UsageError("--pdf 与 --cover 不能是同一个文件", field="cover")
    today = _today(ctx)
    data = show_review(ctx.database(), _review_id(ctx.args.id), today=today)
    data["damaged_files"] = verify_manifest(data)
    text = review_cover(data)
    if data["damaged_files"]:
        text += "\n校验不符的文件：" + "、".join(data["damaged_files"])
    if pdf is not None or cover is not None:
        from xinfang_desktop.documents.types import spec

        header = case_header(ctx.database(), data["number"])
        wanted = [
            (key, target, type_id, review_document(header, data, today, cover=key == "cover_document"))
            for key, target, type_id in (
                ("document", pdf, "tripartite_review_record"),
                ("cover_document", cover, "tripartite_review_cover"),
            )
            if target is not None
        ]
        for _, _, type_id, doc in wanted:  # both checked before either is numbered
            spec(type_id).from_json(doc)
        for key, target, type_id, doc in wanted:
            data[key] = _print_document(ctx, type_id, doc, data["number"], target)
            text += f"\n已出具{spec(type_id).label} {data[key]['number']}，PDF：{target}"
    return Result(data, text)


# --- registration -------------------------------------------------------------------------------------------------


def _group(
    sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, name: str, help_text: str
) -> argparse._SubParsersAction[Any]:
    p = sub.add_parser(name, parents=[common], help=help_text)
    actions: argparse._SubParsersAction[Any] = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    return actions


def _with_today(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--today", metavar="D", help="按此日期计算（默认今天）")
    return p


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    warn = _group(sub, common, "warn", "信访预警单：筛查、发出、签收、书面说明（R-WS）")
    p = _with_today(warn.add_parser("scan", parents=[common], help="筛查符合预警条件的事项（附依据），记录到期变化"))
    add_summary_args(p)
    p.add_argument("--full", action="store_true", help="先重建预警条件索引（修复；百万件需数秒）")
    p.set_defaults(handler=_scan)
    p = _with_today(warn.add_parser("issue", parents=[common], help="对一件事项发出编号的信访预警单"))
    p.add_argument("number", metavar="NUMBER", help="信访事项编号")
    p.add_argument("--reason", metavar="TEXT", help="未达到上访次数条件时，写明其他可能引发异常上访的风险")
    p.add_argument("--unit", metavar="NAME", help="被预警的属地或相关单位（默认：事项的责任单位）")
    p.add_argument("--leader", metavar="TEXT", help="单位领导（默认：登记的正职领导）")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf", help="预警单文件格式（默认 pdf）")
    p.set_defaults(handler=_issue)
    p = _with_today(warn.add_parser("list", parents=[common], help="预警单及被预警单位应作的书面说明"))
    p.set_defaults(handler=_list)
    p = _with_today(warn.add_parser("explain", parents=[common], help="登记被预警单位的书面说明（最早一项待说明）"))
    p.add_argument("slip", metavar="SLIP_NO", help="预警单编号")
    p.add_argument("--date", metavar="D", required=True, help="收到书面说明的日期")
    p.set_defaults(handler=_explain)
    p = _with_today(
        warn.add_parser("notify", parents=[common], help="对尚未通知的待说明事项发出书面说明通知（R-WS-03/04）")
    )
    p.add_argument("slip", metavar="SLIP_NO", help="预警单编号")
    p.set_defaults(handler=_notify)
    p = _with_today(warn.add_parser("receipt", parents=[common], help="登记预警单签收"))
    p.add_argument("slip", metavar="SLIP_NO", help="预警单编号")
    p.add_argument("--date", metavar="D", required=True, help="签收日期")
    p.set_defaults(handler=_receipt)

    backlog = _group(sub, common, "backlog", "积案台账：化解目标、交办批次（R-CL-05、R-BK-03）")
    p = _with_today(backlog.add_parser("list", parents=[common], help="积案台账、化解目标与各批次进度"))
    p.set_defaults(handler=_backlog_list)
    p = _with_today(backlog.add_parser("classify", parents=[common], help="登记积案的交办来源和批次"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--origin", required=True, metavar="LABEL", help="国家信访局交办/省级交办/市级交办/本级积案")
    p.add_argument("--batch", metavar="NAME", help="交办批次")
    p.add_argument("--handed-down", metavar="D", help="交办日期")
    p.set_defaults(handler=_backlog_classify)

    inquiry = _group(sub, common, "inquiry", "新增积案“一事双查”（R-BK-01）")
    p = _with_today(inquiry.add_parser("create", parents=[common], help="为积案建立一事双查"))
    p.add_argument("number", metavar="NUMBER")
    p.set_defaults(handler=_inquiry_create)
    p = _with_today(inquiry.add_parser("record", parents=[common], help="登记处理情况或追责情况"))
    p.add_argument("number", metavar="NUMBER")
    part = p.add_mutually_exclusive_group(required=True)
    part.add_argument("--handling", dest="part", action="store_const", const="handling", help="查信访事项处理情况")
    part.add_argument(
        "--accountability", dest="part", action="store_const", const="accountability", help="查责任追究情况"
    )
    p.add_argument("--date", metavar="D", help="核查日期（默认今天）")
    p.add_argument("--first-unit", metavar="NAME", help="首办单位")
    p.add_argument("--handler", dest="handler_name", metavar="NAME", help="经办人")
    p.add_argument("--findings", metavar="TEXT", help="存在问题")
    p.add_argument("--pursued", metavar="是/否", help="是否追究责任")
    p.add_argument("--outcome", metavar="TEXT", help="追责结果，或不追责的理由")
    p.set_defaults(handler=_inquiry_record)
    p = _with_today(inquiry.add_parser("show", parents=[common], help="查看（打印）一事双查记录"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--pdf", metavar="FILE", help="出具编号的一事双查报告（PDF，存档）并复制到此文件")
    p.set_defaults(handler=_inquiry_show)

    review = _group(sub, common, "review", "三方会审（R-BK-02）")
    p = _with_today(review.add_parser("list", parents=[common], help="三方会审及期限"))
    p.add_argument("--open", action="store_true", help="只列尚未会审的")
    p.set_defaults(handler=_review_list)
    p = _with_today(
        review.add_parser("create", parents=[common], help="为进京非正常、进京集体或50人以上赴省上访建立三方会审")
    )
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--seq", type=int, metavar="N", help="第几次信访（默认：最近一次符合条件的上访）")
    p.set_defaults(handler=_review_create)
    p = _with_today(
        review.add_parser("record", parents=[common], help="登记会审情况、参加人员、录音录像、报送市联席办")
    )
    p.add_argument("id", metavar="ID", help="三方会审编号")
    p.add_argument("--held-on", metavar="D", help="会审日期")
    p.add_argument(
        "--participant", action="append", metavar="ROLE:NAME", help="参加人员：领导/事权单位/专家:姓名（可重复）"
    )
    p.add_argument("--met-petitioner", action="store_true", help="已与信访人面对面交流")
    p.add_argument("--notes", metavar="TEXT", help="会审情况")
    p.add_argument("--city-copy", metavar="D", help="材料报送市信访工作联席会议办公室的日期")
    p.add_argument("--file", action="append", metavar="PATH", help="录音录像或其他材料（可重复，按 SHA-256 保存）")
    p.add_argument("--kind", choices=("audio", "video", "other"), help="文件类别（默认按文件类型判断）")
    p.set_defaults(handler=_review_record)
    p = _with_today(review.add_parser("show", parents=[common], help="查看（打印）三方会审记录和卷宗封面"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--pdf", metavar="FILE", help="出具编号的三方会审记录（PDF，存档）并复制到此文件")
    p.add_argument("--cover", metavar="FILE", help="出具编号的三方会审卷宗封面（PDF，存档）并复制到此文件")
    p.set_defaults(handler=_review_show)
