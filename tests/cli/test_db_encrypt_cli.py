"""`xinfang db encrypt`, `xinfang db rekey`, `xinfang init --encrypt` (issue 17): JSON contract, keys from the
environment or a key file, exit 2 with nothing changed when the passphrase or sqlcipher3 is missing."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc

pytest.importorskip("sqlcipher3", reason="sqlcipher3 (the encryption extra) not installed")

PASS = "county office pass 1"


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *argv: str) -> tuple[int, Any]:
        enc.forget_keys()  # every call as a new process: nothing remembered from the last one
        archive_mod.forget()
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (enc.KEY_ENV, enc.KEY_FILE_ENV, "XINFANG_DB_NEW_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    yield
    enc.forget_keys()
    archive_mod.forget()


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(str(tmp_path / "ledger.sqlite3"), capsys)
    assert c("init")[0] == 0
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case(summary="CANARY 加密前的事项"), ensure_ascii=False), encoding="utf-8")
    code, added = c("case", "add", str(source))
    assert code == 0, added
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"CANARY scan")
    assert c("case", "attach", added["number"], str(scan))[0] == 0
    return c


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_encrypt_then_every_command_needs_the_key(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(cli.db)
    code, out = cli("db", "encrypt")  # no passphrase given, no terminal: exit 2, nothing changed
    assert code == 2 and "XINFANG_DB_KEY" in out["error"] and not enc.is_encrypted(path)
    monkeypatch.setenv(enc.KEY_ENV, "short")
    code, out = cli("db", "encrypt")
    assert code == 2 and "至少" in out["error"] and not enc.is_encrypted(path)

    monkeypatch.setenv(enc.KEY_ENV, PASS)
    code, out = cli("db", "encrypt")
    assert code == 0, out
    assert out["encrypted"] and not out["already_encrypted"] and out["counts"]["cases"] == 1
    assert out["files_encrypted"] == 1 and Path(out["backup"]).is_file() and out["backup"] in out["plain_copies"]
    assert enc.is_encrypted(path) and b"CANARY" not in path.read_bytes()

    code, listed = cli("case", "list")
    assert code == 0 and listed["total"] == 1
    code, check = cli("db", "check")
    assert check["integrity"] == "ok" and check["files"]["ok"] and check["files"]["checked"] == 1
    assert not any("encryption_file_keys" in d for d in check["differences"])
    code, made = cli("backup", "create")
    assert code == 0 and made["verified"]["ok"]
    assert enc.is_encrypted(Path(made["path"]) / "database.sqlite3")

    monkeypatch.delenv(enc.KEY_ENV)
    code, out = cli("case", "list")
    assert code == 2 and "数据库已加密" in out["error"]
    monkeypatch.setenv(enc.KEY_ENV, "wrong passphrase")
    code, out = cli("case", "list")
    assert code == 2 and "口令不正确" in out["error"]
    monkeypatch.delenv(enc.KEY_ENV)
    key_file = tmp_path / "usb" / "xinfang.key"
    key_file.parent.mkdir()
    key_file.write_text(PASS + "\n", encoding="utf-8")
    code, check = cli("db", "check", "--key-file", str(key_file))
    assert check["integrity"] == "ok", check
    monkeypatch.setenv(enc.KEY_FILE_ENV, str(key_file))
    assert cli("case", "list")[1]["total"] == 1


def test_rekey_changes_the_passphrase_of_the_database_and_its_backups(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    assert cli("db", "encrypt")[0] == 0
    assert cli("backup", "create")[0] == 0
    before = _digest(Path(cli.db))
    code, out = cli("db", "rekey")  # no new passphrase and no terminal
    assert code == 2 and _digest(Path(cli.db)) == before
    monkeypatch.setenv("XINFANG_DB_NEW_KEY", "the new passphrase")
    code, out = cli("db", "rekey")
    assert code == 0 and out["rekeyed"] and out["backup_generations_rekeyed"] == 1, out
    assert cli("case", "list")[0] == 2  # the old passphrase no longer opens it
    monkeypatch.setenv(enc.KEY_ENV, "the new passphrase")
    code, verified = cli("backup", "verify", "--all")
    assert code == 0 and verified["ok"], verified


def test_rekey_of_a_plain_database_and_encrypt_of_an_encrypted_one(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    code, out = cli("db", "rekey")
    assert code == 2 and "未加密" in out["error"]
    assert cli("db", "encrypt")[0] == 0
    code, out = cli("db", "encrypt")
    assert code == 0 and out["already_encrypted"] and out["files_encrypted"] == 0


def test_init_encrypt_creates_an_encrypted_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Cli(str(tmp_path / "new.sqlite3"), capsys)
    code, out = c("init", "--encrypt")
    assert code == 2 and not Path(c.db).exists()
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    code, out = c("init", "--encrypt")
    assert code == 0 and out["encrypted"] and enc.is_encrypted(Path(c.db))
    code, out = c("init", "--encrypt")  # again: opened with its passphrase, nothing else
    assert code == 0 and out["encrypted"]
    plain = Cli(str(tmp_path / "plain.sqlite3"), capsys)
    assert plain("init")[0] == 0
    code, out = plain("init", "--encrypt")
    assert code == 2 and "db encrypt" in out["error"]


def test_without_sqlcipher3_encrypt_exits_2_and_changes_nothing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    monkeypatch.setattr(enc, "cipher_module", lambda: None)
    path = Path(cli.db)
    files = sorted(p.name for p in path.parent.iterdir())
    before = _digest(path)
    code, out = cli("db", "encrypt")
    assert code == 2 and "sqlcipher3" in out["error"] and "pip install" in out["error"]
    assert _digest(path) == before and sorted(p.name for p in path.parent.iterdir()) == files
    assert cli("case", "list")[0] == 0  # a plain database never needs it


def test_every_command_takes_the_key_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db-key-file on any command, before or after it (commands/base.add_common); `init`/`db …` also --key-file;
    `audit verify --key-file` keeps its own meaning (older audit-chain key files)."""
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    assert cli("db", "encrypt")[0] == 0
    monkeypatch.delenv(enc.KEY_ENV)
    key_file = tmp_path / "usb" / "xinfang.key"
    key_file.parent.mkdir()
    key_file.write_text(PASS + "\n", encoding="utf-8")
    assert cli("case", "list")[0] == 2  # no passphrase given
    code, listed = cli("case", "list", "--db-key-file", str(key_file))
    assert code == 0 and listed["total"] == 1, listed
    code, listed = cli("--db-key-file", str(key_file), "case", "list")  # before the command
    assert code == 0 and listed["total"] == 1, listed
    code, shown = cli("case", "show", listed["rows"][0]["number"], "--db-key-file", str(key_file))
    assert code == 0, shown
    code, check = cli("db", "check", "--db-key-file", str(key_file))
    assert code == 0 and check["integrity"] == "ok"
    wrong = tmp_path / "wrong.key"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    code, out = cli("case", "list", "--db-key-file", str(wrong))
    assert code == 2 and "口令不正确" in out["error"]
    code, out = cli("case", "list", "--db-key-file", str(tmp_path / "missing.key"))
    assert code == 2 and "无法读取密钥文件" in out["error"]
    code, verified = cli("audit", "verify", "--db-key-file", str(key_file), "--key-file", str(tmp_path / "none.key"))
    assert code == 2 and "none.key" in out_text(verified)


def out_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
