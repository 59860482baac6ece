"""Responsibility statements (R-RS-01/02): prefill from last year's ledger, edit, progress, year-end evaluation.

Every write validates all of its input first and then writes in one audited unit of work, so a refusal (a
DomainError, exit code 2 on the command line) leaves the database as it was. Figures come from `queries.py`; the
arithmetic and the verdicts from `core/statement_targets.py`; the targets from the rule profile's section
`statement_targets`. A statement's party is keyed "county" (the county's own, with the city) or "unit:<id>".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import ConflictError, DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.core.statement_targets import (
    COUNTY_ALIASES,
    COUNTY_PARTY,
    DEFAULT_CONSEQUENCES,
    DEFAULT_MEASURES,
    MEASURES,
    LedgerFigures,
    Measured,
    TargetKind,
    TargetSpec,
    TargetStatus,
    Verdict,
    YearClock,
    check_target_value,
    check_year,
    format_value,
    measure,
    parse_target_specs,
    prefill_target,
    target_status,
    target_wording,
    unit_of,
    verdict_counts,
    year_clock,
)
from xinfang_desktop.persistence.assessment_queries import TOWNSHIP_CODE_LENGTH
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import DocumentRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.statements.queries import Party, party_figures
from xinfang_desktop.persistence.statements.records import ResponsibilityStatementRecord, StatementTargetRecord
from xinfang_desktop.persistence.uow import unit_of_work

ENTITY = "responsibility_statement"
MAX_ITEMS = 30
MEASURE_MAX = 1000
PARTY_MAX = 128
SIGNATORY_MAX = 64
TARGET_TEXT_MAX = 100
NOTE_MAX = 2000
HAND_EDITED = "（目标值为手工调整，未按上年数据重算）"


# --- parties ---------------------------------------------------------------------------------------------------


@dataclass
class PartyRegistry:
    """The parties of the statements as the unit register has them (R-RS-01; **I** in core/statement_targets.py):
    the units directly under the county's top unit (the top unit with subordinates, 甲方 of their statements) and
    the other top units; townships are those whose region is a township. Sub-units sign with their department."""

    parties: list[Party]
    top_name: str
    city_name: str
    units: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # name → (id, region)

    @property
    def by_key(self) -> dict[str, Party]:
        return {p.key: p for p in self.parties}

    def first_party(self, party: Party) -> str:
        return self.city_name if party.kind == "county" else self.top_name

    def second_party(self, party: Party) -> str:
        return self.top_name if party.kind == "county" else party.name

    def resolve(self, ref: str) -> Party:
        """A party from what the user typed: 县本级 / county, a unit's name, or a key ("unit:12")."""
        text = (ref or "").strip()
        if not text:
            raise DomainError("请指定单位（单位名称，县本级责任书用“县本级”）", field="unit")
        if text in COUNTY_ALIASES or text == COUNTY_PARTY:
            return self.by_key[COUNTY_PARTY]
        found = self.by_key.get(text)
        if found is not None:
            return found
        for party in self.parties:
            if party.name == text:
                return party
        if text in self.units:
            unit_id, region = self.units[text]
            # A unit that is not a party now may still have a statement of an earlier year.
            return Party(
                f"unit:{unit_id}", unit_id, text, _kind(region), region if _kind(region) == "township" else None
            )
        choices = "、".join(p.name for p in self.parties[:8])
        more = "等" if len(self.parties) > 8 else ""
        raise NotFoundError(f"未登记的单位“{text}”（可选：{choices}{more}；县本级责任书用“县本级”）", field="unit")


def _kind(region: str | None) -> str:
    return "township" if region is not None and len(region) == TOWNSHIP_CODE_LENGTH else "unit"


