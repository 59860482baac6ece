"""Import a module one module per turn of the event loop, so a section's first opening never freezes.

Start-up imports only what the first screen needs; a section's module (and the stores and rules it pulls in) is
imported the first time it is opened. In one go that is 50-200 ms on the GUI thread; imported module by module,
dependencies first, with the event loop turning in between, no step is long enough to be felt.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType

from PySide6.QtCore import QTimer

PACKAGE = "xinfang_desktop."
# A real timer between steps, not a zero one: Qt runs zero-timer calls posted meanwhile in the same pass, back to back,
# while timers that are due (a repaint's, a user's) get their turn before a 1 ms one.
STEP_GAP_MS = 1


def direct_imports(module: str) -> list[str]:
    """The package's modules `module` imports at its top level and that are not imported yet, in source order.

    Empty when the source cannot be read (a frozen build): the module is then imported in one step."""
    try:
        spec = importlib.util.find_spec(module)
        loader = spec.loader if spec is not None else None
        source = loader.get_source(module) if loader is not None and hasattr(loader, "get_source") else None
    except (ImportError, ValueError, OSError):
        return []
    if not source:
        return []
    names: list[str] = []
    for node in ast.parse(source).body:  # the top level only: imports inside functions are lazy already
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    wanted = [n for n in names if n.startswith(PACKAGE) and n not in sys.modules]
    return list(dict.fromkeys(wanted))


def import_in_steps(module: str, done: Callable[[ModuleType], None]) -> None:
    """Import `module` and the package's modules it needs, one module per event-loop turn (dependencies first, depth
    first), then call `done(module)`."""
    pending = [module]  # a stack: a module is imported once every module it imports at its top level is
    expanded: set[str] = set()

    def step() -> None:
        while pending:
            name = pending[-1]
            if name in sys.modules:  # pulled in by an earlier step
                pending.pop()
                continue
            if name not in expanded:
                expanded.add(name)
                needed = [d for d in direct_imports(name) if d not in expanded]
                if needed:
                    pending.extend(reversed(needed))  # the first in the source is imported first
                    continue
            pending.pop()
            importlib.import_module(name)
            if pending:
                QTimer.singleShot(STEP_GAP_MS, step)
                return
        done(importlib.import_module(module))

    QTimer.singleShot(STEP_GAP_MS, step)
