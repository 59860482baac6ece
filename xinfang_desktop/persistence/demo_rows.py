"""Rows of the demo data set, built batch by batch from one seeded `random.Random` (see demo_data.py)."""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from xinfang_desktop.core import demo_text
from xinfang_desktop.core.codes import CaseStatus, Channel, OfficeLevel, destination_for_level
from xinfang_desktop.core.intake_rules import level_skipping
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.core.search_text import cjk_bigrams
from xinfang_desktop.core.workdays import HolidayYear, WorkdayCalendar
from xinfang_desktop.persistence.demo_lifecycle import DemoHistories, fits

DEMO_YEARS = 10
# Region codes of people who live outside the example county (real Zhejiang county codes).
_OUTSIDE_CODES = ("330102", "330106", "330324", "331102", "330782", "330681", "330226", "331023", "330522", "331081")

S = CaseStatus
# Status mix by the case's age in days: recent cases are open, old ones mostly closed (审核认定办结).
_STATUS_BY_AGE: tuple[tuple[int, tuple[tuple[CaseStatus, float], ...]], ...] = (
    (15, ((S.UNDER_REVIEW, 70), (S.ACCEPTED, 22), (S.DECLINED, 5), (S.CLOSED, 3))),
    (75, ((S.UNDER_REVIEW, 2), (S.ACCEPTED, 55), (S.OPINION_ISSUED, 25), (S.DECLINED, 6), (S.CLOSED, 12))),
    (
        365,
        (
            (S.ACCEPTED, 1),
            (S.OPINION_OVERDUE, 1.5),
            (S.OPINION_ISSUED, 2),
            (S.DECLINED, 6),
            (S.REVIEW, 1.5),
            (S.REVIEW_OPINION_ISSUED, 3),
            (S.REVIEW_OPINION_OVERDUE, 0.5),
            (S.REVIEW_WINDOW_LAPSED, 10),
            (S.FINAL_REVIEW, 0.5),
            (S.FINAL_REVIEW_OPINION_ISSUED, 1),
            (S.FINAL_REVIEW_OPINION_OVERDUE, 0.3),
            (S.FINAL_REVIEW_WINDOW_LAPSED, 1),
            (S.REFUSED_AGAIN, 0.7),
            (S.CLOSED, 71),
        ),
    ),
    (
        1 << 30,
        (
            (S.OPINION_OVERDUE, 0.2),
            (S.OPINION_ISSUED, 0.3),
            (S.DECLINED, 6),
            (S.REVIEW_OPINION_ISSUED, 0.2),
            (S.REVIEW_OPINION_OVERDUE, 0.1),
            (S.REVIEW_WINDOW_LAPSED, 8),
            (S.FINAL_REVIEW_OPINION_ISSUED, 0.1),
            (S.FINAL_REVIEW_OPINION_OVERDUE, 0.05),
            (S.FINAL_REVIEW_WINDOW_LAPSED, 2),
            (S.REFUSED_AGAIN, 1.5),
            (S.CLOSED, 81),
        ),
    ),
)
_TIMELY_STATUSES = frozenset({S.ACCEPTED, S.REVIEW, S.FINAL_REVIEW})
_STATUS_TABLES = tuple(
    (limit, tuple(s for s, _ in mix), tuple(itertools.accumulate(w for _, w in mix))) for limit, mix in _STATUS_BY_AGE
)
_CHANNELS = (Channel.ONLINE, Channel.VISIT, Channel.LETTER, Channel.PHONE, Channel.LEADER_MAILBOX)
_CHANNEL_CUM = tuple(itertools.accumulate((35, 30, 20, 10, 5)))
_VISIT_LEVELS = (OfficeLevel.TOWNSHIP, OfficeLevel.COUNTY, OfficeLevel.CITY, OfficeLevel.PROVINCE, OfficeLevel.NATIONAL)
_VISIT_LEVEL_CUM = tuple(itertools.accumulate((4, 86, 6, 3, 1)))


