"""Seed 002's annex 《2018年度市领导包片督查信访积案表》 (S2, R-PK-05) as test data, and a ledger that matches it.

Transcribed from /work/shared/seeds/002_eb75a1470171fa6e.txt: 237 backlog cases over 14 rows, one row without a
named leader (市发改委), a role in place of a name (市委专职副书记), one leader over two units (林亮), and a note
row without a count (市人大常委会、市政协领导).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CaseRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.uow import ensure_user

YEAR = 2018
TITLE = "2018年度市领导包片督查信访积案表"
ANNEX_ROWS: list[tuple[str, str, int]] = [
    ("张  兵", "景宁县", 8),
    ("吴晓东", "缙云县", 44),
    ("市委专职副书记", "青田县", 38),
    ("卫中强", "遂昌县", 7),
    ("方  向", "龙泉市", 11),
    ("葛学斌", "云和县", 11),
    ("林  亮", "丽水开发区", 10),
    ("任淑女", "松阳县", 44),
    ("方健忠", "庆元县", 14),
    ("杜兴林", "莲都区", 35),
    ("林  亮", "市国土局", 7),
    ("", "市发改委", 1),
    ("林  康", "市建设局", 6),
    ("卢彩柳", "市卫生计生委", 1),
]
NOTE_ROW = ("市人大常委会、\n\n市政协领导", "负责城中村改造联系片区的信访问题督查。")
TOTAL = 237
JINGNING_REGION = "331127"  # 景宁县 is set up as a region (counted by locality), every other row as a unit


def write_annex_xlsx(path: Path, rows: list[tuple[str, str, int]] | None = None) -> Path:
    """The annex as an .xlsx in its printed shape: 附件 line, title, header, 14 rows, the note row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["附件"])
    ws.append([TITLE])
    ws.append(["督查领导", "联系单位", f"积案数(共{TOTAL}件)"])
    for leader, unit, count in rows if rows is not None else ANNEX_ROWS:
        ws.append([leader or None, unit, count])
    ws.append([NOTE_ROW[0], NOTE_ROW[1], None])
    ws.append([None, None, None])
    ws.append(["市信访局联系人：王峰139********，徐雄135********"])
    wb.save(path)
    return path


def setup_ledger(db: Database) -> dict[str, int]:
    """Units and regions for the contact units and exactly the annex's backlog in the ledger, plus cases that must
    not count (closed, not backlog, received after 2018). Returns unit ids by name."""
    now = datetime(2018, 3, 1, 9, 0)
    with db.write_session() as s:
        user = ensure_user(s, "tester", now)
        s.add(RegionRecord(code=JINGNING_REGION, name="景宁县", level="county", parent_code=None))
        s.add(
            RegionRecord(code=JINGNING_REGION + "101", name="鹤溪街道", level="township", parent_code=JINGNING_REGION)
        )
        s.flush()
        units: dict[str, int] = {}
        for _, name, _ in ANNEX_ROWS:
            if name != "景宁县" and name not in units:
                rec = UnitRecord(name=name, created_at=now)
                s.add(rec)
                s.flush()
                units[name] = rec.id
        child = UnitRecord(name="市国土局莲都分局", parent_id=units["市国土局"], created_at=now)
        s.add(child)
        s.flush()
        units[child.name] = child.id
        rows: list[dict[str, Any]] = []
        seq = 0

        def case(unit_id: int | None, locality: str | None, **kw: Any) -> None:
            nonlocal seq
            seq += 1
            received = kw.pop("received_on", date(2017, 5, 1 + seq % 28))
            rows.append(
                {
                    "number": f"XF{received.year}-{seq:06d}",
                    "year": received.year,
                    "received_on": received,
                    "registered_at": now,
                    "channel": "visit",
                    "purpose": "request",
                    "category_code": None,
                    "locality_code": locality,
                    "summary": f"积案 {seq}",
                    "status": kw.pop("status", "accepted"),
                    "responsible_unit_id": unit_id,
                    "headcount": 1,
                    "is_collective": False,
                    "is_repeat": True,
                    "is_level_skipping": False,
                    "is_first_submission": False,
                    "is_backlog": kw.pop("is_backlog", True),
                    "is_accusation": False,
                    "batches": 3,
                    "person_visits": 3,
                    "last_received_on": received,
                    "due_on": None,
                    "registrar_id": user,
                    "awaiting": None,
                    "handler_id": None,
                    "search_people": "",
                    "search_address": "",
                    "search_bigrams": "",
                    "version": 1,
                }
            )

        for _, name, count in ANNEX_ROWS:
            for i in range(count):
                if name == "景宁县":
                    case(None, JINGNING_REGION + "101")  # by locality
                elif name == "市国土局" and i < 2:
                    case(units["市国土局莲都分局"], None)  # a sub-unit counts for its parent
                else:
                    case(units[name], None)
        # Cases that must not count in the 2018 table.
        case(units["缙云县"], None, status="closed")
        case(units["缙云县"], None, is_backlog=False)
        case(units["青田县"], None, received_on=date(2019, 2, 1))
        s.execute(insert(CaseRecord), rows)
    return units
