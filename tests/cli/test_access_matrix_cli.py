"""Every CLI command tried as every role (issue 17): a role the matrix refuses gets exit 3 and the database is
unchanged; an allowed role is never refused. Also open mode, lockout, sessions and the first-account rule."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.conftest import content_hash
from xinfang_desktop.cli import build_parser, main
from xinfang_desktop.commands.auth import command_paths
from xinfang_desktop.core.access import ROLES, action_for_command, permissions_of
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.identity import Identity
from xinfang_desktop.persistence.users import create_account, open_session, set_roles

PASSWORD = "Xf#2026-test"
SKIP_RUN = {"gui", "demo"}  # the window; a demo fill of thousands of cases (both still checked for refusal)
SELF_SERVICE = {"user passwd"}  # without a login: one's own password, for every role


def _leaf_parsers(parser: argparse.ArgumentParser, prefix: list[str]) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found.update(_leaf_parsers(child, [*prefix, name]))
    if parser.get_default("handler") is not None and prefix:
        found[" ".join(prefix)] = parser
    return found


def _argv(path: str, parser: argparse.ArgumentParser, tmp: Path) -> list[str]:
    """The command with a made-up value for each required argument (enough for argparse to accept it)."""
    argv = path.split(" ")
    chosen = [group._group_actions[0] for group in parser._mutually_exclusive_groups if group.required]
    for action in [*parser._actions, *chosen]:
        needed = action.required or not action.option_strings or action in chosen
        if isinstance(action, argparse._SubParsersAction) or not needed:
            continue
        if action.nargs in ("?", "*") or action.dest in ("help",):
            continue
        if action.nargs == 0:  # a flag standing for a required choice of a group
            argv.append(action.option_strings[0])
            continue
        value = str(action.choices and next(iter(action.choices))) if action.choices else "1"
        if action.dest in ("output", "out", "file", "xlsx", "pdf", "path", "docx") or "FILE" in str(action.metavar):
            value = str(tmp / f"out-{action.dest}.bin")
        argv += ([action.option_strings[0]] if action.option_strings else []) + [value]
    return argv


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A database with one account per role and a shell-session token for each."""
    tmp = tmp_path_factory.mktemp("matrix")
    target = str(tmp / "office.sqlite3")
    db = open_database(target)
    admin = create_account(db, "sysadmin", PASSWORD, roles=["system_admin"])
    tokens: dict[str, str] = {}
    security = Identity.of("secadmin", "secadmin", ("security_admin",))
    for role in ROLES:
        login = "sysadmin" if role.key == "system_admin" else f"u_{role.key}"
        if role.key != "system_admin":
            create_account(db, login, PASSWORD, actor=Identity.of(admin.login, admin.login, admin.roles))
            set_roles(db, login, [role.key], actor=security)
        identity = Identity.of(login, login, (role.key,))
        tokens[role.key], _ = open_session(db, identity)
    db.dispose()
    return target, tokens