def load_parties(session: Session) -> PartyRegistry:
    """The county and every township and unit that signs a statement, in register order."""
    units = session.execute(
        select(UnitRecord.id, UnitRecord.name, UnitRecord.parent_id, UnitRecord.region_code).order_by(UnitRecord.id)
    ).all()
    regions = {
        code: (name, level, parent)
        for code, name, level, parent in session.execute(
            select(RegionRecord.code, RegionRecord.name, RegionRecord.level, RegionRecord.parent_code)
        )
    }
    children: dict[int, int] = {}
    for _, _, parent, _ in units:
        if parent is not None:
            children[parent] = children.get(parent, 0) + 1
    tops = [u for u in units if u.parent_id is None]
    top = max(tops, key=lambda u: (children.get(u.id, 0), -u.id)) if tops else None
    county_code = top.region_code if top is not None else None
    if county_code is None:
        county_code = next((c for c, (_, level, _) in regions.items() if level == "county"), None)
    county = regions.get(county_code) if county_code else None
    city = regions.get(county[2]) if county and county[2] else None
    top_name = top.name if top is not None else (f"{county[0]}人民政府" if county else "县人民政府")
    city_name = f"{city[0]}人民政府" if city else "上级人民政府"
    parties = [Party(COUNTY_PARTY, None, "县本级", "county")]
    for u in units:
        if top is not None and u.id == top.id:
            continue
        if u.parent_id is None or (top is not None and u.parent_id == top.id):
            kind = _kind(u.region_code)
            parties.append(Party(f"unit:{u.id}", u.id, u.name, kind, u.region_code if kind == "township" else None))
    return PartyRegistry(parties, top_name, city_name, {u.name: (u.id, u.region_code) for u in units})


# --- reading -----------------------------------------------------------------------------------------------------


def target_specs(db: Database) -> tuple[TargetSpec, ...]:
    """The targets of the office's rule profile (R-RS-02); a DomainError when the section is faulty."""
    return parse_target_specs(selected_profile(db).section("statement_targets"))


def _texts(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _target_json(t: StatementTargetRecord) -> dict[str, Any]:
    unit = unit_of(t.code) or ("%" if t.kind == TargetKind.RATE_MIN.value else "")
    return {
        "code": t.code,
        "label": t.label,
        "kind": t.kind,
        "kind_label": TargetKind(t.kind).label if t.kind in TargetKind._value2member_map_ else t.kind,
        "unit": unit,
        "baseline": t.baseline,
        "baseline_year": t.baseline_year,
        "baseline_text": format_value(t.baseline, unit),
        "target": t.target_value,
        "target_text": t.target_text,
        "note": t.note,
        "measurable": t.code in MEASURES,
    }


@dataclass(frozen=True)
class _Target:
    """A stored target as plain values (records do not outlive their session)."""

    code: str
    label: str
    kind: TargetKind
    baseline: float | None
    baseline_year: int | None
    target_value: float | None
    target_text: str


def _plain_targets(session: Session, statement_id: int) -> list[_Target]:
    return [
        _Target(t.code, t.label, TargetKind(t.kind), t.baseline, t.baseline_year, t.target_value, t.target_text)
        for t in _targets(session, statement_id)
    ]


def _targets(session: Session, statement_id: int) -> list[StatementTargetRecord]:
    return list(
        session.scalars(
            select(StatementTargetRecord)
            .where(StatementTargetRecord.statement_id == statement_id)
            .order_by(StatementTargetRecord.position, StatementTargetRecord.id)
        )
    )


def _party_of(registry: PartyRegistry, rec: ResponsibilityStatementRecord, names: Mapping[int, str]) -> Party:
    found = registry.by_key.get(rec.party_key)
    if found is not None:
        return found
    name = names.get(rec.unit_id or 0, rec.second_party)
    region = registry.units.get(name, (0, None))[1]
    return Party(rec.party_key, rec.unit_id, name, _kind(region), region if _kind(region) == "township" else None)


def _snapshot(
    session: Session, rec: ResponsibilityStatementRecord, party: Party, *, with_targets: bool = True
) -> dict[str, Any]:
    document = session.get(DocumentRecord, rec.document_id) if rec.document_id else None
    evaluation = json.loads(rec.evaluation) if rec.evaluation else None
    data: dict[str, Any] = {
        "id": rec.id,
        "year": rec.year,
        "party": rec.party_key,
        "party_name": party.name,
        "party_kind": party.kind,
        "party_kind_label": party.kind_label,
        "unit_id": rec.unit_id,
        "first_party": rec.first_party,
        "second_party": rec.second_party,
        "first_signatory": rec.first_signatory,
        "second_signatory": rec.second_signatory,
        "measures": _texts(rec.measures),
        "consequences": _texts(rec.consequences),
        "signed": rec.signed_on is not None,
        "signed_on": rec.signed_on.isoformat() if rec.signed_on else None,
        "document": {"id": document.id, "number": document.number, "version": document.version} if document else None,
        "evaluated_on": rec.evaluated_on.isoformat() if rec.evaluated_on else None,
        "evaluation": evaluation,
        "evaluation_note": rec.evaluation_note,
        "created_at": rec.created_at.isoformat(timespec="seconds"),
        "updated_at": rec.updated_at.isoformat(timespec="seconds"),
    }
    if with_targets:
        data["targets"] = [_target_json(t) for t in _targets(session, rec.id)]
    return data


def _unit_names(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(UnitRecord.id, UnitRecord.name))}


