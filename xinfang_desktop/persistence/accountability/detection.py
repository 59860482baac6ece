"""Finding candidate accountability grounds in the ledger (R-AC-01): each detector is one indexed query; a finding is
stored once under its key, so running the detection again (every `xinfang tick`) adds only what is new."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.accountability_candidates import (
    ACCEPTANCE_RULES,
    CONCLUSION_RULES,
    REPEATED_SKIPPING,
    CandidateKind,
    CandidateStatus,
    Finding,
    clock_finding,
    finding_key,
    is_handling_failure,
)
from xinfang_desktop.core.actions import action_label
from xinfang_desktop.persistence.accountability.records import AccountabilityCandidateRecord, AccountabilityRecord
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import (
    AuditEntryRecord,
    CaseDeadlineRecord,
    CaseRecord,
    SubmissionRecord,
    SupervisionOrderRecord,
    UnitRecord,
    UserRecord,
)
from xinfang_desktop.persistence.records_warnings import (
    DualInquiryRecord,
    WarningExplanationRecord,
    WarningSlipRecord,
)
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, selected_profile
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work

#: A clock met late counts if it was met within this many days before the run (**I**: a failure already put right
#: long ago is history, not a candidate); a clock still running late is a candidate however old.
LOOKBACK_DAYS = 366
ACCUSED_ATTEMPT_ENTITY = "accused_forward_attempt"  # = lifecycle_store.ACCUSED_ATTEMPT_ENTITY


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _clock_rows(s: Session, today: date, serious_days: int) -> Iterator[Any]:
    d, c = CaseDeadlineRecord, CaseRecord
    cols = (d.id, d.case_id, d.rule_id, d.start_on, d.due_on, d.met_on, c.number, UnitRecord.name)
    base = select(*cols).join(c, c.id == d.case_id).outerjoin(UnitRecord, UnitRecord.id == c.responsible_unit_id)
    not_window = d.is_window.is_(False)
    # Running clocks past their day: the (met_on, due_on) index answers `met_on IS NULL AND due_on < …`.
    yield from s.execute(base.where(d.met_on.is_(None), d.due_on < today, d.rule_id.in_(ACCEPTANCE_RULES), not_window))
    serious_cut = today - timedelta(days=serious_days)
    yield from s.execute(
        base.where(d.met_on.is_(None), d.due_on <= serious_cut, d.rule_id.in_(CONCLUSION_RULES), not_window)
    )
    # Clocks met late, lately: a range of the same index on met_on.
    since = today - timedelta(days=LOOKBACK_DAYS)
    rules = (*ACCEPTANCE_RULES, *CONCLUSION_RULES)
    yield from s.execute(
        base.where(d.met_on >= since, d.met_on <= today, d.met_on > d.due_on, d.rule_id.in_(rules), not_window)
    )


def _clock_findings(
    s: Session, today: date, serious_days: int, labels: dict[str, str], known: AbstractSet[str]
) -> Iterator[Finding]:
    office = str(SqlSettings(s).get("office_name") or "")
    acceptance, conclusion = CandidateKind.ACCEPTANCE_MISSED, CandidateKind.CONCLUSION_SERIOUSLY_OVERDUE
    for clock_id, case_id, rule_id, start_on, due_on, met_on, number, unit in _clock_rows(s, today, serious_days):
        # A clock found before is skipped before its evidence is built: the daily re-run meets thousands of them.
        if finding_key(acceptance if rule_id in ACCEPTANCE_RULES else conclusion, case_id, clock_id) in known:
            continue
        if rule_id == "R-DL-01":
            unit = (
                office  # the 信访部门's own clock (登记, then 转送 / 交办 / 告知 within 15 日), whoever handles later
            )
        found = clock_finding(
            rule_id=rule_id,
            label=labels.get(rule_id, rule_id),
            clock_id=clock_id,
            case_id=case_id,
            case_number=number,
            unit=unit,
            start_on=start_on,
            due_on=due_on,
            met_on=met_on,
            today=today,
            seriously_overdue_days=serious_days,
        )
        if found is not None:
            yield found


def _supervision_findings(s: Session, today: date) -> Iterator[Finding]:
    o = SupervisionOrderRecord
    rows = s.execute(
        select(
            o.id, o.case_id, o.trigger, o.reason, o.issued_on, o.due_on, o.reminders, CaseRecord.number, UnitRecord.name
        )
        .join(CaseRecord, CaseRecord.id == o.case_id)
        .outerjoin(UnitRecord, UnitRecord.id == CaseRecord.responsible_unit_id)
        .where(o.closed_on.is_(None), o.due_on < today)
    )
    kind = CandidateKind.SUPERVISION_UNANSWERED
    for oid, case_id, trigger, reason, issued_on, due_on, reminders, number, unit in rows:
        evidence = {
            "order": oid,
            "trigger": trigger,
            "reason": reason,
            "issued_on": issued_on.isoformat(),
            "due_on": _iso(due_on),
            "reminders": reminders,
            "as_of": today.isoformat(),
        }
        yield Finding(kind, finding_key(kind, case_id, oid), case_id, number, unit, evidence)


def _explanation_findings(s: Session, today: date) -> Iterator[Finding]:
    e, w = WarningExplanationRecord, WarningSlipRecord
    rows = s.execute(
        select(e.id, e.visit_on, e.due_on, e.rule_id, e.owed_to_name, w.number, w.to_unit, w.case_id, CaseRecord.number)
        .join(w, w.id == e.slip_id)
        .join(CaseRecord, CaseRecord.id == w.case_id)
        .where(e.received_on.is_(None), e.due_on < today)
    )
    kind = CandidateKind.EXPLANATION_OVERDUE
    for eid, visit_on, due_on, rule_id, owed_to, slip, unit, case_id, number in rows:
        evidence = {
            "explanation": eid,
            "slip": slip,
            "rule": rule_id,
            "visit_on": visit_on.isoformat(),
            "due_on": due_on.isoformat(),
            "owed_to": owed_to,
            "as_of": today.isoformat(),
        }
        yield Finding(kind, finding_key(kind, eid), case_id, number, unit, evidence)


def _skipping_findings(s: Session, today: date) -> Iterator[Finding]:
    w, sub = WarningSlipRecord, SubmissionRecord
    rows = s.execute(
        select(w.id, w.number, w.case_id, w.to_unit, w.issued_on, sub.received_on, CaseRecord.number)
        .join(sub, and_(sub.case_id == w.case_id, sub.received_on > w.issued_on, sub.received_on <= today))
        .join(CaseRecord, CaseRecord.id == w.case_id)
        .where(sub.is_level_skipping.is_(True))
        .order_by(w.id, sub.received_on)
    )
    visits: dict[int, tuple[Any, list[str]]] = {}
    for slip_id, slip_no, case_id, unit, issued_on, received_on, number in rows:
        visits.setdefault(slip_id, ((slip_no, case_id, unit, issued_on, number), []))[1].append(received_on.isoformat())
    kind = CandidateKind.SKIPPING_AFTER_WARNING
    for slip_id, ((slip_no, case_id, unit, issued_on, number), days) in visits.items():
        if len(days) >= REPEATED_SKIPPING:
            evidence = {"slip": slip_no, "warned_on": issued_on.isoformat(), "visits": days}
            yield Finding(kind, finding_key(kind, slip_id), case_id, number, unit, evidence)


def _attempt_findings(s: Session) -> Iterator[Finding]:
    a = AuditEntryRecord
    rows = s.execute(
        select(a.id, a.entity_id, a.detail, a.at, UserRecord.login, CaseRecord.id)
        .join(UserRecord, UserRecord.id == a.user_id)
        .outerjoin(CaseRecord, CaseRecord.number == a.entity_id)
        .where(a.entity == ACCUSED_ATTEMPT_ENTITY)
    )
    kind = CandidateKind.ACCUSED_FORWARD_ATTEMPT
    for aid, number, detail, at, login, case_id in rows:
        info = json.loads(detail) if detail else {}
        to_unit = info.get("unit") or "、".join(info.get("units") or [])
        evidence = {
            "audit": aid,
            "action": info.get("action"),
            "action_label": action_label(str(info.get("action") or "forward")),
            "to_unit": to_unit,
            "attempted_on": str(info.get("date") or at.date().isoformat()),
            "user": login,
        }
        yield Finding(kind, finding_key(kind, aid), case_id, number, to_unit or None, evidence)


def _inquiry_findings(s: Session) -> Iterator[Finding]:
    i = DualInquiryRecord
    rows = s.execute(
        select(i.id, i.case_id, i.first_unit, i.handler, i.handling_findings, i.handling_done_on, CaseRecord.number)
        .join(CaseRecord, CaseRecord.id == i.case_id)
        .where(i.handling_done_on.is_not(None))
    )
    kind = CandidateKind.DUAL_INQUIRY_FAILURE
    for iid, case_id, first_unit, handler, findings, done_on, number in rows:
        if is_handling_failure(findings):
            evidence = {"inquiry": iid, "handler": handler, "findings": findings, "done_on": _iso(done_on)}
            yield Finding(kind, finding_key(kind, iid), case_id, number, first_unit, evidence)


def _feedback_findings(s: Session, today: date) -> Iterator[Finding]:
    r = AccountabilityRecord
    rows = s.execute(
        select(r.id, r.number, r.subject_unit, r.referred_to, r.referred_on, r.feedback_due).where(
            r.feedback_on.is_(None), r.referred_on.is_not(None), r.feedback_due < today, r.closed_on.is_(None)
        )
    )
    kind = CandidateKind.FEEDBACK_OVERDUE
    for rid, number, unit, to_organ, referred_on, due in rows:
        evidence = {
            "accountability": number,
            "to_organ": to_organ,
            "referred_on": _iso(referred_on),
            "feedback_due": _iso(due),
            "as_of": today.isoformat(),
        }
        # The organ that owes the feedback is the one concerned (S0 art 16 para 3).
        yield Finding(kind, finding_key(kind, rid, due), None, None, to_organ or unit, evidence)


def find_all(
    s: Session, today: date, *, serious_days: int, labels: dict[str, str], known: AbstractSet[str] = frozenset()
) -> Iterable[Finding]:
    """Every detector's findings on `today` (duplicates of stored ones may be included: the caller skips known keys;
    the clocks, by far the most, are skipped here when their key is in `known`)."""
    yield from _clock_findings(s, today, serious_days, labels, known)
    yield from _supervision_findings(s, today)
    yield from _explanation_findings(s, today)
    yield from _skipping_findings(s, today)
    yield from _attempt_findings(s)
    yield from _inquiry_findings(s)
    yield from _feedback_findings(s, today)


def detect_candidates(db: Database, *, today: date, user: str | None = None) -> dict[str, Any]:
    """Run every detector and store the new findings as open candidates; returns the counts by kind."""
    profile = selected_profile(db)
    labels = {r.id: r.label for r in profile.rules.values()}
    serious = deadline_thresholds(db).seriously_overdue_days
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        known = set(s.scalars(select(AccountabilityCandidateRecord.key)))
        now = datetime.now().replace(microsecond=0)
        new: list[dict[str, Any]] = []
        for f in find_all(s, today, serious_days=serious, labels=labels, known=known):
            if f.key in known:
                continue
            known.add(f.key)
            new.append(
                {
                    "kind": f.kind.value,
                    "key": f.key,
                    "case_id": f.case_id,
                    "unit": f.unit,
                    "evidence": json.dumps({"case_number": f.case_number, **f.evidence}, ensure_ascii=False),
                    "summary": f.summary(),
                    "found_on": today,
                    "status": CandidateStatus.OPEN.value,
                    "created_at": now,
                }
            )
        by_kind: dict[str, int] = {}
        for row in new:
            by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + 1
        if new:
            s.execute(insert(AccountabilityCandidateRecord), new)
            uow.audit.record("detect", "accountability_candidates", today.isoformat(), {"added": by_kind})
            uow.commit()
        open_total = s.scalar(
            select(AccountabilityCandidateRecord.id)
            .where(AccountabilityCandidateRecord.status == CandidateStatus.OPEN.value)
            .limit(1)
        )
    return {"today": today.isoformat(), "added": len(new), "by_kind": by_kind, "any_open": open_total is not None}
