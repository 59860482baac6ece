"""Writes of 上报数据包, each inside the caller's unit of work: senders trusted, packages sent, packages received."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from xinfang_desktop.core.errors import ConflictError
from xinfang_desktop.persistence.exchange.queries import existing_cases
from xinfang_desktop.persistence.records_exchange import (
    ExchangeCaseRecord,
    ExchangeReceivedRecord,
    ExchangeReportRecord,
    ExchangeSenderRecord,
    ExchangeSentRecord,
)
from xinfang_desktop.persistence.uow import SqlUnitOfWork


def trust_sender(uow: SqlUnitOfWork, *, office: str, region_code: str, public_key: str, fingerprint: str) -> int:
    """Register a sender's public key (ConflictError when it is registered already)."""
    s = ExchangeSenderRecord
    found = uow.session.execute(select(s.id, s.office).where(s.fingerprint == fingerprint)).first()
    if found is not None:
        raise ConflictError(f"该公钥已登记为“{found[1]}”的公钥，无需重复登记", field="key")
    sender_id = int(
        uow.session.execute(
            insert(s).returning(s.id),
            [
                {
                    "office": office,
                    "region_code": region_code,
                    "public_key": public_key,
                    "fingerprint": fingerprint,
                    "created_at": uow.now,
                }
            ],
        ).scalar_one()
    )
    uow.audit.record(
        "trust",
        "exchange_sender",
        str(sender_id),
        {"office": office, "region_code": region_code, "fingerprint": fingerprint},
    )
    return sender_id


@dataclass(frozen=True)
class Sent:
    seq: int
    receiver: str
    period: str
    range_from: date
    range_to: date
    watermark: int
    cases: int
    digest: str
    file_name: str


def record_sent(uow: SqlUnitOfWork, sent: Sent) -> None:
    uow.session.execute(
        insert(ExchangeSentRecord),
        [
            {
                "seq": sent.seq,
                "receiver": sent.receiver,
                "period": sent.period,
                "range_from": sent.range_from,
                "range_to": sent.range_to,
                "event_watermark": sent.watermark,
                "cases": sent.cases,
                "digest": sent.digest,
                "file_name": sent.file_name,
                "created_at": uow.now,
            }
        ],
    )
    uow.audit.record(
        "pack",
        "exchange_package",
        str(sent.seq),
        {
            "period": sent.period,
            "receiver": sent.receiver or None,
            "cases": sent.cases,
            "range": [sent.range_from.isoformat(), sent.range_to.isoformat()],
            "digest": sent.digest,
            "file": sent.file_name,
        },
    )


@dataclass
class CaseCounts:
    received: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def to_json(self) -> dict[str, int]:
        return {"received": self.received, "new": self.new, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class CaseRow:
    number: str
    received_on: date
    status: str
    channel: str
    locality_code: str | None
    headcount: int
    data: str


def store_cases(uow: SqlUnitOfWork, sender_id: int, seq: int, rows: Sequence[CaseRow], counts: CaseCounts) -> None:
    """One page of a package's cases: new ones inserted, older copies replaced; a copy from a newer package kept."""
    known = existing_cases(uow.session, sender_id, [r.number for r in rows])
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for r in rows:
        values = {
            "received_on": r.received_on,
            "status": r.status,
            "channel": r.channel,
            "locality_code": r.locality_code,
            "headcount": r.headcount,
            "package_seq": seq,
            "data": r.data,
        }
        counts.received += 1
        old = known.get(r.number)
        if old is None:
            inserts.append({"sender_id": sender_id, "number": r.number, **values})
            counts.new += 1
        elif old[0] < seq and old[1] != r.data:
            updates.append({"b_sender": sender_id, "b_number": r.number, **values})
            counts.updated += 1
        else:
            counts.unchanged += 1
    c = ExchangeCaseRecord
    if inserts:
        uow.session.execute(insert(c), inserts)
    if updates:
        stmt = (
            update(c)
            .where(c.sender_id == bindparam("b_sender"), c.number == bindparam("b_number"))
            .values({k: bindparam(k) for k in updates[0] if not k.startswith("b_")})
        )
        uow.session.connection().execute(stmt, updates)


def store_report(uow: SqlUnitOfWork, sender_id: int, period: str, seq: int, caliber: str, data: str) -> bool:
    """The sender's figures for the period; replaced only by a newer package. True when stored."""
    r = ExchangeReportRecord
    found = uow.session.execute(select(r.id, r.package_seq).where(r.sender_id == sender_id, r.period == period)).first()
    if found is None:
        uow.session.execute(
            insert(r),
            [{"sender_id": sender_id, "period": period, "package_seq": seq, "caliber": caliber, "data": data}],
        )
        return True
    if int(found[1]) >= seq:
        return False
    uow.session.execute(update(r).where(r.id == found[0]).values(package_seq=seq, caliber=caliber, data=data))
    return True


def record_received(
    uow: SqlUnitOfWork,
    *,
    sender_id: int,
    seq: int,
    period: str,
    digest: str,
    sent_at: str,
    cases: int,
    stale: bool,
    detail: dict[str, Any],
) -> None:
    uow.session.execute(
        insert(ExchangeReceivedRecord),
        [
            {
                "sender_id": sender_id,
                "seq": seq,
                "period": period,
                "digest": digest,
                "sent_at": sent_at,
                "cases": cases,
                "stale": stale,
                "imported_at": uow.now,
            }
        ],
    )
    uow.audit.record("import", "exchange_package", f"{sender_id}:{seq}", detail)
