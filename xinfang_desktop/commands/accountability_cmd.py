"""`xinfang grounds list` and `xinfang accountability …`: the grounds catalogue, candidates found in the ledger,
accountability cases with their persons and ladder, referral with the 建议书, feedback, the 通报 (R-AC-01…05)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg


def _date(ctx: Context, name: str = "date", label: str = "日期") -> Any:
    value = getattr(ctx.args, name, None)
    return parse_date_arg(value, label) if value else today_arg(ctx)


def _target(text: str | None) -> Path | None:
    if not text:
        return None
    path = Path(text)
    if path.suffix.lower() not in (".pdf", ".docx"):
        raise UsageError(f"输出文件应以 .pdf 或 .docx 结尾：{text}", field="output")
    if not path.parent.exists():
        raise UsageError(f"输出目录不存在：{path.parent}", field="output")
    return path


# --- grounds ------------------------------------------------------------------------------------------------------


def _grounds_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.catalogue import grounds_of
    from xinfang_desktop.persistence.rule_profile_store import load_profile, selected_profile

    profile = load_profile(ctx.args.profile) if ctx.args.profile else selected_profile(ctx.database())
    catalogue = grounds_of(profile)
    data = {**catalogue.to_json(), "profile_name": profile.name}
    lines = [f"{profile.name}：追责情形 {len(catalogue.grounds)} 项"]
    lines += [f"  {g.code:8} {g.citation()}  {g.text}" for g in catalogue.grounds.values()]
    return Result(data, "\n".join(lines))


# --- candidates ---------------------------------------------------------------------------------------------------


def _candidates(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.detection import detect_candidates
    from xinfang_desktop.persistence.accountability.store import list_candidates

    db = ctx.database()
    a = ctx.args
    if a.limit < 1 or a.limit > 100000:
        raise UsageError("--limit 应为 1–100000", field="limit")
    detected = detect_candidates(db, today=today_arg(ctx)) if not a.no_detect else None
    data = list_candidates(db, status=None if a.status == "all" else a.status, kind=a.kind, limit=a.limit)
    data["detected"] = detected
    lines = [f"追责线索 {data['total']} 条" + (f"（本次新发现 {detected['added']} 条）" if detected else "")]
    lines += [f"  {k['label']}：{k['count']}" for k in data["by_kind"] if k["count"]]
    lines += [f"[{c['id']}] {c['kind_label']}｜{c['summary']}" for c in data["rows"][:50]]
    return Result(data, "\n".join(lines))


def _dismiss(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import dismiss_candidate

    data = dismiss_candidate(ctx.database(), ctx.args.candidate, reason=ctx.args.reason, today=today_arg(ctx))
    return Result(data, f"追责线索 {data['id']} 已排除：{data['decision_reason']}")


# --- accountability cases -----------------------------------------------------------------------------------------


def _show_text(d: dict[str, Any]) -> str:
    lines = [
        f"追责事项 {d['number']}  {d['status_label']}  被追责单位：{d['subject_unit']}  情节：{d['severity_label']}",
        "依据：" + "；".join(f"{g['code']} {g['citation']}" for g in d["grounds"]),
    ]
    if d["cases"]:
        lines.append("信访事项：" + "、".join(c["number"] for c in d["cases"]))
    for p in d["persons"]:
        steps = " → ".join(
            f"{s['measure_label']}（{s['decided_on']}"
            + (f"，整改至{s['rectify_by']}" if s["rectify_by"] else "")
            + "）"
            for s in p["steps"]
        )
        nxt = f"；建议：{p['next']['reason']}" if p["next"] else ""
        lines.append(
            f"  [{p['id']}] {p['name']} {p['post']}（{p['responsibility_label']}）{steps or '尚未确定追责方式'}{nxt}"
        )
    ref = d["referral"]
    if ref["on"]:
        fd = ref["feedback_deadline"]
        lines.append(f"移送：{ref['on']} → {ref['to']}；书面反馈期限 {fd['due']}（{fd['label']}）")
    if d["honours_lost"]:
        lines.append(
            f"已取消{d['subject_unit']}本年度评选综合性荣誉称号资格（{'、'.join(d['honours_lost_because'])}受到诫勉）"
        )
    return "\n".join(lines)


def _open(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import open_accountability

    a = ctx.args
    if not a.candidate and not a.case:
        raise UsageError("须指定 --candidate ID 或 --case NUMBER（可重复）", field="candidate")
    data = open_accountability(
        ctx.database(),
        today=today_arg(ctx),
        grounds=a.ground or [],
        candidate_ids=a.candidate or [],
        case_numbers=a.case or [],
        facts=a.facts,
        severity=a.severity,
        unit=a.unit,
        profile=a.profile,
    )
    return Result(data, _show_text(data))


def _set(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import AccountabilityChange, change_accountability

    a = ctx.args
    change = AccountabilityChange(
        facts=a.facts,
        severity=a.severity,
        organ_measure=a.organ_measure,
        add_grounds=tuple(a.add_ground or ()),
        remove_grounds=tuple(a.remove_ground or ()),
        add_cases=tuple(a.add_case or ()),
        copy_to=tuple(a.copy_to) if a.copy_to is not None else None,
    )
    data = change_accountability(ctx.database(), a.number, change, today=today_arg(ctx))
    return Result(data, _show_text(data))


def _person_add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import PersonInput, add_person

    a = ctx.args
    person = PersonInput(
        name=a.name,
        post=a.post,
        unit=a.unit,
        authority=a.authority,
        responsibility=a.responsibility,
        role=a.role,
        objection=a.objection,
        exemption=a.exemption,
        leader=a.leader,
    )
    data = add_person(ctx.database(), a.number, person, today=today_arg(ctx))
    return Result(data, _show_text(data))


def _step(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import StepInput, take_step

    a = ctx.args
    step = StepInput(
        measure=a.measure,
        decided_on=_date(ctx, "date", "决定日期"),
        rectify_by=parse_date_arg(a.rectify_by, "整改期限（--rectify-by）") if a.rectify_by else None,
        rectify_days=a.rectify_days,
        reason=a.reason,
    )
    data = take_step(ctx.database(), a.number, a.person, step, today=today_arg(ctx))
    return Result(data, _show_text(data))


def _rectified(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import record_rectified

    a = ctx.args
    data = record_rectified(ctx.database(), a.number, a.person, on=_date(ctx), today=today_arg(ctx))
    return Result(data, _show_text(data))


def _copy(data: dict[str, Any], target: Path | None) -> None:
    if target is not None:  # the plain content (decrypted when the archive is encrypted, issue 17)
        from xinfang_desktop.persistence.encryption import copy_plain

        copy_plain(Path(data["document"]["stored_path"]), target)
        data["document"]["copied_to"] = str(target)


def _refer(ctx: Context) -> Result:
    from xinfang_desktop.documents.accountability_documents import refer

    a = ctx.args
    target = _target(a.output)
    fmt = a.format or (target.suffix.lower().lstrip(".") if target else "pdf")
    data = refer(
        ctx.database(),
        a.number,
        to_organ=a.to,
        on=_date(ctx, "date", "移送日期"),
        today=today_arg(ctx),
        feedback_days=a.feedback_days,
        materials=tuple(a.material or ()),
        copy_to=tuple(a.copy_to) if a.copy_to is not None else None,
        fmt=fmt,
    )
    _copy(data, target)
    doc = data["document"]
    text = _show_text(data) + f"\n责任追究建议书 {doc['number']}：{doc.get('copied_to') or doc['stored_path']}"
    return Result(data, text)


def _urge(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import urge_feedback

    data = urge_feedback(ctx.database(), ctx.args.number, on=_date(ctx, "date", "催办日期"), today=today_arg(ctx))
    return Result(data, _show_text(data) + f"\n已催办 {data['referral']['urge_count']} 次")


def _outcomes(items: list[str] | None) -> list[Any]:
    from xinfang_desktop.persistence.accountability.store import Outcome

    out = []
    for item in items or []:
        person, sep, measure = item.partition("=")
        if not sep or not person.strip().isdigit() or not measure.strip():
            raise UsageError(f"--person 应为 责任人编号=处理结果（如 3=诫勉），而不是“{item}”", field="person")
        out.append(Outcome(int(person), measure.strip()))
    return out


def _feedback(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import record_feedback

    a = ctx.args
    data = record_feedback(
        ctx.database(),
        a.number,
        on=_date(ctx, "date", "反馈日期"),
        outcome=a.outcome,
        document=a.document,
        outcomes=_outcomes(a.person),
        today=today_arg(ctx),
    )
    return Result(data, _show_text(data))


def _report(ctx: Context) -> Result:
    from xinfang_desktop.documents.accountability_documents import report

    a = ctx.args
    target = _target(a.output)
    fmt = target.suffix.lower().lstrip(".") if target else "pdf"
    data = report(ctx.database(), a.number, to=a.to, on=_date(ctx, "date", "通报日期"), today=today_arg(ctx), fmt=fmt)
    _copy(data, target)
    doc = data["document"]
    return Result(
        data, _show_text(data) + f"\n追责情况通报 {doc['number']}：{doc.get('copied_to') or doc['stored_path']}"
    )


def _show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import show_accountability

    data = show_accountability(ctx.database(), ctx.args.number, today=today_arg(ctx))
    return Result(data, _show_text(data))


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.store import list_accountabilities

    a = ctx.args
    if a.year is not None and not 2000 <= a.year <= 2199:
        raise UsageError(f"年度应为 2000–2199，而不是 {a.year}", field="year")
    data = list_accountabilities(ctx.database(), today=today_arg(ctx), year=a.year, overdue=a.overdue)
    lines = [f"追责事项 {data['total']} 件"]
    for r in data["rows"]:
        late = "（整改逾期：" + "、".join(r["rectification_overdue"]) + "）" if r["rectification_overdue"] else ""
        late += "（反馈逾期）" if r["feedback_overdue"] else ""
        lines.append(f"  {r['number']}  {r['status_label']}  {r['subject_unit']}  {'、'.join(r['grounds'])}{late}")
    return Result(data, "\n".join(lines))


def _history(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.queries import history

    a = ctx.args
    if not a.person and not a.unit:
        raise UsageError("须指定 --person NAME 或 --unit NAME", field="person")
    data = history(ctx.database(), person=a.person, unit=a.unit)
    lines = [f"{a.person or a.unit}：追责记录 {data['total']} 条"]
    lines += [
        f"  {r['year']} {r['accountability']} {r['name']}（{r['responsibility']}）{' → '.join(r['measures'])}"
        for r in data["rows"]
    ]
    return Result(data, "\n".join(lines))


def _honours(ctx: Context) -> Result:
    from xinfang_desktop.persistence.accountability.queries import honours_lost

    year = ctx.args.year or today_arg(ctx).year
    data = honours_lost(ctx.database(), year)
    lines = [f"{year}年取消评选综合性荣誉称号资格的单位 {data['total']} 个"]
    lines += [f"  {r['unit']}：{r['reason']}" for r in data["rows"]]
    return Result(data, "\n".join(lines))


def _today(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--today", metavar="D", help="按此日期计算（默认今天）")
    return p


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    g = sub.add_parser("grounds", help="追责情形目录（R-AC-01）").add_subparsers(dest="grounds_cmd", metavar="ACTION")
    p = g.add_parser("list", parents=[common], help="规则配置选用的追责情形（条、项及原文）")
    p.add_argument("--profile", metavar="P", help="规则配置（默认：设置中选用的）")
    p.set_defaults(handler=_grounds_list)

    acc = sub.add_parser("accountability", help="责任追究：追责线索、追责事项、责任人、移送与反馈")
    a = acc.add_subparsers(dest="accountability_cmd", metavar="ACTION")

    p = _today(a.add_parser("candidates", parents=[common], help="从台账发现的追责线索（先按 --today 检测新线索）"))
    p.add_argument(
        "--status", default="open", choices=("open", "dismissed", "opened", "all"), help="默认 open（待研判）"
    )
    p.add_argument("--kind", metavar="K", help="线索类型")
    p.add_argument("--limit", type=int, default=500, metavar="N")
    p.add_argument("--no-detect", action="store_true", help="只列出已记录的线索，不检测")
    p.set_defaults(handler=_candidates)

    p = _today(a.add_parser("dismiss", parents=[common], help="排除一条追责线索（须写明理由）"))
    p.add_argument("candidate", type=int, metavar="CANDIDATE_ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(handler=_dismiss)

    p = _today(a.add_parser("open", parents=[common], help="由线索或信访事项立追责事项"))
    p.add_argument("--candidate", type=int, action="append", metavar="ID", help="追责线索编号（可重复）")
    p.add_argument("--case", action="append", metavar="NUMBER", help="信访事项编号（可重复）")
    p.add_argument(
        "--ground", action="append", metavar="CODE", help="追责情形编号，如 BF11-2（可重复，见 grounds list）"
    )
    p.add_argument("--facts", metavar="TEXT", help="基本事实（默认取线索的证据）")
    p.add_argument(
        "--severity", default="minor", metavar="S", help="情节：较轻 minor / 严重 serious / 特别严重 very_serious"
    )
    p.add_argument("--unit", metavar="NAME", help="被追责单位（默认取线索或事项的责任单位）")
    p.add_argument("--profile", metavar="P", help="规则配置（默认：设置中选用的）")
    p.set_defaults(handler=_open)

    p = _today(a.add_parser("set", parents=[common], help="修改追责事项的事实、情节、依据、关联事项、抄送"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--facts", metavar="TEXT")
    p.add_argument("--severity", metavar="S")
    p.add_argument("--organ-measure", metavar="M", help="对单位：责令书面检查 / 通报批评（空字符串取消）")
    p.add_argument("--add-ground", action="append", metavar="CODE")
    p.add_argument("--remove-ground", action="append", metavar="CODE")
    p.add_argument("--add-case", action="append", metavar="NUMBER")
    p.add_argument("--copy-to", action="append", metavar="ORGAN", help="抄送机关（可重复）")
    p.set_defaults(handler=_set)

    person = a.add_parser("person", help="责任人").add_subparsers(dest="person_cmd", metavar="ACTION")
    p = _today(person.add_parser("add", parents=[common], help="登记一名责任人及其责任类型（R-AC-04）"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--name", required=True, metavar="N")
    p.add_argument("--post", required=True, metavar="P")
    p.add_argument("--unit", required=True, metavar="U")
    p.add_argument("--authority", required=True, metavar="ORGAN", help="有干部管理权限的机关")
    p.add_argument(
        "--responsibility", required=True, metavar="R", help="主要领导责任/重要领导责任/直接责任/领导责任/不承担责任"
    )
    p.add_argument(
        "--role",
        metavar="ROLE",
        help="领导班子主要负责人/直接主管的负责人/参与决策和工作的班子其他成员/具体负责的工作人员",
    )
    p.add_argument("--objection", action="store_true", help="对错误决策提出过明确反对意见（免责）")
    p.add_argument("--exemption", metavar="TEXT", help="尽职免责的理由")
    p.add_argument("--leader", metavar="NAME", help="对应的已登记领导（记入实绩档案）")
    p.set_defaults(handler=_person_add)

    p = _today(a.add_parser("step", parents=[common], help="对责任人采取一级追责方式（R-AC-03）"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("person", type=int, metavar="PERSON_ID")
    p.add_argument(
        "--measure", required=True, metavar="M", help="通报/诫勉/停职检查/调整职务/责令辞职/降职/免职/纪律处分"
    )
    p.add_argument("--rectify-by", metavar="D", help="整改期限（日期；遇节假日顺延）")
    p.add_argument("--rectify-days", type=int, metavar="N", help="整改期限（自决定之次日起的天数）")
    p.add_argument("--date", metavar="D", help="决定日期（默认今天）")
    p.add_argument("--reason", metavar="TEXT", help="从重理由或处分理由")
    p.set_defaults(handler=_step)

    p = _today(a.add_parser("rectified", parents=[common], help="登记责任人完成整改"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("person", type=int, metavar="PERSON_ID")
    p.add_argument("--date", metavar="D")
    p.set_defaults(handler=_rectified)

    p = _today(a.add_parser("refer", parents=[common], help="移送有管理权限的机关并生成责任追究建议书"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--to", required=True, metavar="ORGAN")
    p.add_argument("--date", metavar="D", help="移送日期（默认今天）")
    p.add_argument("--feedback-days", type=int, metavar="N", help="书面反馈期限天数（默认30日）")
    p.add_argument("--material", action="append", metavar="TEXT", help="移送材料（可重复）")
    p.add_argument("--copy-to", action="append", metavar="ORGAN", help="抄送机关（可重复）")
    p.add_argument("--format", choices=("pdf", "docx"))
    p.add_argument("-o", "--output", metavar="FILE", help="另存一份到此文件")
    p.set_defaults(handler=_refer)

    p = _today(a.add_parser("urge", parents=[common], help="反馈逾期：催办"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--date", metavar="D")
    p.set_defaults(handler=_urge)

    p = _today(a.add_parser("feedback", parents=[common], help="登记有管理权限机关的书面反馈及每人的处理结果"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--date", metavar="D")
    p.add_argument("--outcome", required=True, metavar="TEXT")
    p.add_argument("--document", metavar="NO", help="反馈文号")
    p.add_argument("--person", action="append", metavar="ID=MEASURE", help="责任人的处理结果，如 3=诫勉（可重复）")
    p.set_defaults(handler=_feedback)

    p = _today(a.add_parser("report", parents=[common], help="向组织人事部门通报追责情况（生成通报）"))
    p.add_argument("number", metavar="ACC_NO")
    p.add_argument("--to", required=True, metavar="ORGAN")
    p.add_argument("--date", metavar="D")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(handler=_report)

    p = _today(a.add_parser("show", parents=[common], help="追责事项的全部情况"))
    p.add_argument("number", metavar="ACC_NO")
    p.set_defaults(handler=_show)

    p = _today(a.add_parser("list", parents=[common], help="追责事项列表"))
    p.add_argument("--year", type=int, metavar="Y")
    p.add_argument("--overdue", action="store_true", help="只列整改或反馈逾期的")
    p.set_defaults(handler=_list)

    p = a.add_parser("history", parents=[common], help="某人或某单位历年的追责记录")
    p.add_argument("--person", metavar="NAME")
    p.add_argument("--unit", metavar="NAME")
    p.set_defaults(handler=_history)

    p = _today(a.add_parser("honours", parents=[common], help="本年度被取消评选综合性荣誉称号资格的单位"))
    p.add_argument("--year", type=int, metavar="Y")
    p.set_defaults(handler=_honours)