@dataclass
class DemoSetup:
    county_name: str
    villages: list[tuple[str, str, str, int | None]]  # code, name, township name, township government unit
    units: dict[str, int]
    categories: set[str]
    registrar_id: int
    prefix: str
    number_format: str
    sequences: dict[int, int]  # year → last case number used before the demo
    next_case_id: int
    next_petitioner_id: int
    now: datetime
    holiday_years: tuple[HolidayYear, ...] = ()
    profile: RuleProfile | None = None


TABLE_KEYS = (
    "petitioners",
    "cases",
    "case_petitioners",
    "accused_units",
    "submissions",
    "events",
    "deadlines",
    "orders",
)


@dataclass
class BatchRows:
    """One batch: rows per table as tuples in `columns` order (values in SQLite storage form if asked)."""

    first_case_id: int
    last_case_id: int
    rows: dict[str, list[dict[str, Any]]]
    sequences: dict[int, int] = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tuples: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def pack(self, sqlite_storage: bool) -> BatchRows:
        """Turn the row dicts into tuples (smaller to pass between processes), converting values for SQLite.

        SQLite storage form is what SQLAlchemy's types store there: ISO dates, `YYYY-MM-DD HH:MM:SS.ffffff`
        datetimes and 0/1 booleans, so the writer can use the driver's executemany directly.
        """
        for key, rows in self.rows.items():
            if not rows:
                self.columns[key], self.tuples[key] = (), []
                continue
            cols = tuple(rows[0])
            self.columns[key] = cols
            if not sqlite_storage:
                self.tuples[key] = [tuple(r.values()) for r in rows]
                continue
            fix = [i for i, c in enumerate(cols) if c in _CONVERTED]
            out = []
            for r in rows:
                values = list(r.values())
                for i in fix:
                    v = values[i]
                    if v is not None:
                        values[i] = _to_storage(v)
                out.append(tuple(values))
            self.tuples[key] = out
        self.rows = {}
        return self


_CONVERTED = frozenset(
    {
        "received_on",
        "registered_at",
        "is_collective",
        "is_repeat",
        "is_level_skipping",
        "is_first_submission",
        "is_backlog",
        "is_accusation",
        "last_received_on",
        "due_on",
        "tick_due_on",
        "created_at",
        "is_abnormal",
        "recorded_at",
        "occurred_on",
        "start_on",
        "provisional",
        "met_on",
        "is_window",
    }
)


def _to_storage(v: Any) -> Any:
    if v is True or v is False:
        return int(v)
    if isinstance(v, datetime):
        return v.isoformat(" ", "microseconds")
    if isinstance(v, date):
        return v.isoformat()
    return v


def plan_days(cases: int, today: date, seed: int) -> list[tuple[date, int]]:
    """How many cases arrive on each day of the ten years ending today: fewer at weekends, a rising trend."""
    rng = random.Random(f"days-{seed}")
    days = DEMO_YEARS * 365 + DEMO_YEARS // 4
    first = today - timedelta(days=days - 1)
    weights = []
    for i in range(days):
        day = first + timedelta(days=i)
        base = (1.0, 1.0, 1.0, 1.0, 0.95, 0.3, 0.2)[day.weekday()]
        weights.append(base * (0.6 + 0.8 * i / days) * (0.8 + 0.4 * rng.random()))
    cum = list(itertools.accumulate(weights))
    total = cum[-1]
    plan: list[tuple[date, int]] = []
    before = 0
    for i, c in enumerate(cum):
        upto = cases if i == days - 1 else int(cases * c / total)
        if upto > before:
            plan.append((first + timedelta(days=i), upto - before))
            before = upto
    return plan


