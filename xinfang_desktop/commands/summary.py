"""Summarised JSON for commands whose lists grow with the ledger (`tick`, `warn scan`, issue 19).

By default each long list keeps its key but only its first `FIRST` items, and `counts` gives every list's full
length (`"counts": {"cases": 2481, …}`, `"shown": 50`); `--all` prints every item.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

FIRST = 50


def add_summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all", action="store_true", help="JSON 中列出全部条目（默认只列前若干条并给出总数）")
    p.add_argument("--first", type=int, default=FIRST, metavar="N", help=f"JSON 中每个列表列出的条数（默认 {FIRST}）")


def summarise(data: dict[str, Any], lists: Iterable[str], *, first: int | None) -> dict[str, Any]:
    """`data` with each of `lists` cut to its first `first` items (None: all) and their lengths under `counts`."""
    out = dict(data)
    known = data.get("counts")  # totals the producer knows without listing every item
    counts: dict[str, int] = dict(known) if isinstance(known, dict) else {}
    for key in lists:
        items = out.get(key)
        if isinstance(items, list):
            counts.setdefault(key, len(items))
            if first is not None:
                out[key] = items[:first]
    out["counts"] = counts
    out["shown"] = first
    return out


def first_of(args: argparse.Namespace) -> int | None:
    """The number of items to print from the arguments of `add_summary_args` (None with --all)."""
    return None if getattr(args, "all", False) else max(0, int(getattr(args, "first", FIRST)))
