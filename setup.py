"""Build hook: a wheel carries the migrations (db/), the bundled resources (resources/) and the manual (docs/, shown
by 帮助 → 使用手册) as package data.

They live at the top of the checkout, where Alembic, the scripts and the tests find them; a real build copies both
into `xinfang_desktop/_data/` of the wheel, which is where `xinfang_desktop.paths` looks in an installed copy.
An editable install (`pip install -e .`) copies nothing: it reads them in the checkout. Everything else is in
pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("resources", "db", "docs")  # folders of the checkout, copied to xinfang_desktop/_data/<name> (docs: 帮助)
TARGET = Path("xinfang_desktop", "_data")


def _bundled_files() -> list[tuple[Path, Path]]:
    """(source, path relative to the build folder) for every file that goes into the wheel's _data/."""
    pairs: list[tuple[Path, Path]] = []
    for name in BUNDLED:
        source = ROOT / name
        if not source.is_dir():
            raise SystemExit(f"cannot build: {source} is missing (the wheel must carry it)")
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(ROOT)
            skipped = "__pycache__" in relative.parts or path.suffix in (".pyc", ".pyo") or path.name.startswith(".")
            if path.is_file() and not skipped:
                pairs.append((path, TARGET / relative))
    return pairs


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, relative in _bundled_files():
            target = Path(self.build_lib) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(source), str(target), preserve_mode=False)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs += [str(Path(self.build_lib) / relative) for _, relative in _bundled_files()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithData})
