"""上报数据包 (issue 14): what a package holds, which cases go into it, and the city's sum of the counties' figures.

Pure rules; the file format and the cryptography are in `reports/exchange_*.py`, the tables in
`persistence/records_exchange.py`. Interpretations (**I**, the rules are silent):

- A package holds every case received in its range and every case received up to the range's end that has an event
  after the last package sent to the same receiver (events are append-only, R-LC-04, so an event id is a change
  clock). The range starts on the day after the last package's period, or on the period's first day when no
  package was sent before or the period is not later: no case received in between is ever left out.
- Each case travels whole (its fields and all its events), so a package never depends on an earlier one.
- The city's figures are the sum of the counties' counters, group by group; rates and 同比/环比 are recomputed from
  the sums, never added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.codes import Destination
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import (
    GroupBy,
    PeriodRow,
    Tally,
    channel_names,
    channel_order,
    compose_rows,
    destination_names,
    destination_order,
)

FORMAT = "xinfang-exchange"
ENVELOPE_FORMAT = "xinfang-exchange-envelope"
PUBLIC_KEY_FORMAT = "xinfang-exchange-public-key"
PRIVATE_KEY_FORMAT = "xinfang-exchange-private-key"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CASES = "cases.jsonl"
REPORTS = "reports.json"
PLAIN_MEMBERS = frozenset({MANIFEST, CASES, REPORTS})
ENVELOPE = "envelope.json"
PAYLOAD = "payload.bin"
ENCRYPTED_MEMBERS = frozenset({ENVELOPE, PAYLOAD})
#: The groupings whose figures a package carries (every grouping of the period report).
GROUPINGS: tuple[GroupBy, ...] = tuple(GroupBy)
#: Receiver name of packages not encrypted for anyone (they form their own chain of "changed since").
UNNAMED_RECEIVER = ""
MAX_MANIFEST_BYTES = 1 << 20
MAX_REPORTS_BYTES = 64 << 20
MAX_CASE_LINE_BYTES = 4 << 20
_HEX = re.compile(r"^[0-9a-f]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_hex(text: object, length: int | None = None) -> bool:
    return isinstance(text, str) and bool(_HEX.match(text)) and (length is None or len(text) == length)


def format_fingerprint(fingerprint: str) -> str:
    """3F2A-9C01-…: the 32 hex digits in groups of four, for reading aloud or comparing on paper."""
    digits = fingerprint.upper()
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def case_range(period_start: date, period_end: date, previous_end: date | None) -> tuple[date, date]:
    """The received dates whose cases all go into the package (see the module docstring)."""
    if previous_end is None or previous_end >= period_end:
        return period_start, period_end
    return min(period_start, previous_end + timedelta(days=1)), period_end


# ------------------------------------------------------------------------------------------------ the manifest


def _bad(what: str) -> DomainError:
    return DomainError(f"数据包内容格式错误：{what}", field="package")


def _str(data: Mapping[str, Any], key: str, *, limit: int = 200, empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
        raise _bad(f"{key} 应为文本")
    return value


def _int(data: Mapping[str, Any], key: str, *, minimum: int = 0) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _bad(f"{key} 应为不小于 {minimum} 的整数")
    return value


def _date(data: Mapping[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(_str(data, key, limit=10))
    except ValueError:
        raise _bad(f"{key} 应为日期 YYYY-MM-DD") from None


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class Manifest:
    """清单: who sent what for which period, and the SHA-256 of every other member."""

    office: str
    region_code: str
    sender_fingerprint: str
    sender_public_key: str
    receiver_fingerprint: str | None
    period: str
    period_label: str
    period_start: date
    period_end: date
    seq: int
    previous_seq: int | None
    created_at: str
    range_from: date
    range_to: date
    changed_after_event: int | None
    cases: int
    events: int
    members: tuple[Member, ...]
    software: str = ""

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "office": self.office,
            "region_code": self.region_code,
            "sender_fingerprint": self.sender_fingerprint,
            "sender_public_key": self.sender_public_key,
            "receiver_fingerprint": self.receiver_fingerprint,
            "period": self.period,
            "period_label": self.period_label,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "seq": self.seq,
            "previous_seq": self.previous_seq,
            "created_at": self.created_at,
            "range_from": self.range_from.isoformat(),
            "range_to": self.range_to.isoformat(),
            "changed_after_event": self.changed_after_event,
            "cases": self.cases,
            "events": self.events,
            "members": {m.name: m.to_json() for m in self.members},
            "software": self.software,
        }

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """The manifest of a package, every field checked (a DomainError names the first bad one)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _bad("不是信访上报数据包的清单")
        if data.get("version") != FORMAT_VERSION:
            raise _bad(f"清单版本 {data.get('version')!r} 不受支持（本程序读取第 {FORMAT_VERSION} 版）")
        members_data = data.get("members")
        if not isinstance(members_data, dict) or set(members_data) != PLAIN_MEMBERS - {MANIFEST}:
            raise _bad("清单所列成员不符")
        members = []
        for name, entry in sorted(members_data.items()):
            if not isinstance(entry, dict) or not is_hex(entry.get("sha256"), 64):
                raise _bad(f"成员 {name} 缺少 SHA-256")
            members.append(Member(name, str(entry["sha256"]), _int(entry, "size")))
        receiver = data.get("receiver_fingerprint")
        if receiver is not None and not is_hex(receiver, 32):
            raise _bad("receiver_fingerprint")
        fingerprint = _str(data, "sender_fingerprint", limit=32)
        public_key = _str(data, "sender_public_key", limit=130)
        if not is_hex(fingerprint, 32) or not is_hex(public_key, 130):
            raise _bad("发送方公钥或指纹")
        previous = data.get("previous_seq")
        changed_after = data.get("changed_after_event")
        return cls(
            office=_str(data, "office"),
            region_code=_str(data, "region_code", limit=12, empty=True),
            sender_fingerprint=fingerprint,
            sender_public_key=public_key,
            receiver_fingerprint=receiver,
            period=_str(data, "period", limit=16),
            period_label=_str(data, "period_label", limit=40),
            period_start=_date(data, "period_start"),
            period_end=_date(data, "period_end"),
            seq=_int(data, "seq", minimum=1),
            previous_seq=None if previous is None else _int(data, "previous_seq", minimum=1),
            created_at=_str(data, "created_at", limit=32),
            range_from=_date(data, "range_from"),
            range_to=_date(data, "range_to"),
            changed_after_event=None if changed_after is None else _int(data, "changed_after_event"),
            cases=_int(data, "cases"),
            events=_int(data, "events"),
            members=tuple(members),
            software=str(data.get("software") or "")[:40],
        )


