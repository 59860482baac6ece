"""Refuse a SQLite database file on a network share (issue 17, 多台工作站).

SQLite relies on the file system's byte-range locks and, in WAL mode, on shared memory beside the file; over SMB/CIFS
and NFS those locks are emulated, cached or silently ignored, so two workstations writing one file through a share
corrupt it (https://www.sqlite.org/useovernet.html). Several workstations share one ledger on PostgreSQL instead.

Detected:
- Windows: a UNC path (`\\\\server\\share\\…`, `\\\\?\\UNC\\…`) and a drive letter whose `GetDriveTypeW` is
  DRIVE_REMOTE (a mapped network drive);
- Linux: a path whose file system in /proc/mounts (the longest mount point above it) is nfs, cifs, smb3 and the like.

The platform parts are parameters (`platform`, `mounts_text`, `drive_type`) so the tests run anywhere.
`XINFANG_ALLOW_NETWORK_SQLITE=1` opens such a file all the same (at the user's risk: one workstation at a time).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

from xinfang_desktop.persistence.errors import NetworkShareError

OVERRIDE_ENV = "XINFANG_ALLOW_NETWORK_SQLITE"
DRIVE_REMOTE = 4  # GetDriveTypeW

#: File system types of /proc/mounts that are network file systems (SQLite's locking is unreliable on each).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "coda",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "sshfs",
        "fuse.rclone",
        "fuse.s3fs",
    }
)

_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """/proc/mounts writes a space in a mount point as \\040 (and tab, newline, backslash likewise)."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def mount_of(path: str, mounts_text: str) -> tuple[str, str, str] | None:
    """(device, mount point, file system type) of the longest mount point containing `path` (absolute, POSIX)."""
    target = PurePosixPath(path)
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, point, fstype = _unescape(fields[0]), _unescape(fields[1]), fields[2]
        mount = PurePosixPath(point)
        if (target == mount or mount in target.parents) and (best is None or len(point) >= len(best[1])):
            best = (device, point, fstype)  # a later line for the same point overmounts the earlier one
    return best


def _read_proc_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _windows_drive_type(root: str) -> int:
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def _windows_share(text: str, drive_type: Callable[[str], int]) -> str | None:
    normalised = text.replace("/", "\\")
    upper = normalised.upper()
    if upper.startswith("\\\\?\\UNC\\"):
        return "网络路径 " + "\\\\" + normalised[8:].split("\\", 2)[0] + "（UNC）"
    if upper.startswith(("\\\\?\\", "\\\\.\\")):  # a local path in the long form (\\?\C:\…), a device
        rest = normalised[4:]
        return _windows_drive(rest, drive_type)
    if normalised.startswith("\\\\"):
        server = normalised[2:].split("\\", 1)[0]
        return f"网络路径 \\\\{server}（UNC）"
    return _windows_drive(normalised, drive_type)


def _windows_drive(text: str, drive_type: Callable[[str], int]) -> str | None:
    drive = PureWindowsPath(text).drive
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"映射的网络驱动器 {drive.upper()}"
    return None


def network_share_of(
    path: str | Path,
    *,
    platform: str | None = None,
    mounts_text: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    """What makes `path` a network location, in Chinese ("网络路径 \\\\srv（UNC）", "NFS 网络文件系统 srv:/x …"),
    or None when it is local (or cannot be told)."""
    platform = platform or sys.platform
    text = str(path)
    if platform.startswith("win"):
        return _windows_share(text, drive_type or _windows_drive_type)
    if not platform.startswith("linux"):
        return None  # macOS, BSD: not detected (the office platforms are Windows, UOS and Kylin)
    mounts = _read_proc_mounts() if mounts_text is None else mounts_text
    found = mount_of(text, mounts)
    if found is None:
        return None
    device, point, fstype = found
    if fstype.lower() not in NETWORK_FILESYSTEMS:
        return None
    kind = fstype.split(".")[-1].upper()
    return f"{kind} 网络文件系统 {device}（挂载于 {point}）"


def override_set(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(OVERRIDE_ENV, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def refuse_network_share(
    path: Path,
    *,
    platform: str | None = None,
    mounts_text: str | None = None,
    drive_type: Callable[[str], int] | None = None,
    environ: dict[str, str] | None = None,
) -> None:
    """Raise `NetworkShareError` when the SQLite file `path` lies on a network share and the override is not set."""
    if override_set(environ):
        return
    where = network_share_of(path, platform=platform, mounts_text=mounts_text, drive_type=drive_type)
    if where is not None:
        raise NetworkShareError(str(path), where, OVERRIDE_ENV)
