"""Move an archive's metadata between the folder (SQLite) and a PostgreSQL server.

`migrate_to_server(root, db_url)`: a single-clerk archive becomes a multi-seat one. The
source is verified first (a damaged archive is not carried over), its rows are copied into
the empty server database in one transaction (`server_copy.load_into`), then the folder
gets server.json and its archive.sqlite3 is moved to backups/ (kept, never deleted). With
`to=DIR` the folder is left as it was and a new archive folder (on the share) is made
instead: the stored files are copied there with the store's protocol. The result is
verified.

`migrate_to_file(root)`: back again, for a seat that leaves the office network or an
office that stops running the server: a consistent copy of the database becomes
archive.sqlite3 and server.json goes to backups/ (or, with `to=DIR`, a new local archive
folder with a copy of the files; the server archive is untouched). The server database is
never dropped here: the office's administrator does that when nobody needs it any more.

Crash safety: in place, server.json (or archive.sqlite3) is written complete under a
temporary name and renamed before the other file is moved aside; a folder holding both
opens as the server archive (`Archive.open` looks for server.json first), and running the
command again finishes the job.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from storage.core import migrate, server
from storage.core.archive import DB_NAME, Archive, _check_not_network
from storage.core.db import make_engine, to_single_file
from storage.core.filestore import FileStore
from storage.core.server_copy import load_into, snapshot_to_sqlite
from storage.durability.backup import _store_stream
from storage.durability.verify import verify_archive
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import ArchiveError, BadInput
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.models import Blob, Setting


@dataclass
class MigrateReport:
    archive: str
    database: str              # where the metadata is now (file or URL without password)
    rows: dict[str, int] = field(default_factory=dict)
    files_copied: int = 0
    kept: str = ""             # where the replaced archive.sqlite3 / server.json was put
    source_verified: bool = False
    verify_ok: bool = False
    verify_problems: list[dict] = field(default_factory=list)


def _verify_source(archive: Archive, progress: ProgressFn, cancel: CancelFn) -> None:
    rep = verify_archive(archive, progress=progress, cancel=cancel)
    if rep.cancelled:
        raise BadInput("已取消，未作任何改动", "cancelled; nothing was changed")
    if not rep.ok:
        kinds = sorted({p.kind for p in rep.problems if p.is_error})
        raise BadInput(
            f"档案库校验未通过（{'、'.join(kinds)}），先运行 verify --repair 处理后再迁移；未作任何改动",
            f"the archive does not verify ({', '.join(kinds)}); run verify --repair first; nothing was changed",
        )


def _copy_files(archive: Archive, dest_root: Path, progress: ProgressFn, cancel: CancelFn) -> int:
    """Copy every stored file into `dest_root`/files with the store's protocol."""
    from sqlalchemy import select


    with archive.sessions.read() as s:
        blobs = s.execute(select(Blob.sha256, Blob.size)).all()
    store = FileStore(dest_root / "files")
    total = sum(size for _, size in blobs)
    done = n = 0
    for sha, size in blobs:
        if cancel():
            raise BadInput("已取消；目标文件夹尚不是档案库，可删除后重来",
                           "cancelled; the target is not an archive yet")
        if not (store.has(sha) and store.path_for(sha).stat().st_size == size):
            with archive.files.open(sha) as fin:
                _store_stream(store, fin, sha, archive.files.path_for(sha))
        n += 1
        done += size
        progress(done, total, sha[:12])
    return n


def _prepare_target(to: Path) -> Path:
    to = Path(to).expanduser().absolute()
    if (to / DB_NAME).exists() or (to / server.SERVER_FILE).exists():
        raise BadInput(f"目标文件夹里已经有档案库：{to}", f"the target folder already holds an archive: {to}")
    for sub in ("files", "backups", "quarantine"):
        (to / sub).mkdir(parents=True, exist_ok=True)
    return to


def _finish(report: MigrateReport, root: Path, db_url: str | None) -> MigrateReport:
    with Archive.open(root, db_url=db_url, daily_backup=False) as a:
        rep = verify_archive(a)
        report.database = a.database_label
    report.verify_ok = rep.ok
    report.verify_problems = rep.as_dict()["problems"]
    return report


