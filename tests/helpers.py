"""Test helpers: sample intake inputs, and a JSON CLI runner on one database copy."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

SAMPLE_CASE: dict[str, Any] = {
    "petitioner": {
        "name": "张伟",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "address": "示范县城关镇东街1号",
    },
    "channel": "来访",
    "received_on": "2026-11-20",
    "purpose": "求决",
    "summary": "反映征地拆迁补偿款未足额发放，要求补发拖欠的补偿款。",
    "headcount": 1,
}


def sample_case(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_CASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


class JsonCli:
    """`xinfang … --json --db DB` in process: (exit code, parsed JSON); `err` keeps the last stderr."""

    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys
        self.err = ""

    def __call__(self, *argv: str) -> tuple[int, Any]:
        from xinfang_desktop.cli import main

        code = main([*argv, "--json", "--db", self.db])
        captured = self.capsys.readouterr()
        self.err = captured.err
        return code, json.loads(captured.out) if captured.out.strip() else None

    def content_hash(self) -> str:
        from tests.conftest import content_hash
        from xinfang_desktop.persistence.database import open_database

        db = open_database(self.db)
        try:
            return content_hash(db)
        finally:
            db.dispose()
