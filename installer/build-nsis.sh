#!/usr/bin/env bash
# Compiles the Windows installer script (installer/xinfang.nsi) with Debian's makensis so that it cannot rot: the
# payload is the Linux bundle standing in for the Windows one (or a Windows bundle copied to $BUNDLE), then the
# compiled setup.exe is listed (7z, when present) to check the payload and the uninstaller are in it.
#
#   bash installer/build-nsis.sh                  # COMPRESSOR=zlib by default here (fast); releases use lzma
#   BUNDLE=/path/to/windows/xinfang-desktop COMPRESSOR=lzma bash installer/build-nsis.sh
#
# The result is a real NSIS installer, but with Linux executables inside it does not install a working program:
# only build-windows.ps1 on Windows makes the one to ship.
set -euo pipefail
cd "$(dirname "$0")"
bundle="${BUNDLE:-$PWD/dist/xinfang-desktop}"
[ -d "$bundle/_internal" ] || { echo "build-nsis: no bundle in $bundle — run installer/build-linux.sh first" >&2; exit 2; }
command -v makensis >/dev/null 2>&1 || { echo "build-nsis: makensis missing (apt-get install nsis)" >&2; exit 2; }
version="$(cat "$bundle/_internal/VERSION")"
out="$PWD/dist/xinfang-desktop-$version-setup-standin.exe"
[ -f build/icon/xinfang.ico ] || build/venv/bin/python make_icon.py build/icon >/dev/null
started=$(date +%s)
# -WX: a warning (an unused define, a missing string of the Chinese pages) fails the build.
nice makensis -V2 -WX -DBUNDLE="$bundle" -DCOMPRESSOR="${COMPRESSOR:-zlib}" -DOUTFILE="$out" xinfang.nsi
echo "build-nsis: $out — $(du -h "$out" | cut -f1), makensis $(( $(date +%s) - started )) s (version $version)"
if command -v 7z >/dev/null 2>&1; then
  listing="$(7z l "$out")"
  for needed in uninstall.exe THIRD-PARTY-NOTICES.txt _internal/db/env.py _internal/VERSION \
    _internal/resources/fonts/wqy-microhei.ttc "$(basename "$(ls "$bundle"/xinfang-desktop* | head -n1)")"; do
    grep -q -- "$needed" <<<"$listing" || { echo "build-nsis: $needed missing from the installer" >&2; exit 1; }
  done
  echo "build-nsis: payload and uninstaller present ($(grep -c '\.\.\.\.\.' <<<"$listing") entries)"
fi
