"""The office settings of the reports to the higher bureau (issue 14): the statistics caliber and the composite
ranking's weights, checked before they are stored (`xinfang settings set`, 设置)."""

from __future__ import annotations

from xinfang_desktop.core.composite_ranking import parse_weights
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import Caliber

CALIBER_KEY = "statistics_caliber"
WEIGHTS_KEY = "ranking_weights"
REPORT_SETTING_KEYS = (CALIBER_KEY, WEIGHTS_KEY)


def parse_caliber(value: object) -> Caliber:
    """natural / 自然月, or 21-20 / 上月21日至本月20日."""
    for c in Caliber:
        if value in (c.value, c.label):
            return c
    raise DomainError(
        f"统计口径应为 natural（自然月）或 21-20（上月21日至本月20日），而不是“{value}”", field=CALIBER_KEY
    )


def check_report_setting(key: str, value: object) -> None:
    """A DomainError naming the problem when `value` cannot be stored under `key`."""
    if key == CALIBER_KEY:
        parse_caliber(value)
    elif key == WEIGHTS_KEY:
        parse_weights(value)
