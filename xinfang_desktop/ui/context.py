"""What every panel is given: the task runner, the clock and the user (no global state)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xinfang_desktop.ui.tasks import TaskRunner


def os_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a service account or a container
        return "未知用户"


@dataclass
class AppContext:
    """Shared services of one window: `tasks` runs database work, `today()` is the business date."""

    tasks: TaskRunner
    today: Callable[[], date] = date.today
    user: str = field(default_factory=os_login)
