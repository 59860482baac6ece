"""Records of leader case packages (领导包案), oversight areas (包片督案) and reception duty (领导接访) — issue 7."""

from __future__ import annotations
