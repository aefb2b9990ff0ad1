"""The content-addressed file store: `<archive>/files/ab/cd/<sha256>`, each content once.

The protocol that makes a crash harmless: copy the source to a temporary file in the
store's staging folder (same file system, so the final rename is atomic) while hashing it,
fsync it, rename it to its hash name, fsync the folder (`sync()`, once per batch). Only
then may a database row point at it. A crash leaves either the complete file or a temporary one that `verify` reports
(and never a half-written file under a hash name). Stored files are made read-only and are
never modified.

Many files at once (an ingest: `FileStore.run()`, `StoreRun`) keep that order with one
file-system sync per step of a batch instead of one fsync per file and per folder, where
the file system allows it (a local Linux file system: `storage.kernel.durable.FsSync`).

The source is only ever read: never moved, renamed or deleted.
"""
from __future__ import annotations

import errno
import hashlib
import itertools
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from storage.kernel.durable import FsSync, fsync_dir
from storage.kernel.errors import BadInput
from storage.kernel.paths import long_path

CHUNK = 1 << 20
STAGING = ".incoming"
_buffers = threading.local()
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
_TOKEN = f"{os.getpid()}-{secrets.token_hex(4)}"  # this process's temporary names
_serial = itertools.count()  # next() is atomic under the GIL: no two threads get one number


def _umask() -> int:
    """The process's umask (read by setting and restoring it: done once, at import)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# POSIX: the temporary file is created with the stored files' read-only mode (the mode
# applies to later opens; the descriptor that creates it writes), unless the umask would
# take bits off it, so no chmod is needed. Windows: created writable, made read-only before
# the rename (as before).
_CREATED_READ_ONLY = os.name != "nt" and not (_umask() & _READ_ONLY)
_TEMP_MODE = _READ_ONLY if _CREATED_READ_ONLY else 0o600


def _copy_hashed(fin: int, fout: int) -> tuple[str, int]:
    """Copy one open file to another through this thread's buffer, hashing the bytes:
    (sha256 hex, size). On POSIX by readv/write on the descriptors (no file objects, whose
    making costs an fstat each); elsewhere through unbuffered file objects."""
    h = hashlib.sha256()
    size = 0
    buf = _copy_buffer()
    view = memoryview(buf)
    if _READV:
        while n := os.readv(fin, (buf,)):
            chunk = view[:n]
            h.update(chunk)
            while chunk:
                chunk = chunk[os.write(fout, chunk):]
            size += n
        return h.hexdigest(), size
    with open(fin, "rb", buffering=0, closefd=False) as r, open(fout, "wb", buffering=0, closefd=False) as w:
        while n := r.readinto(buf):
            h.update(view[:n])
            w.write(view[:n])
            size += n
    return h.hexdigest(), size


_READV = hasattr(os, "readv")


def _copy_buffer() -> bytearray:
    """This thread's copy buffer, made once and reused: a new 1 MiB buffer for every file
    stored costs an mmap, 256 page faults and a munmap (a tenth of the CPU of storing a
    typical 200 KB file)."""
    buf: bytearray | None = getattr(_buffers, "buf", None)
    if buf is None:
        buf = _buffers.buf = bytearray(CHUNK)
    return buf


class SourceChanged(Exception):
    """The source file changed while it was being copied (still being written)."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path
    created: bool  # False when identical content was already in the store


@dataclass(frozen=True)
class Staged:
    """A copy waiting in the staging folder for `StoreRun.place` (not durable yet, no hash
    name yet): what a run's `stage` returns where one file-system sync serves a batch."""

    sha256: str
    size: int
    tmp: str


