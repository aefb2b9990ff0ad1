"""Ingest: files and folder trees into the archive, each content stored exactly once.

For every file: skip it with a reason (empty, lock/temp file, unreadable), or store it
(`FileStore.store`: copy + hash + fsync + rename), then record it. New content becomes a new
evidence item (status "received"); content already in the archive is reported as a
duplicate of the item that has it, and linked to the requested indicator too, never stored
twice. Rows are committed in batches, each only after its files are in place, so a crash
or a cancel leaves whole items (and at worst an orphan file `verify` reports).
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnDefault, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage.catalogue.departments import get_or_create_department
from storage.catalogue.queries import indicator_by_code
from storage.core import audit
from storage.core.archive import Archive
from storage.core.db import insert_ignoring_duplicates, insert_returning_ids, insert_rows, is_disk_full
from storage.core.filestore import SourceChanged, Staged, Stored, StoreRun
from storage.kernel.errors import BadInput
from storage.kernel.filters import excluded_by
from storage.kernel.gcpause import gc_frozen
from storage.kernel.names import readable_name, readable_path
from storage.kernel.paths import display_path, link_target_inside, long_path
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.kernel.text import find_doc_number
from storage.models import Blob, Evidence, EvidenceFile, EvidenceIndicator, utcnow

# The evidence columns' scalar defaults ("" for issuing_body, notes …): the driver-level
# executemany below does not apply SQLAlchemy's Python-side defaults by itself.
_EVIDENCE_DEFAULTS = {c.name: c.default.arg for c in Evidence.__table__.c
                      if isinstance(c.default, ColumnDefault) and c.default.is_scalar}

BATCH_SECONDS = 1.0
BATCH_ITEMS = 500
STORE_THREADS = 3
STORE_AHEAD = 4  # files submitted per storing thread ahead of the one being recorded

# Outcomes, as they appear in reports and --json.
STORED = "stored"
DUPLICATE = "duplicate"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass(frozen=True)
class IngestItem:
    path: str
    outcome: str  # stored | duplicate | skipped | failed
    reason: str = ""  # Chinese, then English in brackets
    sha256: str = ""
    size: int = 0
    evidence_id: int | None = None
    attention: bool = False  # a skip the clerk should look at (a FIFO, device, socket)


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def problems(self) -> int:
        """Files that failed, or were skipped for a reason the clerk should see (special
        files): the command line exits 1 when there are any."""
        return sum(1 for i in self.items if i.outcome == FAILED or i.attention)

    @property
    def bytes_stored(self) -> int:
        return sum(i.size for i in self.items if i.outcome == STORED)

    def as_dict(self) -> dict:
        return {
            "stored": self.count(STORED),
            "duplicates": self.count(DUPLICATE),
            "skipped": self.count(SKIPPED),
            "failed": self.count(FAILED),
            "bytes_stored": self.bytes_stored,
            "cancelled": self.cancelled,
            "items": [i.__dict__ for i in self.items],
        }


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class WalkedLink(type(Path())):  # type: ignore[misc]  # PosixPath or WindowsPath
    """A symbolic link met while walking a folder: reported, never followed (it could point
    anywhere, /etc/shadow included, and what it points to would go into the bundle).
    `inside`: the file it points to below the folder walked, when it does (that file is
    ingested itself, so the link needs no following), else ""."""

    inside: str = ""


def iter_files(paths: Iterable[Path], *, leave_out: Path | None = None) -> Iterator[Path]:
    """Every regular file under `paths`, in a stable order; symlinked folders not followed,
    symlinked files yielded as WalkedLink (reported, not read). The folder `leave_out` (the
    archive itself, when it sits inside a folder being ingested) is not entered."""
    for p in paths:
        if not p.is_dir():  # a file, or a special file that _store_one reports as skipped
            yield p
            continue
        for dirpath, dirnames, filenames in os.walk(long_path(p)):
            dirpath = display_path(dirpath)  # Windows: walked as "\\?\…", recorded as written
            if leave_out is not None:
                dirnames[:] = [d for d in dirnames if Path(dirpath, d) != leave_out]
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if os.path.islink(long_path(path)):
                    link = WalkedLink(path)
                    link.inside = link_target_inside(long_path(path), long_path(p)) or ""
                    yield link
                else:
                    yield path


def _skip_reason(path: Path, size: int) -> str:
    pattern = excluded_by(path.name)
    if pattern:
        return f"临时文件或锁文件（{pattern}），不作为佐证材料 (lock or temp file, not evidence)"
    if size == 0:
        return "空文件（0 字节），已跳过 (empty file, 0 bytes, skipped)"
    return ""


def ingest_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    department: str | None = None,
    indicator_code: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> IngestReport:
    """Store and record every file under `paths`. See the module docstring.

    Raises BadInput before anything is written when a path does not exist or the
    indicator code is unknown. Cancelling stops between files, after committing the ones
    already stored; the report then has `cancelled` set.
    """
    with gc_frozen():
        return _ingest_paths(archive, paths, department=department, indicator_code=indicator_code,
                             progress=progress, cancel=cancel)


def _ingest_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    department: str | None,
    indicator_code: str | None,
    progress: ProgressFn,
    cancel: CancelFn,
) -> IngestReport:
    paths = list(paths)
    if any(not os.fspath(p).strip() for p in paths):
        raise BadInput(
            "要导入的路径是空的（空字符串）；请写出文件或文件夹的路径",
            "a path to ingest is empty (an empty string); give the path of a file or folder",
        )
    roots = [Path(p).expanduser().absolute() for p in paths]
    for r in roots:
        if not r.exists():
            raise BadInput(f"找不到要导入的路径：{r}", f"path to ingest not found: {r}")
        if not os.access(r, os.R_OK):
            raise BadInput(f"没有读取权限：{r}", f"no permission to read: {r}")
    if not roots:
        raise BadInput("没有指定要导入的文件或文件夹", "no file or folder given to ingest")
    for r in roots:
        if _inside(r, archive.root):
            raise BadInput(
                f"不能导入档案库自身的文件：{r}", f"cannot ingest the archive's own files: {r}"
            )

    with archive.sessions.read() as s:
        indicator_id = indicator_by_code(s, indicator_code) if indicator_code else None

    files = list(iter_files(roots, leave_out=archive.root))
    total = len(files)
    report = IngestReport()
    progress(0, total, "")

    session = archive.sessions.new_write_session()
    disk_full: BadInput | None = None
    uncommitted: list[Stored | Staged] = []  # stored files whose rows are not committed yet
    batch: list[tuple[Stored | Staged, Path, float]] = []
    run = archive.files.run()
    stream: Iterator[object] | None = None
    # One batch at a time is placed (made durable under its hash names) on this thread while
    # the next batch is copied; its rows are recorded when the next batch is handed over.
    placer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="place")
    placing: list[tuple[Future[list[Stored]], list[tuple[Stored | Staged, Path, float]], list[int]]] = []
    try:
        dept_id = get_or_create_department(session, department).id if department else None
        session.commit()  # do not hold the write lock while the first files copy
        last_commit = time.monotonic()
        slots: list[int] = []  # where each batched file's item goes in report.items


        def record_and_commit(last: bool = False) -> None:
            """Hand the batch over to be placed, and record and commit the one placed
            before it (its files are durable under their hash names by now); with `last`,
            wait for this batch too and record it."""
            done = _placed(placing, uncommitted, batch)
            if batch:
                placing.append((placer.submit(_place, archive, run, [st for st, _, _ in batch]), batch[:], slots[:]))
                batch.clear()
                slots.clear()
            if last:
                done += _placed(placing, uncommitted, batch)
            for placed, moved, moved_slots in done:
                rows = [(st, path, mtime) for st, (_, path, mtime) in zip(placed, moved, strict=True)]
                for slot, item in zip(moved_slots, record_batch(session, rows, dept_id, indicator_id), strict=True):
                    report.items[slot] = item
            archive.files.sync()
            session.commit()
            uncommitted.clear()

        named = frozenset(r for r in roots if not r.is_dir())   # files the clerk named, not walked
        stream = _store_ahead(run, files, cancel, named)
        for n, (path, staged) in enumerate(stream, start=1):
            if isinstance(staged, BadInput):
                disk_full = staged
                continue  # the copies already under way still arrive: they get their rows
            if isinstance(staged, IngestItem):
                report.items.append(staged)
            else:
                stored, mtime = staged
                slots.append(len(report.items))
                report.items.append(IngestItem(readable_path(path), STORED, "", stored.sha256, stored.size))
                batch.append((stored, path, mtime))
            if batch and (
                len(batch) >= BATCH_ITEMS or time.monotonic() - last_commit >= BATCH_SECONDS
            ):
                record_and_commit()
                last_commit = time.monotonic()
            progress(n, total, readable_name(path.name))
        record_and_commit(last=True)
        if len(report.items) < total and disk_full is None:
            report.cancelled = True
    except SQLAlchemyError as e:
        session.rollback()
        _stop(stream)
        _placed(placing, uncommitted, batch, failed=True)
        if not is_disk_full(e):
            raise
        # The rows of this batch were not written: take its new files out of the store
        # again (no orphans for verify); a re-run stores and records them once.
        _discard_unrecorded(archive, run, [*uncommitted, *(st for st, _, _ in batch), *run.unfinished])
        raise _disk_full(archive) from e
    except BaseException:
        session.rollback()
        _stop(stream)
        _placed(placing, uncommitted, batch, failed=True)
        # whatever stopped it, files whose rows were not committed leave no orphans
        # (a copy still in flight at this moment may: verify --repair adopts it)
        _discard_unrecorded(archive, run, [*uncommitted, *(st for st, _, _ in batch), *run.unfinished])
        raise
    finally:
        placer.shutdown(wait=True)
        session.close()
        run.close()
    if disk_full is not None:
        raise disk_full
    return report


def _placed(
    placing: list[tuple[Future[list[Stored]], list[tuple[Stored | Staged, Path, float]], list[int]]],
    uncommitted: list[Stored | Staged],
    batch: list[tuple[Stored | Staged, Path, float]],
    *,
    failed: bool = False,
) -> list[tuple[list[Stored], list[tuple[Stored | Staged, Path, float]], list[int]]]:
    """Wait for the batch being placed: (its Stored files, its batch entries, its report
    slots), its files counted as uncommitted. When the place failed, its entries go back
    into `batch` for the clean-up and the error is raised (not with `failed`: already
    cleaning up after another error)."""
    done = []
    while placing:
        fut, moved, slots = placing.pop(0)
        try:
            placed = fut.result()
        except BaseException:
            batch[:0] = moved
            if failed:
                continue
            raise
        uncommitted.extend(placed)
        done.append((placed, moved, slots))
    return done


def _stop(stream: Iterator[object] | None) -> None:
    """Stop the storing threads after an error (`_store_ahead`: copies not started are
    cancelled, staged ones removed) before the run's files are cleaned up."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


