"""Who is acting in this process: the logged-in account (or the OS login while no account exists), its roles and scope.

One user per process (a desktop window or one CLI command), so a module-level value rather than a context variable:
the GUI runs its database work on worker threads, which must see the same identity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from xinfang_desktop.core.access import ACTION_KEYS, AccessDenied, describe_denial, permissions_of


@dataclass(frozen=True)
class Identity:
    login: str
    display_name: str
    roles: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()  # region codes the user is limited to (none: no township limit)
    units: tuple[str, ...] = ()  # responsible units the user is limited to (none: no unit limit)
    open_mode: bool = False  # no login account exists yet: the OS login may do everything, as before issue 17
    permissions: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(
        cls,
        login: str,
        display_name: str,
        roles: tuple[str, ...],
        townships: tuple[str, ...] = (),
        units: tuple[str, ...] = (),
    ) -> Identity:
        return cls(login, display_name, roles, townships, units, False, permissions_of(roles))

    @classmethod
    def open(cls, login: str) -> Identity:
        return cls(login, login, (), (), (), True, ACTION_KEYS)

    def may(self, action: str) -> bool:
        return action in self.permissions

    def require(self, action: str) -> None:
        if not self.may(action):
            raise AccessDenied(describe_denial(action, self.roles), field="role")

    @property
    def scoped(self) -> bool:
        return bool(self.townships or self.units)


_acting: Identity | None = None


def set_acting(identity: Identity | None) -> None:
    """Set at login (GUI) or when a command has authenticated (CLI); None again at logout."""
    global _acting
    _acting = identity


def acting() -> Identity | None:
    return _acting


def acting_login() -> str | None:
    return _acting.login if _acting is not None else None


def require(action: str) -> None:
    """Refuse unless the acting user may do `action` (nobody set: a library call outside the CLI/GUI, allowed)."""
    if _acting is not None:
        _acting.require(action)


P = ParamSpec("P")
R = TypeVar("R")


def requires(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A store function the acting user's role must allow (issue 17: enforced below the screens, so a button the
    window forgot to hide still refuses — AccessDenied, nothing written)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            require(action)
            return fn(*args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]  # read by the matrix test
        return checked

    return wrap
