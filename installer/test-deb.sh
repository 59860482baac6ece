#!/usr/bin/env bash
# The .deb as an office installs it (as root, on a machine where xinfang-desktop is not installed):
#   dpkg -i without network → the frozen smoke run through /usr/bin/xinfang → a user's data at an older schema →
#   dpkg -i of a newer package version over it (the database upgraded after a backup on the next start) →
#   dpkg -r and dpkg -P, the user's data still there.
#
#   bash installer/test-deb.sh [installer/dist/xinfang-desktop_<version>_<arch>.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
package=xinfang-desktop
deb="${1:-$(ls "$root"/installer/dist/${package}_*.deb | grep -v upgradetest | sort -V | tail -n1)}"
venv_python="$root/installer/build/venv/bin/python"
[ "$(id -u)" = 0 ] || { echo "test-deb: needs root (dpkg -i)" >&2; exit 2; }
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  echo "test-deb: $package is already installed here; remove it first (dpkg -r $package)" >&2
  exit 2
fi
work="$(mktemp -d /tmp/xinfang-deb-test.XXXXXX)"
trap 'dpkg -P "$package" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
ok() { echo "  ok  $*"; }
fail() { echo "test-deb FAILED: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

echo "dpkg -i $(basename "$deb") (no network)"
if unshare --net true 2>/dev/null; then
  unshare --net dpkg -i "$deb" >/dev/null
  ok "installed inside a network namespace with no interfaces"
else
  dpkg -i "$deb" >/dev/null
  ok "installed (unshare unavailable: network not cut off for this run)"
fi
[ "$(readlink -f /usr/bin/xinfang)" = "/opt/$package/xinfang" ] || fail "/usr/bin/xinfang does not lead to /opt/$package"
[ "$(readlink -f /usr/bin/xinfang-desktop)" = "/opt/$package/xinfang-desktop" ] || fail "/usr/bin/xinfang-desktop"
grep -qx "Name\[zh_CN\]=信访工作台" "/usr/share/applications/$package.desktop" || fail "desktop entry without 信访工作台"
[ -f "/usr/share/icons/hicolor/256x256/apps/$package.png" ] || fail "icon missing"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "/usr/share/applications/$package.desktop" || fail "desktop entry does not validate"
fi
ok "/usr/bin/xinfang, /usr/bin/xinfang-desktop, desktop entry 信访工作台, icon"

echo "frozen smoke through the installed /usr/bin/xinfang"
python3 installer/smoke.py /usr/bin --downgrade-python "$venv_python" --bundle "/opt/$package" \
  --json-out "$root/installer/dist/smoke-deb.json"

echo "a user's data, then a newer package over the installed one"
home="$work/home"
mkdir -p "$home"
as_user=(env -u XINFANG_DATA_DIR -u XINFANG_DB HOME="$home" XDG_DATA_HOME= QT_QPA_PLATFORM=offscreen XINFANG_SYSTEM_FONTS=0)
db_path="$(cd "$home" && "${as_user[@]}" /usr/bin/xinfang init --json | field "d['database']")"
[ "$db_path" = "$home/.local/share/$package/xinfang.sqlite3" ] || fail "database not in the user data folder: $db_path"
(cd "$home" && "${as_user[@]}" /usr/bin/xinfang demo --cases 20 --seed 3 --json >/dev/null)
number="$(cd "$home" && "${as_user[@]}" /usr/bin/xinfang case list --limit 1 --json | field "d['rows'][0]['number']")"
stored="$(cd "$home" && "${as_user[@]}" /usr/bin/xinfang doc render petitioner_receipt --case "$number" \
  --format pdf -o "$work/receipt.pdf" --json | field "d['stored_path']")"
case "$stored" in "$home"/*) ;; *) fail "the issued document is not kept in the user's data: $stored" ;; esac
ok "user database $db_path with 20 cases and an issued document"
head="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$db_path")"
XINFANG_DB="$db_path" PYTHONPATH="$root" "$venv_python" -c "import sys; from alembic import command; from alembic.config import Config; cfg = Config(); cfg.set_main_option('script_location', sys.argv[1]); command.downgrade(cfg, '-2')" "/opt/$package/_internal/db"
old="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$db_path")"
[ "$old" != "$head" ] || fail "could not take the database back"
ok "the database as an older release left it (schema $old)"
newer="$work/${package}_upgradetest.deb"
DEB_VERSION="$(cat "/opt/$package/_internal/VERSION")+upgradetest" DEB_COMPRESSION=none DEB_OUT="$newer" \
  bash installer/build-deb.sh >/dev/null
dpkg -i "$newer" >/dev/null
[ "$(dpkg-query -W -f='${Version}' "$package")" = "$(cat "/opt/$package/_internal/VERSION")+upgradetest" ] \
  || fail "the newer package did not replace the older one"
ok "newer package installed over the older one"
total="$(cd "$home" && "${as_user[@]}" /usr/bin/xinfang case list --limit 1 --json | field "d['total']")"
[ "$total" = 20 ] || fail "after the update the ledger has $total cases, not 20"
now="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$db_path")"
[ "$now" = "$head" ] || fail "database still at $now after the update"
ls "$home/.local/share/$package/xinfang.backup-$old-"*.sqlite3 >/dev/null 2>&1 || fail "no backup of the $old database"
ok "first start after the update: schema $old → $head, backup $(basename "$home/.local/share/$package/xinfang.backup-$old-"*)"

echo "dpkg -r, dpkg -P: the program goes, the data stays"
dpkg -r "$package" >/dev/null
[ ! -e /usr/bin/xinfang ] && [ ! -e "/opt/$package/xinfang" ] || fail "program files left after dpkg -r"
[ -f "$db_path" ] || fail "dpkg -r removed the user's database"
dpkg -P "$package" >/dev/null
[ -f "$db_path" ] && [ -f "$stored" ] || fail "dpkg -P removed the user's data"
ok "removed and purged; $db_path and the issued document $(basename "$stored") kept"
echo "test-deb: all checks passed"