def _store_ahead(
    run: StoreRun, files: list[Path], cancel: CancelFn, named: frozenset[Path] = frozenset()
) -> Iterator[tuple[Path, IngestItem | tuple[Stored | Staged, float] | BadInput]]:
    """Store files on a few threads, a bounded window ahead, yielding results in order.

    Copying and hashing release the GIL, so storing overlaps with recording rows on the
    caller's thread. Cancelling stops submitting; what is in flight is finished and
    yielded (it is already in the store, or staged, and gets its row). When the caller
    stops reading (an error while recording), the copies not started are cancelled and the
    staged copies of the ones that were running are removed (never placed, never recorded).
    """
    window = STORE_THREADS * STORE_AHEAD
    with ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="store") as pool:
        queue: deque[tuple[Path, Future]] = deque()
        try:
            yield from _in_order(run, pool, queue, iter(files), window, cancel, named)
        except GeneratorExit:
            for _, f in queue:
                f.cancel()
            for _, f in queue:
                if not f.cancelled():
                    r = f.result()
                    if isinstance(r, tuple):
                        run.drop([r[0]])
            raise


def _in_order(
    run: StoreRun, pool: ThreadPoolExecutor, queue: deque[tuple[Path, Future]], it: Iterator[Path],
    window: int, cancel: CancelFn, named: frozenset[Path],
) -> Iterator[tuple[Path, IngestItem | tuple[Stored | Staged, float] | BadInput]]:
    """`_store_ahead`'s loop: submit up to `window` files ahead of the one yielded."""
    stopped = False
    while True:
        while not stopped and len(queue) < window:
            if cancel():
                stopped = True
                break
            path = next(it, None)
            if path is None:
                stopped = True
                break
            queue.append((path, pool.submit(_store_one, run, path, path in named)))
        if not queue:
            return
        path, fut = queue.popleft()
        result = fut.result()
        yield path, result
        if isinstance(result, BadInput):
            stopped = True
            for _, f in queue:
                f.cancel()
            # results of copies already running are stored files; record them too
            while queue:
                p, f = queue.popleft()
                if not f.cancelled():
                    r = f.result()
                    if not isinstance(r, BadInput):
                        yield p, r
            return


