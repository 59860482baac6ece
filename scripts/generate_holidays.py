"""Generate resources/calendar/holidays.json from the `chinese-calendar` package (R-TM-01, R-TM-05).

The running application reads only the JSON file; the package is a build/test dependency. Run it again after
upgrading `chinese-calendar` (a new year's State Council notice), then run the tests, which cross-check the
file against the package for every year both know:

    .venv/bin/python scripts/generate_holidays.py            # writes resources/calendar/holidays.json
    .venv/bin/python scripts/generate_holidays.py --check    # exit 1 when the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "resources" / "calendar" / "holidays.json"


def build() -> dict[str, object]:
    import chinese_calendar
    from chinese_calendar import constants

    holidays: dict[int, list[date]] = defaultdict(list)
    makeups: dict[int, list[date]] = defaultdict(list)
    for d in constants.holidays:
        holidays[d.year].append(d)
    for d in constants.workdays:
        makeups[d.year].append(d)
    version = getattr(chinese_calendar, "__version__", "?")
    years = []
    for year in sorted(holidays):
        years.append(
            {
                "year": year,
                "holidays": [d.isoformat() for d in sorted(holidays[year])],
                "makeup_workdays": [d.isoformat() for d in sorted(makeups.get(year, []))],
                "source": f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinese-calendar {version} 整理）",
            }
        )
    return {
        "format": 1,
        "description": "法定节假日与调休上班日（R-TM-01）。由 scripts/generate_holidays.py 生成，请勿手工编辑；"
        "新年份请用 xinfang calendar import 导入。",
        "generator": f"chinese-calendar {version}",
        "years": years,
    }


def render() -> str:
    """Readable and diff-friendly: one line per list, one block per year."""
    data = build()
    head = {k: v for k, v in data.items() if k != "years"}
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append('  "years": [')
    blocks = []
    for year in data["years"]:  # type: ignore[attr-defined]
        fields = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in year.items()]
        blocks.append("   {\n" + ",\n".join(fields) + "\n   }")
    lines.append(",\n".join(blocks))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the file differs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/generate_holidays.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
