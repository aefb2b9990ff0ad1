r"""Paths as Windows and Linux really have them: network shares, long paths, case.

Pure functions, no I/O beyond reading the mount table (and, on Windows, asking the system
whether a drive letter is a network drive), so they can be tested on Linux with
Windows-shaped inputs: every function takes `platform=` ("win32", "linux" …; default: this
machine).

Long paths on Windows. Without the "\\?\" prefix the Windows file API refuses a path of
260 characters or more (248 for a folder being created), unless LongPathsEnabled is set in
the registry, which needs an administrator, so clerks' PCs do not have it. Department
shares nest deep, and an archive below C:\Users\<name>\Documents\… plus
files\ab\cd\<64 hex> comes close. So:
- `long_path(p)` gives the path to hand to open()/os.*: "\\?\C:\…" or "\\?\UNC\server\share\…"
  when it is long (always with `always=True`: use that for a root that longer paths are
  made from by joining, such as the file store or a bundle folder). Elsewhere: unchanged.
- `display_path(p)` takes the prefix off again for anything a person reads.
A "\\?\" path is not normalised by Windows, so `long_path` normalises it first (slashes,
"." and ".."), and trailing dots or spaces in names would be kept literally: callers create
only names cleaned by exporters.winpaths.

Case. NTFS compares names case-insensitively: `path_key` / `same_path` / `is_inside`
compare folders the way the platform does (watched folders, "is this inside the archive").
"""
from __future__ import annotations

import ntpath
import os
import posixpath
import sys
from collections.abc import Callable
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


DRIVE_REMOTE = 4  # GetDriveTypeW


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    if sys.platform == "win32":  # mypy then knows windll exists
        import ctypes

        return int(ctypes.windll.kernel32.GetDriveTypeW(root))
    return 0  # DRIVE_UNKNOWN: there are no drive types off Windows


def _windows_drive_is_remote(path: str, drive_type: Callable[[str], int] | None = None) -> bool:
    drive = PureWindowsPath(display_path(path, platform="win32")).drive
    if not drive or not drive.endswith(":"):
        return False
    return (drive_type or _windows_drive_type)(drive + "\\") == DRIVE_REMOTE


def is_network_path(path: str | os.PathLike[str], *, mounts_text: str | None = None,
                    platform: str | None = None,
                    drive_type: Callable[[str], int] | None = None) -> bool:
    """True when `path` is on another machine: a UNC path (also in its long form
    \\\\?\\UNC\\…), a mapped network drive (Windows: GetDriveTypeW says DRIVE_REMOTE), or a
    cifs/nfs/smb (…) mount. `mounts_text`, `platform` and `drive_type` exist for tests."""
    platform = platform or sys.platform
    s = str(path)
    if is_unc(s):
        return True
    if platform == "win32":
        return _windows_drive_is_remote(s, drive_type)
    if mounts_text is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            return False
    resolved = Path(os.path.abspath(s))
    fstype = mount_fs_type(resolved, parse_mounts(mounts_text))
    return fstype in NETWORK_FS_TYPES


# --- long paths (Windows) ---------------------------------------------------------------------

# CreateDirectoryW's limit (MAX_PATH 260 minus room for an 8.3 file name); files allow 259.
# One threshold for both: at this length or more the prefix is added.
LONG_PATH_THRESHOLD = 248
_EXTENDED = "\\\\?\\"
_EXTENDED_UNC = "\\\\?\\UNC\\"
_DEVICE = "\\\\.\\"


def _is_windows(platform: str | None) -> bool:
    return (platform or sys.platform) == "win32"


def win_long_path(path: str | os.PathLike[str], *, always: bool = False) -> str:
    """The Windows extended-length form of an absolute Windows path, when it is needed.

    "C:/a/../b" → "C:\\b" (short: normalised only); a path of LONG_PATH_THRESHOLD characters
    or more (or any, with `always`) → "\\\\?\\C:\\…"; "\\\\server\\share\\…" →
    "\\\\?\\UNC\\server\\share\\…". Already-prefixed and device paths come back as they are;
    so do relative ones (which cannot carry the prefix; make them absolute first). Pure.
    """
    s = os.fspath(path).replace("/", "\\")
    if s.startswith((_EXTENDED, _DEVICE)):
        return s
    p = PureWindowsPath(s)
    if not (p.drive and p.root):  # relative, "C:foo" or "\\foo": no prefix possible
        return s
    s = ntpath.normpath(s)
    if not always and len(s) < LONG_PATH_THRESHOLD:
        return s
    if s.startswith("\\\\"):
        return _EXTENDED_UNC + s[2:]
    return _EXTENDED + s


