"""Intake field checks: every problem names the field and the reason in Chinese."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.field_rules import (
    ADDRESS_MAX,
    HEADCOUNT_MAX,
    NAME_MAX,
    REPRESENTATIVES_MAX,
    SUMMARY_MAX,
    check_address,
    check_credit_code,
    check_date,
    check_headcount,
    check_id_number,
    check_name,
    check_phone,
    check_representatives,
    check_summary,
    check_text,
    parse_date,
)

TODAY = date(2026, 11, 22)


def reasons(problems: list[FieldProblem]) -> str:
    return "；".join(str(p) for p in problems)


def test_caps_are_as_stated() -> None:
    assert (NAME_MAX, ADDRESS_MAX, SUMMARY_MAX) == (50, 200, 5000)
    assert (HEADCOUNT_MAX, REPRESENTATIVES_MAX) == (100_000, 5)


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_empty_name_names_the_field(value: object) -> None:
    problems = check_name(value)
    assert [str(p) for p in problems] == ["信访人姓名：不能为空"]
    assert problems[0].field == "petitioner.name"
    assert problems[0].label == "信访人姓名"


def test_name_ok_and_too_long() -> None:
    assert check_name("张三") == []
    assert check_name("阿" * NAME_MAX) == []
    problems = check_name("阿" * (NAME_MAX + 1))
    assert len(problems) == 1 and "不能超过50字" in str(problems[0])


def test_not_text() -> None:
    assert "应为文本" in reasons(check_name(123))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\r", "\t", "\u2028"])
def test_one_line_fields_allow_no_control_characters(char: str) -> None:
    problems = check_name(f"张{char}三")
    assert len(problems) == 1
    assert "控制字符" in problems[0].reason


@pytest.mark.parametrize("char", ["\n", "\r", "\t"])
def test_multi_line_text_allows_newlines_and_tabs(char: str) -> None:
    assert check_summary(f"第一段{char}第二段") == []


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1f", "\x7f", "\x9f"])
def test_multi_line_text_refuses_other_control_characters(char: str) -> None:
    problems = check_summary(f"内容{char}内容")
    assert problems and "控制字符" in problems[0].reason and problems[0].label == "信访事项内容"


def test_lone_surrogate_is_refused() -> None:
    assert "代理项" in reasons(check_summary("内容\ud800"))


def test_ten_megabyte_summary_is_refused_with_its_length() -> None:
    problems = check_summary("访" * 10_000_000)
    assert len(problems) == 1
    assert str(problems[0]).startswith("信访事项内容：不能超过5000字")


def test_summary_at_cap_is_fine() -> None:
    assert check_summary("访" * SUMMARY_MAX) == []


def test_address_optional_and_capped() -> None:
    assert check_address(None) == []
    assert check_address("") == []
    assert "不能为空" in reasons(check_address("", required=True))
    assert "不能超过200字" in reasons(check_address("路" * (ADDRESS_MAX + 1)))


def test_custom_field_and_label() -> None:
    problems = check_text("unit.name", "单位名称", "", max_length=10)
    assert problems == [FieldProblem("unit.name", "单位名称", "不能为空")]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "不能为空"),
        ("", "不能为空"),
        ("2026/01/02", "YYYY-MM-DD"),
        ("20260102", "YYYY-MM-DD"),
        ("2026-1-2", "YYYY-MM-DD"),
        (20260102, "YYYY-MM-DD"),
        ("２０２６-０１-０２", "YYYY-MM-DD"),
        ("2026-02-30", "不是有效日期"),
        ("2026-11-23", "不能晚于今天"),
        ("1949-09-30", "不能早于1949年10月1日"),
    ],
)
def test_bad_dates(value: object, fragment: str) -> None:
    problems = check_date("received_on", "收信/来访日期", value, today=TODAY)
    assert len(problems) == 1
    assert problems[0].field == "received_on"
    assert fragment in problems[0].reason, problems[0].reason
    assert str(problems[0]).startswith("收信/来访日期：")


def test_good_dates() -> None:
    for text, expected in (
        ("2026-11-22", TODAY),
        ("1949-10-01", date(1949, 10, 1)),
        (" 2020-02-29 ", date(2020, 2, 29)),
    ):
        parsed, problems = parse_date("received_on", "收信/来访日期", text, today=TODAY)
        assert problems == [] and parsed == expected
    assert check_date("d", "日期", None, today=TODAY, required=False) == []
    assert check_date("d", "日期", TODAY, today=TODAY) == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "不能为空"),
        (0, "至少为1人"),
        (-3, "至少为1人"),
        (HEADCOUNT_MAX + 1, "不能超过100000人"),
        (True, "应为整数"),
        (2.5, "应为整数"),
        ("5", "应为整数"),
    ],
)
def test_bad_headcount(value: object, fragment: str) -> None:
    problems = check_headcount(value)
    assert len(problems) == 1 and fragment in problems[0].reason
    assert str(problems[0]).startswith("人数：")


@given(st.integers(min_value=1, max_value=HEADCOUNT_MAX))
def test_good_headcount(value: int) -> None:
    assert check_headcount(value) == []


def test_representatives() -> None:
    assert check_representatives(None) == []
    assert check_representatives([]) == []
    assert check_representatives([{"name": f"代表{i}"} for i in range(REPRESENTATIVES_MAX)]) == []
    problems = check_representatives([{"name": f"代表{i}"} for i in range(REPRESENTATIVES_MAX + 1)])
    assert len(problems) == 1 and "最多5人" in str(problems[0]) and problems[0].field == "representatives"
    assert "应为列表" in reasons(check_representatives("张三"))


def test_identifier_checks_as_problems() -> None:
    assert check_id_number("11010519491231002X", today=TODAY) == []
    assert check_id_number(None, today=TODAY) == []
    assert "不能为空" in reasons(check_id_number("", today=TODAY, required=True))
    problems = check_id_number("110105194912310021", today=TODAY)
    assert problems and problems[0].field == "petitioner.id_number"
    assert str(problems[0]).startswith("身份证号码：校验位")
    # An unknown region code is a warning of the validator, never a problem.
    assert check_id_number("11010519491231002X", today=TODAY, known_region_codes=set()) == []

    assert check_phone("13800138000") == []
    assert str(check_phone("12012345678")[0]).startswith("联系电话：")
    assert check_credit_code("N2110105MA0000001H") == []
    assert str(check_credit_code("91350100M000100Y42")[0]).startswith("统一社会信用代码：")
    assert "应为文本" in reasons(check_phone(13800138000))


def test_problems_fit_validation_error() -> None:
    problems = check_name("") + check_headcount(0)
    error = ValidationError(problems)
    assert error.message == "信访人姓名：不能为空；人数：至少为1人"
    assert error.to_json()["errors"] == [p.to_json() for p in problems]


@given(st.text(max_size=300))
def test_text_checks_never_raise(text: str) -> None:
    for check in (check_name, check_address, check_summary):
        for problem in check(text):
            assert problem.reason and problem.label
