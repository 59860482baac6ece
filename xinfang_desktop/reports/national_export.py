"""Cases in the national 信访信息系统 sheet layout (the province export's column headers, mission anchors §2.3).

信访件编号 is the national system's number of the case's first submission when the case came from it (an import of
its export sheet, issue 15), so the receiver recognises its own record; else the case number. One row per case
received in the period, streamed (openpyxl write-only) so a year of a large county stays in little
memory. Values in the system's words: 信访形式 (电话 → 电话信访), 是/否 flags, 内容分类 levels joined by “_”, 问题属地
and 登记部门 paths joined by “/”.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select

from xinfang_desktop.core.codes import CaseStatus, Channel, Purpose
from xinfang_desktop.core.masking import mask_phone
from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import (
    CasePetitionerRecord,
    CaseRecord,
    CategoryRecord,
    PetitionerRecord,
    RegionRecord,
    SubmissionRecord,
    UserRecord,
)
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.reports.report_xlsx import save_workbook
from xinfang_desktop.reports.xlsx_cells import safe_value

HEADERS: tuple[str, ...] = (
    "信访件编号",
    "姓名",
    "信访人数",
    "住址",
    "手机号码",
    "问题属地",
    "信访目的",
    "内容分类",
    "信访日期",
    "登记日期",
    "限办时间",
    "信访形式",
    "概况",
    "是否办结",
    "是否全国初次信访",
    "联名信或集体访",
    "信访件状态",
    "登记部门",
    "登记人",
)
_CHANNEL = {Channel.PHONE.value: "电话信访"}
_CLOSED = {CaseStatus.CLOSED.value}
_WIDTHS = (16, 10, 8, 30, 14, 30, 10, 30, 12, 12, 12, 10, 60, 8, 10, 10, 16, 20, 10)
BATCH = 2000


def _label(enum: Any, value: str) -> str:
    for member in enum:
        if member.value == value:
            return str(member.label)
    return value


def name_paths(session: Any, model: Any, key: Any, parent: Any, name: Any) -> dict[str, list[str]]:
    """code → the names from the top of a hierarchical code table down to it (a region's 县/乡/村, a category's
    levels): the national sheet joins them; the exchange package uses them too."""
    rows = {str(k): (p, str(n)) for k, p, n in session.execute(select(key, parent, name))}
    out: dict[str, list[str]] = {}
    for code in rows:
        chain: list[str] = []
        cur: str | None = code
        for _ in range(10):
            if cur is None or cur not in rows:
                break
            chain.append(rows[cur][1])
            cur = rows[cur][0]
        out[code] = list(reversed(chain))
    return out


def _rows(session: Any, start: date, end: date, *, reveal: bool = False) -> Iterator[list[Any]]:
    c, p, cp, s = CaseRecord, PetitionerRecord, CasePetitionerRecord, SubmissionRecord
    regions = name_paths(session, RegionRecord, RegionRecord.code, RegionRecord.parent_code, RegionRecord.name)
    categories = name_paths(
        session, CategoryRecord, CategoryRecord.code, CategoryRecord.parent_code, CategoryRecord.name
    )
    users = dict(session.execute(select(UserRecord.id, UserRecord.display_name)).all())
    office = str(SqlSettings(session).get("office_name") or "")
    stmt = (
        select(
            c.number,
            p.name,
            c.headcount,
            p.address,
            p.phone,
            c.locality_code,
            c.purpose,
            c.category_code,
            c.received_on,
            c.registered_at,
            c.due_on,
            c.channel,
            c.summary,
            c.status,
            c.is_first_submission,
            c.is_collective,
            c.registrar_id,
            s.external_number,
        )
        .select_from(c)
        .outerjoin(cp, and_(cp.case_id == c.id, cp.role == "principal"))
        .outerjoin(s, and_(s.case_id == c.id, s.seq == 1))
        .outerjoin(p, p.id == cp.petitioner_id)
        .where(c.received_on >= start, c.received_on <= end)
        .order_by(c.received_on, c.id)
        .execution_options(yield_per=BATCH)
    )
    scope = acting_scope_clause()
    if scope is not None:  # issue 17: a scoped user's export holds only the cases of their townships or units
        stmt = stmt.where(scope)
    for row in session.execute(stmt):
        (number, name, headcount, address, phone, locality, purpose, category, received, registered, due) = row[:11]
        channel, summary, status, first, collective, registrar, external = row[11:]
        yield [
            external or number,  # 信访件编号: the national system's own number of a case that came from it
            name or "",
            headcount,
            address or "",
            (phone if reveal else mask_phone(phone)) or "",
            "/".join(regions.get(locality, [])) if locality else "",
            _label(Purpose, purpose),
            "_".join(categories.get(category, [])) if category else "",
            received.isoformat(),
            registered.date().isoformat(),
            due.isoformat() if due else "",
            _CHANNEL.get(channel, _label(Channel, channel)),
            summary,
            "是" if status in _CLOSED else "否",
            "是" if first else "否",
            "是" if collective else "否",
            _label(CaseStatus, status),
            office,
            users.get(registrar, ""),
        ]


def export_national(
    db: Database,
    start: date,
    end: date,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    reveal: str | None = None,
) -> int:
    """Write the sheet; returns the number of cases. A cancel leaves no file behind. Phones are masked unless
    `reveal` gives the reason for a full export (personal.reveal; audited before the file is written, issue 17)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if reveal is not None:
        from xinfang_desktop.persistence.personal_data import audit_reveal

        audit_reveal(db, "export", f"national {start.isoformat()}..{end.isoformat()}", reveal, fields=["联系电话"])

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信访件")
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    ws.append(list(HEADERS))
    count = 0
    with db.read_session() as session:
        for values in _rows(session, start, end, reveal=reveal is not None):
            ws.append([safe_value(v) for v in values])
            count += 1
            if count % BATCH == 0:
                if progress is not None:
                    progress(count)
                if cancelled is not None and cancelled():
                    raise InterruptedError("已取消导出")
    save_workbook(wb, path)
    return count
