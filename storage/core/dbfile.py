"""The archive's database file, checked with the standard library only: where it is, whether
it looks like a healthy SQLite database, whether this process may write it, whether the
daily backup is due.

Kept free of SQLAlchemy so that read-only commands (`status`) can decide cheaply whether
the light path may answer (`storage.catalogue.status_light`) before anything heavy is
imported; `storage.core.archive` re-exports every name here.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from storage.kernel.errors import ArchiveError, NetworkPathRefused, NotAnArchive
from storage.kernel.paths import is_network_path

DB_NAME = "archive.sqlite3"

# The newest revision in storage/migrations/versions. Kept as a constant so opening an
# up-to-date archive does not load Alembic (a tenth of a second); a test checks it matches
# Alembic's head. `storage.core.migrate` re-exports it.
SCHEMA_HEAD = "0006"

DAILY_BACKUP_AGE = dt.timedelta(days=1)
BACKUP_GLOB = "archive-*.sqlite3"


class ArchiveReadOnly(ArchiveError):
    """The archive's folder or database cannot be written (read-only disk, no permission)."""


def _check_writable(root: Path) -> None:
    """Refuse an archive this process cannot write, before anything touches it.

    os.access asks the kernel, so it answers for a read-only mount (EROFS) and for file
    permissions of the real user alike (chmod means nothing to root; a read-only mount does).
    """
    db = root / DB_NAME
    candidates = [root, db, root / "files"]
    candidates += [p for p in (root / (DB_NAME + "-wal"), root / (DB_NAME + "-shm")) if p.exists()]
    for path in candidates:
        if path.exists() and not os.access(path, os.R_OK):
            raise ArchiveReadOnly(
                f"没有读取档案库的权限：{path}",
                f"no permission to read the archive: {path}",
            )
    for path in candidates:
        if path.exists() and not os.access(path, os.W_OK):
            raise ArchiveReadOnly(
                f"档案库是只读的（只读磁盘或没有写入权限）：{path}；请把档案库复制到本机可写的文件夹后再打开，档案库未作任何改动",
                f"the archive is read-only (read-only disk or no write permission): {path}; "
                "copy it to a writable local folder and open it there; the archive was not changed",
            )


class ArchiveDamaged(NotAnArchive):
    """The archive's database file is empty or damaged: refused, never opened as new."""


SQLITE_HEADER = b"SQLite format 3\x00"


def latest_backup(root: Path) -> Path | None:
    """The newest database backup in `<root>/backups/` that at least looks like a SQLite
    database (non-empty, right header), or None."""
    folder = Path(root) / "backups"
    if not folder.is_dir():
        return None
    found: list[tuple[float, Path]] = []
    for p in folder.glob("*.sqlite3"):
        try:
            if p.stat().st_size >= 512:
                with open(p, "rb") as f:
                    if f.read(16) == SQLITE_HEADER:
                        found.append((p.stat().st_mtime, p))
        except OSError:
            continue
    return max(found)[1] if found else None


def _damaged(root: Path, what_zh: str, what_en: str) -> ArchiveDamaged:
    db = root / DB_NAME
    backup = latest_backup(root)
    if backup is not None:
        how_zh = (
            f"最新的自动备份是 {backup}，可用命令 restore \"{backup}\" --archive \"{root}\" "
            "恢复（损坏的数据库会改名保留在 backups/ 中），之后运行 verify --repair 收回备份后存入的文件"
        )
        how_en = (
            f"the latest automatic backup is {backup}; restore it with "
            f"restore \"{backup}\" --archive \"{root}\" (the damaged database is kept, renamed, "
            "in backups/), then run verify --repair to adopt files stored after the backup"
        )
    else:
        how_zh = (
            f"{root / 'backups'} 中没有自动备份；"
            "请用 restore 从完整备份（backup 命令生成的文件夹或 zip）恢复到新文件夹"
        )
        how_en = (
            f"there is no automatic backup in {root / 'backups'}; restore a full backup "
            "(the folder or zip the backup command made) into a new folder with restore"
        )
    return ArchiveDamaged(
        f"档案库数据库{what_zh}，未打开也未改动：{db}；{how_zh}",
        f"the archive database {what_en}; it was neither opened nor changed: {db}; {how_en}",
    )


def check_database_file(root: str | os.PathLike[str], *, integrity: bool = True) -> None:
    """Refuse a zero-length, truncated or non-SQLite archive.sqlite3 (an archive that
    SQLite would otherwise open as a new, empty database), pointing to the newest
    automatic backup and `restore`. Cheap: reads the header and the list of tables, and
    (`integrity`, databases up to QUICK_CHECK_MAX) runs SQLite's quick_check. The read-only
    `status` road leaves the quick_check out: a damaged page it reads raises and sends it
    down the full road, which runs the check and explains."""
    root = Path(root)
    db = root / DB_NAME
    try:
        size = db.stat().st_size
        with open(db, "rb") as f:
            header = f.read(100)
    except OSError as e:
        raise _damaged(root, f"无法读取（{e.strerror}）", f"cannot be read ({e.strerror})") from e
    if size == 0:
        raise _damaged(root, "是空文件（0 字节）", "is an empty file (0 bytes)")
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        raise _damaged(root, "已损坏（不是 SQLite 数据库文件）", "is damaged (not a SQLite database file)")
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1) or size % page:
        raise _damaged(root, "已损坏（文件被截断）", "is damaged (the file is truncated)")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise _damaged(root, "无法打开", "cannot be opened") from e
    try:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if integrity and size <= QUICK_CHECK_MAX:
            ok = conn.execute("PRAGMA quick_check(1)").fetchone()
            if not ok or ok[0] != "ok":
                raise _damaged(root, "已损坏（完整性检查未通过）", "is damaged (its integrity check failed)")
    except sqlite3.DatabaseError as e:
        raise _damaged(root, "已损坏", "is damaged") from e
    finally:
        conn.close()
    if not tables:
        raise _damaged(root, "是空的（没有任何表，可能被清空或替换）", "is empty (no tables: emptied or replaced)")


QUICK_CHECK_MAX = 64 << 20  # larger databases get only the header checks when opened


def _check_not_network(root: Path) -> None:
    if is_network_path(root):
        raise NetworkPathRefused(
            f"档案库不能放在网络路径上：{root}（SQLite 数据库在共享文件夹上会损坏，请选择本机磁盘上的文件夹）",
            f"the archive cannot be on a network path: {root} (SQLite over a network share "
            "corrupts; choose a folder on a local disk)",
        )


def daily_backup_due(root: Path, *, now: dt.datetime | None = None) -> bool:
    """Is the newest finished database backup in `<root>/backups/` older than a day (or
    missing)? `Archive.daily_backup_if_due` takes the backup then."""
    folder = Path(root) / "backups"
    backups = sorted(folder.glob(BACKUP_GLOB)) if folder.is_dir() else []
    newest = max((p.stat().st_mtime for p in backups), default=None)
    now = now or dt.datetime.now()
    return newest is None or now - dt.datetime.fromtimestamp(newest) >= DAILY_BACKUP_AGE
