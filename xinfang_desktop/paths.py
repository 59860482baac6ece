"""The one place that knows where things live: the user data directory, bundled resources and migrations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from xinfang_desktop import APP_NAME, ORG_NAME


def _bundle_root() -> Path:
    """The folder holding resources/ and db/: the checkout, the installed wheel's data, or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    here = Path(__file__).resolve().parent
    # Checkout or editable install: resources/ sits beside the package.
    if (here.parent / "resources").is_dir():
        return here.parent
    return here / "_data"


def resources_dir() -> Path:
    return _bundle_root() / "resources"


def resource(*parts: str) -> Path:
    """A file under resources/; refuses paths that climb out of it."""
    base = resources_dir().resolve()
    path = base.joinpath(*parts).resolve()
    if base not in path.parents and path != base:
        raise ValueError(f"resource path escapes resources/: {parts}")
    return path


def migrations_dir() -> Path:
    return _bundle_root() / "db"


def data_dir() -> Path:
    """The user data directory (database, attachments, documents, logs); XINFANG_DATA_DIR overrides it."""
    override = os.environ.get("XINFANG_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, ORG_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "xinfang.sqlite3"
