"""`exchange pack`: the cases changed since the last package to the same receiver and the period's figures, signed
(and optionally encrypted) into one file — streamed in keyset pages of ids, with progress and a cancel that leaves
neither a file nor a database change behind.

Each case line carries the ledger's codes, its events (all of them: a package stands on its own) and `sheet`, the
19 columns of the national 信访信息系统 layout in `reports/national_export.py`'s words (the manifest's
`sheet_headers`). The figures are the period report of every grouping (`reports/period_report.py`), with the raw
counters the city sums.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop import __version__
from xinfang_desktop.core.codes import CaseStatus, Channel, Purpose
from xinfang_desktop.core.duties import Span
from xinfang_desktop.core.exchange import (
    CASES,
    FORMAT,
    FORMAT_VERSION,
    GROUPINGS,
    REPORTS,
    UNNAMED_RECEIVER,
    case_range,
    tallies_to_json,
)
from xinfang_desktop.core.period_stats import resolve_period
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.exchange import queries
from xinfang_desktop.persistence.exchange.store import Sent, record_sent
from xinfang_desktop.persistence.records import CategoryRecord, RegionRecord, UserRecord
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.reports import national_export
from xinfang_desktop.reports.exchange_keys import OfficeKey, PublicKey
from xinfang_desktop.reports.exchange_package import PackageWriter, encrypt_package, replace_into
from xinfang_desktop.reports.period_report import period_report, stored_caliber

Progress = Callable[[int, int], None]
REGION_SETTING = "office_region_code"  # read when an office sets it; else the region register's one county


@dataclass(frozen=True)
class PackResult:
    path: Path
    seq: int
    period: str
    cases: int
    events: int
    encrypted: bool
    receiver: str
    range_from: date
    range_to: date
    first: bool
    digest: str
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "seq": self.seq,
            "period": self.period,
            "cases": self.cases,
            "events": self.events,
            "encrypted": self.encrypted,
            "receiver_fingerprint": self.receiver or None,
            "range": {"from": self.range_from.isoformat(), "to": self.range_to.isoformat()},
            "first_to_receiver": self.first,
            "digest": self.digest,
        }


def office_identity(session: Session) -> tuple[str, str]:
    """(office name, region code): the settings, else the one county (or city) of the region register."""
    settings = SqlSettings(session)
    office = str(settings.get("office_name") or "")
    region = settings.get(REGION_SETTING)
    if isinstance(region, str) and region.strip():
        return office, region.strip()
    for level in ("county", "city"):
        codes = list(session.scalars(select(RegionRecord.code).where(RegionRecord.level == level).limit(2)))
        if len(codes) == 1:
            return office, str(codes[0])
    return office, ""


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class _Lookups:
    """The names national_export prints (region and category paths, registrars), read once per package."""

    def __init__(self, session: Session, office: str) -> None:
        self.regions = national_export.name_paths(
            session, RegionRecord, RegionRecord.code, RegionRecord.parent_code, RegionRecord.name
        )
        self.categories = national_export.name_paths(
            session, CategoryRecord, CategoryRecord.code, CategoryRecord.parent_code, CategoryRecord.name
        )
        self.users = dict(session.execute(select(UserRecord.id, UserRecord.display_name)).all())
        self.office = office
        self._labels: dict[tuple[str, str], str] = {}  # a few codes, 100k cases: each label looked up once

    def _label(self, kind: str, value: str) -> str:
        label = self._labels.get((kind, value))
        if label is None:
            ne = national_export
            if kind == "purpose":
                label = ne._label(Purpose, value)
            elif kind == "channel":
                label = ne._CHANNEL.get(value, ne._label(Channel, value))
            else:
                label = ne._label(CaseStatus, value)
            self._labels[(kind, value)] = label
        return label

    def sheet(self, row: dict[str, Any]) -> list[Any]:
        """The national sheet's 19 values, as `national_export` writes them."""
        ne = national_export
        locality, category, channel, status = row["locality_code"], row["category_code"], row["channel"], row["status"]
        return [
            row["number"],
            row["petitioner"] or "",
            row["headcount"],
            row["address"] or "",
            row["phone"] or "",
            "/".join(self.regions.get(locality, [])) if locality else "",
            self._label("purpose", row["purpose"]),
            "_".join(self.categories.get(category, [])) if category else "",
            row["received_on"].isoformat(),
            row["registered_at"].date().isoformat(),
            row["due_on"].isoformat() if row["due_on"] else "",
            self._label("channel", channel),
            row["summary"],
            "是" if status in ne._CLOSED else "否",
            "是" if row["is_first_submission"] else "否",
            "是" if row["is_collective"] else "否",
            self._label("status", status),
            self.office,
            self.users.get(row["registrar_id"], ""),
        ]


