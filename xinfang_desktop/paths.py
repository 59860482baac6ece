"""The one place that knows where things live: the user data directory, bundled resources and migrations."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from xinfang_desktop import APP_NAME, ORG_NAME

BUNDLED = ("resources", "db")


def _bundle_root() -> Path:
    """The folder holding resources/ and db/: a frozen bundle, an installed wheel's data, or the checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return locate_bundle(Path(str(files("xinfang_desktop"))).resolve())


def locate_bundle(package: Path) -> Path:
    """Where resources/ and db/ are for the package folder `package`.

    A wheel (`pip install .`, pipx) carries both as package data in xinfang_desktop/_data/ (setup.py copies them
    there at build time) and that copy wins; a checkout and an editable install (`pip install -e .`) read them
    beside the package."""
    installed = package / "_data"
    if all((installed / name).is_dir() for name in BUNDLED):
        return installed
    checkout = package.parent
    if all((checkout / name).is_dir() for name in BUNDLED):
        return checkout
    raise FileNotFoundError(
        f"程序文件不完整：{installed} 与 {checkout} 下都没有 resources/ 和 db/，请重新安装 xinfang-desktop"
    )


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
