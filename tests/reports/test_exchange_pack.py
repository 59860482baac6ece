"""`reports/exchange_pack.pack` and the package file on the demo database (issue 14): progress reported page by page,
a cancel that leaves neither a file nor a database change, the package's members and manifest, the national sheet
columns in each case line, and the encrypted package readable only with the receiver's key."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.core.exchange import CASES, MANIFEST, REPORTS
from xinfang_desktop.persistence.exchange import queries
from xinfang_desktop.reports import national_export
from xinfang_desktop.reports.exchange_keys import OfficeKey, create_key
from xinfang_desktop.reports.exchange_pack import pack
from xinfang_desktop.reports.exchange_package import open_package

NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture
def demo_db(demo_path: Path, tmp_path: Path) -> Iterator[Any]:
    """A copy of the module's demo database for one test (packages are recorded as sent)."""
    from xinfang_desktop.persistence.database import open_database

    copy = tmp_path / "db" / "county.sqlite3"
    copy.parent.mkdir()
    shutil.copy(demo_path, copy)
    db = open_database(copy)
    yield db
    db.dispose()


@pytest.fixture
def key(tmp_path: Path) -> OfficeKey:
    return create_key(
        tmp_path / "county.exchange-key", office="示范县信访局", region_code="", created_at=NOW.isoformat()
    )


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    original = queries.pages

    def pages(ids: Sequence[int], size: int = 50) -> Iterator[Sequence[int]]:
        return original(ids, 50)

    monkeypatch.setattr(queries, "pages", pages)


def _sent(db: Any) -> int:
    from sqlalchemy import func, select

    from xinfang_desktop.persistence.records_exchange import ExchangeSentRecord

    with db.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(ExchangeSentRecord)) or 0)


def test_progress_page_by_page(demo_db: Any, key: OfficeKey, tmp_path: Path, small_pages: None) -> None:
    calls: list[tuple[int, int]] = []
    out = tmp_path / "p.zip"
    result = pack(demo_db, parse_period("2026"), out, key, now=NOW, progress=lambda d, t: calls.append((d, t)))
    assert result.cases > 200 and calls[0] == (0, result.cases) and calls[-1] == (result.cases, result.cases)
    assert len(calls) == 2 + (result.cases - 1) // 50
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {MANIFEST, CASES, REPORTS}
        manifest = json.loads(zf.read(MANIFEST))
        lines = zf.read(CASES).decode("utf-8").splitlines()
        reports = json.loads(zf.read(REPORTS))
    assert manifest["cases"] == len(lines) == result.cases and manifest["events"] == result.events
    assert manifest["sheet_headers"] == list(national_export.HEADERS)
    first = json.loads(lines[0])
    assert len(first["sheet"]) == len(national_export.HEADERS) and first["sheet"][0] == first["number"]
    assert first["events"] and first["events"][0]["seq"] == 1
    assert set(reports["groupings"]) == {"destination", "category", "locality", "unit", "channel"}
    assert _sent(demo_db) == 1


def test_cancel_leaves_nothing(demo_db: Any, key: OfficeKey, tmp_path: Path, small_pages: None) -> None:
    out = tmp_path / "p.zip"
    out.write_bytes(b"an older file of the same name")
    before = content_hash(demo_db)
    seen: list[int] = []

    def cancelled() -> bool:
        return len(seen) >= 2

    with pytest.raises(InterruptedError, match="已取消"):
        pack(
            demo_db, parse_period("2026"), out, key, now=NOW, progress=lambda d, t: seen.append(d), cancelled=cancelled
        )
    assert out.read_bytes() == b"an older file of the same name"  # never half-replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["county.exchange-key", "db", "p.zip"]  # no temporary
    assert content_hash(demo_db) == before and _sent(demo_db) == 0


def test_second_package_holds_only_what_changed(demo_db: Any, key: OfficeKey, tmp_path: Path) -> None:
    first = pack(demo_db, parse_period("2026-09"), tmp_path / "1.zip", key, now=NOW)
    again = pack(demo_db, parse_period("2026-10"), tmp_path / "2.zip", key, now=NOW)
    assert first.first and not again.first and again.seq == first.seq + 1
    # the range runs on from the day after the last package's period: nothing received in between is left out
    assert again.range_from.isoformat() == "2026-10-01"
    with zipfile.ZipFile(tmp_path / "2.zip") as zf:
        received = {json.loads(line)["received_on"][:7] for line in zf.read(CASES).decode().splitlines()}
    assert received == {"2026-10"}  # nothing changed in between: only October's cases


def test_encrypted_package_opens_only_for_the_receiver(demo_db: Any, key: OfficeKey, tmp_path: Path) -> None:
    city = create_key(tmp_path / "city.exchange-key", office="示范市信访局", region_code="", created_at=NOW.isoformat())
    out = tmp_path / "sealed.zip"
    result = pack(demo_db, parse_period("2026-10"), out, key, receiver=city.public, now=NOW)
    assert result.encrypted
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {"envelope.json", "payload.bin"}
        envelope = json.loads(zf.read("envelope.json"))
        assert envelope["cipher"] == "SM4-GCM" and envelope["receiver_fingerprint"] == city.fingerprint
        assert "示范县" not in zf.read("payload.bin").decode("latin-1")  # nothing readable inside

    def lookup(fp: str) -> Any:
        return key.public if fp == key.fingerprint else None

    with open_package(out, lookup, city) as opened:
        assert opened.readable and opened.manifest is not None and opened.manifest.cases == result.cases
        assert opened.content_digest == result.digest  # the signed plain package inside
        assert sum(1 for _ in opened.case_lines()) == result.cases
    stranger = create_key(tmp_path / "x.exchange-key", office="他市", region_code="", created_at=NOW.isoformat())
    with open_package(out, lookup, stranger) as opened:
        assert not opened.readable and "私钥" in opened.note
