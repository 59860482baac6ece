"""Office settings stored in the database (they migrate and back up with the data): JSON values by key."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import SettingRecord

# What a new office starts with; every key can be changed in 设置 or with `xinfang settings set`.
DEFAULTS: dict[str, object] = {
    "office_name": "示范县信访局",
    "case_number_prefix": "XF",
    "case_number_format": "{prefix}{year}-{seq:06d}",
    "collective_threshold": 5,
    "rule_profile": "national",
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
        values = dict(DEFAULTS)
        for key, raw in self.session.execute(select(SettingRecord.key, SettingRecord.value)):
            values[key] = json.loads(raw)
        return values


def _check(key: str, value: object) -> None:
    """Refuse values that would break the office's work later (a number format that could repeat, …)."""
    from xinfang_desktop.core.case_numbers import check_format
    from xinfang_desktop.core.errors import DomainError

    if key not in DEFAULTS and key != "deadline_thresholds":
        raise DomainError(f"未知的设置项“{key}”，可选：{'、'.join([*DEFAULTS, 'deadline_thresholds'])}", field=key)
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