def _statements(session: Session, year: int) -> list[ResponsibilityStatementRecord]:
    return list(
        session.scalars(
            select(ResponsibilityStatementRecord)
            .where(ResponsibilityStatementRecord.year == year)
            .order_by(ResponsibilityStatementRecord.id)
        )
    )


def _ordered(registry: PartyRegistry, records: Sequence[ResponsibilityStatementRecord]) -> list[Any]:
    """The county's statement first, then the parties in register order, then statements of former parties."""
    order = {p.key: i for i, p in enumerate(registry.parties)}
    return sorted(records, key=lambda r: (order.get(r.party_key, len(order)), r.id))


def _find(session: Session, year: int, party: Party) -> ResponsibilityStatementRecord:
    rec = session.scalar(
        select(ResponsibilityStatementRecord).where(
            ResponsibilityStatementRecord.year == year, ResponsibilityStatementRecord.party_key == party.key
        )
    )
    if rec is None:
        raise NotFoundError(f"{year}年度尚无“{party.name}”的责任书，请先按上年数据生成", field="unit")
    return rec


def show_statement(db: Database, year: int, unit: str) -> dict[str, Any]:
    """One statement with its targets (R-RS-01)."""
    check_year(year)
    with db.read_session() as s:
        registry = load_parties(s)
        party = registry.resolve(unit)
        rec = _find(s, year, party)
        return _snapshot(s, rec, party)


# --- prefill (R-RS-02) -------------------------------------------------------------------------------------------


def _baseline_period(year: int, today: date) -> tuple[date, date]:
    start, end = date(year - 1, 1, 1), min(date(year - 1, 12, 31), today)
    if end < start:
        raise DomainError(
            f"{year - 1}年尚未开始（今天是{today.isoformat()}），无法按上年数据生成{year}年度责任书", field="year"
        )
    return start, end


def _auto(spec: TargetSpec, baseline: float | None, year: int) -> tuple[float | None, str]:
    draft = prefill_target(spec, Measured(baseline, 0, None), year=year)
    return draft.target_value, draft.target_text