def hash_file(path: str | os.PathLike[str], chunk: int = CHUNK) -> tuple[str, int]:
    """(sha256 hex, size) of a file, read in chunks (memory stays flat)."""
    h = hashlib.sha256()
    size = 0
    buf = bytearray(chunk)
    view = memoryview(buf)
    with open(long_path(path), "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
            size += n
    return h.hexdigest(), size


class FileStore:
    """Stored files by sha256 below `root` (the archive's `files/` folder)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / STAGING
        self._root = str(self.root)
        self._staging_made = False
        self._known_dirs: set[str] = set()
        self._unsynced_dirs: set[Path] = set()

    def _ensure_dir(self, folder: Path) -> None:
        """The staging folder, made once per store."""
        if not self._staging_made:
            folder.mkdir(parents=True, exist_ok=True)
            self._staging_made = True

    def sync(self) -> None:
        """Make every rename since the last call durable (fsync of the folders involved).

        Callers commit database rows that point at stored files only after this; storing
        many files and syncing once per batch costs one folder fsync per folder, not per
        file."""
        while self._unsynced_dirs:
            fsync_dir(self._unsynced_dirs.pop())

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def store(self, source: Path, *, follow_links: bool = True, sync_now: bool = False,
              looked: os.stat_result | None = None) -> Stored:
        """Copy `source` into the store (see the module docstring for the protocol).

        `follow_links=False` (files found by walking a folder): a source that is a symbolic
        link, or was swapped for one since it was looked at, is refused (OSError ELOOP)
        instead of read; the file is opened with O_NOFOLLOW where the system has it.

        The rename is made durable by `sync()`, which must run before a database row
        that points at the file is committed; or, with `sync_now`, here, before this
        returns (its folder synced on the caller's thread: ingest stores on several threads,
        so the folder syncs run side by side with the copies instead of one after another
        on the thread that commits the rows, where they held up every batch).

        `looked`: the caller's own stat of `source` just before (os.stat, or os.lstat
        with follow_links=False), so the file is not looked at twice; a change after it is
        caught all the same (the size and mtime of the open source are compared after the
        copy).

        Raises OSError for an unreadable source or a full disk (nothing is left behind),
        and SourceChanged when the source grew or changed during the copy.

        System calls per new file (the hot path of ingest): open both files, read and
        write, fsync, fstat of the source, mkdir of its `ab/cd/` folder (a folder just
        made holds no copy yet, so only an existing folder is looked into), rename, fsync
        of the folder. The temporary file is created read-only where the system allows
        it (POSIX: the mode applies to later opens), so no chmod.
        """
        tmp, sha, size = self._copy_to_temp(source, follow_links=follow_links, looked=looked, fsync=True)
        stored = self._put(tmp, sha, size)
        if stored.created:
            if sync_now:
                fsync_dir(stored.path.parent)
            else:
                self._unsynced_dirs.add(stored.path.parent)
        return stored

    def run(self) -> StoreRun:
        """A run of many files (an ingest): see `StoreRun`. Close it when done."""
        return StoreRun(self)

    def _copy_to_temp(self, source: Path, *, follow_links: bool, looked: os.stat_result | None,
                      fsync: bool) -> tuple[str, str, int]:
        """Copy `source` to a new temporary file in the staging folder while hashing it
        (and fsync it, with `fsync`): (temporary path, sha256, size). Nothing is left
        behind when it fails (OSError, SourceChanged)."""
        source = Path(source)
        src = long_path(source)  # Windows: "\\?\" when a department's folders run deep
        before = looked if looked is not None else (os.stat(src) if follow_links else os.lstat(src))
        if stat.S_ISLNK(before.st_mode):
            raise OSError(errno.ELOOP, "符号链接，不跟随读取 (a symbolic link, never followed)", str(source))
        self._ensure_dir(self.staging)
        fd, tmp = self._temp_file()
        try:
            flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
            fin = os.open(src, flags)
            try:
                sha, size = _copy_hashed(fin, fd)
                if fsync:
                    os.fsync(fd)
                after = os.fstat(fin)
            finally:
                os.close(fin)
                out, fd = fd, -1  # closed once, even if the close itself fails
                os.close(out)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
                size != after.st_size
            ):
                raise SourceChanged(str(source))
            return str(tmp), sha, size
        except BaseException:
            if fd >= 0:
                os.close(fd)
            _force_unlink(Path(tmp))
            raise

    def _put(self, tmp: str, sha: str, size: int) -> Stored:
        """Give a complete, durable temporary file its hash name (or drop it when that
        content is already stored): the rename, not yet made durable."""
        try:
            folder = os.path.join(self._root, sha[:2], sha[2:4])
            dest = os.path.join(folder, sha)
            if not self._new_folder(folder, sha) and _same_size_file(dest, size):
                os.unlink(tmp)
                return Stored(sha, size, Path(dest), created=False)
            if not _CREATED_READ_ONLY:
                os.chmod(tmp, _READ_ONLY)
            try:
                os.replace(tmp, dest)
            except PermissionError:
                # Windows: another process stored the same content a moment ago and the
                # read-only file cannot be replaced. Identical bytes: nothing to do.
                if _same_size_file(dest, size):
                    _force_unlink(Path(tmp))
                    return Stored(sha, size, Path(dest), created=False)
                raise
            return Stored(sha, size, Path(dest), created=True)
        except BaseException:
            _force_unlink(Path(tmp))
            raise

    def _new_folder(self, folder: str, sha: str) -> bool:
        """Make the `ab/cd/` folder of a content; True when this call made it (so no copy
        can be in it yet), False when it was there (made by an earlier file, run or seat)."""
        if folder in self._known_dirs:
            return False
        try:
            os.mkdir(folder)
        except FileExistsError:
            self._known_dirs.add(folder)
            return False
        except FileNotFoundError:  # its `ab/` folder is new too
            try:
                os.mkdir(os.path.join(self._root, sha[:2]))
            except FileExistsError:
                pass
            return self._new_folder(folder, sha)
        self._known_dirs.add(folder)
        return True

    def _temp_file(self) -> tuple[int, Path]:
        """A new temporary file in the staging folder, open for writing: (fd, path). Named
        by this process and a counter (created exclusively, so a name another seat or an
        old run left is skipped): what tempfile.mkstemp does without its random names and
        path checks, which cost a tenth of the Python of storing a small file."""
        while True:
            tmp = self.staging / f"tmp-{_TOKEN}-{next(_serial)}"
            try:
                return os.open(tmp, _TEMP_FLAGS, _TEMP_MODE), tmp
            except FileExistsError:
                continue

    def discard(self, sha256: str) -> None:
        """Take a file out of the store again: only for a file this process has just
        stored and whose database row was never committed (a full disk while recording)."""
        path = self.path_for(sha256)
        _force_unlink(path)
        self._unsynced_dirs.add(path.parent)
        self.sync()

    def iter_stored(self):
        """Yield (sha256, path) of every file under a hash name (not staging leftovers)."""
        if not self.root.is_dir():
            return
        for d1 in sorted(self.root.iterdir()):
            if not d1.is_dir() or len(d1.name) != 2:
                continue
            for d2 in sorted(d1.iterdir()):
                if not d2.is_dir():
                    continue
                for f in sorted(d2.iterdir()):
                    yield f.name, f

    def staging_leftovers(self) -> list[Path]:
        if not self.staging.is_dir():
            return []
        return sorted(self.staging.iterdir())

    def open(self, sha256: str):
        path = self.path_for(sha256)
        if not path.is_file():
            raise BadInput(
                f"档案库中缺少文件 {sha256}", f"stored file {sha256} is missing from the archive"
            )
        return open(path, "rb")


class StoreRun:
    """Many files stored in one go (an ingest), made durable a batch at a time.

    Where the archive's file system allows it (`FsSync`: Linux, a local ext4, XFS, Btrfs
    or F2FS), `stage` (on any thread) only copies and hashes into the staging folder, and
    `place` (once per batch, on the thread that records the rows) does what an fsync of
    each file and each folder did, in the same order, with one syncfs for each step:

    1. syncfs: every staged copy's bytes are on the disk, before any gets its hash name;
    2. the `ab/cd/` folders and the renames to the hash names;
    3. syncfs: every name (and new folder) is on the disk;

    and only then may the caller commit the rows that point at those files. A crash before
    (3) leaves temporary files in the staging folder (`verify` reports them, `repair`
    removes them) and at worst complete files under their hash names with no row (orphans
    `verify --repair` adopts): never a hash name over a partial file, never a row over a
    missing one. This costs two disk-cache flushes per batch where the per-file road costs
    two per file (measured: issue 19, docs/performance.md).

    Elsewhere (Windows, macOS, a network share) `stage` stores the file completely, as
    `FileStore.store(sync_now=True)` does, and `place` only passes it on."""

    def __init__(self, store: FileStore) -> None:
        self.store = store
        store._ensure_dir(store.staging)
        # opened before the first copy: the sync reports any write-back error since then
        self._fs: FsSync | None = FsSync.open(store.root)
        # files the last `place` gave their hash names before it failed: complete files
        # whose names may not be durable, for the caller to take out again (no row has them)
        self.unfinished: list[Stored] = []

    @property
    def batched(self) -> bool:
        """Whether `stage` leaves the durability to `place` (one file-system sync a batch)."""
        return self._fs is not None

    def stage(self, source: Path, *, follow_links: bool = True,
              looked: os.stat_result | None = None) -> Stored | Staged:
        """Copy `source` toward the store (`FileStore.store` says what the arguments do and
        what is raised): a Staged copy for `place`, or, on the per-file road, the Stored file."""
        if self._fs is None:
            return self.store.store(source, follow_links=follow_links, sync_now=True, looked=looked)
        tmp, sha, size = self.store._copy_to_temp(Path(source), follow_links=follow_links,
                                                  looked=looked, fsync=False)
        return Staged(sha, size, tmp)

    def place(self, items: list[Stored | Staged]) -> list[Stored]:
        """Give a batch of staged copies their hash names, durably (the class docstring says
        how), in order; Stored ones pass through. On OSError (a failed sync, a full disk)
        the copies not renamed yet are removed, and the ones renamed (complete files: only
        after the first sync succeeded) are left in `unfinished` for the caller to discard."""
        staged = [i for i in items if isinstance(i, Staged)]
        if not staged:
            return [i for i in items if isinstance(i, Stored)]
        assert self._fs is not None
        placed: dict[int, Stored] = {}
        self.unfinished = []
        try:
            self._fs.sync()
            for n, item in enumerate(items):
                if isinstance(item, Staged):
                    placed[n] = self.store._put(item.tmp, item.sha256, item.size)
            self._fs.sync()
        except BaseException:
            self.drop([i for n, i in enumerate(items) if n not in placed])
            self.unfinished = list(placed.values())
            raise
        return [placed[n] if isinstance(i, Staged) else i for n, i in enumerate(items)]

    def drop(self, items: list[Stored | Staged]) -> None:
        """Remove the temporary files of staged copies that will not be placed."""
        for item in items:
            if isinstance(item, Staged):
                _force_unlink(Path(item.tmp))

    def close(self) -> None:
        if self._fs is not None:
            self._fs.close()

    def __enter__(self) -> StoreRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_size_file(path: str | os.PathLike[str], size: int) -> bool:
    """Whether `path` is a regular file of `size` bytes (one stat call)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == size


def _force_unlink(path: Path) -> None:
    try:
        os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    except OSError:
        pass
    try:
        path.unlink()
    except FileNotFoundError:
        pass
