"""Making writes durable, shared by the file store and the bundle writers (exporters may
import the kernel): fsync of a file or of a folder's names, and one syncfs for many files
where the file system allows it (`FsSync`)."""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast


def fsync_path(path: Path) -> None:
    """Flush a written file's data to the disk."""
    flags = os.O_RDWR if os.name == "nt" else os.O_RDONLY  # Windows commits writable handles only
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make the names (a rename, a new file) in a folder durable; a no-op where folders cannot
    be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# File systems on which one syncfs() makes durable what an fsync of each file and folder
# would: local block-device file systems whose sync_fs writes every dirty page and inode,
# commits the journal (or log, or transaction) and flushes the disk's cache. A network file
# system is left out (its syncfs need not send the server the flush its fsync sends), and
# so is anything not named here.
_SYNCFS_TYPES = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs"})


def _kernel_reports_syncfs_errors(release: str) -> bool:
    """Whether a Linux kernel of this release ("6.1.0-18-amd64") returns write-back errors
    from syncfs (5.8 and later; before, syncfs said 0 where an fsync would have failed)."""
    try:
        major, minor = (int(part) for part in release.split("-")[0].split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 8)


def _libc_syncfs() -> Callable[[int], int] | None:
    """glibc's syncfs(2) (Linux 5.8 or later; Python's os module has no syncfs)."""
    if not sys.platform.startswith("linux") or not _kernel_reports_syncfs_errors(os.uname().release):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int,)
    fn.restype = ctypes.c_int
    return cast("Callable[[int], int]", fn)


_SYNCFS = _libc_syncfs()


def fs_type(path: str | os.PathLike[str]) -> str:
    """The type of the file system `path` is on ("ext4", "nfs" …), from /proc/self/mountinfo
    by the device number; "" where that cannot be told (not Linux, no /proc, no match)."""
    if not hasattr(os, "major"):  # Windows
        return ""
    try:
        dev = os.stat(path).st_dev
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    want = f"{os.major(dev)}:{os.minor(dev)}"
    for line in lines:
        fields = line.split()
        if len(fields) > 3 and fields[2] == want and " - " in line:
            return line.split(" - ", 1)[1].split()[0]
    return ""


class FsSync:
    """One syncfs(2) of the file system a folder is on, for writers that make many files
    durable at once: the kernel writes every file's data and the folders' names and flushes
    the disk's cache once, where an fsync of each file and each folder flushes it once per
    call. `FsSync.open(folder)` returns None where this is not known to hold (not Linux, a
    network or unknown file system): the caller then fsyncs file by file.

    The folder is opened when the writing starts, before any file is written: syncfs
    reports a write-back error of the file system that happened since that open (Linux
    5.8 and later), so an error while the kernel wrote a copy out early is not missed.
    An error is raised as OSError."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @classmethod
    def open(cls, folder: Path) -> FsSync | None:
        if _SYNCFS is None or fs_type(folder) not in _SYNCFS_TYPES:
            return None
        return cls(os.open(folder, os.O_RDONLY))

    def sync(self) -> None:
        """Make every write on this file system so far durable; OSError when one failed."""
        assert _SYNCFS is not None
        if _SYNCFS(self._fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)
