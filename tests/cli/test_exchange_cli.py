"""`xinfang exchange` between two county databases and a city database (issue 14, "Exchange with the higher bureau"):
both counties pack, the city imports both and its report equals the sum of theirs in every grouping; a flipped byte
anywhere in a package is refused with nothing written; importing twice is a no-op; a newer package updates and an
older one does not overwrite it; bad input is refused with exit 2 and the database unchanged."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database

TODAY = date(2026, 11, 20)
PERIOD = "2026-10"
FROM, TO = "2026-10-01", "2026-10-31"
GROUPINGS = ("destination", "category", "locality", "unit", "channel")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--db", str(db), "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def _county(path: Path, cases: int, seed: int) -> Path:
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(path)
    try:
        seed_reference_data(db)
        generate_demo(db, cases, seed, today=TODAY)
    finally:
        db.dispose()
    return path


@pytest.fixture(scope="module")
def offices_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two counties (demo data, different seeds) and a city (reference data only), each with its key pair; the
    city has registered both counties' public keys, the counties hold the city's public key file."""
    root = tmp_path_factory.mktemp("exchange")
    _county(root / "a.sqlite3", 1500, 3)
    _county(root / "b.sqlite3", 1200, 4)
    city = open_database(root / "city.sqlite3")
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    seed_reference_data(city)
    city.dispose()
    for name in ("a", "b", "city"):
        assert main(["exchange", "keys", "init", "--db", str(root / f"{name}.sqlite3")]) == 0
        assert (
            main(
                [
                    "exchange",
                    "keys",
                    "show",
                    "-o",
                    str(root / f"{name}.pub.json"),
                    "--db",
                    str(root / f"{name}.sqlite3"),
                ]
            )
            == 0
        )
    for name, office in (("a", "甲县信访局"), ("b", "乙县信访局")):
        argv = ["exchange", "keys", "trust", str(root / f"{name}.pub.json"), "--office", office]
        assert main([*argv, "--db", str(root / "city.sqlite3")]) == 0
    return root