def _store_one(run: StoreRun, path: Path, named: bool = True) -> IngestItem | tuple[Stored | Staged, float] | BadInput:
    """Stat, filter and store one file (runs on a worker thread; touches no session)."""
    if isinstance(path, WalkedLink):
        if path.inside:
            return IngestItem(
                readable_path(path), SKIPPED,
                f"是符号链接，指向本文件夹内的 {path.inside}，该文件已直接导入，不重复读取 "
                f"(a symbolic link to {path.inside} in the same folder, which is ingested itself)",
            )
        return IngestItem(
            readable_path(path), SKIPPED,
            "是指向别处的快捷方式（符号链接），为安全起见不跟随读取，已跳过；如需要，请直接导入它指向的文件 "
            "(a symbolic link inside the folder: not followed; ingest the file it points to directly)",
            attention=True,
        )
    try:
        # a walked file is looked at without following a link swapped in since the walk:
        # the store refuses a link (ELOOP, reported below) instead of reading it
        st = os.stat(long_path(path)) if named else os.lstat(long_path(path))
    except OSError as e:
        return IngestItem(readable_path(path), FAILED, f"无法读取：{e.strerror} (cannot read: {e.strerror})")
    special = None if stat.S_ISLNK(st.st_mode) else _special_kind(st.st_mode)
    if special:
        zh, en = special
        return IngestItem(
            readable_path(path), SKIPPED,
            f"不是普通文件（{zh}），不能作为佐证材料，已跳过 (not a regular file: {en}; skipped)",
            attention=True,
        )
    reason = _skip_reason(path, st.st_size)
    if reason:
        return IngestItem(readable_path(path), SKIPPED, reason, size=st.st_size)
    try:
        # a file the clerk named is read as named; one found by walking a folder is never
        # read through a link, even one swapped in after the walk looked at it
        return run.stage(path, follow_links=named, looked=st), st.st_mtime
    except SourceChanged:
        return IngestItem(
            readable_path(path), FAILED,
            "文件在复制过程中发生变化（可能仍在写入），请稍后重试 (file changed while being copied; try again later)",
        )
    except PermissionError as e:
        return IngestItem(readable_path(path), FAILED, f"没有读取权限：{e.strerror} (permission denied)")
    except FileNotFoundError:
        return IngestItem(readable_path(path), FAILED, "文件在导入前已被删除 (file vanished before it was stored)")
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):  # the archive's disk, not the source
            return _disk_full(run.store.root.parent)
        return IngestItem(readable_path(path), FAILED, f"无法读取：{e.strerror} (cannot read: {e.strerror})")


