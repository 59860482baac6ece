"""Rule profiles: the statutory clocks (R-DL-01…13) as data, with their length, unit, start event and citation.

Every number lives in a profile (RULES.md preamble): the national profile is the default; a county may choose a
provincial profile with other clocks without a new release. A profile is parsed from a dict (a JSON file under
``resources/rules/``) with precise Chinese errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError

#: The longest clock a profile may define (five years of calendar days).
MAX_RULE_LENGTH = 1826
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")


class TimeUnit(LabelledEnum):
    """日 (calendar days) or 工作日 (working days) (R-TM-01)."""

    DAYS = "days", "日"
    WORKDAYS = "workdays", "工作日"

    def phrase(self, n: int) -> str:
        """60日 / 5个工作日."""
        return f"{n}日" if self is TimeUnit.DAYS else f"{n}个工作日"


class RuleProfileError(DomainError):
    """A rule profile file is malformed, or a rule ID is unknown."""


@dataclass(frozen=True)
class Rule:
    """One statutory clock.

    `length` is None for a clock whose length is set per case (R-DL-05 交办). An extension rule (R-DL-07) carries
    `max_length`, the longest extension allowed; a clock that may be extended names it in `extension_rule`.
    """

    id: str
    label: str
    length: int | None
    unit: TimeUnit
    start_event: str
    citation: str
    max_length: int | None = None
    extension_rule: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "length": self.length,
            "unit": self.unit.value,
            "start_event": self.start_event,
            "citation": self.citation,
            "max_length": self.max_length,
            "extension_rule": self.extension_rule,
            "note": self.note,
        }


@dataclass(frozen=True)
class RuleProfile:
    """A named set of clocks (national, or a province's regulation)."""

    id: str
    name: str
    rules: Mapping[str, Rule]
    description: str | None = None
    #: The other sections of the profile as parsed JSON, by key ("grounds", "duties", "statement_targets",
    #: "ranking"): each is read by its own core module (core/grounds.py, core/duties.py, core/statement_targets.py,
    #: core/composite_ranking.py). A section the profile does not define comes from the profile it extends.
    sections: Mapping[str, Any] = field(default_factory=dict)
    extends: str | None = None

    def section(self, key: str) -> Any:
        """The raw data of one section (None when neither this profile nor the one it extends defines it)."""
        return self.sections.get(key)

    def rule(self, rule_id: str) -> Rule:
        key = rule_id.strip().upper()
        found = self.rules.get(key) or self.rules.get(rule_id.strip())
        if found is None:
            choices = "、".join(self.rules)
            raise RuleProfileError(f"未知的期限规则“{rule_id}”（{self.name}），可选：{choices}", field="rule")
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "extends": self.extends,
            "rules": [r.to_json() for r in self.rules.values()],
        }


def _text(item: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RuleProfileError(f"{where}缺少“{key}”", field=key)
        return None
    if not isinstance(value, str):
        raise RuleProfileError(f"{where}的“{key}”应为文本", field=key)
    return value.strip()


def _req(item: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(item, key, where)
    if value is None:  # pragma: no cover — _text raises for a required key
        raise RuleProfileError(f"{where}缺少“{key}”", field=key)
    return value


def _length(item: Mapping[str, Any], key: str, where: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_RULE_LENGTH:
        raise RuleProfileError(f"{where}的“{key}”应为 1–{MAX_RULE_LENGTH} 的整数，现为“{value}”", field=key)
    return value


def rule_from_dict(item: Mapping[str, Any], where: str = "规则") -> Rule:
    if not isinstance(item, Mapping):
        raise RuleProfileError(f"{where}应为一个对象")
    rule_id = _req(item, "id", where)
    if not _ID_RE.match(rule_id):
        raise RuleProfileError(f"{where}的编号“{rule_id}”无效（应如 R-DL-01）", field="id")
    where = f"规则 {rule_id} "
    unknown = sorted(set(item) - {f for f in Rule.__dataclass_fields__})
    if unknown:
        raise RuleProfileError(f"{where}含有未知字段：{'、'.join(unknown)}")
    unit_text = _req(item, "unit", where)
    try:
        unit = TimeUnit.parse(unit_text)
    except DomainError:
        raise RuleProfileError(f"{where}的单位“{unit_text}”无效，应为 days（日）或 workdays（工作日）") from None
    return Rule(
        id=rule_id,
        label=_req(item, "label", where),
        length=_length(item, "length", where),
        unit=unit,
        start_event=_req(item, "start_event", where),
        citation=_req(item, "citation", where),
        max_length=_length(item, "max_length", where),
        extension_rule=_text(item, "extension_rule", where, required=False),
        note=_text(item, "note", where, required=False),
    )


#: Sections of a profile other than its clocks (each parsed by its own module).
SECTION_KEYS = ("grounds", "duties", "statement_targets", "ranking")
_PROFILE_KEYS = {"id", "name", "description", "rules", "extends", *SECTION_KEYS}


def profile_from_dict(data: Mapping[str, Any], base: RuleProfile | None = None) -> RuleProfile:
    """Parse and check a profile: unique rule IDs, extension rules that exist and carry a maximum.

    A profile that `extends` another (`base`) takes the base's clocks and overrides those it lists, and takes every
    section it does not define itself."""
    if not isinstance(data, Mapping):
        raise RuleProfileError("规则配置应为一个 JSON 对象")
    profile_id = _req(data, "id", "规则配置")
    if not _ID_RE.match(profile_id):
        raise RuleProfileError(f"规则配置编号“{profile_id}”无效（字母开头，仅含字母、数字、-、_）", field="id")
    where = f"规则配置 {profile_id} "
    unknown = sorted(set(data) - _PROFILE_KEYS)
    if unknown:
        raise RuleProfileError(f"{where}含有未知字段：{'、'.join(unknown)}")
    name = _req(data, "name", where)
    extends = _text(data, "extends", where, required=False)
    if extends is not None and (base is None or base.id != extends):
        raise RuleProfileError(f"{where}所继承的规则配置“{extends}”未载入", field="extends")
    items = data.get("rules")
    if not isinstance(items, list) or (not items and base is None):
        raise RuleProfileError(f"{where}缺少规则列表（rules）", field="rules")
    rules: dict[str, Rule] = dict(base.rules) if base is not None else {}
    own: set[str] = set()
    for n, item in enumerate(items, start=1):
        rule = rule_from_dict(item, f"{where}第{n}条规则")
        if rule.id in own:
            raise RuleProfileError(f"{where}的规则编号“{rule.id}”重复", field="rules")
        own.add(rule.id)
        rules[rule.id] = rule
    for rule in rules.values():
        if rule.extension_rule is not None:
            ext = rules.get(rule.extension_rule)
            if ext is None:
                raise RuleProfileError(f"规则 {rule.id} 的延期规则“{rule.extension_rule}”不存在", field="rules")
            if ext.max_length is None:
                raise RuleProfileError(f"延期规则 {ext.id} 缺少延期上限（max_length）", field="rules")
    sections: dict[str, Any] = dict(base.sections) if base is not None else {}
    sections.update({k: data[k] for k in SECTION_KEYS if data.get(k) is not None})
    return RuleProfile(profile_id, name, rules, _text(data, "description", where, required=False), sections, extends)