def _case_line(row: tuple[Any, ...], events: list[tuple[Any, ...]], lookups: _Lookups) -> bytes:
    data = dict(zip(queries.CASE_COLUMNS, row, strict=True))
    line = {
        "number": data["number"],
        "received_on": data["received_on"].isoformat(),
        "registered_at": data["registered_at"].isoformat(),
        "channel": data["channel"],
        "purpose": data["purpose"],
        "status": data["status"],
        "category_code": data["category_code"],
        "locality_code": data["locality_code"],
        "responsible_unit": data["responsible_unit"],
        "headcount": data["headcount"],
        "batches": data["batches"],
        "person_visits": data["person_visits"],
        "last_received_on": _iso(data["last_received_on"]),
        "due_on": _iso(data["due_on"]),
        "is_collective": bool(data["is_collective"]),
        "is_repeat": bool(data["is_repeat"]),
        "is_level_skipping": bool(data["is_level_skipping"]),
        "is_first_submission": bool(data["is_first_submission"]),
        "is_backlog": bool(data["is_backlog"]),
        "is_accusation": bool(data["is_accusation"]),
        "summary": data["summary"],
        "sheet": lookups.sheet(data),
        "events": [
            {
                "seq": seq,
                "action": action,
                "occurred_on": _iso(on),
                "recorded_at": _iso(at),
                "from_status": from_status,
                "to_status": to_status,
                "reason": reason,
                "document": document,
            }
            for seq, action, on, at, from_status, to_status, reason, document in events
        ],
    }
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _reports(db: Database, start: date, end: date) -> tuple[dict[str, Any], str]:
    caliber = stored_caliber(db)
    out: dict[str, Any] = {"caliber": caliber.value, "groupings": {}}
    for group_by in GROUPINGS:
        report = period_report(db, start, end, group_by, caliber)
        out["groupings"][group_by.value] = {"report": report.to_json(), "tallies": tallies_to_json(report.rows)}
        out.setdefault("collective_threshold", report.collective_threshold)
    return out, caliber.value


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise InterruptedError("已取消：未生成数据包，数据库未改动")


def pack(
    db: Database,
    period: Span,
    output: Path,
    key: OfficeKey,
    *,
    receiver: PublicKey | None = None,
    now: datetime | None = None,
    user: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PackResult:
    """Write the package for `period` to `output` and record it as sent (one transaction, with its audit entry).

    The file is built beside `output` under a temporary name and moved into place only when complete; a cancel or
    an error removes it and records nothing."""
    import time

    started = time.perf_counter()
    now = now or datetime.now().replace(microsecond=0)
    receiver_fp = receiver.fingerprint if receiver is not None else UNNAMED_RECEIVER
    caliber = stored_caliber(db)
    stat = resolve_period(period.start, period.end, caliber)
    work = tempfile.TemporaryDirectory(prefix=".xinfang-pack-", dir=output.parent)
    try:
        plain = Path(work.name) / "plain.zip"
        writer = PackageWriter(plain)
        try:
            with db.read_session() as session:
                office, region = office_identity(session)
                mark = queries.last_sent(session, receiver_fp)
                seq = queries.next_seq(session)
                start, end = case_range(stat.start, stat.end, mark.range_to if mark else None)
                clock = queries.event_clock(session)
                ids = queries.package_case_ids(session, start, end, mark.watermark if mark else None)
                lookups = _Lookups(session, office)
                total, events = len(ids), 0
                if progress is not None:
                    progress(0, total)
                with writer.member(CASES) as out:
                    done = 0
                    for page in queries.pages(ids):
                        _check(cancelled)
                        by_case = queries.event_rows(session, page)
                        lines = []
                        for row in queries.case_rows(session, page):
                            case_events = by_case.get(int(row[0]), [])
                            events += len(case_events)
                            lines.append(_case_line(row, case_events, lookups))
                        out.write(b"".join(lines))  # one write a page: the deflater is called per write
                        done += len(page)
                        if progress is not None:
                            progress(done, total)
            _check(cancelled)
            reports, caliber_value = _reports(db, stat.start, stat.end)
            with writer.member(REPORTS) as out:
                out.write(json.dumps({"period": period.to_json(), **reports}, ensure_ascii=False).encode("utf-8"))
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "office": office,
                "region_code": region,
                "sender_fingerprint": key.fingerprint,
                "sender_public_key": key.public_key,
                "receiver_fingerprint": receiver.fingerprint if receiver else None,
                "period": period.code,
                "period_label": period.label,
                "period_start": stat.start.isoformat(),
                "period_end": stat.end.isoformat(),
                "caliber": caliber_value,
                "seq": seq,
                "previous_seq": mark.seq if mark else None,
                "created_at": now.isoformat(),
                "range_from": start.isoformat(),
                "range_to": end.isoformat(),
                "changed_after_event": mark.watermark if mark else None,
                "cases": total,
                "events": events,
                "sheet_headers": list(national_export.HEADERS),
                "software": f"xinfang-desktop {__version__}",
            }
            _check(cancelled)
            digest = writer.finish(manifest, key)
        except BaseException:
            writer.abort()
            raise
        final = plain
        if receiver is not None:
            final = Path(work.name) / "sealed.zip"
            header = {
                "office": office,
                "region_code": region,
                "period": period.code,
                "seq": seq,
                "created_at": now.isoformat(),
            }
            encrypt_package(plain, final, key, receiver, header)
        _check(cancelled)
        replace_into(final, output)
        try:
            with unit_of_work(db, user=user, now=now) as uow:
                record_sent(uow, Sent(seq, receiver_fp, period.code, start, end, clock, total, digest, output.name))
                uow.commit()
        except BaseException:
            output.unlink(missing_ok=True)  # not recorded as sent: the file must not travel either
            raise
    finally:
        work.cleanup()
    return PackResult(
        output,
        seq,
        period.code,
        total,
        events,
        receiver is not None,
        receiver_fp,
        start,
        end,
        mark is None,
        digest,
        time.perf_counter() - started,
    )