@requires("accountability.manage")
def prefill(
    db: Database,
    year: int,
    *,
    today: date,
    units: Sequence[str] = (),
    force: bool = False,
    user: str | None = None,
    parallel: bool = True,
) -> dict[str, Any]:
    """Create or refresh the statements of `year` from last year's figures (R-RS-02): every party, or those named.

    A signed statement keeps its targets unless `force`: skipped when all parties are refreshed, refused (nothing
    written) when named. On an unsigned statement a target edited by hand keeps its value and wording (only its
    baseline is refreshed); `force` recomputes every target."""
    check_year(year)
    specs = target_specs(db)
    if not specs:
        raise DomainError("所选规则配置没有责任书目标（statement_targets）", field="profile")
    start, end = _baseline_period(year, today)
    with db.read_session() as s:
        registry = load_parties(s)
        chosen = [registry.resolve(u) for u in units] if units else list(registry.parties)
        chosen = list({p.key: p for p in chosen}.values())
        existing = {r.party_key: r for r in _statements(s, year)}
        if units and not force:
            signed = [p.name for p in chosen if p.key in existing and existing[p.key].signed_on is not None]
            if signed:
                raise ConflictError(
                    f"{'、'.join(signed)}的{year}年度责任书已签订，不会覆盖其目标；"
                    "确需重算请选择“强制重算”（命令行 --force）",
                    field="unit",
                )
    figures = party_figures(db.read_session, chosen, start, end, today=today, parallel=parallel)
    created: list[str] = []
    refreshed: list[str] = []
    skipped: list[dict[str, str]] = []
    changed: list[tuple[int, Party]] = []
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        current = {r.party_key: r for r in _statements(s, year)}
        for party in chosen:
            rec = current.get(party.key)
            if rec is not None and rec.signed_on is not None and not force:
                skipped.append({"party": party.name, "reason": f"已于{rec.signed_on.isoformat()}签订，目标未覆盖"})
                continue
            if rec is None:
                rec = ResponsibilityStatementRecord(
                    year=year,
                    party_key=party.key,
                    unit_id=party.unit_id,
                    first_party=registry.first_party(party),
                    second_party=registry.second_party(party),
                    measures=json.dumps(list(DEFAULT_MEASURES), ensure_ascii=False),
                    consequences=json.dumps(list(DEFAULT_CONSEQUENCES), ensure_ascii=False),
                    created_at=uow.now,
                    updated_at=uow.now,
                )
                s.add(rec)
                s.flush()
                created.append(party.name)
            else:
                rec.updated_at = uow.now
                refreshed.append(party.name)
            summary = _apply_prefill(s, rec, specs, figures[party.key], year=year, force=force)
            uow.audit.record(
                "prefill",
                ENTITY,
                f"{year}/{party.key}",
                {"year": year, "party": party.name, "baseline_period": [start, end], "force": force, **summary},
            )
            changed.append((rec.id, party))
        uow.commit()
    with db.read_session() as s:
        statements = [
            _snapshot(s, rec, party)
            for sid, party in changed
            if (rec := s.get(ResponsibilityStatementRecord, sid)) is not None
        ]
    return {
        "year": year,
        "baseline_year": year - 1,
        "baseline_period": {"from": start.isoformat(), "to": end.isoformat()},
        "today": today.isoformat(),
        "created": created,
        "refreshed": refreshed,
        "skipped": skipped,
        "statements": statements,
    }


def _apply_prefill(
    s: Session,
    rec: ResponsibilityStatementRecord,
    specs: Sequence[TargetSpec],
    figures: LedgerFigures,
    *,
    year: int,
    force: bool,
) -> dict[str, Any]:
    have = {t.code: t for t in _targets(s, rec.id)}
    kept: list[str] = []
    values: dict[str, float | None] = {}
    for position, spec in enumerate(specs, start=1):
        draft = prefill_target(spec, measure(spec.code, figures), year=year)
        old = have.get(spec.code)
        if old is None:
            s.add(
                StatementTargetRecord(
                    statement_id=rec.id,
                    position=position,
                    code=spec.code,
                    label=spec.label,
                    kind=spec.kind.value,
                    baseline=draft.baseline,
                    baseline_year=draft.baseline_year,
                    target_value=draft.target_value,
                    target_text=draft.target_text,
                    note=draft.note,
                )
            )
            values[spec.code] = draft.target_value
            continue
        auto_value, auto_text = _auto(spec, old.baseline, year)
        edited_value = old.target_value != auto_value
        edited_text = old.target_text != auto_text and old.target_text != target_wording(
            spec.kind, spec.code, old.target_value, spec=spec, baseline=old.baseline
        )
        old.position, old.label, old.kind = position, spec.label, spec.kind.value
        old.baseline, old.baseline_year = draft.baseline, draft.baseline_year
        if force or not (edited_value or edited_text):
            old.target_value, old.target_text, old.note = draft.target_value, draft.target_text, draft.note
        else:
            kept.append(spec.code)
            old.note = draft.note + HAND_EDITED
        values[spec.code] = old.target_value
    return {"targets": values, "kept_hand_edited": kept}


# --- editing -----------------------------------------------------------------------------------------------------

