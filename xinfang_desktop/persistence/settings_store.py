"""Office settings stored in the database (they migrate and back up with the data): JSON values by key."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import SettingRecord

#: Keys of what the application keeps for speed beside the settings (not settings: `all` leaves them out).
CACHE_PREFIX = "cache."

# What a new office starts with; every key can be changed in 设置 or with `xinfang settings set`.
DEFAULTS: dict[str, object] = {
    "office_name": "示范县信访局",
    "case_number_prefix": "XF",
    "case_number_format": "{prefix}{year}-{seq:06d}",
    "collective_threshold": 5,
    "rule_profile": "national",
    "statistics_caliber": "natural",  # issue 14: or 21-20 (上月21日至本月20日)
}


class SqlSettings:
    """Settings read once per session (a unit of work sees one consistent snapshot) and written through."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._snapshot: dict[str, object] | None = None

    def _stored(self) -> dict[str, object]:
        if self._snapshot is None:
            rows = self.session.execute(select(SettingRecord.key, SettingRecord.value)).all()
            self._snapshot = {key: json.loads(raw) for key, raw in rows}
        return self._snapshot

    def get(self, key: str, default: object = None) -> object:
        stored = self._stored()
        if key not in stored:
            return DEFAULTS.get(key, default) if default is None else default
        return stored[key]

    def set(self, key: str, value: object) -> None:
        record = self.session.get(SettingRecord, key)
        text = json.dumps(value, ensure_ascii=False)
        if record is None:
            self.session.add(SettingRecord(key=key, value=text))
        else:
            record.value = text
        self.session.flush()
        self._stored()[key] = value

    def all(self) -> dict[str, object]:
        """Every setting (the caches kept beside them are not settings: left out)."""
        values = dict(DEFAULTS)
        for key, raw in self.session.execute(select(SettingRecord.key, SettingRecord.value)):
            if not key.startswith(CACHE_PREFIX):
                values[key] = json.loads(raw)
        return values


# Optional keys (no default: the documents use their built-in wording until the office sets them).
OPTIONAL_TEXT_KEYS = {
    "document_issuer_mark": "发文机关标志（版头红字）",
    "document_abbreviation": "发文机关代字（如 示信）",
    "review_organ": "复查机关（写入处理意见书的救济告知）",
    "final_review_organ": "复核机关（写入复查意见书的救济告知）",
    "higher_leading_group": "上级信访工作领导小组",
    "higher_leaders": "上级党政主要领导",
    "office_address": "本单位地址",
    "office_phone": "本单位电话",
    "query_hint": "信访人查询办理情况的方式（回执上）",
}
OPTIONAL_KEYS = (
    *OPTIONAL_TEXT_KEYS,
    "document_prefixes",
    "deadline_thresholds",
    "ledger_views",
    "ranking_weights",
    "rectification_explanation_workdays",
)
LEDGER_VIEW_NAME_MAX = 40


def valid_view(name: object, state: object) -> bool:
    """A ledger view: a name of 1-40 characters and its state, an object of named fields (shared or a user's own)."""
    return (
        isinstance(name, str)
        and bool(name.strip())
        and len(name) <= LEDGER_VIEW_NAME_MAX
        and isinstance(state, dict)
        and all(isinstance(field, str) for field in state)
    )


def _check(key: str, value: object) -> None:
    """Refuse values that would break the office's work later (a number format that could repeat, …)."""
    from xinfang_desktop.core.case_numbers import check_format
    from xinfang_desktop.core.errors import DomainError

    if key not in DEFAULTS and key not in OPTIONAL_KEYS:
        raise DomainError(f"未知的设置项“{key}”，可选：{'、'.join([*DEFAULTS, *OPTIONAL_KEYS])}", field=key)
    if key in OPTIONAL_TEXT_KEYS and (not isinstance(value, str) or not value.strip() or len(value) > 200):
        raise DomainError(f"{OPTIONAL_TEXT_KEYS[key]}应为不超过200字的文本", field=key)
    if key == "document_prefixes" and not (
        isinstance(value, dict)
        and all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items())
    ):
        raise DomainError('发文字号前缀应为 JSON 对象，如 {"acceptance_notice": "示信受"}', field=key)
    if key == "deadline_thresholds" and not (
        isinstance(value, dict)
        and all(
            k in ("due_soon_workdays", "seriously_overdue_days") and isinstance(v, int) and v >= 0
            for k, v in value.items()
        )
    ):
        raise DomainError('期限阈值应为 {"due_soon_workdays": 3, "seriously_overdue_days": 30}', field=key)
    if key == "ledger_views" and not (isinstance(value, dict) and all(valid_view(k, v) for k, v in value.items())):
        raise DomainError(f"台账视图应为 {{视图名称: {{筛选条件}}}}，名称不超过{LEDGER_VIEW_NAME_MAX}字", field=key)
    if key in ("statistics_caliber", "ranking_weights"):  # issue 14: checked by the rules of the reports
        from xinfang_desktop.core.report_settings import check_report_setting

        check_report_setting(key, value)
    if key == "rectification_explanation_workdays":  # R-AS-02: 挂牌整治 书面说明 within N 工作日
        from xinfang_desktop.core.rectification import parse_explanation_workdays

        parse_explanation_workdays(value)
    if key == "case_number_format":
        if not isinstance(value, str):
            raise DomainError("编号格式应为文本", field=key)
        check_format(value)
    elif key == "collective_threshold":
        if not isinstance(value, int) or isinstance(value, bool) or not 2 <= value <= 1000:
            raise DomainError("集体访人数标准应为 2 到 1000 之间的整数", field=key)
    elif key == "rule_profile":
        from xinfang_desktop.persistence.rule_profile_store import load_profile

        if not isinstance(value, str):
            raise DomainError("规则配置应为文本", field=key)
        load_profile(value)
    elif key in ("office_name", "case_number_prefix") and (not isinstance(value, str) or not value.strip()):
        raise DomainError("该设置项不能为空", field=key)


@requires("settings.manage")
def set_setting(db: Database, key: str, value: object) -> object:
    """Validate and store one setting, with an audit entry; returns the stored value."""
    from xinfang_desktop.persistence.uow import unit_of_work

    _check(key, value)
    with unit_of_work(db) as uow:
        old = uow.settings.get(key)
        uow.settings.set(key, value)
        uow.audit.record("update", "setting", key, {"old": old, "new": value})
        uow.commit()
    return value
