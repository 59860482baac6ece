"""`xinfang demo --cases N [--seed S] [--today D]` and `xinfang reference seed [--no-example]`.

`demo --json` prints ``{"cases": N, "petitioners": …, "submissions": …, "seconds": …, "database": …}`` plus the
other row counts; without --json it reports progress on standard error.
`reference seed --json` prints how many categories, regions and units were added (0 when already there).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg

MAX_DEMO_CASES = 5_000_000


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="生成演示数据（合成的信访事项）",
        description="生成逼真的合成演示数据：信访人、事项、信访件、事件和期限；同一种子得到相同数据",
    )
    demo.add_argument("--cases", required=True, metavar="N", help=f"事项数量（1–{MAX_DEMO_CASES:,}）")
    demo.add_argument("--seed", default="1", metavar="S", help="随机种子（整数，默认 1）")
    demo.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="数据截止日期（默认今天）")
    demo.set_defaults(handler=_demo)

    reference = subparsers.add_parser("reference", help="参考数据（内容分类、示例县）", description="参考数据")
    actions = reference.add_subparsers(dest="reference_action", metavar="ACTION", required=True)
    seed = actions.add_parser(
        "seed",
        parents=[common],
        help="载入内容分类和示例县（只补充缺少的条目，不覆盖已修改的数据）",
        description="载入 resources/reference/ 中的内容分类和示例县的区划、单位；重复运行不会重复插入",
    )
    seed.add_argument("--no-example", action="store_true", help="不载入示例县（只载入内容分类）")
    seed.set_defaults(handler=_reference_seed)


def _int_arg(text: str, label: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise UsageError(f"{label}必须是整数：“{text}”", field=label) from None


def _demo(ctx: Context) -> Result:
    from xinfang_desktop.persistence.demo_data import generate_demo

    cases = _int_arg(ctx.args.cases, "--cases")
    if not 1 <= cases <= MAX_DEMO_CASES:
        raise UsageError(f"--cases 必须在 1 到 {MAX_DEMO_CASES:,} 之间，收到 {cases}", field="--cases")
    seed = _int_arg(ctx.args.seed, "--seed")
    today = parse_date_arg(ctx.args.today, "--today") if ctx.args.today else date.today()
    if today > date.today():
        raise UsageError(f"--today 不能晚于今天：{today.isoformat()}", field="--today")
    quiet = bool(getattr(ctx.args, "json", False))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        sys.stderr.write(f"\r已生成 {done:,}/{total:,} 件（{elapsed:.0f} 秒）")
        sys.stderr.flush()

    db = ctx.database()
    counts = generate_demo(db, cases, seed, today=today, progress=None if quiet else progress)
    if not quiet:
        sys.stderr.write("\n")
    seconds = round(time.perf_counter() - started, 2)
    data: dict[str, Any] = {
        "cases": counts["cases"],
        "petitioners": counts["petitioners"],
        "submissions": counts["submissions"],
        "case_petitioners": counts["case_petitioners"],
        "events": counts["events"],
        "deadlines": counts["deadlines"],
        "accused_units": counts["accused_units"],
        "reference": counts["reference"],
        "first_case_id": counts["first_case_id"],
        "last_case_id": counts["last_case_id"],
        "seed": seed,
        "today": today.isoformat(),
        "seconds": seconds,
        "database": db.display_name,
    }
    rate = counts["cases"] / seconds if seconds > 0 else 0.0
    text = (
        f"已生成演示数据：事项 {counts['cases']:,} 件，信访人 {counts['petitioners']:,} 人，"
        f"信访件 {counts['submissions']:,} 件，用时 {seconds:.1f} 秒（{rate:,.0f} 件/秒）\n数据库：{db.display_name}"
    )
    return Result(data, text)


def _reference_seed(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = ctx.database()
    added = seed_reference_data(db, example_county=not ctx.args.no_example)
    data = {**added, "database": db.display_name}
    text = (
        f"参考数据已载入：新增内容分类 {added['categories']} 条，区划 {added['regions']} 个，"
        f"单位 {added['units']} 个（已有条目保持不变）\n数据库：{db.display_name}"
    )
    return Result(data, text)