@pytest.fixture
def offices(offices_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the three offices for one test (databases, key files, archives)."""
    target = tmp_path / "offices"
    shutil.copytree(offices_template, target)
    return target


def _hash(path: Path) -> str:
    db = open_database(path, create=False)
    try:
        return content_hash(db)
    finally:
        db.dispose()


def _pack_both(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[Path, Path]:
    a, b = root / "a-2026-10.zip", root / "b-2026-10.zip"
    code, data = run(capsys, root / "a.sqlite3", "exchange", "pack", "--period", PERIOD, "-o", str(a))
    assert code == 0, data
    assert data["encrypted"] is False and data["seq"] == 1 and data["first_to_receiver"] is True
    code, data = run(
        capsys,
        root / "b.sqlite3",
        "exchange",
        "pack",
        "--period",
        PERIOD,
        "-o",
        str(b),
        "--encrypt-for",
        str(root / "city.pub.json"),
    )
    assert code == 0, data
    assert data["encrypted"] is True and data["receiver_fingerprint"]
    return a, b


def _cases_in_period(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return int(
            conn.execute("SELECT count(*) FROM cases WHERE received_on BETWEEN ? AND ?", (FROM, TO)).fetchone()[0]
        )


def test_two_counties_pack_and_the_city_report_is_their_sum(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pack_both(capsys, offices)
    city = offices / "city.sqlite3"
    code, data = run(capsys, city, "exchange", "verify", str(b))
    assert code == 0 and data["valid"] and data["signature"] == "SM2-SM3" and data["encrypted"]
    assert data["signer"]["office"] == "乙县信访局" and data["signer"]["trusted"] and data["contents_checked"]
    assert data["manifest"]["cases"] == _cases_in_period(offices / "b.sqlite3")
    assert set(data["manifest"]["members"]) == {"cases.jsonl", "reports.json"}

    for package, county, office in ((a, "a", "甲县信访局"), (b, "b", "乙县信访局")):
        code, data = run(capsys, city, "exchange", "import", str(package))
        assert code == 0, data
        expected = _cases_in_period(offices / f"{county}.sqlite3")
        assert data["imported"] and data["sender"]["office"] == office
        assert data["cases"] == {"received": expected, "new": expected, "updated": 0, "unchanged": 0}
        assert data["report_updated"] is True

    with sqlite3.connect(city) as conn:
        stored = conn.execute("SELECT count(*) FROM exchange_cases").fetchone()[0]
        own_cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert stored == _cases_in_period(offices / "a.sqlite3") + _cases_in_period(offices / "b.sqlite3")
    assert own_cases == 0  # the counties' cases never enter the city's own ledger

    for by in GROUPINGS:
        code, summary = run(capsys, city, "exchange", "summary", "--period", PERIOD, "--by", by)
        assert code == 0, summary
        assert [o["office"] for o in summary["offices"]] == ["乙县信访局", "甲县信访局"]
        expected: dict[str, dict[str, int]] = {}
        totals = dict.fromkeys(("batches", "person_visits", "ly_batches", "prev_batches"), 0)
        for county in ("a", "b"):
            code, report = run(
                capsys, offices / f"{county}.sqlite3", "report", "period", "--from", FROM, "--to", TO, "--by", by
            )
            assert code == 0
            for row in report["rows"]:
                sums = expected.setdefault(row["name"], dict.fromkeys(("batches", "person_visits", "ly", "prev"), 0))
                sums["batches"] += row["current"]["batches"]
                sums["person_visits"] += row["current"]["person_visits"]
                sums["ly"] += row["same_period_last_year"]["batches"]
                sums["prev"] += row["previous_period"]["batches"]
            totals["batches"] += report["total"]["current"]["batches"]
            totals["person_visits"] += report["total"]["current"]["person_visits"]
            totals["ly_batches"] += report["total"]["same_period_last_year"]["batches"]
            totals["prev_batches"] += report["total"]["previous_period"]["batches"]
        got = {
            r["name"]: {
                "batches": r["current"]["batches"],
                "person_visits": r["current"]["person_visits"],
                "ly": r["same_period_last_year"]["batches"],
                "prev": r["previous_period"]["batches"],
            }
            for r in summary["rows"]
        }
        nonzero = {k: v for k, v in expected.items() if any(v.values())}
        assert {k: v for k, v in got.items() if any(v.values())} == nonzero, by
        t = summary["total"]
        assert (
            t["current"]["batches"],
            t["current"]["person_visits"],
            t["same_period_last_year"]["batches"],
            t["previous_period"]["batches"],
        ) == tuple(totals.values()), by
        assert totals["batches"] > 0
        # 同比 recomputed from the sums, not added
        if totals["ly_batches"]:
            yoy = round((totals["batches"] - totals["ly_batches"]) / totals["ly_batches"] * 100, 1)
            assert t["yoy"]["batches"] == yoy

    xlsx = offices / "city.xlsx"
    code, data = run(capsys, city, "exchange", "summary", "--period", PERIOD, "--xlsx", str(xlsx))
    assert code == 0 and xlsx.stat().st_size > 0 and data["xlsx"] == str(xlsx)


def test_importing_twice_changes_nothing(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pack_both(capsys, offices)
    city = offices / "city.sqlite3"
    for package in (a, b):
        assert run(capsys, city, "exchange", "import", str(package))[0] == 0
    before = _hash(city)
    for package in (a, b):
        code, data = run(capsys, city, "exchange", "import", str(package))
        assert code == 0 and data["already_imported"] is True and data["imported"] is False
    assert _hash(city) == before  # not even an audit entry


def test_a_flipped_byte_anywhere_is_refused(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pack_both(capsys, offices)
    city = offices / "city.sqlite3"
    before = _hash(city)
    for package in (a, b):
        raw = package.read_bytes()
        for at in (10, 200, len(raw) // 3, len(raw) // 2, len(raw) - 300, len(raw) - 100, len(raw) - 1):
            bad = bytearray(raw)
            bad[at] ^= 0x01
            target = offices / f"tampered-{at}.zip"
            target.write_bytes(bytes(bad))
            for action in ("verify", "import"):
                code, data = run(capsys, city, "exchange", action, str(target))
                assert code == 2, (package.name, at, action, data)
                assert data["error"].startswith("数据包未通过核验，未导入任何数据："), data
        truncated = offices / "truncated.zip"
        truncated.write_bytes(raw[: len(raw) // 2])
        assert run(capsys, city, "exchange", "import", str(truncated))[0] == 2
    assert _hash(city) == before


def test_unknown_signer_and_wrong_receiver_refused(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pack_both(capsys, offices)
    # county A has not registered B: B's package is signed by a stranger to it
    before = _hash(offices / "a.sqlite3")
    code, data = run(capsys, offices / "a.sqlite3", "exchange", "import", str(b))
    assert code == 2 and "不是已登记的发送单位" in data["error"]
    # a county's own package is not for its own database
    code, data = run(capsys, offices / "a.sqlite3", "exchange", "import", str(a))
    assert code == 2 and "本单位自己生成" in data["error"]
    assert _hash(offices / "a.sqlite3") == before
    # an office that trusts B but is not the receiver sees who signed it, not what is inside
    code, data = run(capsys, offices / "a.sqlite3", "exchange", "keys", "trust", str(offices / "b.pub.json"))
    assert code == 0
    code, data = run(capsys, offices / "a.sqlite3", "exchange", "verify", str(b))
    assert code == 0 and data["encrypted"] and not data["contents_checked"] and "私钥" in data["note"]
    before = _hash(offices / "a.sqlite3")
    code, data = run(capsys, offices / "a.sqlite3", "exchange", "import", str(b))
    assert code == 2 and "无法打开数据包" in data["error"]
    assert _hash(offices / "a.sqlite3") == before


def test_a_newer_package_updates_and_an_older_one_does_not_overwrite(
    offices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county, city = offices / "a.sqlite3", offices / "city.sqlite3"
    first = offices / "a-1.zip"
    assert run(capsys, county, "exchange", "pack", "--period", PERIOD, "-o", str(first))[0] == 0
    with sqlite3.connect(county) as conn:
        number = conn.execute(
            "SELECT number FROM cases WHERE status = 'accepted' AND received_on BETWEEN ? AND ? ORDER BY id LIMIT 1",
            ("2026-09-01", "2026-09-30"),
        ).fetchone()[0]
    code, data = run(
        capsys,
        county,
        "case",
        "act",
        number,
        "progress",
        "--date",
        "2026-11-20",
        "--reason",
        "已约见信访人",
        "--mode",
        "当面反馈",
    )
    assert code == 0, data
    second = offices / "a-2.zip"
    code, data = run(capsys, county, "exchange", "pack", "--period", PERIOD, "-o", str(second))
    assert code == 0 and data["seq"] == 2 and not data["first_to_receiver"]
    assert data["cases"] == _cases_in_period(county) + 1  # the period again, and the September case that changed

    code, data = run(capsys, city, "exchange", "import", str(second))
    assert code == 0 and data["missing_previous_seq"] == 1  # said: package 1 has not come yet
    code, data = run(capsys, city, "exchange", "import", str(first))  # arrives late
    assert code == 0 and data["stale"] is True
    assert data["cases"]["new"] == 0 and data["cases"]["updated"] == 0
    assert data["report_updated"] is False
    with sqlite3.connect(city) as conn:
        seq, line = conn.execute("SELECT package_seq, data FROM exchange_cases WHERE number = ?", (number,)).fetchone()
    assert seq == 2 and "已约见信访人" in line

    # and in the right order: package 1, then 2 updates the changed case only
    fresh = offices / "city2.sqlite3"
    shutil.copy(offices / "city.sqlite3.exchange-key", offices / "city2.sqlite3.exchange-key")
    open_database(fresh).dispose()
    assert run(capsys, fresh, "exchange", "keys", "trust", str(offices / "a.pub.json"))[0] == 0
    assert run(capsys, fresh, "exchange", "import", str(first))[0] == 0
    code, data = run(capsys, fresh, "exchange", "import", str(second))
    assert code == 0 and data["stale"] is False and data["report_updated"] is True
    assert data["missing_previous_seq"] is None
    assert data["cases"]["new"] == 1 and data["cases"]["updated"] == 0  # the September case was not in package 1
    assert data["cases"]["unchanged"] == _cases_in_period(county)


def test_bad_input_exit_2_and_nothing_written(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    county = offices / "a.sqlite3"
    before = _hash(county)
    cases = [
        (["exchange", "pack", "--period", "2026-13", "-o", str(offices / "x.zip")], "--period"),
        (["exchange", "pack", "--period", PERIOD, "-o", str(offices / "missing" / "x.zip")], "所在文件夹"),
        (["exchange", "pack", "--period", PERIOD, "-o", str(offices)], "文件路径"),
        (
            ["exchange", "pack", "--period", PERIOD, "-o", str(offices / "x.zip"), "--encrypt-for", "nope.json"],
            "不存在",
        ),
        (
            [
                "exchange",
                "pack",
                "--period",
                PERIOD,
                "-o",
                str(offices / "x.zip"),
                "--encrypt-for",
                str(offices / "a.pub.json"),
            ],
            "自己的公钥",
        ),
        (
            [
                "exchange",
                "pack",
                "--period",
                PERIOD,
                "-o",
                str(offices / "x.zip"),
                "--encrypt-for",
                str(offices / "a.sqlite3"),
            ],
            "密钥文件",
        ),
        (["exchange", "verify", str(offices / "nope.zip")], "不存在"),
        (["exchange", "import", str(offices / "a.pub.json")], "未通过核验"),
        (["exchange", "summary", "--period", PERIOD], "尚未收到"),
        (["exchange", "summary", "--period", PERIOD, "--by", "colour"], "--by"),
        (["exchange", "keys", "init"], "已存在"),
        (["exchange", "keys", "trust", str(offices / "a.pub.json")], "本单位自己的公钥"),
    ]
    for argv, words in cases:
        code, data = run(capsys, county, *argv)
        assert code == 2, (argv, data)
        assert words in data["error"], (argv, data["error"])
    assert not (offices / "x.zip").exists()
    assert _hash(county) == before
    city = offices / "city.sqlite3"
    before = _hash(city)
    code, data = run(capsys, city, "exchange", "keys", "trust", str(offices / "a.pub.json"))
    assert code == 2 and "无需重复登记" in data["error"]
    forged = json.loads((offices / "b.pub.json").read_text(encoding="utf-8"))
    forged["fingerprint"] = "0" * 32
    (offices / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    code, data = run(capsys, city, "exchange", "keys", "trust", str(offices / "forged.json"))
    assert code == 2 and "指纹与公钥不符" in data["error"]
    assert _hash(city) == before
    # without a key: pack says how to make one
    (offices / "a.sqlite3.exchange-key").rename(offices / "moved.key")
    code, data = run(capsys, county, "exchange", "pack", "--period", PERIOD, "-o", str(offices / "x.zip"))
    assert code == 2 and "keys init" in data["error"] and not (offices / "x.zip").exists()
    code, data = run(capsys, county, "exchange", "keys", "show")
    assert code == 0 and data["own"] is None
    code, data = run(capsys, county, "exchange", "keys", "show", "--key", str(offices / "moved.key"))
    assert code == 0 and data["own"]["fingerprint"]


def test_pack_records_what_it_sent_with_an_audit_entry(offices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    county = offices / "a.sqlite3"
    with sqlite3.connect(county) as conn:
        audits = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
    code, data = run(capsys, county, "exchange", "pack", "--period", PERIOD, "-o", str(offices / "p.zip"))
    assert code == 0
    with sqlite3.connect(county) as conn:
        sent = conn.execute("SELECT seq, period, cases, digest FROM exchange_sent").fetchall()
        entry = conn.execute("SELECT action, entity, detail FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
        assert conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0] == audits + 1
    assert sent == [(1, PERIOD, data["cases"], data["digest"])]
    assert entry[0] == "pack" and entry[1] == "exchange_package" and data["digest"] in entry[2]
