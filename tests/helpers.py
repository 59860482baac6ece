"""Test helpers: sample intake inputs."""

from __future__ import annotations

import copy
from typing import Any

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
