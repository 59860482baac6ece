"""The role × action matrix below the screens (issue 17): every store function that writes names the action it needs
(`persistence.identity.requires`), and a role without that action is refused before anything is read or written —
the same refusal the CLI gives, for a button the window forgot to hide."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import xinfang_desktop.persistence as persistence
from xinfang_desktop.core.access import ACTION_KEYS, COMMAND_ACTIONS, ROLES, AccessDenied
from xinfang_desktop.persistence.identity import Identity, set_acting


def _guarded() -> dict[str, tuple[Callable[..., Any], str]]:
    found: dict[str, tuple[Callable[..., Any], str]] = {}
    for info in pkgutil.walk_packages(persistence.__path__, persistence.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            action = getattr(fn, "required_action", None)
            if action is not None and fn.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = (fn, action)
    return found


GUARDED = _guarded()


@pytest.fixture(autouse=True)
def _nobody() -> Iterator[None]:
    yield
    set_acting(None)


def test_the_writing_stores_are_guarded_with_actions_of_the_matrix() -> None:
    names = {name.rsplit(".", 1)[1] for name in GUARDED}
    for expected in ("add_case", "create_package", "issue_slip", "open_accountability", "record_duty", "set_setting"):
        assert expected in names
    assert {action for _, action in GUARDED.values()} <= ACTION_KEYS
    # The store asks for what the CLI command asks for (the matrix is one).
    pairs = {
        "add_case": "case add",
        "create_package": "package create",
        "issue_slip": "warn issue",
        "take_step": "accountability step",
        "record_duty": "duty record",
        "add_unit": "unit add",
        "import_year": "calendar import",
        "evaluate": "statement evaluate",
        "create_review": "review create",
    }
    by_name = {name.rsplit(".", 1)[1]: action for name, (_, action) in GUARDED.items()}
    for fn, command in pairs.items():
        assert by_name[fn] == COMMAND_ACTIONS[command], fn


@pytest.mark.parametrize("role", [r.key for r in ROLES])
def test_every_role_is_refused_what_it_may_not_do(role: str) -> None:
    identity = Identity.of("someone", "某人", (role,))
    set_acting(identity)
    for name, (fn, action) in GUARDED.items():
        if identity.may(action):
            # Allowed: the check lets the call through (which then fails on the missing database, not on the role).
            with pytest.raises(Exception) as passed:
                fn(None)
            assert not isinstance(passed.value, AccessDenied), name
        else:
            with pytest.raises(AccessDenied) as refused:
                fn(None)
            assert refused.value.field == "role" and refused.value.message.startswith("无权操作"), name


def test_open_mode_and_library_calls_are_not_refused() -> None:
    fn, _ = next(iter(GUARDED.values()))
    set_acting(Identity.open("clerk"))
    with pytest.raises(Exception) as exc:
        fn(None)
    assert not isinstance(exc.value, AccessDenied)
    set_acting(None)
    with pytest.raises(Exception) as exc:
        fn(None)
    assert not isinstance(exc.value, AccessDenied)