#: "Leave as it is" for the optional fields where None means "clear" (signatories, the signing date).
UNSET: Any = object()


def _check_texts(problems: list[FieldProblem], key: str, label: str, items: Sequence[str], *, required: bool) -> None:
    if required and not items:
        problems.append(FieldProblem(key, label, "至少填写一项"))
    if len(items) > MAX_ITEMS:
        problems.append(FieldProblem(key, label, f"不能超过{MAX_ITEMS}项"))
    for n, item in enumerate(items, start=1):
        problems += check_text(key, f"{label}第{n}项", item, max_length=MEASURE_MAX)


@requires("accountability.manage")
def update_statement(
    db: Database,
    year: int,
    unit: str,
    *,
    targets: Mapping[str, float] | None = None,
    target_texts: Mapping[str, str] | None = None,
    first_party: str | None = None,
    second_party: str | None = None,
    first_signatory: str | None = UNSET,
    second_signatory: str | None = UNSET,
    measures: Sequence[str] | None = None,
    consequences: Sequence[str] | None = None,
    signed_on: date | None = UNSET,
    force: bool = False,
    user: str | None = None,
) -> dict[str, Any]:
    """Edit one statement (R-RS-01): target values and wordings, the parties, signatories (None or "" clears),
    measures and consequences (each list replaces the old one), the signing date (None: not signed).

    Everything is checked before anything is written; the targets of a signed statement change only with `force`."""
    check_year(year)
    targets, target_texts = dict(targets or {}), dict(target_texts or {})
    problems: list[FieldProblem] = []
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        registry = load_parties(s)
        party = registry.resolve(unit)
        rec = _find(s, year, party)
        have = {t.code: t for t in _targets(s, rec.id)}
        # A target may be named by its code or its Chinese name.
        codes = {t.label: t.code for t in have.values()}
        targets = {codes.get(k, k): v for k, v in targets.items()}
        target_texts = {codes.get(k, k): v for k, v in target_texts.items()}
        for code in sorted(set(targets) | set(target_texts)):
            if code not in have:
                choices = "、".join(f"{c}（{t.label}）" for c, t in have.items())
                problems.append(FieldProblem(f"targets.{code}", code, f"责任书中没有此目标，可选：{choices}"))
        for code, value in targets.items():
            if code in have:
                reason = check_target_value(TargetKind(have[code].kind), code, value)
                if reason:
                    problems.append(FieldProblem(f"targets.{code}", have[code].label, reason))
        for code, text in target_texts.items():
            if code in have:
                problems += check_text(f"targets.{code}", f"{have[code].label}的表述", text, max_length=TARGET_TEXT_MAX)
        for key, label, name in (("first_party", "甲方", first_party), ("second_party", "乙方", second_party)):
            if name is not None:
                problems += check_text(key, label, name, max_length=PARTY_MAX)
        for key, label, person in (
            ("first_signatory", "甲方负责人", first_signatory),
            ("second_signatory", "乙方负责人", second_signatory),
        ):
            if person is not UNSET and person:
                problems += check_text(key, label, person, max_length=SIGNATORY_MAX)
        if measures is not None:
            _check_texts(problems, "measures", "工作措施", measures, required=True)
        if consequences is not None:
            _check_texts(problems, "consequences", "考核与责任追究", consequences, required=False)
        first = (first_party or rec.first_party).strip()
        second = (second_party or rec.second_party).strip()
        if first == second:
            problems.append(FieldProblem("second_party", "乙方", "不能与甲方相同"))
        if signed_on is not UNSET and signed_on is not None and signed_on.year not in (year - 1, year):
            problems.append(
                FieldProblem(
                    "signed_on", "签订日期", f"{signed_on.year}年签订与责任年度{year}年不符（应在当年或上一年）"
                )
            )
        if problems:
            raise ValidationError(problems)
        nothing = (
            not targets
            and not target_texts
            and first_party is None
            and second_party is None
            and first_signatory is UNSET
            and second_signatory is UNSET
            and measures is None
            and consequences is None
            and signed_on is UNSET
        )
        if nothing:
            raise DomainError("未指定要修改的内容", field="unit")
        if (targets or target_texts) and rec.signed_on is not None and not force:
            raise ConflictError(
                f"该责任书已于{rec.signed_on.isoformat()}签订，修改目标须确认强制修改（命令行 --force），或先撤销签订",
                field="target",
            )
        changes: dict[str, Any] = {}
        for code, value in targets.items():
            t = have[code]
            changes[f"target:{code}"] = [t.target_value, value]
            t.target_value = float(value)
            if code not in target_texts:
                # A value set by hand reads as its ceiling or floor, not as a reduction recomputed from the baseline.
                t.target_text = target_wording(TargetKind(t.kind), code, t.target_value, spec=None, baseline=t.baseline)
        for code, text in target_texts.items():
            t = have[code]
            changes[f"target_text:{code}"] = [t.target_text, text.strip()]
            t.target_text = text.strip()
        if first_party is not None:
            changes["first_party"] = [rec.first_party, first]
            rec.first_party = first
        if second_party is not None:
            changes["second_party"] = [rec.second_party, second]
            rec.second_party = second
        if first_signatory is not UNSET:
            signatory = (first_signatory or "").strip() or None
            changes["first_signatory"] = [rec.first_signatory, signatory]
            rec.first_signatory = signatory
        if second_signatory is not UNSET:
            signatory = (second_signatory or "").strip() or None
            changes["second_signatory"] = [rec.second_signatory, signatory]
            rec.second_signatory = signatory
        if measures is not None:
            items = [m.strip() for m in measures]
            changes["measures"] = items
            rec.measures = json.dumps(items, ensure_ascii=False)
        if consequences is not None:
            items = [c.strip() for c in consequences]
            changes["consequences"] = items
            rec.consequences = json.dumps(items, ensure_ascii=False)
        if signed_on is not UNSET:
            changes["signed_on"] = [rec.signed_on, signed_on]
            rec.signed_on = signed_on
        rec.updated_at = uow.now
        uow.audit.record("update", ENTITY, f"{year}/{party.key}", {"year": year, "party": party.name, **changes})
        s.flush()
        result = _snapshot(s, rec, party)
        uow.commit()
    return result


