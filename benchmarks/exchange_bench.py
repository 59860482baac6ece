"""上报数据包 of 100,000 changed cases (issue 14): pack (plain and SM4-encrypted), verify and import at the city,
and the second import of the same package.

    python benchmarks/exchange_bench.py [--cases 100000] [--runs 3] [--workdir DIR] [--keep]

The county is built once in DIR (default a temporary folder; with --keep it is reused next time): an empty database
sends its first package (nothing in it), then the demo generator (`xinfang demo`, persistence/demo_data.py) fills
it with N cases, as when a county loads its old ledger after joining the exchange — so the next package holds every
case: N changed cases, each with all its events. Each run packs a fresh copy of that county (packing records the
package as sent) and imports into a fresh city. Target: a package of 100k changed cases ≤ 60 s. Floor (raw
sqlite3, same run): reading the package's case columns and events once. Prints medians over the runs.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.demo_data import generate_demo
from xinfang_desktop.persistence.reference_data import seed_reference_data
from xinfang_desktop.reports.exchange_import import import_package, verify
from xinfang_desktop.reports.exchange_keys import create_key, load_key, trust_key
from xinfang_desktop.reports.exchange_pack import pack

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 18, 0)
PERIOD = "2026-11"


def _build_county(folder: Path, cases: int) -> Path:
    path = folder / "county.sqlite3"
    if path.exists():
        return path
    db = open_database(path)
    try:
        seed_reference_data(db)
        key = create_key(
            folder / "county.exchange-key", office="示范县信访局", region_code="", created_at=NOW.isoformat()
        )
        city = create_key(
            folder / "city.exchange-key", office="示范市信访局", region_code="", created_at=NOW.isoformat()
        )
        then = datetime(2016, 2, 1, 9, 0)
        for receiver in (None, city.public):  # each receiver is its own chain of "changed since"
            pack(db, parse_period("2016-01"), folder / "first.zip", key, receiver=receiver, now=then)
        t = time.perf_counter()
        generate_demo(db, cases, 7, today=TODAY)
        print(f"county built: {cases:,} demo cases in {time.perf_counter() - t:.0f} s")
    finally:
        db.dispose()
    return path


def _floor(path: Path) -> Callable[[], None]:
    def run() -> None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for _ in conn.execute(
                "SELECT c.*, p.name, p.address, p.phone FROM cases c"
                " LEFT JOIN case_petitioners cp ON cp.case_id = c.id AND cp.role = 'principal'"
                " LEFT JOIN petitioners p ON p.id = cp.petitioner_id ORDER BY c.id"
            ):
                pass
            for _ in conn.execute("SELECT * FROM case_events ORDER BY case_id, seq"):
                pass
        finally:
            conn.close()

    return run


def _timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - t, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the county in --workdir for the next run")
    args = parser.parse_args()
    own_tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="exchange-bench-")
    root = args.workdir or Path(own_tmp.name)  # type: ignore[union-attr]
    root.mkdir(parents=True, exist_ok=True)
    template = root / "template"
    template.mkdir(exist_ok=True)
    county_template = _build_county(template, args.cases)
    county_key = load_key(template / "county.exchange-key")
    timings: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    floor = [_timed(_floor(county_template))[0] for _ in range(args.runs)]
    try:
        for run in range(args.runs):
            work = root / f"run{run}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            city_db = open_database(work / "city.sqlite3")
            city_key = load_key(template / "city.exchange-key")
            trust_key(city_db, county_key.public, office="示范县信访局", region_code="", own=city_key)
            for mode in ("plain", "encrypted"):
                shutil.copy(county_template, work / f"county-{mode}.sqlite3")
                for suffix in (".audit-key",):
                    source = county_template.with_name(county_template.name + suffix)
                    if source.exists():
                        shutil.copy(source, work / f"county-{mode}.sqlite3{suffix}")
                county = open_database(work / f"county-{mode}.sqlite3")
                out = work / f"{mode}.zip"
                receiver = city_key.public if mode == "encrypted" else None
                seconds, result = _timed(
                    lambda c=county, o=out, r=receiver: pack(
                        c, parse_period(PERIOD), o, county_key, receiver=r, now=NOW
                    )
                )
                assert result.cases >= args.cases, result.cases
                timings.setdefault(f"pack {mode}", []).append(seconds)
                sizes[mode] = out.stat().st_size
                sizes["cases"], sizes["events"] = result.cases, result.events
                county.dispose()
            sealed = work / "encrypted.zip"
            seconds, _ = _timed(verify, city_db, sealed, city_key)
            timings.setdefault("verify encrypted (signature, decrypt, SHA-256, every line)", []).append(seconds)
            seconds, imported = _timed(import_package, city_db, sealed, city_key, now=NOW)
            assert imported.cases.new == sizes["cases"], imported.cases
            timings.setdefault("import encrypted (new city)", []).append(seconds)
            seconds, again = _timed(import_package, city_db, sealed, city_key, now=NOW)
            assert again.already_imported
            timings.setdefault("import the same package again (no-op)", []).append(seconds)
            city_db.dispose()
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
        elif not args.keep:
            shutil.rmtree(template, ignore_errors=True)
    print(
        f"package: {sizes['cases']:,} changed cases, {sizes['events']:,} events; "
        f"{sizes['plain'] / 1e6:.1f} MB plain, {sizes['encrypted'] / 1e6:.1f} MB encrypted; medians of {args.runs} runs"
    )
    f = statistics.median(floor)
    print(f"  {'floor (raw sqlite3: the cases and their events read once)':<62} {f:7.2f} s")
    for name, values in timings.items():
        ratio = f"  ×{statistics.median(values) / f:.1f} floor" if name.startswith("pack") else ""
        print(f"  {name:<62} {statistics.median(values):7.2f} s{ratio}")
    worst = max(statistics.median(timings["pack plain"]), statistics.median(timings["pack encrypted"]))
    print(f"target: a package of 100k changed cases ≤ 60 s — {worst:.1f} s")


if __name__ == "__main__":
    main()
