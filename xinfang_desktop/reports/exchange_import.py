"""`exchange verify` and `exchange import` (the receiving office): verify the signature against the trusted senders,
every member's SHA-256, then store the cases and figures in one transaction — or nothing at all.

Idempotent: a package already imported (same sender and number, same content) changes nothing and writes no audit
entry; a newer package replaces older copies of its cases and figures; an older one only fills what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.core.errors import ConflictError, DomainError
from xinfang_desktop.core.exchange import GROUPINGS, Manifest, check_case, format_fingerprint
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.exchange import queries
from xinfang_desktop.persistence.exchange.store import CaseCounts, CaseRow, record_received, store_cases, store_report
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.reports.exchange_keys import OfficeKey, PublicKey
from xinfang_desktop.reports.exchange_package import Opened, open_package, tampered
from xinfang_desktop.reports.exchange_summary import CityReport, build_city_report, city_report

Progress = Callable[[int, int], None]
BATCH = 2000


def _lookup(db: Database, own: OfficeKey | None) -> tuple[Callable[[str], PublicKey | None], dict[str, queries.Sender]]:
    with db.read_session() as session:
        known = {s.fingerprint: s for s in queries.senders(session)}

    def lookup(fp: str) -> PublicKey | None:
        if own is not None and fp == own.fingerprint:
            return own.public
        sender = known.get(fp)
        return None if sender is None else PublicKey(sender.public_key, sender.office, sender.region_code)

    return lookup, known


@contextmanager
def _opened(db: Database, path: Path, own: OfficeKey | None) -> Iterator[tuple[Opened, queries.Sender | None]]:
    lookup, known = _lookup(db, own)
    with open_package(path, lookup, own) as opened:
        yield opened, known.get(opened.signer.fingerprint)


def _signer_json(opened: Opened, sender: queries.Sender | None, own: OfficeKey | None) -> dict[str, Any]:
    is_own = own is not None and opened.signer.fingerprint == own.fingerprint
    return {
        "office": sender.office if sender else opened.signer.office,
        "region_code": sender.region_code if sender else opened.signer.region_code,
        "fingerprint": opened.signer.fingerprint,
        "fingerprint_text": format_fingerprint(opened.signer.fingerprint),
        "trusted": sender is not None,
        "own": is_own,
    }


def _manifest_json(m: Manifest) -> dict[str, Any]:
    data = m.to_json()
    data.pop("sender_public_key")
    return data


def verify(db: Database, path: Path, own: OfficeKey | None) -> dict[str, Any]:
    """What `exchange verify` reports; a TamperedError when anything fails."""
    with _opened(db, path, own) as (opened, sender):
        data: dict[str, Any] = {
            "path": str(path),
            "valid": True,
            "signature": "SM2-SM3",
            "signer": _signer_json(opened, sender, own),
            "encrypted": opened.encrypted,
            "contents_checked": opened.readable,
            "note": opened.note,
            "digest": opened.content_digest or opened.signature.digest,
        }
        if opened.manifest is not None:
            data["manifest"] = _manifest_json(opened.manifest)
            lines = sum(1 for _ in opened.case_lines())
            if lines != opened.manifest.cases:
                raise tampered(f"案件行数 {lines} 与清单所写 {opened.manifest.cases} 不符")
            _check_reports(opened)
        elif opened.envelope is not None:
            data["envelope"] = {
                k: opened.envelope.get(k) for k in ("office", "period", "seq", "created_at", "receiver_fingerprint")
            }
    return data


def _check_reports(opened: Opened) -> dict[str, Any]:
    """The figures, checked by summing them as the city will (any malformed part is refused now, not later)."""
    data = opened.reports()
    try:
        caliber = str(data["caliber"])
        if not isinstance(data.get("groupings"), dict) or set(data["groupings"]) != {g.value for g in GROUPINGS}:
            raise KeyError("groupings")
        received = [queries.ReceivedReport("", "", 1, caliber, json.dumps(data))]
        for group_by in GROUPINGS:
            build_city_report("", received, group_by, "")
    except DomainError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise tampered(f"统计数字的格式不符（{exc!r}）") from None
    return dict(data)


@dataclass
class ImportResult:
    sender: dict[str, Any]
    manifest: Manifest
    encrypted: bool
    already_imported: bool = False
    stale: bool = False
    missing_previous: int | None = None  # the package before this one (same receiver) not imported here
    report_updated: bool = False
    cases: CaseCounts = field(default_factory=CaseCounts)
    city: CityReport | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": not self.already_imported,
            "already_imported": self.already_imported,
            "stale": self.stale,
            "missing_previous_seq": self.missing_previous,
            "sender": self.sender,
            "encrypted": self.encrypted,
            "package": _manifest_json(self.manifest),
            "cases": self.cases.to_json(),
            "report_updated": self.report_updated,
            "city": None if self.city is None else self.city.to_json(),
        }

    def gap_text(self) -> str:
        return (
            f"注意：{self.sender['office']} 的上一个数据包（第 {self.missing_previous} 号）尚未导入本单位："
            "其间有变化的事项可能缺失，请向发送单位索取该数据包并导入"
        )

    def text(self) -> str:
        m = self.manifest
        head = f"{self.sender['office']} 第 {m.seq} 号数据包（{m.period_label}，{m.cases} 件）"
        if self.already_imported:
            lines = [f"{head}此前已导入，本次未作任何更改"]
        else:
            c = self.cases
            lines = [
                f"已导入 {head}：新增 {c.new} 件，更新 {c.updated} 件，未变 {c.unchanged} 件；"
                + ("统计数字已更新" if self.report_updated else "统计数字未变（已有更新的数据包）")
            ]
            if self.stale:
                lines.append("注意：此数据包早于已导入的数据包，只补充了尚无的数据")
        if self.missing_previous is not None:
            lines.append(self.gap_text())
        if self.city is not None:
            lines += ["", f"{m.period_label} 各单位汇总（按去向）：", self.city.text()]
        return "\n".join(lines)


def _rows(opened: Opened) -> Iterator[CaseRow]:
    for raw, line in opened.case_entries():
        case = check_case(line)
        yield CaseRow(
            case.number,
            case.received_on,
            case.status,
            case.channel,
            case.locality_code,
            case.headcount,
            raw,  # the line as the sender wrote it (its SHA-256 is in the signed manifest)
        )


def import_package(
    db: Database,
    path: Path,
    own: OfficeKey | None,
    *,
    user: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Verify and import one package (see the module docstring); a DomainError leaves the database unchanged."""
    with _opened(db, path, own) as (opened, sender):
        if not opened.readable or opened.manifest is None:
            raise DomainError(f"无法打开数据包：{opened.note}", field="package")
        if sender is None:
            raise DomainError("这是本单位自己生成的数据包，应交上级单位导入，不能导入本单位", field="package")
        m = opened.manifest
        result = ImportResult(_signer_json(opened, sender, own), m, opened.encrypted)
        reports = _check_reports(opened)
        with unit_of_work(db, user=user, now=now) as uow:
            known = queries.received_digest(uow.session, sender.id, m.seq)
            if m.previous_seq is not None and queries.received_digest(uow.session, sender.id, m.previous_seq) is None:
                result.missing_previous = m.previous_seq
            if known == opened.content_digest:
                result.already_imported = True
            elif known is not None:
                raise ConflictError(
                    f"{sender.office} 的第 {m.seq} 号数据包已导入过，而这份内容不同："
                    "请与发送单位核对（其数据库是否重建过）",
                    field="package",
                )
            else:
                result.stale = m.seq < queries.newest_received_seq(uow.session, sender.id)
                result.report_updated = store_report(
                    uow, sender.id, m.period, m.seq, str(reports["caliber"]), json.dumps(reports, ensure_ascii=False)
                )
                batch: list[CaseRow] = []
                if progress is not None:
                    progress(0, m.cases)
                for row in _rows(opened):
                    batch.append(row)
                    if len(batch) >= BATCH:
                        store_cases(uow, sender.id, m.seq, batch, result.cases)
                        batch = []
                        if progress is not None:
                            progress(result.cases.received, m.cases)
                        if cancelled is not None and cancelled():
                            raise InterruptedError("已取消：数据包未导入，数据库未改动")
                store_cases(uow, sender.id, m.seq, batch, result.cases)
                if result.cases.received != m.cases:
                    raise tampered(f"案件行数 {result.cases.received} 与清单所写 {m.cases} 不符")
                record_received(
                    uow,
                    sender_id=sender.id,
                    seq=m.seq,
                    period=m.period,
                    digest=opened.content_digest,
                    sent_at=m.created_at,
                    cases=m.cases,
                    stale=result.stale,
                    detail={
                        "office": sender.office,
                        "period": m.period,
                        "seq": m.seq,
                        "file": path.name,
                        "digest": opened.content_digest,
                        **result.cases.to_json(),
                        "report_updated": result.report_updated,
                    },
                )
                uow.commit()
    result.city = city_report(db, parse_period(m.period))
    return result