def test_every_command_as_every_role(
    office: tuple[str, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target, tokens = office
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XINFANG_PASSWORD", PASSWORD)  # `user passwd` proves the old one (no new one: exit 2)
    leaves = _leaf_parsers(build_parser(), [])
    assert set(leaves) == set(command_paths(build_parser()).values())
    refused = allowed = 0
    for path, parser in sorted(leaves.items()):
        action = action_for_command(path)
        if action is None:
            continue
        argv = [*_argv(path, parser, tmp_path), "--db", target, "--json"]
        ran_allowed = False
        for role in ROLES:
            monkeypatch.setenv("XINFANG_SESSION", tokens[role.key])
            may = action in permissions_of([role.key]) or path in SELF_SERVICE
            if may and (ran_allowed or path in SKIP_RUN):
                continue
            db = open_database(target)
            before = content_hash(db)
            db.dispose()
            code = main(argv)
            out = capsys.readouterr().out
            if may:
                ran_allowed = True
                allowed += 1
                assert code != 3, (path, role.key, out)
            else:
                refused += 1
                assert code == 3, (path, role.key, code, out)
                assert json.loads(out)["exit_code"] == 3
                db = open_database(target)
                assert content_hash(db) == before, (path, role.key)
                db.dispose()
    assert refused > 300 and allowed > 80


def test_open_mode_until_the_first_account_then_login_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "o.sqlite3")
    assert main(["case", "list", "--db", target, "--json"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("XINFANG_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "zhang", "--roles", "registrar", "--db", target, "--json"]) == 2  # first: an admin
    assert "第一个账号须为系统管理员" in json.loads(capsys.readouterr().out)["error"]
    assert main(["user", "add", "guan", "--roles", "system_admin", "--db", target, "--json"]) == 0
    capsys.readouterr()
    assert main(["case", "list", "--db", target, "--json"]) == 3
    assert "已启用登录" in json.loads(capsys.readouterr().out)["error"]
    monkeypatch.setenv("XINFANG_PASSWORD", "wrong-Pass#1")
    assert main(["user", "list", "--user", "guan", "--db", target, "--json"]) == 3
    assert "口令不正确" in json.loads(capsys.readouterr().out)["error"]
    monkeypatch.setenv("XINFANG_PASSWORD", PASSWORD)
    assert main(["user", "list", "--user", "guan", "--db", target, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["login_required"] and [a["login"] for a in listed["accounts"]] == ["guan"]


def test_lockout_after_failures_and_audit_of_attempts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    target = str(tmp_path / "l.sqlite3")
    db = open_database(target)
    create_account(db, "guan", PASSWORD, roles=["system_admin"])
    monkeypatch.setenv("XINFANG_PASSWORD", "wrong-Pass#1")
    codes = [main(["user", "list", "--user", "guan", "--db", target, "--json"]) for _ in range(5)]
    assert codes == [3] * 5
    capsys.readouterr()
    monkeypatch.setenv("XINFANG_PASSWORD", PASSWORD)  # the right password no longer helps while locked
    assert main(["user", "list", "--user", "guan", "--db", target, "--json"]) == 3
    assert "已锁定" in json.loads(capsys.readouterr().out)["error"]
    with db.read_session() as session:
        actions = session.execute(text("SELECT action FROM audit_entries WHERE entity = 'user' ORDER BY id")).scalars()
        assert list(actions) == ["user.add"] + ["login.failed"] * 6
    db.dispose()


def test_login_session_and_logout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "s.sqlite3")
    db = open_database(target)
    create_account(db, "guan", PASSWORD, roles=["system_admin"])
    db.dispose()
    monkeypatch.setenv("XINFANG_PASSWORD", PASSWORD)
    assert main(["login", "--user", "guan", "--db", target, "--json"]) == 0
    session = json.loads(capsys.readouterr().out)
    monkeypatch.delenv("XINFANG_PASSWORD")
    monkeypatch.setenv("XINFANG_SESSION", session["token"])
    assert main(["whoami", "--db", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["roles"] == ["system_admin"]
    assert main(["logout", "--db", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"closed": True}
    assert main(["user", "list", "--db", target, "--json"]) == 3


@pytest.mark.parametrize(
    ("role", "step", "refused"),
    [
        ("supervisor", "supervise", False),  # 督办 is the 督办员's, who holds no case.handle
        ("supervisor", "urge", False),
        ("supervisor", "accept", True),
        ("statistician", "supervise", True),
        ("handler", "accept", False),
        ("handler", "review-decision", True),  # 复查意见 is decided by 审核/领导
        ("reviewer", "review-decision", False),
        ("registrar", "conclude", True),
    ],
)
def test_case_act_asks_for_the_steps_own_action(
    office: tuple[str, dict[str, str]],
    role: str,
    step: str,
    refused: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target, tokens = office
    monkeypatch.setenv("XINFANG_SESSION", tokens[role])
    code = main(["case", "act", "XF2026-999999", step, "--db", target, "--json"])
    out = json.loads(capsys.readouterr().out)
    if refused:
        assert code == 3 and "无权操作" in out["error"], out
    else:
        assert code == 2 and "无权" not in out["error"], out  # let through: the case is not there
