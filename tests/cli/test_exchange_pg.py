"""The exchange package on PostgreSQL (issue 14): a county on PostgreSQL packs, a city on PostgreSQL imports it (and
the same package twice changes nothing), and the city's summary equals the county's own period report. Runs in CI's
PostgreSQL pass (`-m pg`); skipped without XINFANG_TEST_PG_URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database

TODAY = date(2026, 11, 20)
PERIOD, FROM, TO = "2026-10", "2026-10-01", "2026-10-31"


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--db", db, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture
def second_pg_url(pg_url: str) -> Iterator[str]:
    """A second fresh PostgreSQL database beside `pg_url` (the city's), dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(pg_url)
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    name = f"xinfang_city_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_county_on_postgresql_packs_and_a_city_on_postgresql_imports(
    pg_url: str, second_pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    county = pg_url
    db = open_database(county)
    seed_reference_data(db)
    generate_demo(db, 600, 5, today=TODAY)
    db.dispose()
    city = second_pg_url
    db = open_database(city)
    seed_reference_data(db)
    db.dispose()
    for target, pub in ((county, tmp_path / "county.pub.json"), (city, tmp_path / "city.pub.json")):
        assert run(capsys, target, "exchange", "keys", "init")[0] == 0
        assert run(capsys, target, "exchange", "keys", "show", "-o", str(pub))[0] == 0
    assert (
        run(capsys, city, "exchange", "keys", "trust", str(tmp_path / "county.pub.json"), "--office", "甲县信访局")[0]
        == 0
    )
    package = tmp_path / "county-2026-10.zip"
    code, packed = run(capsys, county, "exchange", "pack", "--period", PERIOD, "-o", str(package),
                       "--encrypt-for", str(tmp_path / "city.pub.json"))  # fmt: skip
    assert code == 0, packed
    code, imported = run(capsys, city, "exchange", "import", str(package))
    assert code == 0 and imported["cases"]["new"] == packed["cases"] > 0, imported
    db = open_database(city)
    before = content_hash(db)
    code, _again = run(capsys, city, "exchange", "import", str(package))
    assert code == 0 and content_hash(db) == before
    db.dispose()
    code, summary = run(capsys, city, "exchange", "summary", "--period", PERIOD, "--by", "destination")
    code2, own = run(capsys, county, "report", "period", "--from", FROM, "--to", TO, "--by", "destination")
    assert code == code2 == 0
    assert summary["total"]["current"]["batches"] == own["total"]["current"]["batches"] > 0
    assert summary["total"]["current"]["person_visits"] == own["total"]["current"]["person_visits"]