def migrate_to_server(
    root: str | os.PathLike[str],
    db_url: str,
    *,
    to: str | os.PathLike[str] | None = None,
    create_database: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> MigrateReport:
    """See the module docstring. `create_database`: make the database first (the user
    needs CREATEDB on the server), else it must exist and be empty."""
    root = Path(root).expanduser().absolute()
    url = server.normalize_url(db_url)
    if create_database:
        server.create_database(url)
    with Archive.open(root) as source:
        if source.is_server:
            raise BadInput(f"此档案库已经在数据库服务器上：{source.database_label}",
                           f"this archive is already on a database server: {source.database_label}")
        lock = source.acquire_window_lock()  # no window writes meanwhile
        try:
            _verify_source(source, progress, cancel)
            target_root = _prepare_target(Path(to)) if to is not None else root
            report = MigrateReport(archive=str(target_root), database=server.redact(url), source_verified=True)
            if to is not None:
                report.files_copied = _copy_files(source, target_root, progress, cancel)
            dest = make_engine(url)
            made_schema = False
            try:
                server.check_reachable(dest)
                tables = server.user_tables(dest)
                if tables:
                    raise BadInput(
                        f"数据库 {server.redact(url)} 不是空的（已有 {len(tables)} 个表），不会覆盖；请用一个空数据库",
                        f"the database {server.redact(url)} is not empty ({len(tables)} tables); give an empty one",
                    )
                made_schema = True
                migrate.upgrade(dest)
                report.rows = load_into(source.engine, dest, progress=progress, cancel=cancel)
                archive_id = server.new_archive_id()
                server.set_archive_id(dest, archive_id)
            except BaseException:
                if made_schema:  # only what this call made: an empty database again
                    _empty_again(dest)
                dest.dispose()
                raise
            dest.dispose()
            server.write_server_file(target_root, url, archive_id)
            if to is None:
                source.engine.dispose()
                report.kept = str(_move_aside_sqlite(root))
        finally:
            lock.release()
    return _finish(report, Path(report.archive), db_url)


def _empty_again(engine: Engine) -> None:
    """A failed copy leaves the server database as it found it: empty."""
    from sqlalchemy import MetaData

    try:
        meta = MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
    except Exception:  # noqa: BLE001 - best effort; the message of the first error matters
        pass


def _move_aside_sqlite(root: Path) -> Path:
    db = root / DB_NAME
    to_single_file(db)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = root / "backups" / f"moved-to-server-{stamp}-{DB_NAME}"
    kept.parent.mkdir(exist_ok=True)
    os.replace(db, kept)
    for extra in ("-wal", "-shm"):
        (root / (DB_NAME + extra)).unlink(missing_ok=True)
    fsync_dir(root)
    return kept


def migrate_to_file(
    root: str | os.PathLike[str],
    *,
    db_url: str | None = None,
    to: str | os.PathLike[str] | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> MigrateReport:
    """See the module docstring."""
    root = Path(root).expanduser().absolute()
    if not (root / server.SERVER_FILE).is_file():
        raise BadInput(f"此档案库不在数据库服务器上，无需迁回：{root}",
                       f"this archive is not on a database server; nothing to move back: {root}")
    with Archive.open(root, db_url=db_url) as source:
        _verify_source(source, progress, cancel)
        target_root = _prepare_target(Path(to)) if to is not None else root
        if to is None:
            try:
                _check_not_network(root)
            except ArchiveError as e:
                raise BadInput(
                    f"档案库文件夹在网络路径上，迁回本机文件后将无法打开；请用 --to 指定本机文件夹：{root}",
                    f"the archive folder is on a network path, where a SQLite archive cannot be opened; "
                    f"give a local folder with --to: {root}",
                ) from e
        report = MigrateReport(archive=str(target_root), database=str(target_root / DB_NAME),
                               source_verified=True)
        if to is not None:
            report.files_copied = _copy_files(source, target_root, progress, cancel)

        report.rows = snapshot_to_sqlite(source.engine, target_root / DB_NAME, progress=progress, cancel=cancel)
    if to is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = root / "backups" / f"moved-to-file-{stamp}-{server.SERVER_FILE}"
        kept.parent.mkdir(exist_ok=True)
        os.replace(root / server.SERVER_FILE, kept)
        fsync_dir(root)
        report.kept = str(kept)
    # The copy carries the server archive's id; as a file archive it is its own archive now.

    with Archive.open(target_root, daily_backup=False) as a, a.sessions.write() as s:
        row = s.get(Setting, server.ARCHIVE_ID_KEY)
        if row is not None:
            s.delete(row)
    return _finish(report, target_root, None)


__all__ = ["MigrateReport", "migrate_to_file", "migrate_to_server"]
