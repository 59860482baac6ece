"""The four measured bypasses of the accusation guard (issue 17; R-LC-07, 《信访工作条例》第四十六条第（五）项、
第三十条第三款), through the CLI on the example county's register (示范县公安局 with 城关派出所 under it):

1. an accused unit typed 县公安局 and the case forwarded to 示范县公安局;
2. the case handed down (交办) to 示范县公安局城关派出所, a unit under the accused one;
3. the accused unit (or a unit under it) given as the responsible unit at intake;
4. `doc render transfer_letter --input` addressed to the accused unit, numbered and naming the accuser.

Each refusal exits 2 with a Chinese message naming the article, and leaves the case, the documents and the number
sequence as they were.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database

ACCUSER = {
    "name": "李检举",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "address": "示范县城关街道西街8号",
}
ARTICLE = "《信访工作条例》第四十六条"


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp_path

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def write(self, name: str, data: dict[str, Any]) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def intake(self, **changes: Any) -> tuple[int, Any]:
        data = sample_case(
            petitioner=dict(ACCUSER),
            purpose="揭发控告",
            received_on="2025-05-20",
            summary=f"检举县公安局民警违规收费，联系人{ACCUSER['name']}，电话{ACCUSER['phone']}",
            **changes,
        )
        return self("case", "add", self.write("case.json", data), "--today", "2025-05-31")

    def accusation(self, accused: str = "县公安局") -> str:
        code, out = self.intake(accused_units=[accused])
        assert code == 0, out
        return str(out["number"])


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    c = Cli(db_target, capsys, tmp_path)
    assert c("init")[0] == 0  # the example county's units: 示范县公安局 and 示范县公安局城关派出所 under it
    return c


def _rows(db: str, *, skip_audit: bool) -> str:
    """Every row of every table (the audit log left out where a refusal is itself audited)."""
    database = open_database(db, create=False)
    h = hashlib.sha256()
    try:
        with database.engine.connect() as conn:
            for table in sorted(inspect(conn).get_table_names()):
                if skip_audit and table.startswith("audit"):
                    continue
                h.update(table.encode())
                for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                    h.update(repr(tuple(row)).encode())
    finally:
        database.dispose()
    return h.hexdigest()


def _refused(out: Any, *names: str) -> str:
    message = str(out["message"])
    assert ARTICLE in message and "R-LC-07" in message, message
    for name in names:
        assert name in message, message
    return message


def test_1_an_accused_unit_typed_short_is_the_register_unit(cli: Cli) -> None:
    number = cli.accusation("县公安局")
    code, shown = cli("case", "show", number)
    assert code == 0 and shown["accused_units"] == ["示范县公安局"]  # stored under the register's name
    before = _rows(cli.db, skip_audit=True)
    code, out = cli("case", "act", number, "forward", "--unit", "示范县公安局", "--date", "2025-05-21")
    assert code == 2
    _refused(out, "“示范县公安局”是本事项被反映（被控告）的单位")
    assert _rows(cli.db, skip_audit=True) == before
    code, out = cli("case", "act", number, "forward", "--unit", "示范县民政局", "--date", "2025-05-21")
    assert code == 0, out


def test_2_a_unit_under_the_accused_unit_is_refused(cli: Cli) -> None:
    number = cli.accusation("示范县公安局")
    before = _rows(cli.db, skip_audit=True)
    for action, extra in (("assign", ("--days", "30")), ("forward", ())):
        argv = ("case", "act", number, action, "--unit", "示范县公安局城关派出所", "--date", "2025-05-21", *extra)
        code, out = cli(*argv)
        assert code == 2, out
        _refused(out, "“示范县公安局城关派出所”隶属于", "“示范县公安局”")
    assert _rows(cli.db, skip_audit=True) == before


def test_2b_a_case_stored_before_the_guard_is_guarded_through_the_register(cli: Cli) -> None:
    """An accused unit stored as typed (县公安局, not linked to the register), as every case before the guard."""
    number = cli.accusation("县公安局")
    database = open_database(cli.db, create=False)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE case_accused_units SET name = '县公安局', unit_id = NULL"))
    database.dispose()
    code, out = cli("case", "act", number, "assign", "--unit", "示范县公安局城关派出所", "--days", "30")
    assert code == 2
    _refused(out, "隶属于")


@pytest.mark.parametrize("unit", ["示范县公安局", "示范县公安局城关派出所"])
def test_3_intake_refuses_the_accused_unit_as_responsible_unit(cli: Cli, unit: str) -> None:
    before = _rows(cli.db, skip_audit=False)
    code, out = cli.intake(accused_units=["县公安局"], responsible_unit=unit)
    assert code == 2
    assert out["errors"][0]["field"] == "responsible_unit"
    _refused(out, f"“{unit}”")
    assert _rows(cli.db, skip_audit=False) == before  # nothing written, not even an audit entry


def test_3b_an_ambiguous_or_unknown_accused_unit(cli: Cli) -> None:
    assert cli("unit", "add", "示范市公安局", "--region", "331200")[0] == 0  # now “公安局” may mean two units
    code, out = cli.intake(accused_units=["公安局"])
    assert code == 2 and "全称" in out["message"] and "示范市公安局" in out["message"]
    code, out = cli.intake(accused_units=["市公安局"])
    assert code == 0 and cli("case", "show", out["number"])[1]["accused_units"] == ["示范市公安局"]
    code, out = cli.intake(accused_units=["城关街道人民政府"])
    assert code == 0 and any("不在单位名录中" in w for w in out["warnings"])


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def _letter(number: str, to_unit: str) -> dict[str, Any]:
    """The input the measured bypass used: the stored case by number, but no word of the accusation."""
    return {
        "case_number": number,
        "petitioner": dict(ACCUSER),
        "received_on": "2025-05-20",
        "channel": "来信",
        "summary": f"检举县公安局民警违规收费，联系人{ACCUSER['name']}，电话{ACCUSER['phone']}",
        "to_unit": to_unit,
        "transferred_on": "2025-05-21",
        "issued_on": "2025-05-21",
    }


@pytest.mark.parametrize("to_unit", ["示范县公安局", "县公安局", "示范县公安局城关派出所"])
def test_4_doc_render_input_to_the_accused_unit_is_refused_unnumbered(cli: Cli, tmp_path: Path, to_unit: str) -> None:
    number = cli.accusation("县公安局")
    before = _rows(cli.db, skip_audit=False)
    target = tmp_path / "letter.pdf"
    letter = cli.write("l.json", _letter(number, to_unit))
    code, out = cli("doc", "render", "transfer_letter", "--input", letter, "-o", str(target))
    assert code == 2 and not target.exists()
    _refused(out)
    assert _rows(cli.db, skip_audit=False) == before  # no document, no number drawn
    letter = cli.write("ok.json", _letter(number, "示范县民政局"))
    code, out = cli("doc", "render", "transfer_letter", "--input", letter, "-o", str(target))
    assert code == 0 and out["number"].endswith("〔2025〕1号"), out  # the first number: none was used up


def test_4b_a_letter_to_another_unit_never_names_the_accuser(cli: Cli, tmp_path: Path) -> None:
    number = cli.accusation("县公安局")
    by_input = ("--input", cli.write("l.json", _letter(number, "示范县民政局")))
    for i, fmt_args in enumerate((by_input, ("--case", number))):
        if fmt_args[0] == "--case":
            assert cli("case", "act", number, "forward", "--unit", "示范县民政局", "--date", "2025-05-21")[0] == 0
        target = tmp_path / f"letter{i}.pdf"
        code, out = cli("doc", "render", "transfer_letter", *fmt_args, "-o", str(target))
        assert code == 0, out
        printed = _pdf_text(target)
        for secret in ACCUSER.values():
            assert secret not in printed, (fmt_args[0], secret)
        assert "（检举控告人信息依法保密）" in printed and "示范县民政局" in printed
