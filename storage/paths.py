"""Paths as Windows and Linux really have them: network shares, long paths, reserved names.

Pure functions, no I/O beyond reading the mount table, so they can be tested on Linux with
Windows-shaped inputs.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

# File systems on which SQLite's locking is not reliable, or that are other machines' disks.
NETWORK_FS_TYPES = frozenset(
    {
        "cifs", "smb", "smb2", "smb3", "smbfs", "nfs", "nfs4", "afs", "9p", "ncpfs",
        "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "fuse.gvfsd-fuse", "glusterfs",
        "ceph", "fuse.rclone",
    }
)


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal.
    return (
        field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
        .replace("\\134", "\\")
    )


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs from the text of /proc/mounts."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            out.append((_unescape_mount(parts[1]), parts[2]))
    return out


def mount_fs_type(path: Path, mounts: list[tuple[str, str]]) -> str:
    """The file-system type of the mount that holds `path` (longest matching mount point)."""
    p = str(path)
    best, best_type = "", ""
    for point, fstype in mounts:
        if p == point or p.startswith(point.rstrip("/") + "/") or point == "/":
            if len(point) >= len(best):
                best, best_type = point, fstype
    return best_type


def is_unc(path: str) -> bool:
    """True for \\\\server\\share\\... and //server/share/... (but not \\\\?\\C:\\ long paths)."""
    s = str(path)
    if s.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if s.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./")):
        return False
    return s.startswith(("\\\\", "//")) and len(PureWindowsPath(s).drive) > 2


def _windows_drive_is_remote(path: str) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = PureWindowsPath(path).drive
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def is_network_path(path: str | os.PathLike[str], *, mounts_text: str | None = None,
                    platform: str | None = None) -> bool:
    """True when `path` is on another machine: a UNC path, a mapped network drive, or a
    cifs/nfs/smb (…) mount. `mounts_text` and `platform` exist for tests."""
    platform = platform or sys.platform
    s = str(path)
    if is_unc(s):
        return True
    if platform == "win32":
        return _windows_drive_is_remote(s)
    if mounts_text is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            return False
    resolved = Path(os.path.abspath(s))
    fstype = mount_fs_type(resolved, parse_mounts(mounts_text))
    return fstype in NETWORK_FS_TYPES