def _special_kind(mode: int) -> tuple[str, str] | None:
    """(Chinese, English) name of a special file's kind, None for a regular file. Opening a
    FIFO would block and a device would read forever: neither is ever opened."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "命名管道", "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件", "a device file"
    if stat.S_ISDIR(mode):
        return "文件夹", "a folder"
    return "特殊文件", "a special file"


def _disk_full(archive: Archive | Path) -> BadInput:
    root = archive.root if isinstance(archive, Archive) else archive
    return BadInput(
        f"档案库所在磁盘已满，导入已停止（已存档的文件保留）：{root}；"
        "请腾出磁盘空间后再导入一次，已存档的文件不会重复",
        f"the archive's disk is full; ingest stopped (files stored so far are kept): "
        f"{root}; free some space and run the ingest again: files already stored "
        "are not stored twice",
    )


def _place(archive: Archive, run: StoreRun, items: list[Stored | Staged]) -> list[Stored]:
    """A batch's staged copies under their hash names, durably (`StoreRun.place`), before
    its rows are recorded; a failed sync or a full disk becomes a message for the clerk."""
    try:
        return run.place(items)
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(archive) from e
        raise BadInput(
            f"写入档案库所在磁盘失败，导入已停止（已存档的文件保留）：{archive.root}（{e.strerror}）；"
            "请检查磁盘后再导入一次，已存档的文件不会重复",
            f"writing to the archive's disk failed; ingest stopped (files stored so far are kept): "
            f"{archive.root} ({e.strerror}); check the disk and run the ingest again: files "
            "already stored are not stored twice",
        ) from e


def _discard_unrecorded(archive: Archive, run: StoreRun, stored: list[Stored | Staged]) -> None:
    """Remove files this run put in the store whose rows were never committed, unless a
    row (another writer's) now points at the same content, and staged copies never placed."""
    run.drop(stored)
    created = {st.sha256 for st in stored if isinstance(st, Stored) and st.created}
    if not created:
        return
    try:
        with archive.sessions.read() as s:
            kept = set(s.scalars(select(Blob.sha256).where(Blob.sha256.in_(sorted(created)))).all())
    except SQLAlchemyError:
        return  # cannot tell: leave them for verify --repair to adopt
    for sha in created - kept:
        archive.files.discard(sha)


def record_batch(
    session: Session,
    batch: list[tuple[Stored, Path, float]],
    dept_id: int | None,
    indicator_id: int | None,
) -> list[IngestItem]:
    """Record files that are already in the store, in order: each a new evidence item, or
    a duplicate of the item that holds the same content (linked to `indicator_id` too).

    Plain multi-row INSERTs (with RETURNING, on SQLite and PostgreSQL alike) and audit rows
    written alongside, in the caller's transaction: the ORM's per-object flush costs more
    than the copy of a small file.
    """
    # Names of any bytes (GBK on a UTF-8 share, invalid UTF-8) are recorded in their
    # readable form: the database, the audit log and JSON output take only valid text.
    batch = [(st, Path(readable_path(path)), mtime) for st, path, mtime in batch]
    session.flush()
    conn = session.connection()
    now = utcnow()
    # Blob rows first, INSERT … ON CONFLICT DO NOTHING in sha order: when another seat
    # stores the same content at the same moment, this waits for its transaction and keeps
    # its row (no unique-key failure, no second row); sorted, two batches never deadlock.
    sizes = {st.sha256: st.size for st, _, _ in batch}
    shas = sorted(sizes)
    blob_ids: dict[str, int] = {}
    for i in range(0, len(shas), 500):
        chunk = shas[i : i + 500]
        blob_ids.update(conn.execute(select(Blob.sha256, Blob.id).where(Blob.sha256.in_(chunk))).all())
    new_blobs = [{"sha256": sha, "size": sizes[sha], "stored_at": now} for sha in shas if sha not in blob_ids]
    if new_blobs:
        stmt = insert_ignoring_duplicates(conn.dialect.name, Blob.__table__, "sha256")
        got = conn.execute(stmt.returning(Blob.id, Blob.sha256), new_blobs).all()
        mine = {sha for _, sha in got}
        blob_ids.update({sha: bid for bid, sha in got})
        raced = [b["sha256"] for b in new_blobs if b["sha256"] not in mine]
        if raced:  # another writer committed these meanwhile: use its rows
            blob_ids.update(conn.execute(select(Blob.sha256, Blob.id).where(Blob.sha256.in_(raced))).all())
        new_blobs = [b for b in new_blobs if b["sha256"] in mine]
    # Who already holds each content: read after the blob rows are settled, so an item a
    # racing writer committed is seen here and this content becomes its duplicate.
    owner: dict[str, tuple[int, str]] = {}  # sha -> (evidence id, title) already holding it
    made = {b["sha256"] for b in new_blobs}
    known = [bid for sha, bid in blob_ids.items() if sha not in made]
    if known:
        by_blob = {v: k for k, v in blob_ids.items()}
        for i in range(0, len(known), 500):
            first_file = (
                select(EvidenceFile.blob_id, func.min(EvidenceFile.evidence_id).label("eid"))
                .where(EvidenceFile.blob_id.in_(known[i : i + 500]))
                .group_by(EvidenceFile.blob_id)
                .subquery()
            )
            for bid, eid, title in conn.execute(
                select(first_file.c.blob_id, first_file.c.eid, Evidence.title).join(
                    Evidence, Evidence.id == first_file.c.eid
                )
            ):
                owner[by_blob[bid]] = (eid, title)

    items: list[IngestItem | None] = [None] * len(batch)
    fresh: list[tuple[int, Stored, Path, float]] = []
    claimed: set[str] = set()
    for n, (st, path, mtime) in enumerate(batch):
        if st.sha256 in owner or st.sha256 in claimed:
            continue
        claimed.add(st.sha256)
        fresh.append((n, st, path, mtime))

    ev_rows = [
        {
            "title": path.stem.strip() or path.name,
            "doc_number": find_doc_number(path.stem),
            "department_id": dept_id,
            "status": "received",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for _, _, path, _ in fresh
    ]
    if ev_rows:
        # one executemany inside this write transaction (ids after max(id) on SQLite, which
        # has one writer; RETURNING in parameter order elsewhere): SQLAlchemy sends an
        # INSERT … RETURNING with sort_by_parameter_order row by row on SQLite
        ev_ids = insert_returning_ids(session, Evidence.__table__, [{**_EVIDENCE_DEFAULTS, **r} for r in ev_rows])
        file_rows = [
            {
                "evidence_id": eid,
                "blob_id": blob_ids[st.sha256],
                "original_name": path.name,
                "source_path": str(path),
                "source_mtime": dt.datetime.fromtimestamp(mtime, dt.UTC).replace(tzinfo=None),
                "revision": 1,
                "is_current": True,
                "added_at": now,
            }
            for eid, (_, st, path, mtime) in zip(ev_ids, fresh)
        ]
        insert_rows(session, EvidenceFile.__table__, file_rows)  # every column given but replaces_id
        audit.log_rows(session, "insert", "evidence", [dict(r, id=i) for r, i in zip(ev_rows, ev_ids)])
        audit.log_rows(session, "insert", "evidence_file", file_rows)
        for eid, (n, st, path, _), row in zip(ev_ids, fresh, ev_rows):
            owner[st.sha256] = (eid, str(row["title"]))
            items[n] = IngestItem(str(path), STORED, "", st.sha256, st.size, eid)
    if new_blobs:
        audit.log_rows(session, "insert", "blob", new_blobs)

    for n, (st, path, _) in enumerate(batch):
        if items[n] is None:
            eid, title = owner[st.sha256]
            items[n] = IngestItem(
                str(path), DUPLICATE,
                f"与已存档的《{title}》（#{eid}）内容相同，未重复存储 "
                f"(same content as evidence #{eid}; not stored twice)",
                st.sha256, st.size, eid,
            )
    if indicator_id is not None:
        for eid in dict.fromkeys(i.evidence_id for i in items if i and i.evidence_id):
            link_indicator(session, eid, indicator_id)
    return [i for i in items if i is not None]


def link_indicator(session: Session, evidence_id: int, indicator_id: int) -> bool:
    """Link evidence to an indicator at the end of its review order; False if linked."""
    exists = session.get(EvidenceIndicator, (evidence_id, indicator_id))
    if exists is not None:
        return False
    last = session.scalar(
        select(func.max(EvidenceIndicator.position)).where(
            EvidenceIndicator.indicator_id == indicator_id
        )
    )
    session.add(
        EvidenceIndicator(
            evidence_id=evidence_id, indicator_id=indicator_id, position=(last or 0) + 1
        )
    )
    session.flush()
    return True


__all__ = ["IngestItem", "IngestReport", "ingest_paths", "iter_files"]