def _pick(rng: random.Random, items: tuple[Any, ...], cum: tuple[float, ...]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


class _Generator:
    def __init__(self, setup: DemoSetup, seed: int, today: date) -> None:
        self.s = setup
        self.rng = random.Random(seed)
        self.today = today
        self.case_id = setup.next_case_id
        self.person_id = setup.next_petitioner_id
        self.sequences = dict(setup.sequences)
        self.pool: list[tuple[int, str, str, str | None, str, int]] = []  # recent principals, for repeat people
        self.unseen = set(CaseStatus)
        self.county_code = setup.villages[0][0][:6]
        self.skip_reasons = {
            level: level_skipping(Channel.VISIT, level, OfficeLevel.TOWNSHIP).reason for level in OfficeLevel
        }
        assert setup.profile is not None, "the demo needs the office's rule profile"
        self.histories = DemoHistories(
            today=today, calendar=WorkdayCalendar(setup.holiday_years), profile=setup.profile
        )
        self.unit_for_topic: dict[str, int | None] = {}
        for topic in demo_text.TOPICS:
            if topic.unit is None:
                self.unit_for_topic[topic.key] = None
                continue
            exact = setup.units.get(setup.county_name + topic.unit)
            self.unit_for_topic[topic.key] = exact or next(
                (uid for name, uid in sorted(setup.units.items()) if topic.unit in name), None
            )

    def _status(self, age: int) -> CaseStatus:
        for limit, statuses, cum in _STATUS_TABLES:
            if age < limit:
                status: CaseStatus = _pick(self.rng, statuses, cum)
                # Make sure every status appears at least once, at an age where it can occur: the states
                # with a running clock only in their narrow age band, the others in older cases.
                timely = sorted(s for s in self.unseen if s in _TIMELY_STATUSES and fits(s, age))
                if timely:
                    status = timely[0]
                elif age >= 130 and self.rng.random() < 0.05:
                    others = sorted(s for s in self.unseen if fits(s, age))
                    status = others[0] if others else status
                if not fits(status, age):
                    status = S.UNDER_REVIEW if age < 4 else S.CLOSED
                self.unseen.discard(status)
                return status
        raise AssertionError("unreachable")

    def _person(self, received: date, village: tuple[str, str, str, int | None]) -> dict[str, Any]:
        rng = self.rng
        male = rng.random() < 0.58
        name = demo_text.person_name(rng, male)
        birth = received - timedelta(days=rng.randrange(18 * 365 + 5, 85 * 365))
        region = self.county_code if rng.random() < 0.85 else rng.choice(_OUTSIDE_CODES)
        address = f"{self.s.county_name}{village[2]}{village[1]}{rng.randrange(1, 12)}组{rng.randrange(1, 99)}号"
        if village[1].endswith("社区"):
            address = (
                f"{self.s.county_name}{village[2]}{village[1]}{rng.randrange(1, 30)}幢{rng.randrange(101, 1802)}室"
            )
        pid = self.person_id
        self.person_id += 1
        return {
            "id": pid,
            "name": name,
            "id_type": "resident_id",
            "id_number": demo_text.id_number(rng, region, birth, male),
            "phone": demo_text.mobile_number(rng) if rng.random() < 0.95 else None,
            "address": address,
            "created_at": self.s.now,
        }

    def run(self, plan: list[tuple[date, int]], batch_size: int) -> Iterator[BatchRows]:
        batch = self._new_batch()
        for day, count in plan:
            for _ in range(count):
                self._case(day, batch)
                if batch.last_case_id - batch.first_case_id + 1 >= batch_size:
                    yield batch
                    batch = self._new_batch()
        if batch.rows["cases"]:
            yield batch

    def _new_batch(self) -> BatchRows:
        return BatchRows(self.case_id, self.case_id - 1, {k: [] for k in TABLE_KEYS})

    def _case(self, received: date, batch: BatchRows) -> None:
        rng, s, rows = self.rng, self.s, batch.rows
        age = (self.today - received).days
        topic = demo_text.pick_topic(rng)
        purpose = demo_text.pick_purpose(rng, topic)
        status = self._status(age)
        # People: the principal (sometimes someone who petitioned before), plus representatives of a group.
        x = rng.random()
        headcount = 1 if x < 0.86 else rng.randrange(2, 5) if x < 0.95 else rng.randrange(5, 80)
        if self.pool and rng.random() < 0.04:
            pid, name, id_no, phone, address, vidx = self.pool[rng.randrange(len(self.pool))]
            village = s.villages[vidx]
            people = [(pid, name, id_no, phone, address)]
        else:
            vidx = rng.randrange(len(s.villages))
            village = s.villages[vidx]
            person = self._person(received, village)
            rows["petitioners"].append(person)
            people = [(person["id"], person["name"], person["id_number"], person["phone"], person["address"])]
            self.pool.append((*people[0], vidx))
            if len(self.pool) > 5000:
                del self.pool[:1000]
        if headcount >= 5:
            for _ in range(rng.randrange(1, 5)):
                rep = self._person(received, village)
                rows["petitioners"].append(rep)
                people.append((rep["id"], rep["name"], rep["id_number"], rep["phone"], rep["address"]))
        case_id = self.case_id
        self.case_id += 1
        batch.last_case_id = case_id
        year = received.year
        seq = self.sequences.get(year, 0) + 1
        self.sequences[year] = seq
        batch.sequences[year] = seq
        number = s.number_format.format(prefix=s.prefix, year=year, seq=seq)
        summary = demo_text.complaint_text(
            rng, topic, county=s.county_name, township=village[2], village=village[1], year=year, group=headcount >= 5
        )
        # Submissions: the first one, then repeats at later dates.
        channel: Channel = _pick(rng, _CHANNELS, _CHANNEL_CUM)
        registered_at = datetime.combine(received, datetime.min.time()) + timedelta(minutes=510 + rng.randrange(540))
        subs = [self._submission(case_id, 1, channel, received, headcount, registered_at)]
        last = received
        if rng.random() < 0.12:
            for n in range(2, 2 + min(6, int(rng.expovariate(0.8)) + 1)):
                later = last + timedelta(days=rng.randrange(7, 150))
                if later > self.today:
                    break
                last = later
                ch = Channel.VISIT if rng.random() < 0.5 else _pick(rng, _CHANNELS, _CHANNEL_CUM)
                hc = headcount if rng.random() < 0.7 else max(1, headcount - rng.randrange(0, 3))
                at = datetime.combine(last, datetime.min.time()) + timedelta(minutes=510 + rng.randrange(540))
                subs.append(self._submission(case_id, n, ch, last, hc, at))
        rows["submissions"].extend(subs)
        is_repeat = len(subs) > 1
        # The case's history from the state machine: its events, clocks and projections (demo_lifecycle.py).
        history = self.histories.history(status, received)
        status = history.status
        due = history.due_on
        rows["deadlines"].extend({"case_id": case_id, **clock} for clock in history.clocks)
        rows["orders"].extend({"case_id": case_id, **order} for order in history.orders)
        unit = self.unit_for_topic[topic.key] if topic.unit is not None else village[3]
        if purpose == "accusation":
            accused_name = next((n for n, uid in s.units.items() if uid == unit), None) or f"{village[2]}人民政府"
            rows["accused_units"].append({"case_id": case_id, "name": accused_name, "unit_id": unit})
        names = [p[1] for p in people]
        addresses = list(dict.fromkeys(p[4] for p in people))
        people_parts = [number]
        for _, name, id_no, phone, _ in people:
            people_parts.append(name)
            people_parts.append(id_no)
            if phone:
                people_parts.append(phone)
        first_submission = rng.random() < 0.8
        if is_repeat and not status.value.endswith("overdue"):
            # The draw that once chose a random backlog flag stays, so that every later value of a seed's demo is
            # as it was (tests and benchmarks rest on them); the flag now comes from the backlog detection.
            rng.random()
        rows["cases"].append(
            {
                "id": case_id,
                "number": number,
                "year": year,
                "received_on": received,
                "registered_at": registered_at,
                "channel": channel.value,
                "purpose": purpose,
                "category_code": topic.category if topic.category in s.categories else None,
                "locality_code": village[0],
                "summary": summary,
                "status": status.value,
                "responsible_unit_id": unit,
                "headcount": headcount,
                "is_collective": headcount >= 5,
                "is_repeat": is_repeat,
                "is_level_skipping": any(sub["is_level_skipping"] for sub in subs),
                "is_first_submission": first_submission,
                # Set by the backlog detection (R-CL-05) that `generate_demo` runs after the load, as in live use.
                "is_backlog": False,
                "is_accusation": purpose == "accusation",
                "batches": len(subs),
                "person_visits": sum(sub["headcount"] for sub in subs),
                "last_received_on": last if is_repeat else received,
                "due_on": due,
                "registrar_id": s.registrar_id,
                "awaiting": history.awaiting,
                "handler_id": None if history.final else s.registrar_id,
                "tick_due_on": history.tick_due_on,
                "search_people": " ".join(people_parts),
                "search_address": " ".join(addresses),
                "search_bigrams": cjk_bigrams(names + addresses),
                "version": 1,
            }
        )
        for position, p in enumerate(people):
            role = "principal" if position == 0 else "representative"
            rows["case_petitioners"].append(
                {"case_id": case_id, "petitioner_id": p[0], "role": role, "position": position}
            )
        rows["events"].append(
            {
                "case_id": case_id,
                "seq": 1,
                "action": "register",
                "occurred_on": received,
                "recorded_at": registered_at,
                "actor_id": s.registrar_id,
                "from_status": None,
                "to_status": S.UNDER_REVIEW.value,
                "reason": f"{channel.label}登记",
                "details": None,
                "document": None,
            }
        )
        for seq, event in enumerate(history.events, start=2):
            rows["events"].append(
                {
                    "case_id": case_id,
                    "seq": seq,
                    "action": event.action,
                    "occurred_on": event.occurred_on,
                    "recorded_at": datetime.combine(event.occurred_on, datetime.min.time()) + timedelta(hours=9),
                    "actor_id": s.registrar_id,
                    "from_status": event.from_status.value if event.from_status else None,
                    "to_status": event.to_status.value if event.to_status else None,
                    "reason": event.reason,
                    "details": _details_json(event.details),
                    "document": event.document,
                }
            )

    def _submission(
        self, case_id: int, seq: int, channel: Channel, received: date, headcount: int, at: datetime
    ) -> dict[str, Any]:
        rng = self.rng
        level = OfficeLevel.COUNTY
        if channel is Channel.VISIT:
            level = _pick(rng, _VISIT_LEVELS, _VISIT_LEVEL_CUM)
        elif rng.random() < 0.05:
            level = OfficeLevel.CITY  # a letter or call handed down (交办) by the city
        destination = destination_for_level(level) if channel is Channel.VISIT else None
        reason = self.skip_reasons[level] if channel is Channel.VISIT else None
        abnormal = level in (OfficeLevel.PROVINCE, OfficeLevel.NATIONAL) and channel is Channel.VISIT
        return {
            "case_id": case_id,
            "seq": seq,
            "channel": channel.value,
            "received_on": received,
            "level": level.value,
            "destination": destination.value if destination else None,
            "headcount": headcount,
            "is_abnormal": abnormal and rng.random() < 0.15,
            "is_level_skipping": reason is not None,
            "level_skipping_reason": reason,
            "registrar_id": self.s.registrar_id,
            "recorded_at": at,
        }


def _details_json(details: dict[str, object]) -> str | None:
    return json.dumps(details, ensure_ascii=False, default=str) if details else None


def generate_batches(
    setup: DemoSetup, cases: int, seed: int, today: date, batch_size: int, sqlite_storage: bool
) -> Iterator[BatchRows]:
    """The demo's rows in packed batches of about `batch_size` cases, ids increasing with the received date."""
    for batch in _Generator(setup, seed, today).run(plan_days(cases, today, seed), batch_size):
        yield batch.pack(sqlite_storage)


def produce_batches(
    setup: DemoSetup, cases: int, seed: int, today: date, batch_size: int, sqlite_storage: bool, out: Any
) -> None:
    """Entry point of the generator process: puts packed batches on `out`, then None (or the exception)."""
    try:
        for batch in generate_batches(setup, cases, seed, today, batch_size, sqlite_storage):
            out.put(batch)
        out.put(None)
    except BaseException as exc:
        out.put(RuntimeError(f"{type(exc).__name__}: {exc}"))