# ------------------------------------------------------------------------------------------------ received cases


@dataclass(frozen=True)
class ReceivedCase:
    """One case line of a package, checked: the columns the city keeps beside the whole line."""

    number: str
    received_on: date
    status: str
    channel: str
    locality_code: str | None
    headcount: int


def check_case(data: object) -> ReceivedCase:
    """A DomainError unless the line is a case as `reports/exchange_pack.py` writes it."""
    if not isinstance(data, dict):
        raise _bad("案件行应为 JSON 对象")
    events = data.get("events")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise _bad(f"案件 {data.get('number')!r} 的 events")
    locality = data.get("locality_code")
    if locality is not None and (not isinstance(locality, str) or len(locality) > 12):
        raise _bad("locality_code")
    return ReceivedCase(
        number=_str(data, "number", limit=32),
        received_on=_date(data, "received_on"),
        status=_str(data, "status", limit=32),
        channel=_str(data, "channel", limit=16),
        locality_code=locality,
        headcount=_int(data, "headcount", minimum=1),
    )


# ------------------------------------------------------------------------------------------------ the city's sum


@dataclass(frozen=True)
class GroupTallies:
    """One office's counters of one grouping: per group key, its name and the three periods' tallies."""

    office: str
    rows: tuple[tuple[str | None, str, Tally, Tally, Tally], ...]


def _tally(data: object) -> Tally:
    if not isinstance(data, dict):
        raise _bad("统计数字")
    values: dict[str, int] = {}
    for name, value in data.items():
        if not isinstance(name, str) or not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _bad("统计数字应为非负整数")
        values[name] = value
    return Tally(values)


def tallies_to_json(rows: Sequence[PeriodRow]) -> list[dict[str, Any]]:
    """The groups of a report (without the 合计) as they travel: key, name and all counters of the three periods."""
    return [
        {
            "key": r.key,
            "name": r.name,
            "current": dict(r.current.values),
            "last_year": dict(r.last_year.values),
            "previous": dict(r.previous.values),
        }
        for r in rows
        if not r.is_total
    ]


def tallies_from_json(office: str, data: object) -> GroupTallies:
    if not isinstance(data, list):
        raise _bad("分组统计")
    rows = []
    for item in data:
        if not isinstance(item, dict):
            raise _bad("分组统计")
        key = item.get("key")
        if key is not None and not isinstance(key, str):
            raise _bad("分组键")
        name = item.get("name")
        if not isinstance(name, str):
            raise _bad("分组名称")
        rows.append(
            (key, name, _tally(item.get("current")), _tally(item.get("last_year")), _tally(item.get("previous")))
        )
    return GroupTallies(office, tuple(rows))


def _merge_key(group_by: GroupBy, key: str | None, name: str) -> str | None:
    # Unit ids are local to each county's database: the same unit in two counties is the same name, not the same id.
    return name if group_by is GroupBy.UNIT else key


def sum_groups(group_by: GroupBy, parts: Iterable[GroupTallies]) -> list[PeriodRow]:
    """The city's rows: each group's counters summed over the offices, then the 合计 (of the sums)."""
    current: dict[str | None, Tally] = {}
    last_year: dict[str | None, Tally] = {}
    previous: dict[str | None, Tally] = {}
    names: dict[str | None, str] = {}
    order: list[str | None] = []
    keep: list[str | None] = []
    if group_by is GroupBy.DESTINATION:
        names, order, keep = destination_names(), destination_order(), [d.value for d in Destination]
    elif group_by is GroupBy.CHANNEL:
        names, order, keep = channel_names(), channel_order(), channel_order()
    for part in parts:
        for key, name, cur, ly, prev in part.rows:
            k = _merge_key(group_by, key, name)
            names.setdefault(k, name)
            current[k] = current.get(k, Tally()) + cur
            last_year[k] = last_year.get(k, Tally()) + ly
            previous[k] = previous.get(k, Tally()) + prev
    return compose_rows(current, last_year, previous, names, order, keep=keep)
