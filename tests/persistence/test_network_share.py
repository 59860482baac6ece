"""A SQLite file on a network share is refused before it is opened (issue 17, 多台工作站), with the reason and the
PostgreSQL alternative; `XINFANG_ALLOW_NETWORK_SQLITE=1` opens it all the same. The platform parts are injected: a
fake /proc/mounts text, a fake GetDriveTypeW."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xinfang_desktop.cli import main
from xinfang_desktop.persistence import network_share
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.errors import NetworkShareError
from xinfang_desktop.persistence.network_share import OVERRIDE_ENV, mount_of, network_share_of, refuse_network_share

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
//fileserver/xinfang /mnt/xinfang cifs rw,relatime,vers=3.0,username=clerk 0 0
10.0.0.5:/export/ledger /srv/ledger nfs4 rw,relatime,vers=4.2 0 0
/dev/sdb1 /srv/ledger/local ext4 rw,relatime 0 0
//srv/共享\\040台账 /media/共享\\040台账 smb3 rw 0 0
clerk@host:/data /home/clerk/remote fuse.sshfs rw,nosuid,nodev 0 0
"""


@pytest.mark.parametrize(
    ("path", "share"),
    [
        ("/mnt/xinfang/信访/台账.sqlite3", "CIFS 网络文件系统 //fileserver/xinfang（挂载于 /mnt/xinfang）"),
        ("/srv/ledger/xinfang.sqlite3", "NFS4 网络文件系统 10.0.0.5:/export/ledger（挂载于 /srv/ledger）"),
        ("/media/共享 台账/xinfang.sqlite3", "SMB3 网络文件系统 //srv/共享 台账（挂载于 /media/共享 台账）"),
        ("/home/clerk/remote/a.sqlite3", "SSHFS 网络文件系统 clerk@host:/data（挂载于 /home/clerk/remote）"),
        ("/srv/ledger/local/xinfang.sqlite3", None),  # a local disk mounted under the NFS share
        ("/home/clerk/xinfang.sqlite3", None),
        ("/mnt/xinfangother/a.sqlite3", None),  # a prefix of the mount point's name is not inside it
        ("/run/a.sqlite3", None),
    ],
)
def test_linux_mounts(path: str, share: str | None) -> None:
    assert network_share_of(path, platform="linux", mounts_text=MOUNTS) == share


def test_the_longest_mount_point_wins_and_a_later_line_overmounts() -> None:
    text = "/dev/sda1 / ext4 rw 0 0\nsrv:/x /data nfs rw 0 0\n/dev/sdc1 /data ext4 rw 0 0\n"
    assert mount_of("/data/a.sqlite3", text) == ("/dev/sdc1", "/data", "ext4")
    assert network_share_of("/data/a.sqlite3", platform="linux", mounts_text=text) is None


def _drives(remote: set[str]) -> Any:
    return lambda root: 4 if root[:2].upper() in remote else 3  # DRIVE_REMOTE, DRIVE_FIXED


@pytest.mark.parametrize(
    ("path", "share"),
    [
        (r"\\fileserver\xinfang\台账.sqlite3", r"网络路径 \\fileserver（UNC）"),
        ("//fileserver/xinfang/台账.sqlite3", r"网络路径 \\fileserver（UNC）"),
        (r"\\?\UNC\fileserver\xinfang\台账.sqlite3", r"网络路径 \\fileserver（UNC）"),
        (r"Z:\信访\台账.sqlite3", "映射的网络驱动器 Z:"),
        (r"z:\信访\台账.sqlite3", "映射的网络驱动器 Z:"),
        (r"\\?\Z:\信访\台账.sqlite3", "映射的网络驱动器 Z:"),
        (r"C:\Users\clerk\AppData\Local\xinfang\xinfang.sqlite3", None),
        (r"\\?\C:\信访\台账.sqlite3", None),
        (r"D:\信访\台账.sqlite3", None),
    ],
)
def test_windows_paths(path: str, share: str | None) -> None:
    assert network_share_of(path, platform="win32", drive_type=_drives({"Z:"})) == share


def test_other_platforms_are_not_detected() -> None:
    assert network_share_of("/Volumes/share/a.sqlite3", platform="darwin", mounts_text=MOUNTS) is None


def test_the_refusal_names_the_reason_the_alternative_and_the_override() -> None:
    with pytest.raises(NetworkShareError) as caught:
        refuse_network_share(Path("/mnt/xinfang/台账.sqlite3"), platform="linux", mounts_text=MOUNTS, environ={})
    message = caught.value.message
    for part in ("网络共享", "CIFS", "文件锁", "不可靠", "损坏", "PostgreSQL", "postgresql://", OVERRIDE_ENV + "=1"):
        assert part in message, part
    assert caught.value.to_json()["refused"] == "network_share"
    refuse_network_share(
        Path("/mnt/xinfang/台账.sqlite3"), platform="linux", mounts_text=MOUNTS, environ={OVERRIDE_ENV: "1"}
    )


def _pretend_share(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """The test's own directory is mounted from //fileserver/xinfang (a fake /proc/mounts)."""
    text = f"/dev/sda2 / ext4 rw 0 0\n//fileserver/xinfang {directory.resolve()} cifs rw 0 0\n"
    monkeypatch.setattr(network_share, "_read_proc_mounts", lambda: text)
    monkeypatch.setattr(network_share.sys, "platform", "linux")


def test_open_database_refuses_before_creating_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share = tmp_path / "share"
    _pretend_share(monkeypatch, share)
    monkeypatch.delenv(OVERRIDE_ENV, raising=False)
    with pytest.raises(NetworkShareError):
        open_database(share / "信访" / "台账.sqlite3")
    assert not share.exists()  # not even the folder
    monkeypatch.setenv(OVERRIDE_ENV, "1")
    db = open_database(share / "信访" / "台账.sqlite3")
    db.dispose()
    assert (share / "信访" / "台账.sqlite3").exists()


def test_the_cli_exits_2_with_the_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    _pretend_share(monkeypatch, tmp_path)
    monkeypatch.delenv(OVERRIDE_ENV, raising=False)
    code = main(["case", "list", "--db", str(tmp_path / "台账.sqlite3"), "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 2 and out["refused"] == "network_share" and "PostgreSQL" in out["error"]
    assert "Traceback" not in captured.err and "网络共享" in captured.err
    assert not (tmp_path / "台账.sqlite3").exists()


def test_a_local_file_opens(tmp_path: Path) -> None:
    db = open_database(tmp_path / "local.sqlite3")  # the real /proc/mounts of this machine
    db.dispose()