# --- progress during the year (R-RS-02) ---------------------------------------------------------------------------


def _statuses(targets: Sequence[_Target], figures: LedgerFigures, clock: YearClock) -> list[TargetStatus]:
    return [
        target_status(t.code, t.label, t.kind, t.baseline, t.target_value, measure(t.code, figures), clock)
        for t in targets
    ]


def _status_json(status: TargetStatus, t: _Target) -> dict[str, Any]:
    return {**status.to_json(), "target_text": t.target_text, "baseline_year": t.baseline_year}


def _chosen_statements(
    s: Session, year: int, unit: str | None
) -> tuple[PartyRegistry, dict[int, str], list[ResponsibilityStatementRecord]]:
    """The parties, unit names and the year's statements in register order — all, or `unit`'s (refused when it has
    none)."""
    registry = load_parties(s)
    records = _ordered(registry, _statements(s, year))
    if unit is not None:
        wanted = registry.resolve(unit)
        records = [r for r in records if r.party_key == wanted.key]
        if not records:
            _find(s, year, wanted)
    return registry, _unit_names(s), records


def progress(db: Database, year: int, *, today: date, unit: str | None = None, parallel: bool = True) -> dict[str, Any]:
    """Each target's current value from the ledger, its formula, the projection to 31 December and the verdict,
    for every statement of the year (or one party's)."""
    check_year(year)
    clock = year_clock(year, today)
    with db.read_session() as s:
        registry, names, records = _chosen_statements(s, year, unit)
        items = []
        for r in records:
            party = _party_of(registry, r, names)
            items.append((party, _plain_targets(s, r.id), _snapshot(s, r, party, with_targets=False)))
        have = {r.party_key for r in _statements(s, year)}
        without = [p.name for p in registry.parties if p.key not in have]
    start, end = date(year, 1, 1), clock.period_end
    parties = [party for party, _, _ in items]
    figures = party_figures(db.read_session, parties, start, end, today=today, parallel=parallel) if parties else {}
    statements = []
    for party, targets, snap in items:
        statuses = _statuses(targets, figures.get(party.key, LedgerFigures()), clock)
        counts = verdict_counts(statuses)
        statements.append(
            {
                **snap,
                "targets": [_status_json(st, t) for st, t in zip(statuses, targets, strict=True)],
                "counts": counts,
                "at_risk": counts[Verdict.AT_RISK.value],
                "missed": counts[Verdict.MISSED.value],
                "figures": figures.get(party.key, LedgerFigures()).to_json(),
            }
        )
    return {
        "year": year,
        "today": today.isoformat(),
        "clock": clock.to_json(),
        "period": {"from": start.isoformat(), "to": end.isoformat()} if clock.started else None,
        "statements": statements,
        "without_statement": without,
    }


