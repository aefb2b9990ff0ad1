"""Backup and restore of a whole archive: the database and every file its rows use.

A backup is a folder or a .zip holding

    manifest.json      what it is: format, when, from where, schema revision, file list
    archive.sqlite3    a consistent copy made with SQLite's online backup API
    files/ab/cd/<sha>  every stored file the copied rows point at, checked against its hash

It is safe while a window (or a command) is writing: the database copy is one committed
state, and the files are chosen from *that copy* (a file is stored before its row is
committed and stored files are never modified, so every file the copy names is already
complete in the store). It is written under `<dest>.partial` and renamed at the end, so a
crash never leaves something at DEST that looks like a finished backup.

Restore writes into a folder that holds no archive: first every file (same store protocol:
temporary name, fsync, hash check, rename), the database last, so a folder is an archive
only once it is complete; a crashed restore is simply run again. A backup from an older
schema is migrated on the first open, like any archive; one from a newer version is refused.

`restore_database` puts a database-only backup from `backups/` (the automatic ones) back in
place, keeping the database it replaces beside it.

Server archives (PostgreSQL, `storage.server`) back up to exactly the same form: the
database copy is a SQLite file made by a logical copy in one REPEATABLE READ transaction
(`storage.server_copy`), so any backup restores to a folder (SQLite) or, with `db_url`,
onto a server, whichever back end it came from. `restore_database` on a server archive
replaces the database's rows in one transaction (the other seats see the old archive or
the restored one), after keeping the rows it replaces as backups/replaced-*.sqlite3.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from sqlalchemy import Engine, select

from storage.core import migrate, server
from storage.core.archive import DB_NAME, LOCK_NAME, Archive, WindowLock, read_revision
from storage.core.audit import log_action
from storage.core.db import checkpoint_sqlite, make_engine, read_sqlite_rows, sqlite_url
from storage.core.filestore import CHUNK, FileStore
from storage.core.server import SERVER_FILE
from storage.core.server_copy import load_into
from storage.durability.verify import verify_archive
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import BadInput, NotAnArchive, SchemaTooNew
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.models import Blob

FORMAT = "evidence-desk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PARTIAL = ".partial"
_MEMBER = re.compile(r"^files/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


@dataclass
class BackupReport:
    dest: str
    files: int = 0
    bytes: int = 0
    schema: str = ""
    problems: list[str] = field(default_factory=list)  # files the copy names but the store lacks

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RestoreReport:
    archive: str
    files: int = 0
    bytes: int = 0
    schema: str = ""
    migrated: bool = False
    verify_ok: bool = False
    verify_problems: list[dict] = field(default_factory=list)
    replaced_database: str = ""  # restore_database: where the replaced database was kept


# --- backup ------------------------------------------------------------------------------


def backup_archive(
    archive: Archive,
    dest: str | os.PathLike[str],
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> BackupReport:
    """Back `archive` up to the folder or `.zip` `dest` (which must not exist yet).

    Raises BadInput for an unusable destination (exists, inside the archive); OSError from
    a full or read-only destination propagates after the partial output is removed.
    """
    dest = Path(dest).expanduser().absolute()
    as_zip = dest.suffix.lower() == ".zip"
    _check_dest(archive, dest)
    partial = dest.with_name(dest.name + PARTIAL)
    _remove(partial)
    report = BackupReport(dest=str(dest))
    work = Path(tempfile.mkdtemp(prefix="evidence-backup-", dir=dest.parent))
    try:
        db_copy = work / DB_NAME
        archive.snapshot_to(db_copy)
        report.schema = read_revision(db_copy) or ""
        blobs = _blobs_in(db_copy)
        total = sum(size for _, size in blobs)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "source_archive": str(archive.root),
            "source_backend": archive.backend,
            "source_database": archive.database_label,
            "schema": report.schema,
            "files": len(blobs),
            "bytes": total,
            "blobs": [[sha, size] for sha, size in blobs],
        }
        progress(0, total, "")
        done = 0
        if as_zip:
            writer = zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        else:
            partial.mkdir()
        try:
            for sha, size in blobs:
                if cancel():
                    raise BadInput("备份已取消，未生成备份", "backup cancelled; no backup was made")
                src = archive.files.path_for(sha)
                if not src.is_file():
                    report.problems.append(sha)
                    continue
                rel = f"files/{sha[:2]}/{sha[2:4]}/{sha}"
                if as_zip:
                    with open(src, "rb") as fin, writer.open(
                        zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0)), "w", force_zip64=size > (1 << 31)
                    ) as fout:
                        actual = _copy_hashing(fin, fout)
                else:
                    target = partial / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with open(src, "rb") as fin, open(target, "wb") as fout:
                        actual = _copy_hashing(fin, fout)
                        fout.flush()
                        os.fsync(fout.fileno())
                if actual != sha:
                    report.problems.append(sha)
                report.files += 1
                report.bytes += size
                done += size
                progress(done, total, sha[:12])
            if report.problems:
                raise BadInput(
                    f"档案库中有 {len(report.problems)} 个文件丢失或已损坏，无法生成完整备份；请先运行 verify",
                    f"{len(report.problems)} stored files are missing or corrupt; no complete "
                    "backup was made; run verify first",
                )
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            if as_zip:
                writer.write(db_copy, DB_NAME, compress_type=zipfile.ZIP_DEFLATED)
                writer.writestr(MANIFEST, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
                writer.close()
                _fsync_file(partial)
            else:
                shutil.copyfile(db_copy, partial / DB_NAME)
                _fsync_file(partial / DB_NAME)
                (partial / MANIFEST).write_bytes(manifest_bytes)
                _fsync_file(partial / MANIFEST)
                for d in sorted({p.parent for p in partial.rglob("*")}, reverse=True):
                    fsync_dir(d)
        except BaseException:
            if as_zip:
                writer.close()
            raise
        os.replace(partial, dest)
        fsync_dir(dest.parent)
    except BaseException:
        _remove(partial)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _log(archive, "backup", {"dest": str(dest), "files": report.files, "bytes": report.bytes})
    return report


def _check_dest(archive: Archive, dest: Path) -> None:
    if dest.exists():
        raise BadInput(
            f"备份目标已存在，请指定一个新的文件夹或 .zip 文件名：{dest}",
            f"backup destination already exists; give a new folder or .zip name: {dest}",
        )
    if dest == archive.root or archive.root in dest.parents:
        raise BadInput(
            f"备份不能放在档案库文件夹里面：{dest}", f"a backup cannot go inside the archive: {dest}"
        )
    if not dest.parent.is_dir():
        raise BadInput(
            f"备份目标所在的文件夹不存在：{dest.parent}",
            f"the folder for the backup does not exist: {dest.parent}",
        )


def _blobs_in(db: Path) -> list[tuple[str, int]]:
    return [(r[0], int(r[1])) for r in read_sqlite_rows(db, "SELECT sha256, size FROM blob ORDER BY sha256")]


def _copy_hashing(fin: IO[bytes], fout: IO[bytes]) -> str:
    h = hashlib.sha256()
    while chunk := fin.read(CHUNK):
        h.update(chunk)
        fout.write(chunk)
    return h.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, onerror=_chmod_and_retry)
    elif path.exists():
        path.unlink()


def _chmod_and_retry(func: Callable[[str], object], path: str, _exc: object) -> None:
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
    func(path)


def _log(archive: Archive, action: str, summary: dict) -> None:
    with archive.sessions.write() as s:
        log_action(s, action, "archive", "", summary)


# --- restore -----------------------------------------------------------------------------


class _Source:
    """A backup being read: a folder or a zip, with names checked against the format."""

    def __init__(self, src: Path) -> None:
        self.src = src
        self.zip: zipfile.ZipFile | None = None
        if src.is_dir():
            if not (src / MANIFEST).is_file() or not (src / DB_NAME).is_file():
                raise NotAnArchive(
                    f"不是 Evidence Desk 备份（缺少 {MANIFEST} 或 {DB_NAME}）：{src}",
                    f"not an Evidence Desk backup (no {MANIFEST} or {DB_NAME}): {src}",
                )
        elif src.is_file() and zipfile.is_zipfile(src):
            self.zip = zipfile.ZipFile(src)
            names = set(self.zip.namelist())
            if MANIFEST not in names or DB_NAME not in names:
                raise NotAnArchive(
                    f"不是 Evidence Desk 备份（压缩包中缺少 {MANIFEST}）：{src}",
                    f"not an Evidence Desk backup (no {MANIFEST} in the zip): {src}",
                )
            for name in names:
                if name not in (MANIFEST, DB_NAME) and not _MEMBER.match(name):
                    raise BadInput(
                        f"备份压缩包中有不应出现的文件名：{name}",
                        f"unexpected entry in the backup zip: {name}",
                    )
        else:
            raise NotAnArchive(
                f"不是 Evidence Desk 备份：{src}", f"not an Evidence Desk backup: {src}"
            )
        try:
            self.manifest = json.loads(self.read_bytes(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise BadInput(f"备份的说明文件已损坏：{src}", f"the backup's manifest is damaged: {src}") from e
        if self.manifest.get("format") != FORMAT:
            raise NotAnArchive(f"不是 Evidence Desk 备份：{src}", f"not an Evidence Desk backup: {src}")
        if int(self.manifest.get("format_version", 0)) > FORMAT_VERSION:
            raise SchemaTooNew(
                f"此备份由更新版本的 Evidence Desk 生成，请升级本程序后再恢复：{src}",
                f"this backup was made by a newer Evidence Desk; upgrade to restore it: {src}",
            )

    def read_bytes(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        return (self.src / name).read_bytes()

    def open(self, name: str) -> BinaryIO:
        if self.zip is not None:
            return self.zip.open(name)  # type: ignore[return-value]
        return open(self.src / name, "rb")

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def restore_archive(
    src: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    db_url: str | None = None,
    progress: ProgressFn = no_progress,
) -> RestoreReport:
    """Restore the backup `src` (folder or zip) as a new archive in `target`.

    `target` must not hold an archive (an earlier, interrupted restore is fine: it has no
    database yet). With `db_url` the metadata goes into that (empty) PostgreSQL database
    and `target`, the shared folder, gets the files and server.json. Verifies the result
    before returning.
    """
    src = Path(src).expanduser().absolute()
    target = Path(target).expanduser().absolute()
    if not src.exists():
        raise BadInput(f"找不到备份：{src}", f"backup not found: {src}")
    if src.is_file() and src.suffix.lower() in (".sqlite3", ".db"):
        return restore_database(src, target, db_url=db_url)
    if (target / DB_NAME).exists() or (target / SERVER_FILE).exists():
        raise BadInput(
            f"目标文件夹里已经有档案库，不会覆盖；请指定一个空文件夹：{target}",
            f"the target folder already holds an archive and is not overwritten; "
            f"give an empty folder: {target}",
        )
    if target.exists() and not target.is_dir():
        raise BadInput(f"恢复目标不是文件夹：{target}", f"restore target is not a folder: {target}")
    source = _Source(src)
    try:
        report = RestoreReport(archive=str(target))
        report.schema = str(source.manifest.get("schema") or "")
        _check_schema(report.schema, src)
        blobs = [(str(sha), int(size)) for sha, size in source.manifest.get("blobs", [])]
        for sha, _ in blobs:
            if not re.fullmatch(r"[0-9a-f]{64}", sha):
                raise BadInput(f"备份的说明文件已损坏：{src}", f"the backup's manifest is damaged: {src}")
        for sub in ("files", "backups", "quarantine"):
            (target / sub).mkdir(parents=True, exist_ok=True)
        store = FileStore(target / "files")
        total = sum(size for _, size in blobs)
        progress(0, total, "")
        done = 0
        for sha, size in blobs:
            if not (store.has(sha) and store.path_for(sha).stat().st_size == size):
                with source.open(f"files/{sha[:2]}/{sha[2:4]}/{sha}") as fin:
                    _store_stream(store, fin, sha, src)
            report.files += 1
            report.bytes += size
            done += size
            progress(done, total, sha[:12])
        # The database last: the folder becomes an archive only when it is complete.
        tmp = target / (DB_NAME + PARTIAL)
        with source.open(DB_NAME) as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
            fout.flush()
            os.fsync(fout.fileno())
        got = read_revision(tmp) or ""
        if got != report.schema:
            tmp.unlink()
            raise BadInput(f"备份的数据库与说明文件不符：{src}",
                           f"the backup's database does not match its manifest: {src}")
        if db_url:
            try:
                report.migrated = _load_onto_server(tmp, target, db_url)
            finally:
                tmp.unlink(missing_ok=True)
        else:
            for extra in (DB_NAME + "-wal", DB_NAME + "-shm"):
                (target / extra).unlink(missing_ok=True)
            os.replace(tmp, target / DB_NAME)
            fsync_dir(target)
    finally:
        source.close()
    _finish(report, target, db_url=db_url)
    return report


def _upgraded_copy(db_file: Path) -> tuple[Engine, bool]:
    """An engine on `db_file` (a scratch copy) brought to the schema head; migrated?"""
    engine = make_engine(sqlite_url(db_file))
    before = migrate.current_revision(engine)
    if before != migrate.head_revision():
        migrate.upgrade(engine)
    return engine, before != migrate.head_revision()


def _load_onto_server(db_file: Path, target: Path, db_url: str) -> bool:
    """The rows of the SQLite database `db_file` (a scratch copy: it is migrated) into the
    empty database at `db_url`; server.json written last. Returns whether it migrated."""

    url = server.normalize_url(db_url)
    source, migrated = _upgraded_copy(db_file)
    dest = make_engine(url)
    try:
        server.check_reachable(dest)
        tables = server.user_tables(dest)
        if tables:
            raise BadInput(
                f"数据库 {server.redact(url)} 不是空的（已有 {len(tables)} 个表），不会覆盖；请用一个空数据库",
                f"the database {server.redact(url)} is not empty ({len(tables)} tables); "
                "it is not overwritten; give an empty database",
            )
        migrate.upgrade(dest)
        load_into(source, dest)
        archive_id = server.new_archive_id()
        server.set_archive_id(dest, archive_id)
        server.write_server_file(target, url, archive_id)
    finally:
        source.dispose()
        dest.dispose()
    return migrated


def _check_schema(rev: str, src: Path) -> None:
    if rev and rev != migrate.head_revision() and rev not in migrate.known_revisions():
        raise SchemaTooNew(
            f"此备份由更新版本的 Evidence Desk 生成（结构版本 {rev}），请升级本程序后再恢复；未作任何改动",
            f"this backup was made by a newer Evidence Desk (schema {rev}); upgrade this "
            f"program to restore it; nothing was changed",
        )


def _store_stream(store: FileStore, fin: BinaryIO, sha: str, src: Path) -> None:
    """Put the content of `fin` into the store under `sha` (temporary name, fsync, hash
    check, rename), refusing content that does not match its name."""
    store.staging.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=store.staging, prefix="tmp-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fout:
            actual = _copy_hashing(fin, fout)
            fout.flush()
            os.fsync(fout.fileno())
        if actual != sha:
            raise BadInput(
                f"备份中的文件已损坏（校验值不符）：{sha[:12]}…（{src}）",
                f"a file in the backup is corrupt (sha256 mismatch): {sha[:12]}… ({src})",
            )
        dest = store.path_for(sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        if tmp.exists():
            os.chmod(tmp, stat.S_IWUSR | stat.S_IRUSR)
            tmp.unlink()
        raise


def restore_database(
    backup_file: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    db_url: str | None = None,
) -> RestoreReport:
    """Put a database backup (`backups/archive-*.sqlite3`) back as the database of the
    archive in `target`. The database it replaces is kept beside it, renamed, never deleted.
    The stored files stay; files stored after the backup show up as orphans that
    `verify --repair` adopts into the inbox. For a server archive see the module docstring
    (`db_url` gives the URL with its password, as for `Archive.open`)."""
    backup_file = Path(backup_file).expanduser().absolute()
    target = Path(target).expanduser().absolute()
    try:
        rev = read_revision(backup_file)
    except NotAnArchive as e:
        raise BadInput(f"不是档案库数据库备份：{backup_file}", f"not an archive database backup: {backup_file}") from e
    _check_schema(rev or "", backup_file)
    if not (target / "files").is_dir():
        raise NotAnArchive(
            f"目标不是档案库文件夹（缺少 files/），请用完整备份恢复：{target}",
            f"the target is not an archive folder (no files/); restore a full backup instead: {target}",
        )
    if (target / SERVER_FILE).is_file():
        return _restore_server_database(backup_file, target, rev or "", db_url)
    report = RestoreReport(archive=str(target), schema=rev or "")
    # Never swap the database under an open window: hold the window lock meanwhile.
    lock = WindowLock.acquire(target / LOCK_NAME)
    try:
        _swap_database(backup_file, target, report)
    finally:
        lock.release()
    _finish(report, target)
    return report


def _restore_server_database(backup_file: Path, target: Path, rev: str, db_url: str | None) -> RestoreReport:
    report = RestoreReport(archive=str(target), schema=rev)
    with Archive.open(target, db_url=db_url, daily_backup=False) as archive:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = archive.backups_dir / f"replaced-{stamp}-{DB_NAME}"
        kept.parent.mkdir(exist_ok=True)
        archive.snapshot_to(kept)
        report.replaced_database = str(kept)
        work = Path(tempfile.mkdtemp(prefix="evidence-restore-"))
        try:
            scratch = work / DB_NAME
            shutil.copyfile(backup_file, scratch)
            source, report.migrated = _upgraded_copy(scratch)
            try:
                load_into(source, archive.engine, replace=True)
            finally:
                source.dispose()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        assert archive.server is not None  # the target has a server.json (the caller checked)
        server.set_archive_id(archive.engine, archive.server.archive_id)
    _finish(report, target, db_url=db_url)
    return report


def _swap_database(backup_file: Path, target: Path, report: RestoreReport) -> None:
    tmp = target / (DB_NAME + PARTIAL)
    shutil.copyfile(backup_file, tmp)
    _fsync_file(tmp)
    db = target / DB_NAME
    if db.exists():
        # Fold the old database's WAL into it so the kept copy is one complete file.
        try:
            checkpoint_sqlite(db)
        except Exception:  # noqa: BLE001 - a damaged database: keep it as it is
            pass
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = target / "backups" / f"replaced-{stamp}-{DB_NAME}"
        kept.parent.mkdir(exist_ok=True)
        os.replace(db, kept)
        for extra in ("-wal", "-shm"):
            side = target / (DB_NAME + extra)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + extra))
        report.replaced_database = str(kept)
    os.replace(tmp, db)
    fsync_dir(target)


def _finish(report: RestoreReport, target: Path, *, db_url: str | None = None) -> None:
    before = report.schema
    with Archive.open(target, db_url=db_url) as archive:
        report.migrated = report.migrated or (bool(before) and before != migrate.head_revision())
        result = verify_archive(archive)
        report.verify_ok = result.ok
        report.verify_problems = result.as_dict()["problems"]
        with archive.sessions.read() as s:
            report.files = report.files or len(s.scalars(select(Blob.id)).all())
        _log(archive, "restore", {"archive": str(target), "verify_ok": result.ok})


__all__ = [
    "BackupReport",
    "RestoreReport",
    "backup_archive",
    "restore_archive",
    "restore_database",
]
