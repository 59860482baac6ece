#!/usr/bin/env bash
# The .deb for 统信 UOS / 银河麒麟 Kylin (and Debian/Ubuntu): the frozen bundle from build-linux.sh under
# /opt/xinfang-desktop, `xinfang` and `xinfang-desktop` on PATH, a desktop entry (信访工作台) and its icon.
#
#   bash installer/build-deb.sh              # needs installer/dist/xinfang-desktop (bash installer/build-linux.sh)
#   DEB_VERSION=0.1.0+1 bash installer/build-deb.sh   # another package version of the same bundle
#
# The architecture is the build machine's (dpkg --print-architecture): build the bundle and the package on an
# arm64 machine for arm64 — PyInstaller does not cross-compile. Installing needs no network: the bundle carries
# Python, Qt and every library but the C library and the OpenGL driver, which every desktop has.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
bundle="$root/installer/dist/xinfang-desktop"
[ -x "$bundle/xinfang" ] || { echo "build-deb: no bundle in $bundle — run installer/build-linux.sh first" >&2; exit 2; }

package=xinfang-desktop
version="${DEB_VERSION:-$(cat "$bundle/_internal/VERSION")}"
arch="${DEB_ARCH:-$(dpkg --print-architecture)}"
stage="$root/installer/build/deb/${package}_${version}_${arch}"
out="${DEB_OUT:-$root/installer/dist/${package}_${version}_${arch}.deb}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/usr/share/doc/$package"

# --- the payload ---
cp -a "$bundle" "$stage/opt/$package"
ln -s "/opt/$package/xinfang" "$stage/usr/bin/xinfang"  # the bundle finds _internal/ through the link
ln -s "/opt/$package/xinfang-desktop" "$stage/usr/bin/xinfang-desktop"

icons="$root/installer/build/icon"
[ -f "$icons/xinfang-256.png" ] || "$root/installer/build/venv/bin/python" installer/make_icon.py "$icons" >/dev/null
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/xinfang-$size.png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$package.png"
done

cat > "$stage/usr/share/applications/$package.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=Xinfang Desktop
Name[zh_CN]=信访工作台
GenericName=Petition case ledger
GenericName[zh_CN]=信访业务管理
Comment=Case ledger, deadlines and documents for county petition offices
Comment[zh_CN]=信访事项登记、办理期限、文书与统计
Exec=/usr/bin/xinfang-desktop
Icon=$package
Terminal=false
Categories=Office;
Keywords=xinfang;信访;台账;
EOF

cat > "$stage/usr/share/doc/$package/copyright" <<EOF
信访工作台 (xinfang-desktop) $version

This package carries a frozen copy of the application with the libraries it runs on, under
/opt/$package/_internal/. Their licences:
  Python 3 (PSF License), Qt 6 and PySide6 (LGPL-3.0), SQLAlchemy, Alembic (MIT), reportlab (BSD),
  python-docx, openpyxl, platformdirs (MIT), lxml (BSD), Pillow (MIT-CMU), psycopg (LGPL-3.0),
  the system libraries PyInstaller collected from the build machine (their Debian copyright files apply).
Bundled fonts (resources/fonts/README.md; licence texts in /opt/$package/_internal/resources/fonts/licenses/):
  AR PL SungtiL GB, AR PL KaitiM GB (Arphic Public License), WenQuanYi Micro Hei (Apache-2.0),
  Hanazono Mincho A/B subsets (Hanazono Font License), Zhuque Fangsong 朱雀仿宋 (SIL Open Font License 1.1).
EOF
if [ -d "$bundle/_internal/resources/fonts/licenses" ]; then
  cp -a "$bundle/_internal/resources/fonts/licenses" "$stage/usr/share/doc/$package/font-licenses"
fi

# --- control files ---
glibc=""
if command -v objdump >/dev/null 2>&1; then  # the newest C library symbol any bundled file needs
  glibc="$(find "$stage/opt/$package" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1 || true)"
fi
[ -n "$glibc" ] || glibc="$(dpkg-query -W -f='${Version}' libc6 | sed 's/-.*//')"
installed_kb="$(du -sk --apparent-size "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: $arch
Maintainer: xinfang-desktop <xinfang-desktop@localhost>
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc), libgl1, libegl1
Recommends: poppler-utils
Section: misc
Priority: optional
Description: 信访工作台 — desktop application for county petition offices
 Case ledger, statutory deadlines, documents (PDF and Word) and statistics for
 county-level petition (信访) offices; works offline, data in each user's
 ~/.local/share/xinfang-desktop. Self-contained: Python and Qt are inside
 /opt/$package. poppler-utils (pdftoppm) gives document preview and printing.
EOF

cat > "$stage/DEBIAN/preinst" <<'EOF'
#!/bin/sh
# An update over a running copy: the running program keeps the files it has open, but must be restarted to run
# the new version (which then upgrades each user's database after a backup copy). Nothing is stopped by force.
set -e
if [ "$1" = "upgrade" ]; then
  for exe in /proc/[0-9]*/exe; do
    case "$(readlink "$exe" 2>/dev/null)" in
      /opt/xinfang-desktop/*) echo "信访工作台正在运行：更新完成后请关闭并重新打开程序。"; break ;;
    esac
  done
fi
exit 0
EOF

cat > "$stage/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# Menus and icons refreshed with the tools the desktop has; nothing is downloaded.
set -e
if [ "$1" = "configure" ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
EOF

cat > "$stage/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# Removing (or purging) the program never touches the users' data: each user's database, documents and backups
# stay in ~/.local/share/xinfang-desktop (or the folder XINFANG_DATA_DIR names) for the next installation.
set -e
case "$1" in
  remove|purge)
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    if [ "$1" = "purge" ]; then
      echo "信访工作台已卸载；各用户的数据库与文书仍保留在 ~/.local/share/xinfang-desktop，如不再需要请手动删除。"
    fi
    ;;
esac
exit 0
EOF
chmod 0755 "$stage/DEBIAN/preinst" "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"

# xz (what dpkg on UOS 20 / Kylin V10 reads; zstd needs dpkg 1.21.18) at dpkg's default level;
# DEB_COMPRESSION=none for a throw-away package (test-deb.sh's upgrade).
started=$(date +%s)
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage" "$out" >/dev/null
rm -rf "$stage"
echo "build-deb: $out — $(du -h "$out" | cut -f1) (installed $((installed_kb / 1024)) MiB, libc6 >= $glibc)," \
  "dpkg-deb $(( $(date +%s) - started )) s"
