"""The grounds catalogue file (resources/rules/catalogue/grounds.json) read once, and the grounds of a profile."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.grounds import Ground, GroundCatalogue, catalogue_for, parse_catalogue
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.paths import resource

_lock = threading.Lock()
_parsed: dict[str, list[Ground]] | None = None


def _catalogue() -> dict[str, list[Ground]]:
    global _parsed
    with _lock:
        if _parsed is None:
            path = resource("rules") / "catalogue" / "grounds.json"
            try:
                _parsed = parse_catalogue(json.loads(path.read_text(encoding="utf-8")))
            except json.JSONDecodeError as exc:
                raise DomainError(f"追责情形目录 {path.name} JSON 格式错误：第 {exc.lineno} 行，{exc.msg}") from None
        return _parsed


def grounds_of(profile: RuleProfile) -> GroundCatalogue:
    """The grounds the profile selects (R-AC-01), with its suggestions per candidate kind."""
    catalogue: dict[str, Sequence[Ground]] = dict(_catalogue())
    return catalogue_for(profile.id, profile.section("grounds"), catalogue)
