"""`xinfang deadline RULE_ID START_DATE`: a statutory deadline with its reason (R-TM-02…05, R-DL-01…13).

    xinfang deadline R-DL-06 2024-08-03 --json
    → {"rule", "due", "unit": "days|workdays", "provisional", "explanation", "start", "length", "citation", ...}

Options: --profile P (default: the office's choice in the settings), --length N (R-DL-05 交办 periods),
--extension N (R-DL-07), --pause A..B[:reason] (R-TM-04, repeatable), --today D (adds the state: 正常/临期/…).
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.commands.calendar_cmd import load_calendar
from xinfang_desktop.core.deadlines import Pause, compute_deadline, deadline_status
from xinfang_desktop.core.workdays import WEEKDAY_NAMES, check_date, cn_date

_PAUSE_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|至)\s*(\d{4}-\d{2}-\d{2})\s*(?:[:：]\s*(.+))?$")


def _int(text: str | None, label: str, field: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise UsageError(f"{label}格式错误：“{text}”，应为整数", field=field) from None


def _pause(text: str) -> Pause:
    m = _PAUSE_RE.match(text)
    if not m:
        raise UsageError(f"暂停期间格式错误：“{text}”，应为 YYYY-MM-DD..YYYY-MM-DD[:事由]", field="pause")
    start = check_date(parse_date_arg(m.group(1), "暂停开始日期"))
    end = check_date(parse_date_arg(m.group(2), "暂停结束日期"))
    return Pause(start, end, (m.group(3) or "听证").strip())


def cmd_deadline(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, selected_profile

    args = ctx.args
    start = check_date(parse_date_arg(args.start, "起始日期"), field="start")
    length = _int(args.length, "期限天数", "length")
    extension = _int(args.extension, "延期天数", "extension_days") or 0
    pauses = [_pause(p) for p in args.pause or []]
    today = check_date(parse_date_arg(args.today, "今天日期")) if args.today else None

    db = ctx.database()
    profile = selected_profile(db, args.profile)
    rule = profile.rule(args.rule)  # unknown rule → exit 2 before anything else
    calendar = load_calendar(ctx)
    deadline = compute_deadline(
        profile, rule.id, start, calendar, pauses=pauses, extension_days=extension, length=length
    )
    data: dict[str, Any] = {
        "rule": deadline.rule_id,
        "label": deadline.label,
        "profile": profile.id,
        "start": deadline.start_on.isoformat(),
        "start_event": deadline.start_event,
        "due": deadline.due_on.isoformat(),
        "unit": deadline.unit.value,
        "length": deadline.length,
        "provisional": deadline.provisional,
        "citation": deadline.citation,
        "explanation": deadline.explanation,
    }
    if extension:
        data["extension_days"] = extension
    if pauses:
        data["pauses"] = [p.to_json() for p in deadline.pauses]
    mark = "【暂估】" if deadline.provisional else ""
    lines = [
        f"{deadline.rule_id} {deadline.label}（{profile.name}）",
        f"期限：{deadline.unit.phrase(deadline.length)}，自{cn_date(start)}{deadline.start_event}之次日起计算",
        f"届满日：{mark}{cn_date(deadline.due_on)}（{WEEKDAY_NAMES[deadline.due_on.weekday()]}）",
        f"说明：{deadline.explanation}",
    ]
    if today is not None:
        t = deadline_thresholds(db)
        status = deadline_status(
            deadline,
            today,
            calendar,
            due_soon_workdays=t.due_soon_workdays,
            seriously_overdue_days=t.seriously_overdue_days,
        )
        data["status"] = {"today": today.isoformat(), **status.to_json()}
        lines.append(f"状态（截至{cn_date(today)}）：{status.label}")
    return Result(data, "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "deadline",
        help="计算法定期限（届满日及依据）",
        description="按规则配置计算期限：起始日不计入；以日计的期限届满日为节假日或休息日的，顺延至下一个工作日。",
        parents=[common],
    )
    p.add_argument("rule", metavar="RULE_ID", help="规则编号，如 R-DL-06")
    p.add_argument("start", metavar="START_DATE", help="起始事件发生日期 YYYY-MM-DD（不计入）")
    p.add_argument("--profile", metavar="P", help="规则配置（national、zhejiang …；默认取设置中的选择）")
    p.add_argument("--length", metavar="N", help="交办时确定的期限天数（仅 R-DL-05 等按件确定的期限）")
    p.add_argument("--extension", metavar="N", help="经批准延期的天数（R-DL-07，限一次）")
    p.add_argument(
        "--pause", metavar="A..B[:事由]", action="append", help="不计入期限的期间（如听证，R-TM-04），可重复"
    )
    p.add_argument("--today", metavar="DATE", help="给出截至该日的状态（正常/临期/今日到期/超期/严重超期）")
    p.set_defaults(handler=cmd_deadline)
