"""诉访分离 (R-LC-09): a court or procuratorate as the handling unit draws a warning (issue 18)."""

from __future__ import annotations

from datetime import date

from tests.helpers import sample_case
from xinfang_desktop.core.intake_input import parse_intake
from xinfang_desktop.core.litigation_separation import judicial_unit_warning


def test_courts_and_procuratorates_are_warned_about() -> None:
    assert judicial_unit_warning("示范县人民法院") and judicial_unit_warning("示范县人民检察院")
    assert judicial_unit_warning("示范县住房和城乡建设局") is None and judicial_unit_warning(None) is None


def test_intake_with_a_court_as_the_responsible_unit_is_registered_with_a_warning() -> None:
    _request, warnings = parse_intake(sample_case(responsible_unit="示范县人民法院"), today=date(2026, 11, 20))
    assert any("诉访分离" in w and "示范县人民法院" in w for w in warnings)
