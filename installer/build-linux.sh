#!/usr/bin/env bash
# The Linux bundle: a build venv, the PyInstaller one-folder bundle in installer/dist/xinfang-desktop, then the frozen
# smoke run (installer/smoke.py) in a temporary data folder. Prints the bundle's size and start times.
#
#   bash installer/build-linux.sh            # reuses installer/build/venv when it is there
#   bash installer/build-linux.sh --fresh    # removes installer/build and installer/dist first (what CI does)
#
# Needs python3 (3.11+, with venv) and the package index for the build venv; the result needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
build="$root/installer/build"
dist="$root/installer/dist"
python="${PYTHON:-python3}"

if [ "${1:-}" = "--fresh" ]; then
  rm -rf "$build" "$dist"
fi
mkdir -p "$build" "$dist"
started=$(date +%s)

# --- build venv: PyInstaller and the application's dependencies (pyproject.toml, with PostgreSQL support) ---
venv="$build/venv"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
mapfile -t deps < <("$venv/bin/python" - <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for dep in [*project["dependencies"], *project["optional-dependencies"]["postgres"]]:
    print(dep)
PY
)
# every time (a no-op when nothing changed): a dependency added to pyproject.toml reaches the bundle
nice "$venv/bin/pip" install -q --disable-pip-version-check "pyinstaller>=6.10,<7" "${deps[@]}"
venv_done=$(date +%s)

# --- the icon, drawn from the bundled font; then the bundle ---
"$venv/bin/python" installer/make_icon.py "$build/icon" >/dev/null
nice "$venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$build/pyinstaller" installer/xinfang.spec
bundle="$dist/xinfang-desktop"
built=$(date +%s)
for program in xinfang xinfang-desktop; do
  [ -x "$bundle/$program" ] || { echo "build-linux: $bundle/$program is missing" >&2; exit 1; }
done
for needed in _internal/resources/fonts/wqy-microhei.ttc _internal/resources/rules/national.json \
  _internal/db/env.py _internal/alembic.ini _internal/VERSION \
  _internal/PySide6/Qt/translations/qtbase_zh_CN.qm _internal/PySide6/Qt/plugins/platforms/libqxcb.so; do
  [ -e "$bundle/$needed" ] || { echo "build-linux: $needed missing from the bundle" >&2; exit 1; }
done

# --- the frozen smoke run ---
"$venv/bin/python" installer/smoke.py "$bundle" --downgrade-python "$venv/bin/python" \
  --bundle "$bundle" --json-out "$dist/smoke-linux.json"
done_at=$(date +%s)

echo "build-linux: bundle $bundle — $(du -sh "$bundle" | cut -f1) on disk, $(find "$bundle" -type f | wc -l) files"
echo "build-linux: venv $((venv_done - started)) s, PyInstaller $((built - venv_done)) s, smoke $((done_at - built)) s"
