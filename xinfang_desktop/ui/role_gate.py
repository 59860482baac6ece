"""What the acting user's roles do not allow is not offered (issue 17): a button or action of a section is hidden when
the role × action matrix refuses it — the stores refuse it too (persistence.identity.requires), this only keeps the
window honest. No acting identity (tests, a library call) or open mode: everything is offered."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from xinfang_desktop.persistence.identity import acting

GATED_PROPERTY = "requires_action"


def may(action: str) -> bool:
    identity = acting()
    return identity is None or identity.may(action)


def gate(action: str, *widgets: QWidget) -> bool:
    """Hide the widgets unless the acting user may do `action` (each keeps the action as a property, for tests).
    True when they are offered."""
    allowed = may(action)
    for widget in widgets:
        widget.setProperty(GATED_PROPERTY, action)
        if not allowed:
            widget.hide()
    return allowed
