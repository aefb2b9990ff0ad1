"""An archive: one self-contained folder a clerk can copy to a USB stick and open elsewhere.

    <archive>/archive.sqlite3      metadata (WAL, foreign keys on)
    <archive>/files/ab/cd/<sha256> every stored file once, never modified
    <archive>/backups/             automatic database backups (before migrations, daily on open)
    <archive>/quarantine/          files `verify --repair` could not adopt
    <archive>/window.lock          present while a window has the archive open

Opening checks, in order: the folder exists, it is an archive, it is not on a network path
(SQLite over SMB corrupts), it can be written (a read-only folder or disk is refused with a
clear message rather than failing half-way through the first write), its schema is not newer
than this program; an older schema is backed up and migrated. Then, when the newest backup in
`backups/` is older than a day, a daily backup is taken and the oldest daily ones are pruned
(at most `KEEP_DAILY`; backups taken before a migration are kept up to `KEEP_MIGRATION`).

A multi-seat office keeps the metadata on a PostgreSQL server instead (`db_url=`, see
`storage.server`): the folder (on a share) then holds `server.json` naming the database in
place of archive.sqlite3, plus the file store, backups/ and quarantine/ as ever. The same
migrations create and upgrade both; the network-path refusal is for SQLite only.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.core import migrate, server
from storage.core.audit import current_user
from storage.core.db import (
    SessionFactory,
    make_engine,
    read_sqlite_revision,
    snapshot_sqlite,
    sqlite_url,
)
from storage.core.dbfile import (
    BACKUP_GLOB,
    DAILY_BACKUP_AGE,
    DB_NAME,
    _check_not_network,
    _check_writable,
    check_database_file,
)
from storage.core.dbfile import (
    QUICK_CHECK_MAX as QUICK_CHECK_MAX,
)
from storage.core.dbfile import (
    SQLITE_HEADER as SQLITE_HEADER,
)
from storage.core.dbfile import (
    ArchiveDamaged as ArchiveDamaged,
)
from storage.core.dbfile import (
    ArchiveReadOnly as ArchiveReadOnly,
)
from storage.core.dbfile import (
    _damaged as _damaged,
)
from storage.core.dbfile import (
    latest_backup as latest_backup,
)
from storage.core.filestore import FileStore
from storage.core.server import SERVER_FILE, NoWatcherLock, ServerInfo, WatcherLock, normalize_url, redact
from storage.core.server_copy import snapshot_to_sqlite
from storage.kernel.errors import ArchiveError, ArchiveLocked, NotAnArchive, SchemaTooNew

LOCK_NAME = "window.lock"

KEEP_DAILY = 7
KEEP_MIGRATION = 5
PARTIAL_SUFFIX = ".partial"


class Archive:
    """An open archive: its folders, its file store and its database sessions.

    Attributes:
        root: the archive folder.
        files: the content-addressed file store.
        sessions: read/write session factory over the archive's database.
    """

    def __init__(self, root: Path, engine: Engine, *, server: ServerInfo | None = None) -> None:
        self.last_backup_error = ""  # why the daily backup failed this time, if it did
        self.root = Path(root)
        self.engine = engine
        self.server = server  # None: SQLite in the folder; else the server database
        self.files = FileStore(self.root / "files")
        self.sessions = SessionFactory(engine)

    # -- paths -------------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @property
    def is_server(self) -> bool:
        return self.server is not None

    @property
    def db_path(self) -> Path:
        """The SQLite database file (for a server archive: its server.json)."""
        return self.root / (SERVER_FILE if self.server is not None else DB_NAME)

    @property
    def database_label(self) -> str:
        """Where the metadata is, for messages: the file, or the server URL sans password."""
        if self.server is not None:
            return redact(self.engine.url)
        return str(self.root / DB_NAME)

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    # -- lifecycle -----------------------------------------------------------------------
    @classmethod
    def create(cls, root: str | os.PathLike[str], *, db_url: str | None = None) -> Archive:
        """Make a new, empty archive in `root` (which may exist but must hold no archive).

        With `db_url` (postgresql://user@host/dbname) the metadata goes into that database,
        which must be empty, and `root` (a folder every seat reaches) gets server.json.
        """
        root = Path(root).expanduser().absolute()
        if (root / DB_NAME).exists() or (root / SERVER_FILE).exists():
            raise ArchiveError(
                f"这里已经有一个档案库：{root}", f"there is already an archive in {root}"
            )
        if root.exists() and not root.is_dir():
            raise ArchiveError(
                f"不是文件夹：{root}", f"not a folder: {root}"
            )
        url = None
        if db_url:
            url = normalize_url(db_url)
        else:
            _check_not_network(root)
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in ("files", "backups", "quarantine"):
                (root / sub).mkdir(exist_ok=True)
        except OSError as e:
            raise ArchiveError(
                f"无法创建档案库文件夹 {root}：{e.strerror}",
                f"cannot create the archive folder {root}: {e.strerror}",
            ) from e
        if url is not None:
            return cls._create_on_server(root, url)
        engine = make_engine(sqlite_url(root / DB_NAME))
        migrate.upgrade(engine)
        return cls(root, engine)

    @classmethod
    def _create_on_server(cls, root: Path, url: str) -> Archive:
        engine = make_engine(url)
        try:
            server.check_reachable(engine)
            tables = server.user_tables(engine)
            if tables:
                raise ArchiveError(
                    f"数据库 {server.redact(url)} 不是空的（已有 {len(tables)} 个表），"
                    "不会在其中创建档案库；请为档案库新建一个空数据库",
                    f"the database {server.redact(url)} is not empty ({len(tables)} tables); "
                    "no archive is created in it; create an empty database for the archive",
                )
            migrate.upgrade(engine)
            archive_id = server.new_archive_id()
            server.set_archive_id(engine, archive_id)
            # Last: the folder becomes an archive when server.json is in place.
            server.write_server_file(root, url, archive_id)
        except BaseException:
            engine.dispose()
            raise
        return cls(root, engine, server=ServerInfo(server.redact(url), archive_id))

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str],
        *,
        db_url: str | None = None,
        daily_backup: bool = True,
    ) -> Archive:
        """Open an existing archive, migrating an older schema after backing it up, and
        taking the daily backup when it is due (`daily_backup=False` skips that).

        A server archive (server.json in `root`) connects to the database named there, the
        password coming from PGPASSWORD/.pgpass; `db_url` gives the whole URL instead (it
        must reach the same archive's database)."""
        root = Path(root).expanduser().absolute()
        if not root.exists():
            raise NotAnArchive(f"找不到档案库文件夹：{root}", f"archive folder not found: {root}")
        if root.is_dir() and (root / SERVER_FILE).is_file():
            return cls._open_on_server(root, db_url, daily_backup)
        db = root / DB_NAME
        if not root.is_dir() or not db.is_file():
            raise NotAnArchive(
                f"不是 Evidence Desk 档案库（缺少 {DB_NAME}）：{root}",
                f"not an Evidence Desk archive (no {DB_NAME}): {root}",
            )
        if db_url:
            raise ArchiveError(
                f"此档案库的数据保存在本机文件 {DB_NAME} 中，不在数据库服务器上；"
                f"要把它搬到服务器上，请用 migrate-to-server：{root}",
                f"this archive keeps its metadata in its own {DB_NAME}, not on a database "
                f"server; to move it onto the server use migrate-to-server: {root}",
            )
        _check_not_network(root)
        _check_writable(root)
        check_database_file(root)
        rev = _read_revision(db)
        _check_not_too_new(rev)
        engine = make_engine(sqlite_url(db))
        archive = cls(root, engine)
        archive._finish_open(rev, daily_backup)
        return archive

    @classmethod
    def _open_on_server(cls, root: Path, db_url: str | None, daily_backup: bool) -> Archive:
        info = server.read_server_file(root)
        url = server.normalize_url(db_url or info.url)
        _check_writable(root)
        engine = make_engine(url)
        try:
            server.check_reachable(engine)
            rev = migrate.current_revision(engine)
            if rev is None:
                raise NotAnArchive(
                    f"数据库 {server.redact(url)} 中没有档案库（{root} 的 {SERVER_FILE} 指向它）",
                    f"the database {server.redact(url)} holds no archive ({SERVER_FILE} in {root} names it)",
                )
            _check_not_too_new(rev)
            found = server.database_archive_id(engine)
            if found != info.archive_id:
                raise NotAnArchive(
                    f"数据库 {server.redact(url)} 中是另一个档案库，与文件夹 {root} 不对应；"
                    "请检查数据库地址，档案库未作任何改动",
                    f"the database {server.redact(url)} holds another archive than the folder "
                    f"{root}; check the database URL; nothing was changed",
                )
            archive = cls(root, engine, server=info)
            archive._finish_open(rev, daily_backup)
        except BaseException:
            engine.dispose()
            raise
        return archive

    def _finish_open(self, rev: str | None, daily_backup: bool) -> None:
        if rev != migrate.head_revision():
            try:
                self.backup_database(reason=f"before-migration-{rev or 'none'}")
            except (OSError, SQLAlchemyError) as e:
                self.engine.dispose()
                raise ArchiveError(
                    f"升级档案库结构前无法备份数据库，未进行升级：{e}",
                    f"could not back the database up before migrating it; nothing was migrated: {e}",
                ) from e
            migrate.upgrade(self.engine)
        self.last_backup_error = ""
        if daily_backup:
            self.daily_backup_if_due()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- database backups in backups/ ---------------------------------------------------
    def backup_database(self, *, reason: str) -> Path:
        """Copy the database with SQLite's online backup API into backups/ and return it.

        Written under a `.partial` name, fsynced and renamed, so a crash never leaves a
        half-written file that looks like a backup. The copy is in rollback-journal mode
        (one self-contained file).
        """
        self.backups_dir.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = self.backups_dir / f"archive-{stamp}-{reason}.sqlite3"
        self.snapshot_to(dest)
        return dest

    def snapshot_to(self, dest: Path) -> None:
        """A consistent copy of the database as one SQLite file at `dest` (written under a
        .partial name and renamed). For a server archive it is a logical copy made in one
        read-only REPEATABLE READ transaction (`storage.server_copy`), so backups of both
        back ends have the same form and restore the same way."""
        if self.server is not None:
            snapshot_to_sqlite(self.engine, Path(dest))
        else:
            snapshot_database(self.root / DB_NAME, Path(dest))

    def list_backups(self) -> list[Path]:
        """The finished database backups in backups/, oldest first."""
        if not self.backups_dir.is_dir():
            return []
        return sorted(self.backups_dir.glob(BACKUP_GLOB))

    def daily_backup_if_due(self, *, now: dt.datetime | None = None) -> Path | None:
        """Take a daily backup when the newest backup is older than a day, then prune.

        A failure (full disk) does not stop the clerk from working: it is kept in
        `last_backup_error` for the window to show, and the partial file is removed.
        """
        now = now or dt.datetime.now()
        backups = self.list_backups()
        newest = max((p.stat().st_mtime for p in backups), default=None)
        if newest is not None and now - dt.datetime.fromtimestamp(newest) < DAILY_BACKUP_AGE:
            return None
        try:
            made = self.backup_database(reason="daily")
        except (OSError, SQLAlchemyError) as e:
            self.last_backup_error = f"每日自动备份失败：{e} (daily backup failed: {e})"
            return None
        self.prune_backups()
        return made

    def prune_backups(self) -> list[Path]:
        """Keep the newest KEEP_DAILY daily and KEEP_MIGRATION before-migration backups;
        anything else in backups/ (a backup the clerk put there) is never touched."""
        removed: list[Path] = []
        backups = self.list_backups()
        for marker, keep in (("-daily.sqlite3", KEEP_DAILY), ("-before-migration-", KEEP_MIGRATION)):
            group = [p for p in backups if marker in p.name]
            for old in group[: max(0, len(group) - keep)]:
                try:
                    old.unlink()
                    removed.append(old)
                except OSError:
                    pass
        for stale in self.backups_dir.glob("*" + PARTIAL_SUFFIX):
            try:
                if dt.datetime.now().timestamp() - stale.stat().st_mtime > 3600:
                    stale.unlink()
                    removed.append(stale)
            except OSError:
                pass
        return removed

    # -- the one-window lock ---------------------------------------------------------------
    def acquire_window_lock(self) -> WindowLock:
        """One window per archive; for a server archive one window per seat (the seats
        share the folder, and the database keeps their writes apart)."""
        if self.server is not None:
            host = re.sub(r"[^A-Za-z0-9._-]", "_", socket.gethostname()) or "host"
            return WindowLock.acquire(self.root / f"window-{host}.lock")
        return WindowLock.acquire(self.root / LOCK_NAME)

    def watcher_lock(self) -> WatcherLock | NoWatcherLock:
        """The right to run the folder watcher: one seat at a time on a server archive."""

        return WatcherLock(self.engine) if self.server is not None else NoWatcherLock()


def snapshot_database(src: Path, dest: Path) -> None:
    """A consistent copy of the SQLite database `src` at `dest`, safe while others write
    (`storage.db.snapshot_sqlite`: online backup API, .partial name, fsync, rename)."""
    snapshot_sqlite(src, dest, partial_suffix=PARTIAL_SUFFIX)


def read_revision(db: Path) -> str | None:
    """The schema revision stored in the database file `db` (read-only)."""
    return _read_revision(db)


def _read_revision(db: Path) -> str | None:
    """The schema revision stored in the SQLite file `db`, read without changing it."""
    return read_sqlite_revision(db)


def _check_not_too_new(rev: str | None) -> None:
    head = migrate.head_revision()
    if rev is not None and rev != head and rev not in migrate.known_revisions():
        raise SchemaTooNew(
            f"此档案库由更新版本的 Evidence Desk 创建（结构版本 {rev}），请升级本程序后再打开；档案库未作任何改动",
            f"this archive was written by a newer Evidence Desk (schema {rev}); upgrade "
            "this program to open it; the archive was not changed",
        )


def is_archive(root: str | os.PathLike[str]) -> bool:
    """Does `root` hold an archive (SQLite file or server.json)? No database is opened."""
    root = Path(root)
    return (root / DB_NAME).is_file() or (root / SERVER_FILE).is_file()


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: str


# Windows API values for _pid_alive (processthreadsapi.h, minwinbase.h).
_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return False
        exit_code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(exit_code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return exit_code.value == _STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WindowLock:
    """One window per archive: a lock file naming its owner, PID and host.

    A lock whose process is gone (same host, PID not running) is stale and taken over.
    A lock from another host cannot be checked and is reported with its owner.
    """

    def __init__(self, path: Path, owner: LockOwner) -> None:
        self.path = path
        self.owner = owner

    @classmethod
    def acquire(cls, path: Path) -> WindowLock:
        me = LockOwner(
            user=current_user(),
            host=socket.gethostname(),
            pid=os.getpid(),
            since=dt.datetime.now().isoformat(timespec="seconds"),
        )
        for _ in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                other = cls.read_owner(path)
                if cls._is_stale(other, path):
                    path.unlink(missing_ok=True)
                    continue
                who = (
                    f"{other.user}@{other.host}（进程 {other.pid}，自 {other.since}）"
                    if other else "未知"
                )
                who_en = (
                    f"{other.user}@{other.host} (PID {other.pid}, since {other.since})"
                    if other else "unknown"
                )
                raise ArchiveLocked(
                    f"档案库已在另一个窗口中打开：{who}",
                    f"the archive is already open in another window: {who_en}",
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(me.__dict__, f, ensure_ascii=False)
            return cls(path, me)
        raise ArchiveLocked("无法获取档案库锁", "could not take the archive lock")

    @staticmethod
    def read_owner(path: Path) -> LockOwner | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return LockOwner(str(data["user"]), str(data["host"]), int(data["pid"]),
                             str(data["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def _is_stale(owner: LockOwner | None, path: Path) -> bool:
        if owner is None:
            # Unreadable: a crash while writing it, or a writer a moment ago. Old is stale.
            try:
                return (dt.datetime.now().timestamp() - path.stat().st_mtime) > 10
            except OSError:
                return True
        return owner.host == socket.gethostname() and not _pid_alive(owner.pid)

    def release(self) -> None:
        current = self.read_owner(self.path)
        if current == self.owner:
            self.path.unlink(missing_ok=True)