def list_statements(db: Database, year: int, *, today: date, parallel: bool = True) -> dict[str, Any]:
    """The statements of the year with their target counts and the progress verdicts (at risk, missed), and the
    parties that have none yet."""
    data = progress(db, year, today=today, parallel=parallel)
    rows = []
    for st in data["statements"]:
        rows.append(
            {
                key: st[key]
                for key in (
                    "id",
                    "year",
                    "party",
                    "party_name",
                    "party_kind",
                    "party_kind_label",
                    "first_party",
                    "second_party",
                    "signed",
                    "signed_on",
                    "document",
                    "evaluated_on",
                    "counts",
                    "at_risk",
                    "missed",
                )
            }
            | {"targets": len(st["targets"])}
        )
    return {"year": year, "today": data["today"], "statements": rows, "without_statement": data["without_statement"]}


# --- year-end evaluation (R-RS-02 → R-AS-04) -----------------------------------------------------------------------


@requires("case.decide")
def evaluate(
    db: Database,
    year: int,
    *,
    on: date,
    unit: str | None = None,
    note: str | None = None,
    user: str | None = None,
    parallel: bool = True,
) -> dict[str, Any]:
    """Record the year-end evaluation of the statements (every one of the year, or one party's): each target's value
    for the whole year and met / missed, as of `on` (not before 31 December). Carried into the annual assessment by
    `statement_evaluations` (R-AS-04). Evaluating again replaces the record (the audit keeps the old one)."""
    check_year(year)
    if on < date(year, 12, 31):
        raise DomainError(f"年度考评日期应不早于{year}年12月31日（年度结束），而不是{on.isoformat()}", field="date")
    if note is not None:
        problems = check_text("note", "考评说明", note, max_length=NOTE_MAX, required=False, multiline=True)
        if problems:
            raise ValidationError(problems)
    clock = year_clock(year, on)
    with db.read_session() as s:
        registry, names, records = _chosen_statements(s, year, unit)
        if not records:
            raise NotFoundError(f"{year}年度尚无责任书，无法考评", field="year")
        items = [(r.id, _party_of(registry, r, names), _plain_targets(s, r.id)) for r in records]
    figures = party_figures(
        db.read_session, [p for _, p, _ in items], date(year, 1, 1), date(year, 12, 31), today=on, parallel=parallel
    )
    results = []
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        for sid, party, targets in items:
            rec = s.get(ResponsibilityStatementRecord, sid)
            assert rec is not None
            statuses = _statuses(targets, figures[party.key], clock)
            counts = verdict_counts(statuses)
            evaluation = {
                "evaluated_on": on.isoformat(),
                "period": {"from": f"{year}-01-01", "to": f"{year}-12-31"},
                "targets": [
                    {
                        "code": st.code,
                        "label": st.label,
                        "target": st.target,
                        "target_text": t.target_text,
                        "value": st.current.value,
                        "numerator": st.current.numerator,
                        "denominator": st.current.denominator,
                        "verdict": st.verdict.value,
                        "verdict_label": st.verdict.label,
                        "reason": st.reason,
                    }
                    for st, t in zip(statuses, targets, strict=True)
                ],
                "met": counts[Verdict.MET.value],
                "missed": counts[Verdict.MISSED.value],
                "no_data": counts[Verdict.NO_DATA.value],
                "overall": Verdict.MISSED.value if counts[Verdict.MISSED.value] else Verdict.MET.value,
            }
            uow.audit.record(
                "evaluate",
                ENTITY,
                f"{year}/{party.key}",
                {"year": year, "party": party.name, "previous": rec.evaluated_on, **evaluation},
            )
            rec.evaluated_on = on
            rec.evaluation = json.dumps(evaluation, ensure_ascii=False)
            rec.evaluation_note = note.strip() if note and note.strip() else rec.evaluation_note
            rec.updated_at = uow.now
            results.append({"party": rec.party_key, "party_name": party.name, **evaluation})
        uow.commit()
    return {"year": year, "evaluated_on": on.isoformat(), "statements": results}


