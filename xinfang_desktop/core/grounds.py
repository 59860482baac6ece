"""追责情形 — the grounds catalogue (R-AC-01): every numbered item of the regulations with its full text and citation.

The texts live in ``resources/rules/catalogue/grounds.json``; a rule profile's ``grounds`` section chooses the
regulations that apply (national: 《信访工作责任制实施办法》 art 11 and 《信访工作条例》 arts 42–46;
chongqing and lishui: their own 细则 and the 条例) and, per kind of candidate the ledger can show
(core/accountability_candidates.py), the grounds to suggest first.

A ground's code is the regulation key, the article and the item: ``BF11-2`` is
《信访工作责任制实施办法》第十一条第（二）项, ``TL44-3`` 《信访工作条例》第四十四条第（三）项, ``TL43`` an article
without items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xinfang_desktop.core.errors import DomainError, NotFoundError

CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 11 → 十一, 42 → 四十二 (article and item numbers in citations; 100 and above stay digits)."""
    if not 0 < n < 100:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    tens = "" if n < 20 else CN_DIGITS[n // 10]
    return tens + "十" + (CN_DIGITS[n % 10] if n % 10 else "")


class GroundsError(DomainError):
    """The grounds catalogue or a profile's grounds section is malformed."""


@dataclass(frozen=True)
class Ground:
    """One 追责情形: a numbered item of an article (or an article without items)."""

    code: str
    regulation_key: str
    regulation: str  # 《…》
    issuer: str
    article: int
    item: int | None
    text: str  # the item's own words
    lead: str  # the article's opening sentence ("…有下列情形之一的，应当追究责任：")

    def citation(self) -> str:
        """《信访工作条例》第四十四条第（三）项 — what a document prints."""
        item = f"第（{cn_number(self.item)}）项" if self.item is not None else ""
        return f"{self.regulation}第{cn_number(self.article)}条{item}"

    def full_text(self) -> str:
        return f"{self.lead}{self.text}" if self.item is None and self.lead else self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "regulation": self.regulation,
            "issuer": self.issuer,
            "article": self.article,
            "item": self.item,
            "citation": self.citation(),
            "text": self.text,
            "lead": self.lead,
        }


@dataclass(frozen=True)
class GroundCatalogue:
    """The grounds of one profile, in catalogue order, and the grounds to suggest per candidate kind."""

    profile_id: str
    grounds: Mapping[str, Ground]
    suggestions: Mapping[str, tuple[str, ...]]

    def get(self, code: str) -> Ground:
        key = code.strip().upper()
        found = self.grounds.get(key)
        if found is None:
            choices = "、".join(self.grounds)
            raise NotFoundError(
                f"未知的追责情形“{code}”（规则配置 {self.profile_id}），可选：{choices}", field="ground"
            )
        return found

    def suggested(self, kind: str) -> tuple[Ground, ...]:
        return tuple(self.grounds[c] for c in self.suggestions.get(kind, ()) if c in self.grounds)

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile_id,
            "grounds": [g.to_json() for g in self.grounds.values()],
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
        }


def _str(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise GroundsError(f"{where}缺少文本字段“{key}”")
    return value.strip()


def parse_catalogue(data: Any) -> dict[str, list[Ground]]:
    """Every ground of the catalogue file, by regulation key (one key may span several articles: TL42…TL46)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("regulations"), list):
        raise GroundsError("追责情形目录应为含 regulations 列表的 JSON 对象")
    by_key: dict[str, list[Ground]] = {}
    seen: set[str] = set()
    for n, reg in enumerate(data["regulations"], start=1):
        where = f"追责情形目录第{n}项"
        if not isinstance(reg, Mapping):
            raise GroundsError(f"{where}应为一个对象")
        key = _str(reg, "key", where).upper()
        article = reg.get("article")
        items = reg.get("items")
        if not isinstance(article, int) or isinstance(article, bool) or article < 1:
            raise GroundsError(f"{where}的条（article）应为正整数")
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
            raise GroundsError(f"{where}的项（items）应为非空文本列表")
        name, issuer, lead = _str(reg, "name", where), _str(reg, "issuer", where), _str(reg, "lead", where)
        single = len(items) == 1 and not lead
        for i, text in enumerate(items, start=1):
            code = f"{key}{article}" if single else f"{key}{article}-{i}"
            if code in seen:
                raise GroundsError(f"{where}：追责情形编号 {code} 重复")
            seen.add(code)
            ground = Ground(code, key, name, issuer, article, None if single else i, text.strip(), lead)
            by_key.setdefault(key, []).append(ground)
    return by_key


def catalogue_for(profile_id: str, section: Any, catalogue: Mapping[str, Sequence[Ground]]) -> GroundCatalogue:
    """The grounds a profile's ``grounds`` section selects, with its suggestions checked against them."""
    where = f"规则配置 {profile_id} 的追责情形（grounds）"
    if not isinstance(section, Mapping) or not isinstance(section.get("regulations"), list):
        raise GroundsError(f"{where}应含 regulations 列表")
    grounds: dict[str, Ground] = {}
    for key in section["regulations"]:
        found = catalogue.get(str(key).upper())
        if not found:
            raise GroundsError(f"{where}：目录中没有规定“{key}”，可选：{'、'.join(catalogue)}")
        grounds.update((g.code, g) for g in found)
    suggestions: dict[str, tuple[str, ...]] = {}
    raw = section.get("suggest") or {}
    if not isinstance(raw, Mapping):
        raise GroundsError(f"{where}的 suggest 应为对象")
    for kind, codes in raw.items():
        if not isinstance(codes, list):
            raise GroundsError(f"{where}：suggest.{kind} 应为列表")
        unknown = [c for c in codes if str(c).upper() not in grounds]
        if unknown:
            raise GroundsError(f"{where}：suggest.{kind} 含目录外的情形 {'、'.join(map(str, unknown))}")
        suggestions[str(kind)] = tuple(str(c).upper() for c in codes)
    return GroundCatalogue(profile_id, grounds, suggestions)
