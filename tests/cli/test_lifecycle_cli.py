"""The lifecycle through the CLI: `case act`, `case timeline`, `queue`, `tick` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import open_database


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp_path

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def add(self, **changes: Any) -> str:
        path = self.tmp / "case.json"
        path.write_text(json.dumps(sample_case(**changes), ensure_ascii=False), encoding="utf-8")
        code, out = self("case", "add", str(path), "--today", "2024-12-31")
        assert code == 0, out
        return str(out["number"])


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    c = Cli(db_target, capsys, tmp_path)
    for unit in ("县人力资源和社会保障局", "县自然资源局"):
        assert c("unit", "add", unit)[0] == 0
    return c


def test_acceptance_to_closing_with_deadlines_across_national_day(cli: Cli) -> None:
    number = cli.add(received_on="2024-09-20")
    code, out = cli("case", "act", number, "accept", "--date", "2024-09-23", "--unit", "县自然资源局")
    assert code == 0 and out["status"] == "受理" and out["document"] == "acceptance_notice"
    handling = next(d for d in out["deadlines"] if d["rule"] == "R-DL-06")
    calendar = load_calendar(None)
    # R-DL-06: 60 日 from 受理 (start day not counted, R-TM-02), rolled to a working day (R-TM-03).
    nominal = date(2024, 9, 23).toordinal() + 60
    expected = date.fromordinal(nominal)
    while not calendar.is_workday(expected):
        expected = date.fromordinal(expected.toordinal() + 1)
    assert handling["due"] == expected.isoformat() and "第三十四条" in handling["explanation"]
    intake = next(d for d in out["deadlines"] if d["rule"] == "R-DL-01")
    assert intake["met_on"] == "2024-09-23"

    code, out = cli("case", "act", number, "deliver", "--date", "2024-09-24")
    assert code == 2 and "送达" not in out["allowed_actions"] and "conclude" in out["allowed_actions"]

    code, out = cli("case", "act", number, "conclude", "--date", "2024-10-15", "--outcome", "予以支持")
    assert code == 0 and out["status"] == "已作出处理意见" and out["document"] == "handling_opinion"
    assert cli("queue", "awaiting_delivery", "--today", "2024-10-15")[1]["total"] == 1

    code, out = cli("case", "act", number, "deliver", "--date", "2024-10-16")
    assert code == 0
    window = next(d for d in out["deadlines"] if d["rule"] == "R-DL-08")
    assert window["start"] == "2024-10-16" and window["due"] == "2024-11-15"
    assert cli("queue", "awaiting_rating", "--today", "2024-10-16")[1]["total"] == 1
    assert cli("case", "act", number, "rate", "--date", "2024-10-17", "--rating", "满意")[0] == 0
    assert cli("queue", "awaiting_rating", "--today", "2024-10-17")[1]["total"] == 0

    # The 复查 window lapses: 超期未申请复查, then 审核认定办结 — and a second tick changes nothing.
    code, out = cli("tick", "--today", "2024-11-20")
    assert code == 0 and out["changed"] == 1
    statuses = [e["to_status"] for e in out["cases"][0]["events"]]
    assert statuses[-2:] == ["超期未申请复查", "审核认定办结"]
    assert cli("tick", "--today", "2024-11-20")[1]["changed"] == 0
    assert cli("tick", "--today", "2024-11-21")[1]["changed"] == 0

    code, out = cli("case", "timeline", number)
    assert code == 0
    actions = [e["action"] for e in out["events"]]
    assert actions[:5] == ["register", "accept", "conclude", "deliver", "rate"]
    assert [e["seq"] for e in out["events"]] == list(range(1, len(actions) + 1))
    assert cli("case", "show", number)[1]["status"] == "审核认定办结"


def test_illegal_action_lists_what_is_allowed_and_changes_nothing(cli: Cli) -> None:
    number = cli.add(received_on="2024-09-20")
    database = open_database(cli.db)
    before = content_hash(database)
    code, out = cli("case", "act", number, "conclude", "--outcome", "予以支持", "--today", "2024-09-25")
    assert code == 2 and "accept" in out["allowed_actions"] and "受理" in out["allowed"]
    assert cli("case", "act", number, "frobnicate")[0] == 2
    assert cli("case", "act", number, "forward", "--unit", "不存在的局", "--today", "2024-09-25")[0] == 2
    assert cli("case", "act", "XF2024-999999", "accept")[0] == 2
    assert content_hash(database) == before
    database.dispose()


def test_accusation_is_never_forwarded_to_the_accused(cli: Cli) -> None:
    number = cli.add(received_on="2024-09-20", purpose="揭发控告", accused_units=["县自然资源局"])
    code, out = cli("case", "act", number, "forward", "--unit", "县自然资源局", "--today", "2024-09-25")
    assert code == 2 and "R-LC-07" in out["error"]
    code, out = cli("case", "act", number, "forward", "--unit", "县人力资源和社会保障局", "--today", "2024-09-25")
    assert code == 0 and out["document"] == "transfer_letter"
    assert cli("queue", "awaiting_receipt", "--today", "2024-09-25")[1]["total"] == 1


def test_queues_follow_the_deadlines(cli: Cli) -> None:
    number = cli.add(received_on="2024-09-20")
    assert cli("case", "act", number, "accept", "--date", "2024-09-23")[0] == 0
    due = cli("case", "show", number, "--today", "2024-09-23")[1]["deadlines"]
    handling_due = next(d["due"] for d in due if d["rule"] == "R-DL-06")
    assert cli("queue", "due_today", "--today", handling_due)[1]["total"] == 1
    assert cli("queue", "overdue", "--today", handling_due)[1]["total"] == 0
    assert cli("queue", "overdue", "--today", "2024-12-30")[1]["total"] == 1
    assert cli("queue", "due_soon", "--today", "2024-09-24")[1]["total"] == 0
    assert cli("queue", "mine", "--today", "2024-09-24")[1]["total"] == 1
    # Half the period gone without a progress note: an automatic 督办 order (tick).
    out = cli("tick", "--today", "2024-10-25")[1]
    assert out["changed"] == 1
    assert cli("queue", "supervision_open", "--today", "2024-10-25")[1]["total"] == 1
    note = ("--date", "2024-10-26", "--reason", "已约见信访人", "--today", "2024-10-26")
    assert cli("case", "act", number, "progress", *note)[0] == 0
    assert cli("queue", "supervision_open", "--today", "2024-10-26")[1]["total"] == 0
    assert cli("queue", "nonsense")[0] == 2
