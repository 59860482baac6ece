"""Records of warning slips (信访预警单), explanations, backlog follow-up (一事双查) and 三方会审 — issue 8."""

from __future__ import annotations