def statement_evaluations(db: Database, year: int) -> list[dict[str, Any]]:
    """The recorded year-end evaluations of `year`, for the annual assessment of subordinate regions and units
    (R-AS-04): party, unit, evaluation date, targets met / missed and the per-target figures."""
    check_year(year)
    with db.read_session() as s:
        registry = load_parties(s)
        names = _unit_names(s)
        result = []
        for rec in _ordered(registry, _statements(s, year)):
            if rec.evaluation is None:
                continue
            party = _party_of(registry, rec, names)
            result.append(
                {
                    "party": rec.party_key,
                    "party_name": party.name,
                    "party_kind": party.kind,
                    "unit_id": rec.unit_id,
                    "second_party": rec.second_party,
                    "evaluated_on": rec.evaluated_on.isoformat() if rec.evaluated_on else None,
                    "note": rec.evaluation_note,
                    **json.loads(rec.evaluation),
                }
            )
    return result


# --- the document (R-RS-01) -----------------------------------------------------------------------------------------


def document_input(db: Database, year: int, unit: str) -> tuple[dict[str, Any], str | None, int]:
    """The 责任书's input (documents/types/responsibility_statement.py) built from the stored statement, the number
    of its last issued document (a new render is its next version) and the statement's id.

    The printed 说明 of a target is last year's actual figure (the regulations it comes from are cited in the
    preamble; rule IDs stay out of print)."""
    check_year(year)
    with db.read_session() as s:
        registry = load_parties(s)
        party = registry.resolve(unit)
        rec = _find(s, year, party)
        targets = _targets(s, rec.id)
        previous = s.get(DocumentRecord, rec.document_id) if rec.document_id else None
        rows = []
        for t in targets:
            unit_name = unit_of(t.code) or ("%" if t.kind == TargetKind.RATE_MIN.value else "")
            note = None
            if t.baseline is not None and t.baseline_year is not None:
                note = f"{t.baseline_year}年实际{format_value(t.baseline, unit_name)}"
            rows.append({"item": t.label, "value": t.target_text, "note": note})
        data: dict[str, Any] = {
            "year": rec.year,
            "first_party": rec.first_party,
            "second_party": rec.second_party,
            "first_signatory": rec.first_signatory,
            "second_signatory": rec.second_signatory,
            "targets": rows,
            "measures": _texts(rec.measures),
            "consequences": _texts(rec.consequences),
            "signed_on": rec.signed_on.isoformat() if rec.signed_on else None,
        }
        return data, previous.number if previous else None, rec.id


def link_document(db: Database, statement_id: int, document_id: int, number: str, *, user: str | None = None) -> None:
    """Record the issued 责任书 on its statement (audited)."""
    with unit_of_work(db, user=user) as uow:
        rec = uow.session.get(ResponsibilityStatementRecord, statement_id)
        if rec is None:
            raise NotFoundError("责任书不存在", field="statement")
        rec.document_id = document_id
        rec.updated_at = uow.now
        uow.audit.record(
            "render", ENTITY, f"{rec.year}/{rec.party_key}", {"document_id": document_id, "number": number}
        )
        uow.commit()


__all__ = [
    "UNSET",
    "PartyRegistry",
    "document_input",
    "evaluate",
    "link_document",
    "list_statements",
    "load_parties",
    "prefill",
    "progress",
    "show_statement",
    "statement_evaluations",
    "target_specs",
    "update_statement",
]
