"""Masking of ID numbers and phones (issue 17): a marked ID number and phone (the canary) never leave through the CLI
JSON, the text output, the national export, a document or a file beside the database; the full value needs
personal.reveal and a reason, and each full view is one audit entry."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop import cli
from xinfang_desktop.core.access import ROLES
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.identity import Identity
from xinfang_desktop.persistence.records import AuditEntryRecord
from xinfang_desktop.persistence.users import create_account, open_session, set_roles

CANARY_ID = "511322198005177318"  # a valid check digit, found nowhere else in the fixtures
CANARY_PHONE = "13977712345"
MASKED_ID = "511322********7318"
MASKED_PHONE = "139****2345"
PASSWORD = "Xf#2026-canary"


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str, as_json: bool = True) -> tuple[int, Any, str]:
    code = cli.main([*argv, *(["--json"] if as_json else []), "--db", db])
    out = capsys.readouterr()
    text = out.out + out.err
    return code, (json.loads(out.out) if as_json and out.out.strip() else None), text


def assert_clean(text: str, where: str) -> None:
    assert CANARY_ID not in text, f"full ID number in {where}"
    assert CANARY_PHONE not in text, f"full phone in {where}"
    assert CANARY_ID[6:14] not in text, f"birth date of the ID number in {where}"


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """A database (open mode) with one case of the canary petitioner; returns (target, case number)."""
    target = str(tmp_path / "office.sqlite3")
    case = sample_case(
        petitioner={"name": "金丝雀", "id_number": CANARY_ID, "phone": CANARY_PHONE, "address": "示范县东街9号"},
        received_on="2026-11-20",
    )
    source = tmp_path / "case.json"
    source.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    code, data, _ = run(capsys, target, "case", "add", str(source), "--today", "2026-11-20")
    assert code == 0, data
    return target, data["number"]


def test_case_show_list_and_search_mask_the_canary(office: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    target, number = office
    code, data, text = run(capsys, target, "case", "show", number)
    assert code == 0
    person = data["petitioners"][0]
    assert (person["id_number"], person["phone"], data["personal_data"]) == (MASKED_ID, MASKED_PHONE, "masked")
    assert_clean(text, "case show --json")
    code, _, text = run(capsys, target, "case", "show", number, as_json=False)
    assert code == 0 and MASKED_PHONE in text
    assert_clean(text, "case show (text)")
    # The full number still finds the case; the answer does not repeat it.
    code, data, text = run(capsys, target, "case", "list", "--search", CANARY_PHONE)
    assert code == 0 and [r["number"] for r in data["rows"]] == [number]
    assert_clean(text, "case list")


def test_national_export_masks_phones_unless_revealed_with_a_reason(
    office: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, _number = office
    out = tmp_path / "national.xlsx"
    code, data, _ = run(
        capsys, target, "export", "national", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(out)
    )
    assert code == 0 and data["personal_data"] == "masked"
    sheet = "".join(zipfile.ZipFile(out).read(n).decode("utf-8") for n in zipfile.ZipFile(out).namelist())
    assert MASKED_PHONE in sheet
    assert_clean(sheet, "national export")

    code, data, _ = run(
        capsys, target, "export", "national", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(out),
        "--reveal", "报送省信访信息系统",
    )  # fmt: skip
    assert code == 0 and data["personal_data"] == "revealed"
    sheet = "".join(zipfile.ZipFile(out).read(n).decode("utf-8") for n in zipfile.ZipFile(out).namelist())
    assert CANARY_PHONE in sheet
    db = open_database(target)
    with db.read_session() as s:
        details = [
            json.loads(d or "{}")
            for d in s.scalars(select(AuditEntryRecord.detail).where(AuditEntryRecord.action == "personal.reveal"))
        ]
    db.dispose()
    assert [d["reason"] for d in details] == ["报送省信访信息系统"]


def test_reveal_needs_a_reason_and_writes_nothing_without_one(
    office: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    target, number = office
    db = open_database(target)
    before = content_hash(db)
    code, data, _ = run(capsys, target, "case", "show", number, "--reveal", " ")
    assert code == 2 and "说明理由" in data["error"]
    assert content_hash(db) == before
    code, data, _ = run(capsys, target, "case", "show", number, "--reveal", "核实信访人身份以便电话回访")
    assert code == 0 and data["petitioners"][0]["id_number"] == CANARY_ID and data["personal_data"] == "revealed"
    with db.read_session() as s:
        entry = s.execute(
            select(AuditEntryRecord.entity, AuditEntryRecord.entity_id, AuditEntryRecord.detail).where(
                AuditEntryRecord.action == "personal.reveal"
            )
        ).one()
    db.dispose()
    assert (entry.entity, entry.entity_id) == ("case", number)
    assert json.loads(entry.detail or "{}")["reason"] == "核实信访人身份以便电话回访"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_documents_and_files_beside_the_database_hold_no_canary(
    office: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, number = office
    for type_id in (
        "petitioner_receipt",
    ):  # what registration itself issues; unit documents: test_accusation_documents
        pdf = tmp_path / f"{type_id}.pdf"
        code, data, _ = run(capsys, target, "doc", "render", type_id, "--case", number, "-o", str(pdf))
        assert code == 0, data
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "金丝雀" in text
        assert_clean(text, f"{type_id}.pdf")
        docx = tmp_path / f"{type_id}.docx"
        code, data, _ = run(capsys, target, "doc", "render", type_id, "--case", number, "-o", str(docx))
        assert code == 0, data
        assert_clean(zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8"), f"{type_id}.docx")
    for path in Path(target).parent.rglob("*"):  # archive copies, logs, crash reports — not the database itself
        if path.is_file() and not path.name.startswith("office.sqlite3") and path.suffix not in (".json",):
            data_bytes = path.read_bytes()
            if path.suffix == ".pdf":
                data_bytes = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
            for secret in (CANARY_ID, CANARY_PHONE):
                assert secret.encode() not in data_bytes, f"{secret} in {path}"


def test_every_role_sees_the_canary_masked_and_only_revealers_may_reveal(
    office: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target, number = office
    db = open_database(target)
    admin = create_account(db, "sysadmin", PASSWORD, roles=["system_admin"])
    security = Identity.of("secadmin", "secadmin", ("security_admin",))
    tokens = {}
    for role in ROLES:
        if role.admin:
            continue
        login = f"u_{role.key}"
        create_account(db, login, PASSWORD, actor=Identity.of(admin.login, admin.login, admin.roles))
        set_roles(db, login, [role.key], actor=security)
        tokens[role.key], _ = open_session(db, Identity.of(login, login, (role.key,)))
    before = content_hash(db)
    db.dispose()
    for role in ROLES:
        if role.admin:
            continue
        monkeypatch.setenv("XINFANG_SESSION", tokens[role.key])
        code, data, text = run(capsys, target, "case", "show", number)
        if "case.view" not in role.actions:
            assert code == 3
            continue
        assert code == 0 and data["petitioners"][0]["id_number"] == MASKED_ID, role.key
        assert_clean(text, f"case show as {role.key}")
        code, data, text = run(capsys, target, "case", "show", number, "--reveal", "核对身份信息")
        if "personal.reveal" in role.actions:
            assert code == 0 and data["petitioners"][0]["phone"] == CANARY_PHONE, role.key
        else:
            assert code == 3, (role.key, data)
            assert_clean(text, f"refused reveal as {role.key}")
    db = open_database(target)
    with db.read_session() as s:
        reveals = s.scalars(select(AuditEntryRecord.id).where(AuditEntryRecord.action == "personal.reveal")).all()
    assert len(reveals) == sum(1 for r in ROLES if "personal.reveal" in r.actions and "case.view" in r.actions)
    assert content_hash(db) != before  # the reveals (and only they) were written
    db.dispose()
