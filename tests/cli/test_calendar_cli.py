"""CLI contract of `xinfang calendar …` and `xinfang deadline …` (issue 3), against a temporary SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xinfang_desktop.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "x.sqlite3")


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, Any, str]:
    code = main([*args, "--db", db, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_is_workday(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, data, _ = run(capsys, db, "calendar", "is-workday", "2024-10-02")
    assert code == 0
    assert data == {"date": "2024-10-02", "workday": False, "kind": "holiday", "provisional": False}
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2024-09-29")
    assert data == {"date": "2024-09-29", "workday": True, "kind": "makeup_workday", "provisional": False}
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2027-03-06")
    assert data == {"date": "2027-03-06", "workday": False, "kind": "weekend", "provisional": True}


def test_add_workdays_and_between(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, data, _ = run(capsys, db, "calendar", "add-workdays", "2024-09-27", "5")
    assert code == 0 and data == {"date": "2024-10-10", "provisional": False}
    _, data, _ = run(capsys, db, "calendar", "add-workdays", "2026-12-20", "20")
    assert data["provisional"] is True
    code, data, _ = run(capsys, db, "calendar", "workdays-between", "2024-09-27", "2024-10-10")
    assert code == 0
    assert data == {"from": "2024-09-27", "to": "2024-10-10", "workdays": 5, "provisional": False}


def test_human_output_is_chinese(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert main(["calendar", "is-workday", "2024-10-02", "--db", db]) == 0
    assert "法定节假日，不是工作日" in capsys.readouterr().out
    assert main(["deadline", "R-DL-06", "2024-08-03", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "届满日：2024年10月8日" in out and "顺延至2024年10月8日" in out


def test_deadline_contract(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, data, _ = run(capsys, db, "deadline", "R-DL-06", "2024-08-03")
    assert code == 0
    assert data["rule"] == "R-DL-06" and data["due"] == "2024-10-08" and data["unit"] == "days"
    assert data["provisional"] is False and data["start"] == "2024-08-03" and data["length"] == 60
    assert data["citation"] == "《信访工作条例》第三十四条"
    assert data["explanation"].startswith("自2024年8月3日受理之次日起计算60日，届满日2024年10月2日为法定节假日")
    _, data, _ = run(capsys, db, "deadline", "R-DL-01", "2024-09-27", "--profile", "zhejiang")
    assert (data["due"], data["unit"], data["profile"]) == ("2024-10-10", "workdays", "zhejiang")
    _, data, _ = run(capsys, db, "deadline", "R-DL-06", "2026-11-20")
    assert data["provisional"] is True and "暂估" in data["explanation"]
    _, data, _ = run(capsys, db, "deadline", "R-DL-06", "2024-08-03", "--today", "2024-10-13")
    assert data["status"]["state"] == "overdue" and data["status"]["label"] == "超期5日"
    _, data, _ = run(capsys, db, "deadline", "R-DL-11", "2024-08-03", "--pause", "2024-08-10..2024-08-19:听证")
    assert data["due"] == "2024-09-12"
    _, data, _ = run(capsys, db, "deadline", "R-DL-05", "2024-08-03", "--length", "20")
    assert data["due"] == "2024-08-23"
    _, data, _ = run(capsys, db, "deadline", "R-DL-06", "2024-08-03", "--extension", "30")
    assert data["due"] == "2024-11-07"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadline", "R-DL-99", "2024-08-03"], "未知的期限规则"),
        (["deadline", "R-DL-06", "2024-02-30"], "格式错误"),
        (["deadline", "R-DL-06", "2024-08-03", "--profile", "mars"], "未知的规则配置"),
        (["deadline", "R-DL-06", "2024-08-03", "--extension", "31"], "延期不得超过30日"),
        (["deadline", "R-DL-05", "2024-08-03"], "指定天数"),
        (["calendar", "add-workdays", "2024-01-01", "-3"], "负数"),
        (["calendar", "add-workdays", "2024-01-01", "100000000"], "过大"),
        (["calendar", "add-workdays", "2024-01-01", "abc"], "格式错误"),
        (["calendar", "is-workday", "20240101x"], "格式错误"),
        (["calendar", "is-workday", "9999-01-01"], "超出可计算范围"),
        (["calendar", "workdays-between", "2024-01-01"], "参数错误"),
    ],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], db: str, args: list[str], message: str) -> None:
    code, data, err = run(capsys, db, *args)
    assert code == 2
    assert message in err
    assert data["exit_code"] == 2


def _write(path: Path, data: dict[str, Any]) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


Y2027 = {
    "year": 2027,
    "holidays": ["2027-01-01", "2027-02-06..2027-02-12", "2027-10-01..2027-10-07"],
    "makeup_workdays": ["2027-02-14"],
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
}


def test_import_then_use_then_replace(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    f = _write(tmp_path / "2027.json", Y2027)
    code, data, _ = run(capsys, db, "calendar", "import", f)
    assert code == 0 and data["year"] == 2027 and data["origin"] == "imported" and data["holidays"] == 15
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2027-02-08")
    assert data == {"date": "2027-02-08", "workday": False, "kind": "holiday", "provisional": False}
    _, data, _ = run(capsys, db, "calendar", "years")
    years = {y["year"]: y for y in data["years"]}
    assert years[2027]["origin"] == "imported" and years[2026]["origin"] == "shipped"
    assert years[2027]["source"] == Y2027["source"]
    assert data["warning"] is None or "2028" in data["warning"]

    # present without --replace: exit 2, nothing changed
    changed = _write(tmp_path / "2027b.json", {**Y2027, "holidays": ["2027-01-01"], "makeup_workdays": []})
    code, _, err = run(capsys, db, "calendar", "import", changed)
    assert code == 2 and "已存在" in err and "--replace" in err
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2027-02-08")
    assert data["kind"] == "holiday"

    code, data, _ = run(capsys, db, "calendar", "import", changed, "--replace")
    assert code == 0 and data["holidays"] == 1
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2027-02-08")
    assert data["kind"] == "workday"


def test_shipped_year_needs_replace(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    f = _write(tmp_path / "2024.json", {"year": 2024, "holidays": ["2024-01-01"]})
    code, _, err = run(capsys, db, "calendar", "import", f)
    assert code == 2 and "随软件提供" in err
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2024-10-02")
    assert data["kind"] == "holiday"
    code, data, _ = run(capsys, db, "calendar", "import", f, "--replace")
    assert code == 0 and data["overrides_shipped"] is True
    _, data, _ = run(capsys, db, "calendar", "is-workday", "2024-10-02")
    assert data["kind"] == "workday"


def test_text_import_format(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    f = tmp_path / "2028.txt"
    f.write_text(
        "year: 2028\nsource: 通知\nholidays: 2028-01-01, 2028-01-25 .. 2028-01-31\nmakeup_workdays: 2028-01-22\n"
    )
    code, data, _ = run(capsys, db, "calendar", "import", str(f))
    assert code == 0 and data["holidays"] == 8 and data["makeup_workdays"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            {"year": 2027, "holidays": ["2027-02-14"], "makeup_workdays": ["2027-02-14"]},
            "既列为法定节假日又列为调休上班日",
        ),
        ({"year": 2027, "holidays": ["2026-12-31"]}, "不在2027年内"),
        ({"year": 2027, "holidays": ["2027-01-01"], "makeup_workdays": ["2027-02-15"]}, "应为周六或周日"),
        ("{not json", "JSON 格式错误"),
    ],
)
def test_bad_import_file_changes_nothing(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, content: Any, message: str
) -> None:
    f = tmp_path / "bad.json"
    f.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    code, _, err = run(capsys, db, "calendar", "import", str(f))
    assert code == 2 and message in err
    _, data, _ = run(capsys, db, "calendar", "years")
    assert all(y["origin"] == "shipped" for y in data["years"])
    code, _, err = run(capsys, db, "calendar", "import", str(tmp_path / "missing.json"))
    assert code == 2 and "无法读取" in err


def test_store_uses_the_selected_profile(capsys: pytest.CaptureFixture[str], db: str) -> None:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.records import SettingRecord
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, selected_profile

    database = open_database(db)
    try:
        assert selected_profile(database).id == "national"
        with database.write_session() as s:
            s.add(SettingRecord(key="rule_profile", value=json.dumps("zhejiang")))
            s.add(SettingRecord(key="deadline_thresholds", value=json.dumps({"due_soon_workdays": 5})))
        assert selected_profile(database).id == "zhejiang"
        assert deadline_thresholds(database).due_soon_workdays == 5
        assert deadline_thresholds(database).seriously_overdue_days == 30
    finally:
        database.dispose()
    _, data, _ = run(capsys, db, "deadline", "R-DL-06", "2024-08-03")
    assert data["profile"] == "zhejiang" and data["due"] == "2024-09-02"
