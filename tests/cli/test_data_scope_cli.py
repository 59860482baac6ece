"""Data scope through the CLI (issue 17): an account limited with `user scope` to one township sees only its cases in
`case list` (rows and total), search, `queue`, `export national` and `case show` (another township's case: not
found, naming the scope); an account without a scope sees all. Real database, real sessions (XINFANG_SESSION)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop import cli
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.identity import Identity, set_acting
from xinfang_desktop.persistence.reference_data import seed_reference_data
from xinfang_desktop.persistence.users import create_account, open_session, set_roles

PASSWORD = "Xf#2026-scope"
CHENGGUAN = "331221001"  # 城关街道
DONGHU = "331221101"  # 东湖镇


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, Any]:
    code = cli.main([*argv, "--json", "--db", db])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else None)


@pytest.fixture
def office(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, dict[str, list[str]], dict[str, str]]:
    """Two cases in 城关街道, two in 东湖镇; a 城关街道 reviewer (scoped with `user scope`) and a county reviewer."""
    target = str(tmp_path / "office.sqlite3")
    numbers: dict[str, list[str]] = {"chengguan": [], "donghu": []}
    seeded = open_database(target)
    seed_reference_data(seeded)  # the example county's regions
    seeded.dispose()
    for i, (key, locality) in enumerate(
        [("chengguan", CHENGGUAN + "001"), ("donghu", DONGHU + "001"), ("chengguan", CHENGGUAN + "002"),
         ("donghu", DONGHU + "201")]
    ):  # fmt: skip
        data = sample_case(received_on=f"2026-11-{10 + i}", locality=locality)
        data["summary"] = f"反映征地拆迁补偿款未足额发放，第{i}件。"
        source = tmp_path / f"case{i}.json"
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        code, out = run(capsys, target, "case", "add", str(source), "--today", "2026-11-20")
        assert code == 0, out
        numbers[key].append(out["number"])
    db = open_database(target)
    admin = create_account(db, "sysadmin", PASSWORD, roles=["system_admin"])
    by_admin = Identity.of(admin.login, admin.login, admin.roles)
    create_account(db, "secadmin", PASSWORD, roles=["security_admin"], actor=by_admin)
    security = Identity.of("secadmin", "secadmin", ("security_admin",))
    tokens: dict[str, str] = {"secadmin": open_session(db, security)[0]}
    for login in ("xiang", "county"):
        create_account(db, login, PASSWORD, actor=by_admin)
        set_roles(db, login, ["reviewer"], actor=security)
        tokens[login], _ = open_session(db, Identity.of(login, login, ("reviewer",)))
    db.dispose()
    monkeypatch.setenv("XINFANG_SESSION", tokens["secadmin"])
    code, out = run(capsys, target, "user", "scope", "xiang", "--township", CHENGGUAN)
    assert code == 0 and out["townships"] == [CHENGGUAN], out
    yield target, numbers, tokens
    set_acting(None)


def _listed(capsys: pytest.CaptureFixture[str], target: str, *argv: str) -> tuple[int, list[str]]:
    code, out = run(capsys, target, *argv)
    assert code == 0, out
    return out["total"], sorted(r["number"] for r in out["rows"])


def test_scoped_user_sees_only_their_township(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target, numbers, tokens = office
    mine, others = sorted(numbers["chengguan"]), sorted(numbers["donghu"])
    db = open_database(target)
    before = content_hash(db)
    db.dispose()
    monkeypatch.setenv("XINFANG_SESSION", tokens["xiang"])
    assert _listed(capsys, target, "case", "list") == (2, mine)
    assert _listed(capsys, target, "case", "list", "--search", "补偿款") == (2, mine)
    assert _listed(capsys, target, "case", "list", "--search", "第1件") == (0, [])  # a 东湖镇 case's own words
    assert _listed(capsys, target, "queue", "overdue", "--today", "2027-06-30") == (2, mine)
    code, out = run(capsys, target, "case", "show", mine[0])
    assert code == 0 and out["number"] == mine[0]
    code, out = run(capsys, target, "case", "show", others[0])
    assert code != 0 and out["error"] == f"未找到信访事项 {others[0]}（不在您的数据范围内）", out
    sheet = tmp_path / "national.xlsx"
    code, out = run(
        capsys, target, "export", "national", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(sheet)
    )
    assert code == 0 and out["cases"] == 2, out
    exported = sorted(str(row[0]) for row in load_workbook(sheet).active.iter_rows(min_row=2, values_only=True))
    assert exported == mine
    db = open_database(target)
    assert content_hash(db) == before  # reading within a scope writes nothing
    db.dispose()


def test_unscoped_user_sees_every_case_and_a_cleared_scope_opens_up(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target, numbers, tokens = office
    everything = sorted(numbers["chengguan"] + numbers["donghu"])
    monkeypatch.setenv("XINFANG_SESSION", tokens["county"])
    assert _listed(capsys, target, "case", "list") == (4, everything)
    assert _listed(capsys, target, "queue", "overdue", "--today", "2027-06-30") == (4, everything)
    code, out = run(capsys, target, "case", "show", numbers["donghu"][0])
    assert code == 0
    sheet = tmp_path / "national.xlsx"
    code, out = run(
        capsys, target, "export", "national", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(sheet)
    )
    assert code == 0 and out["cases"] == 4
    # The scope is read at each command: once cleared, the township user sees the county.
    monkeypatch.setenv("XINFANG_SESSION", tokens["secadmin"])
    code, out = run(capsys, target, "user", "scope", "xiang", "--clear")
    assert code == 0 and out["townships"] == []
    monkeypatch.setenv("XINFANG_SESSION", tokens["xiang"])
    assert _listed(capsys, target, "case", "list") == (4, everything)


def test_the_single_case_paths_keep_to_the_scope(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Acting on, reading the timeline of, attaching to, issuing a document for, or adding a visit to another
    township's case: 不在您的数据范围内, exit 2, nothing written; the user's own case works."""
    target, numbers, tokens = office
    mine, other = numbers["chengguan"][0], numbers["donghu"][0]
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    visit = tmp_path / "visit.json"
    monkeypatch.setenv("XINFANG_SESSION", tokens["secadmin"])
    code, out = run(capsys, target, "user", "roles", "xiang", "--set", "reviewer,registrar")  # attach and visits too
    assert code == 0, out
    repeat = {"channel": "来访", "received_on": "2026-11-19", "level": "县", "headcount": 1}
    visit.write_text(json.dumps(repeat, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("XINFANG_SESSION", tokens["xiang"])
    db = open_database(target)
    before = content_hash(db)
    db.dispose()
    refused = [
        ("case", "act", other, "accept", "--today", "2026-11-20"),
        ("case", "timeline", other),
        ("case", "attach", other, str(scan)),
        ("doc", "render", "acceptance_notice", "--case", other, "-o", str(tmp_path / "n.pdf")),
        ("case", "submit", other, "--today", "2026-11-20", "--json", str(visit)),  # --json FILE: the visit
    ]
    for argv in refused:
        code, out = run(capsys, target, *argv)
        assert code == 2 and out["error"].endswith("（不在您的数据范围内）"), (argv, out)
    db = open_database(target)
    assert content_hash(db) == before
    db.dispose()
    code, out = run(capsys, target, "case", "timeline", mine)
    assert code == 0 and out["events"], out
    code, out = run(capsys, target, "case", "act", mine, "accept", "--today", "2026-11-20")
    assert code == 0, out


def test_a_scope_names_what_the_registers_hold(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`user scope` takes a region by code or name and a unit by name; anything else exits 2, the scope unchanged."""
    target, _numbers, tokens = office
    monkeypatch.setenv("XINFANG_SESSION", tokens["secadmin"])
    db = open_database(target)
    before = content_hash(db)
    db.dispose()
    for argv in (("--township", "999999999"), ("--township", "火星镇"), ("--unit", "不存在局")):
        code, out = run(capsys, target, "user", "scope", "xiang", *argv)
        assert code == 2 and "未登记" in out["error"], (argv, out)
    db = open_database(target)
    assert content_hash(db) == before
    db.dispose()
    code, out = run(capsys, target, "user", "scope", "xiang", "--township", "东湖镇", "--unit", "示范县 公安局")
    assert code == 0 and out["townships"] == [DONGHU] and out["units"] == ["示范县公安局"], out


def test_the_assessment_rates_count_the_scope(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`stats rates` (R-AS-01) for a scoped account counts its township's cases only; the county's reviewer all."""
    target, _numbers, tokens = office
    period = ("--from", "2026-01-01", "--to", "2026-12-31", "--today", "2026-11-20")
    monkeypatch.setenv("XINFANG_SESSION", tokens["xiang"])
    code, scoped = run(capsys, target, "stats", "rates", *period)
    assert code == 0 and scoped["total"]["cases"] == 2, scoped["total"]
    code, by_township = run(capsys, target, "stats", "rates", "--by", "township", *period)
    assert code == 0 and [g["name"] for g in by_township["groups"]] == ["城关街道"], by_township["groups"]
    monkeypatch.setenv("XINFANG_SESSION", tokens["county"])
    code, county = run(capsys, target, "stats", "rates", *period)
    assert code == 0 and county["total"]["cases"] == 4


def test_the_exchange_package_holds_the_scope(
    office: tuple[str, dict[str, list[str]], dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scoped account's 上报数据包 carries its township's cases only (the county's reviewer: all four)."""
    target, _numbers, tokens = office
    db = open_database(target)
    token, _ = open_session(db, Identity.of("sysadmin", "sysadmin", ("system_admin",)))
    db.dispose()
    monkeypatch.setenv("XINFANG_SESSION", token)
    code, out = run(capsys, target, "exchange", "keys", "init")
    assert code == 0, out
    counts = {}
    for who in ("xiang", "county"):
        monkeypatch.setenv("XINFANG_SESSION", tokens[who])
        code, out = run(capsys, target, "exchange", "pack", "--period", "2026-11", "-o", str(tmp_path / f"{who}.zip"))
        assert code == 0, out
        counts[who] = out["cases"]
    assert counts == {"xiang": 2, "county": 4}
