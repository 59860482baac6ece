"""Office settings stored in the database (they migrate and back up with the data): JSON values by key."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

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
