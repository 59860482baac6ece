"""A command imports its own group only (issue 19: the fixed start of `xinfang tick` or `xinfang settings show`)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from xinfang_desktop.cli import COMMAND_MODULES, COMMAND_OWNERS, _Parser, main, requested_command
from xinfang_desktop.commands.base import add_common


def _registered(module_name: str) -> list[str]:
    parser = _Parser(prog="xinfang")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    importlib.import_module(module_name).register(sub, add_common(argparse.ArgumentParser(add_help=False)))
    return list(sub.choices)


def test_the_owner_table_is_what_the_groups_register() -> None:
    found: dict[str, str] = {}
    for name in COMMAND_MODULES:
        try:
            commands = _registered(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a group not built yet
        found.update({command: name.rsplit(".", 1)[1] for command in commands})
    assert found == {command: owner for command, owner in COMMAND_OWNERS.items() if command in found}
    assert set(COMMAND_OWNERS.values()) <= {m.rsplit(".", 1)[1] for m in COMMAND_MODULES}


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["tick", "--today", "2026-12-01"], "tick"),
        (["--db", "tick", "settings", "show"], "settings"),  # a database file named like a command
        (["--json", "case", "show", "X"], "case"),
        (["--version"], None),
        ([], None),
    ],
)
def test_the_requested_command_is_found_in_argv(argv: list[str], command: str | None) -> None:
    assert requested_command(argv) == command


def test_a_command_imports_its_own_group_only() -> None:
    code = (
        "import sys; from xinfang_desktop.cli import build_parser; build_parser('tick'); "
        "print(sorted(m for m in sys.modules if m.startswith('xinfang_desktop.commands.') and m.endswith('_cmd')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert json.loads(out.replace("'", '"')) == ["xinfang_desktop.commands.lifecycle_cmd"]


def test_help_and_an_unknown_command_still_see_every_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert "tick" in error and "statement" in error  # argparse lists every command it knows


def test_argparse_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    # A clerk who mistypes a command reads the reason in Chinese (issue 18), with the exit code of bad input.
    assert main(["tick", "--bogus"]) == 2
    assert "无法识别的参数：--bogus" in capsys.readouterr().err
    assert main(["doc", "render"]) == 2
    assert "缺少必需的参数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["tick", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：xinfang tick") and "显示本帮助并退出" in out and "show this help" not in out


def test_case_actions_carry_their_chinese_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["case", "act", "--help"])
    out = capsys.readouterr().out
    assert "accept（受理）" in out and "close（审核认定办结）" in out


def test_an_action_can_be_named_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import sample_case

    db = str(tmp_path / "act.sqlite3")
    case = tmp_path / "case.json"
    case.write_text(json.dumps(sample_case(), ensure_ascii=False), encoding="utf-8")
    assert main(["init", "--db", db, "--json"]) == 0
    assert main(["case", "add", str(case), "--db", db, "--json"]) == 0
    capsys.readouterr()
    assert main(["case", "act", "XF2026-000001", "受理", "--unit", "示范县住房和城乡建设局", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "：受理" in out and "受理告知书" in out and "acceptance_notice --case" in out