def long_path(path: str | os.PathLike[str], *, always: bool = False,
              platform: str | None = None) -> str:
    """The path to hand to open(), os.stat(), os.scandir(), shutil … on this platform.

    Windows: made absolute, then `win_long_path` (the "\\\\?\\" prefix when long, or
    `always`). Elsewhere: the path unchanged (as a string): Linux has no such limit.
    """
    s = os.fspath(path)
    if not _is_windows(platform):
        return s
    if sys.platform == "win32" and not s.startswith((_EXTENDED, _DEVICE)):
        s = os.path.abspath(s)  # only on a real Windows machine: tests pass absolute paths
    return win_long_path(s, always=always)


def display_path(path: str | os.PathLike[str], *, platform: str | None = None) -> str:
    """A path as people write it: "\\\\?\\C:\\…" → "C:\\…", "\\\\?\\UNC\\srv\\share" → "\\\\srv\\share"."""
    s = os.fspath(path)
    if not (_is_windows(platform) or s.startswith((_EXTENDED, "//?/"))):
        return s
    t = s.replace("/", "\\")
    if t.startswith(_EXTENDED_UNC):
        return "\\\\" + t[len(_EXTENDED_UNC):]
    if t.startswith(_EXTENDED):
        return t[len(_EXTENDED):]
    return s


# --- comparing paths as the file system does ------------------------------------------------


def simple_upper(text: str) -> str:
    """Upper case character by character, as NTFS's upcase table does: "ß" and "ﬁ" stay
    (Python's str.upper() would make "SS" and "FI", which NTFS does not), "ａ" → "Ａ", "я" → "Я"."""
    out = []
    for ch in text:
        up = ch.upper()
        out.append(up if len(up) == 1 else ch)
    return "".join(out)


def path_key(path: str | os.PathLike[str], *, platform: str | None = None) -> str:
    """A key under which two spellings of the same folder are equal on `platform`.

    Windows: long-path prefix removed, "/" → "\\", "." and ".." resolved, no trailing
    separator, case folded (NTFS and SMB shares compare names case-insensitively).
    Elsewhere: normalised (os.path.normpath), case kept: "Docs" and "docs" are two folders.
    Does not touch the disk (no symlink resolution).
    """
    s = os.fspath(path)
    if _is_windows(platform):
        t = ntpath.normpath(display_path(s, platform="win32").replace("/", "\\"))
        if len(t) > 3 or t.startswith("\\\\"):
            t = t.rstrip("\\")
        return simple_upper(t)
    return posixpath.normpath(s)


def same_path(a: str | os.PathLike[str], b: str | os.PathLike[str], *,
              platform: str | None = None) -> bool:
    """Do `a` and `b` name the same folder or file on `platform` (spelling only)?"""
    return path_key(a, platform=platform) == path_key(b, platform=platform)


def is_inside(child: str | os.PathLike[str], parent: str | os.PathLike[str], *,
              platform: str | None = None, or_same: bool = False) -> bool:
    """Is `child` below `parent` (compared as the platform compares names)? "C:\\Docs2" is not
    inside "C:\\Docs"."""
    c, p = path_key(child, platform=platform), path_key(parent, platform=platform)
    if c == p:
        return or_same
    sep = "\\" if _is_windows(platform) else "/"
    return c.startswith(p if p.endswith(sep) else p + sep)


def link_target_inside(link: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """The '/'-separated path below `root` of the regular file the symbolic link `link`
    points to, when it points inside `root` (else None: outside, dangling, a loop, a folder).

    Links in a watched or ingested folder are never followed; a link to a file inside the
    same folder needs no following either, since that file is taken itself: the clerk is
    told which file it is instead of a bare "skipped"."""
    try:
        target = os.path.realpath(link, strict=True)
        base = os.path.realpath(root, strict=True)
    except (OSError, RuntimeError):
        return None
    return relpath_below(base, target) if os.path.isfile(target) else None


def relpath_below(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> str | None:
    """'/'-separated path of `path` below `root`, or None when it is not below it."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == "." or rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")
