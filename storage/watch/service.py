"""The folder watcher: plain Python, no Qt, used the same way by the window (through
`desktop.watcher`), by `evidence-desk watch` and by the tests.

How nothing is missed and nothing is taken half-written:
- Events (watchdog: native inotify/ReadDirectoryChangesW for local folders, its polling
  observer for network folders) are only *hints* that a path may have changed. A periodic
  full rescan compares every file's size and mtime with the last scan (ScanEntry), so a
  dropped or overflowed event costs latency, never a file. The first scan after start is the
  catch-up for what changed while the program was closed.
- A changed file becomes a *candidate*. It is taken only when its size and mtime have not
  changed for the folder's settle time, and the copy itself saw no change (FileStore raises
  SourceChanged otherwise). Growing files simply restart their settle time; locked or
  unreadable ones are retried with backoff and, after a few attempts, shown in the inbox as
  failed with the reason. A candidate that vanishes leaves no trace.
- Each folder is supervised: when its root disappears (deleted, or a share dropped) it is
  reported offline and its files are *not* treated as deleted; when it comes back (or was
  replaced by a new folder of the same name, which silently kills watchdog's native emitter)
  the watch is scheduled again and a full rescan runs. When the system's limit of native
  watches is reached the folder falls back to polling, and says so.
- Source files are only ever opened for reading.

One seat at a time: on a server archive (PostgreSQL) several seats share the watched
folders, and only the one holding the archive's watcher lock (`Archive.watcher_lock()`, an
advisory lock in the database) watches; the others wait on standby, report who holds it
(`lock_holder`, `on_error`) and take over when it is released (that seat closed or its
connection dropped). `run_once()` refuses while another seat watches. SQLite archives need
no lock (one window per archive).

Threads: watchdog's threads only put hints on a queue. One worker thread does everything
else, including every database write (one writer; sessions never cross threads). Callbacks
(`on_entries`, `on_folder`, `on_error`) are called from that worker thread.
"""
from __future__ import annotations

import errno
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from storage.catalogue.search import INDEX_STEP, refresh_index
from storage.core.db import is_busy, is_disk_full
from storage.core.filestore import SourceChanged, Stored
from storage.core.server import watcher_busy
from storage.kernel.gcpause import gc_paused
from storage.kernel.names import readable_path
from storage.models import Blob, BlobText, InboxEntry, ScanEntry, WatchedFolder, utcnow
from storage.reading.extract import ReadResult
from storage.reading.pool import shared_pool
from storage.readmodels import FolderInfo, FolderStatus, InboxItem
from storage.watch.extract import deferred
from storage.watch.folders import folder_info, full_path, not_regular, relpath_of, scan_tree, wanted
from storage.watch.inbox import (
    NewFile,
    blob_for,
    blob_ids_for,
    forget_failure,
    list_inbox,
    record_failure,
    record_file,
    record_new_files,
)
from storage.watch.suggest import SuggestContext, warm_up
from storage.watch.zips import ZipRefused, is_other_archive, unpack

if TYPE_CHECKING:  # watchdog loads when the first folder is watched
    from watchdog.observers.api import BaseObserver, ObservedWatch

T = TypeVar("T")

RESCAN_S = 300.0            # full rescan of each folder (events are only hints)
SUPERVISE_S = 2.0           # how often a folder's root and its emitter are checked
FAIL_AFTER = 4              # attempts before a failing file shows in the inbox
MAX_BACKOFF_S = 300.0
BATCH_FILES = 200           # files recorded per database transaction
STORE_THREADS = 4           # files copied into the store at once
LOCK_RETRY_S = 30.0         # standby seat: how often it tries to take the watcher lock
LOCK_CHECK_S = 15.0         # holder: how often it checks its lock connection still stands


@dataclass
class _Candidate:
    size: int
    mtime_ns: int
    since: float            # monotonic time the current (size, mtime) was first seen
    due: float              # when to look at it again
    attempts: int = 0
    reason: str = ""


@dataclass
class _Folder:
    info: FolderInfo
    cache: dict[str, tuple[int, int, int | None]] = field(default_factory=dict)  # rel -> size, mtime, blob
    watch: ObservedWatch | None = None
    observer: BaseObserver | None = None
    root_id: tuple[int, int] | None = None
    online: bool = True
    mode: str = "native"
    note: str = ""
    next_rescan: float = 0.0
    next_supervise: float = 0.0
    last_scan: float | None = None  # monotonic start of the last full scan in this process
    skipped: dict[str, str] = field(default_factory=dict)  # rel -> reason, links/special files shown


@dataclass
class WatchStats:
    taken: int = 0
    unchanged: int = 0      # same content at the same path again: nothing new
    failures: int = 0
    vanished: int = 0
    skipped: int = 0        # links and special files shown in the inbox, never read
    rescans: int = 0
    reschedules: int = 0
    pending_candidates: int = 0


def save_scan_entries(s: Session, scans: dict[tuple[int, str], dict[str, Any]]) -> None:
    """Record what was seen of each (folder id, relpath): UPDATE the rows that exist, INSERT
    the others, each as one multi-row statement (bookkeeping: no audit rows, as before)."""
    by_folder: dict[int, list[str]] = {}
    for fid, rel in scans:
        by_folder.setdefault(fid, []).append(rel)
    old: set[tuple[int, str]] = set()
    for fid, rels in by_folder.items():
        for i in range(0, len(rels), 500):
            old.update((fid, r) for r in s.scalars(select(ScanEntry.relpath).where(
                ScanEntry.watched_folder_id == fid, ScanEntry.relpath.in_(rels[i:i + 500]))))
    conn = s.connection()
    ups = [dict(v, b_fid=k[0], b_rel=k[1]) for k, v in scans.items() if k in old]
    if ups:
        conn.execute(update(ScanEntry.__table__).where(
            ScanEntry.__table__.c.watched_folder_id == bindparam("b_fid"),
            ScanEntry.__table__.c.relpath == bindparam("b_rel")), ups)
    new = [dict(v, watched_folder_id=k[0], relpath=k[1]) for k, v in scans.items() if k not in old]
    if new:
        conn.execute(insert(ScanEntry.__table__), new)


class _Hints:
    """watchdog handler: every event becomes a path on the queue, nothing more."""

    def __init__(self, q: queue.Queue) -> None:
        self.q = q

    def dispatch(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        src = os.fsdecode(event.src_path)
        self.q.put(("path", src, event.is_directory))
        dest = getattr(event, "dest_path", "")
        if dest:
            self.q.put(("path", os.fsdecode(dest), event.is_directory))


class WatchService:
    """Watches every enabled watched folder of an archive and feeds the inbox.

    Use `start()`/`stop()` for live watching (a background worker thread), or `run_once()`
    to scan, wait for files to settle, take them and return (the CLI's `watch --once`).

    Attributes:
        stats: counters, for the status line and the tests.
    Callbacks (called on the worker thread; keep them quick):
        on_entries(list[InboxItem]): entries created or updated by one batch.
        on_folder(FolderStatus): a folder went offline, came back, changed mode.
        on_error(str): an unexpected error the worker survived.
    """

    def __init__(
        self,
        archive,
        *,
        on_entries: Callable[[list[InboxItem]], None] | None = None,
        on_folder: Callable[[FolderStatus], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        rescan_seconds: float = RESCAN_S,
        supervise_seconds: float = SUPERVISE_S,
        observers: bool = True,
        fail_after: int = FAIL_AFTER,
        backoff_seconds: float = 2.0,
        write: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> None:
        self.archive = archive
        self.write = write or (lambda fn: fn())
        self.on_entries = on_entries or (lambda items: None)
        self.on_folder = on_folder or (lambda st: None)
        self.on_error = on_error or (lambda msg: None)
        self.rescan_seconds = rescan_seconds
        self.supervise_seconds = supervise_seconds
        self.use_observers = observers
        self.fail_after = fail_after
        self.backoff_seconds = backoff_seconds
        self.stats = WatchStats()
        self._hints: queue.Queue = queue.Queue()
        self._handler = _Hints(self._hints)
        self._folders: dict[int, _Folder] = {}
        self._cands: dict[tuple[int, str], _Candidate] = {}
        self._native: BaseObserver | None = None
        self._pollers: dict[float, BaseObserver] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._next_reload = 0.0
        self._work_dir = Path(archive.root) / "files" / ".incoming"
        self._lock = archive.watcher_lock() if hasattr(archive, "watcher_lock") else None
        self._next_lock_check = 0.0
        self.lock_retry_seconds = LOCK_RETRY_S
        self.lock_holder = ""  # who watches instead of this seat (standby), else ""
        # settle clock from the file's mtime after a late sighting (see _consider); False
        # restores the older count-from-sighting behaviour (benchmarks/watch_latency.py)
        self.settle_from_mtime = True

    def _write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn(session)` in one write transaction on the one writer: in the window that is
        the task runner's writer thread (the `write` given to the constructor), on the
        command line this thread."""
        def run() -> T:
            with self.archive.sessions.write() as s:
                return fn(s)

        return self.write(run)

    # -- public -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="evidence-desk-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the worker and every observer, and wait for their threads to end."""
        self._stop.set()
        self._hints.put(("wake", "", False))
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._stop_observers()
        if self._lock is not None:
            self._lock.release()

    @property
    def watching(self) -> bool:
        """True while this process holds the right to watch (always, on SQLite)."""
        return self._lock is None or self._lock.held

    def _take_lock(self) -> bool:
        """Try once to become the seat that watches; on failure note who does."""
        if self._lock is None or self._lock.try_acquire():
            self.lock_holder = ""
            self._next_lock_check = time.monotonic() + LOCK_CHECK_S
            return True
        holder = self._lock.holder()
        text = str(holder) if holder else "另一台电脑 (another seat)"
        if text != self.lock_holder:
            self.lock_holder = text

            self.on_error(str(watcher_busy(holder)) + "；本机待命，对方关闭后自动接替 "
                          "(this seat stands by and takes over when it stops)")
        return False

    def _wait_for_lock(self) -> bool:
        """Standby until the watcher lock is ours (True) or the service stops (False)."""
        while not self._stop.is_set():
            try:
                if self._take_lock():
                    return True
            except Exception as e:  # noqa: BLE001 - server unreachable: keep trying
                self.on_error(f"无法取得文件夹监视权：{e}")
            self._stop.wait(self.lock_retry_seconds)
        return False

    def _check_lock(self) -> bool:
        """Holder: is the lock still ours? A dropped connection loses it; then stand by."""
        if self._lock is None or time.monotonic() < self._next_lock_check:
            return True
        self._next_lock_check = time.monotonic() + LOCK_CHECK_S
        if self._lock.alive():
            return True
        self.on_error("与数据库服务器的连接中断，文件夹监视暂停，恢复后自动继续 "
                      "(lost the database connection; watching paused, resumes by itself)")
        self._stop_observers()
        self._folders.clear()
        self._cands.clear()
        if not self._wait_for_lock():
            return False
        self._load_folders()
        return True

    def reload(self) -> None:
        """Re-read the watched folders (after `folders add/remove`)."""
        self._hints.put(("reload", "", False))

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no hint is queued and no candidate is waiting (tests, benchmarks)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self._idle.wait(max(0.0, min(0.5, end - time.monotonic())))
            if self._idle.is_set() and self._hints.empty() and not self._cands:
                return True
            time.sleep(0.05)
        return False

    def run_once(self, *, max_wait: float | None = None) -> dict:
        """Scan every folder (catch-up), take what is stable, and return a summary.

        Files still changing after `max_wait` seconds (default: three settle times) are
        left for the next run, not recorded as failures. On a server archive it refuses
        (ArchiveLocked, naming the holder) while another seat is watching.
        """
        if self._lock is not None and not self._lock.held:
            if not self._lock.try_acquire():
                raise watcher_busy(self._lock.holder())
            try:
                return self._run_once(max_wait)
            finally:
                self._lock.release()
        return self._run_once(max_wait)

    def _run_once(self, max_wait: float | None) -> dict:
        self._load_folders()
        for f in self._folders.values():
            self._rescan(f)
        settle = max((f.info.settle_seconds for f in self._folders.values()), default=2.0)
        end = time.monotonic() + (max_wait if max_wait is not None else settle * 3 + 5)
        while self._cands and time.monotonic() < end:
            self._process_due()
            if self._cands:
                nxt = min(c.due for c in self._cands.values())
                time.sleep(max(0.05, min(0.5, nxt - time.monotonic())))
        left = sorted(full_path(self._folders[fid].info.path, rel) for fid, rel in self._cands
                      if fid in self._folders)
        return {
            "folders": [self._status(f).__dict__ for f in self._folders.values()],
            "taken": self.stats.taken, "failures": self.stats.failures, "skipped": self.stats.skipped,
            "still_changing": left,
        }

    def folder_statuses(self) -> list[FolderStatus]:
        return [self._status(f) for f in list(self._folders.values())]

    # -- worker -------------------------------------------------------------------------------
    def _run(self) -> None:
        if not self._wait_for_lock():
            return
        try:
            self._load_folders()
        except Exception as e:  # noqa: BLE001 - reported; the loop below retries
            self.on_error(f"无法读取监视文件夹：{e}")
        try:
            # the suggestions' memory of every filed item, learnt on a read session before
            # the first batch: that batch (and the window's first acceptance) then applies
            # only what changed inside its write transaction, instead of holding the writer
            # while tens of thousands of items are learnt
            # built without cyclic collections and frozen after: a full collection over the
            # memory's objects held the window's thread for 60-100 ms each time
            with self.archive.sessions.read() as s, gc_paused(freeze_after=True):
                warm_up(s)
        except Exception as e:  # noqa: BLE001 - only a head start; the first batch loads it anyway
            self.on_error(readable_path(f"无法预先读取已归档材料（不影响监视）：{type(e).__name__}: {e}"))
        while not self._stop.is_set():
            try:
                if not self._check_lock():
                    return
                self._step()
            except Exception as e:  # noqa: BLE001 - the watcher must survive and report
                self.on_error(readable_path(f"监视出错：{type(e).__name__}: {e}"))
                self._stop.wait(1.0)

    def _step(self) -> None:
        now = time.monotonic()
        nxt = [now + 5.0, self._next_reload]
        nxt += [c.due for c in self._cands.values()] if len(self._cands) < 5000 else [now + 0.2]
        for f in self._folders.values():
            nxt += [f.next_rescan, f.next_supervise]
        timeout = max(0.0, min(nxt) - now)
        if self._hints.empty() and not any(c.due <= now for c in self._cands.values()):
            self._idle.set()
        try:
            item = self._hints.get(timeout=timeout)
        except queue.Empty:
            item = None
        self._idle.clear()
        items = [item] if item else []
        while len(items) < 20000:
            try:
                items.append(self._hints.get_nowait())
            except queue.Empty:
                break
        if self._stop.is_set():
            return
        paths: dict[str, bool] = {}
        for kind, path, is_dir in items:
            if kind == "reload":
                self._load_folders()
            elif kind == "path":
                paths[path] = paths.get(path, False) or is_dir
        for path, is_dir in paths.items():
            self._hint(path, is_dir)
        now = time.monotonic()
        if now >= self._next_reload:
            self._load_folders()
        for f in list(self._folders.values()):
            if now >= f.next_supervise:
                self._supervise(f)
            if f.online and now >= f.next_rescan:
                self._rescan(f)
        self._process_due()
        self.stats.pending_candidates = len(self._cands)

    # -- folders ------------------------------------------------------------------------------
    def _load_folders(self) -> None:
        self._next_reload = time.monotonic() + 30.0
        with self.archive.sessions.read() as s:
            rows = [r for r in s.scalars(select(WatchedFolder)) if r.enabled]
            infos = {r.id: folder_info(s, r) for r in rows}
            new_ids = [i for i in infos if i not in self._folders]
            caches: dict[int, dict] = {i: {} for i in new_ids}
            if new_ids:
                for fid, rel, size, mtime, blob in s.execute(
                    select(ScanEntry.watched_folder_id, ScanEntry.relpath, ScanEntry.size,
                           ScanEntry.mtime_ns, ScanEntry.blob_id)
                    .where(ScanEntry.watched_folder_id.in_(new_ids))
                ):
                    caches[fid][rel] = (size, mtime, blob)
        for fid in list(self._folders):
            if fid not in infos:
                self._unschedule(self._folders.pop(fid))
                for key in [k for k in self._cands if k[0] == fid]:
                    del self._cands[key]
        for fid, info in infos.items():
            if fid in self._folders:
                old = self._folders[fid]
                if (old.info.mode, old.info.polling_seconds, old.info.path) != (
                        info.mode, info.polling_seconds, info.path):
                    self._unschedule(old)
                    old.info = info
                    old.next_supervise = 0.0
                else:
                    old.info = info
                continue
            f = _Folder(info=info, cache=caches[fid], mode=info.mode)
            self._folders[fid] = f
            f.next_supervise = 0.0
            f.next_rescan = 0.0  # catch-up at start

    def _status(self, f: _Folder) -> FolderStatus:
        return FolderStatus(f.info.id, f.info.path, f.online, f.mode, f.note)

    def _set_online(self, f: _Folder, online: bool, message: str) -> None:
        changed = (f.online != online) or (f.note != message)
        f.online, f.note = online, message
        if not changed:
            return

        def save(s: Session) -> None:
            row = s.get(WatchedFolder, f.info.id)
            if row is not None:
                row.online, row.last_error = online, message

        self._write(save)
        self.on_folder(self._status(f))

    def _supervise(self, f: _Folder) -> None:
        interval = self.supervise_seconds if f.mode == "native" else max(
            self.supervise_seconds, min(f.info.polling_seconds, 30.0))
        f.next_supervise = time.monotonic() + interval
        try:
            st = os.stat(f.info.path)
            ok = os.path.isdir(f.info.path)
        except OSError as e:
            st, ok = None, False
            err = e.strerror or str(e)
        else:
            err = "不是文件夹"
        if not ok or st is None:
            if f.online or f.watch is not None:
                self._unschedule(f)
                self._set_online(f, False, f"文件夹不存在或无法访问（{err}），恢复后自动继续 "
                                           f"(folder offline or missing; resumes by itself)")
            return
        root_id = (st.st_dev, st.st_ino)
        if not self.use_observers:
            if not f.online:
                self._set_online(f, True, "")
                f.next_rescan = 0.0
            return
        alive = self._emitter_alive(f)
        if not f.online or f.watch is None or not alive or root_id != f.root_id:
            if f.root_id is not None:  # watched before: its emitter died or its root changed
                self.stats.reschedules += 1
            self._unschedule(f)
            self._schedule(f, root_id)
            was_offline = not f.online
            self._set_online(f, True, f.note if f.note.startswith("系统") else "")
            if was_offline or f.root_id is not None:
                f.next_rescan = 0.0  # catch up with whatever happened meanwhile

    def _emitter_alive(self, f: _Folder) -> bool:
        if f.watch is None or f.observer is None:
            return False
        for em in list(f.observer.emitters):
            if em.watch == f.watch:
                return em.is_alive()
        return False

    def _observer(self, mode: str, interval: float):
        if mode == "native":
            if self._native is None:
                from watchdog.observers import Observer

                self._native = Observer()
                self._native.daemon = True
                self._native.start()
            return self._native
        obs = self._pollers.get(interval)
        if obs is None:
            from watchdog.observers.polling import PollingObserver

            obs = PollingObserver(timeout=interval)
            obs.daemon = True
            obs.start()
            self._pollers[interval] = obs
        return obs

    def _schedule(self, f: _Folder, root_id: tuple[int, int]) -> None:
        mode = f.mode
        interval = f.info.polling_seconds or 30.0
        try:
            obs = self._observer(mode, interval)
            f.watch = obs.schedule(self._handler, f.info.path, recursive=True)
            f.observer = obs
        except OSError as e:
            if mode == "native" and e.errno in (errno.EMFILE, errno.ENOSPC, errno.ENFILE):
                f.mode = "polling"
                f.note = ("系统文件监视数量已达上限，此文件夹已改用轮询 "
                          "(system limit of native watches reached; polling this folder)")
                obs = self._observer("polling", 30.0)
                f.watch = obs.schedule(self._handler, f.info.path, recursive=True)
                f.observer = obs
                self.on_folder(self._status(f))
            elif e.errno in (errno.ENOENT, errno.ENOTDIR):
                f.watch, f.observer = None, None
                return
            else:
                raise
        f.root_id = root_id

    def _unschedule(self, f: _Folder) -> None:
        if f.watch is not None and f.observer is not None:
            try:
                f.observer.unschedule(f.watch)
            except (KeyError, OSError):
                pass
        f.watch, f.observer = None, None

    def _stop_observers(self) -> None:
        obs = [o for o in [self._native, *self._pollers.values()] if o is not None]
        for o in obs:
            o.stop()
        for o in obs:
            o.join(10)
        self._native = None
        self._pollers = {}
        for f in self._folders.values():
            f.watch, f.observer = None, None

    # -- scanning ----------------------------------------------------------------------------
    def _folder_of(self, path: str) -> tuple[_Folder, str] | None:
        for f in self._folders.values():
            rel = relpath_of(f.info.path, path)
            if rel is not None:
                return f, rel
        return None

    def _hint(self, path: str, is_dir: bool) -> None:
        hit = self._folder_of(path)
        if hit is None:
            return
        f, rel = hit
        if is_dir or os.path.isdir(path):
            if os.path.isdir(path) and not os.path.islink(path):
                # a folder created or moved in: its files raise no events
                skipped: dict[str, str] = {}
                try:
                    found = scan_tree(path, f.info.include, f.info.exclude, skipped)
                except OSError:
                    return
                for sub, (size, mtime) in found.items():
                    self._consider(f, f"{rel}/{sub}", size, mtime)
                self._report_skipped(f, {f"{rel}/{sub}": why for sub, why in skipped.items()})
            return
        if wanted(rel, f.info.include, f.info.exclude):
            return
        try:
            st = os.lstat(path)   # never through a link: it could point outside the share
        except OSError:
            self._vanish(f, rel)
            return
        why = not_regular(st.st_mode, False)
        if why:
            self._cands.pop((f.info.id, rel), None)
            self._report_skipped(f, {rel: why})
            return
        # A polling observer reports a change up to one interval after it happened: the
        # change is known to be newer than the previous poll, no older.
        floor = time.monotonic() - f.info.polling_seconds if f.mode == "polling" else None
        self._consider(f, rel, st.st_size, st.st_mtime_ns, floor)

    def _consider(self, f: _Folder, rel: str, size: int, mtime: int, floor: float | None = None) -> None:
        """Make `rel` a candidate (or restart its settle time when it changed again).

        The settle clock: a file is taken once its size and mtime have stood still for the
        settle time. When the change was seen late (a poll, a rescan), `floor` is the
        monotonic time of the previous look that did not see it, and the file's own mtime
        says when, within (floor, now], the last write happened: the settle time counts from
        there instead of from now, so a poll interval is not added to the settle time. A
        clock that disagrees can only bring the start back to `floor`, never earlier.
        """
        key = (f.info.id, rel)
        seen = f.cache.get(rel)
        if size == 0 or (seen is not None and (seen[0], seen[1]) == (size, mtime)):
            self._cands.pop(key, None)
            return
        now = time.monotonic()
        since = now
        if floor is not None and self.settle_from_mtime:
            age = time.time() - mtime / 1e9
            since = now - max(0.0, min(age, now - floor))
        c = self._cands.get(key)
        if c is None:
            self._cands[key] = _Candidate(size, mtime, since, since + f.info.settle_seconds)
        elif (c.size, c.mtime_ns) != (size, mtime):
            c.size, c.mtime_ns, c.since = size, mtime, max(since, c.since)
            due = c.since + f.info.settle_seconds
            c.due = max(c.due, due) if c.attempts else due

    def _vanish(self, f: _Folder, rel: str) -> None:
        c = self._cands.pop((f.info.id, rel), None)
        if c is not None:
            self.stats.vanished += 1
            if c.attempts >= self.fail_after:
                self._write(lambda s: forget_failure(s, folder_id=f.info.id,
                                                     source_path=readable_path(full_path(f.info.path, rel))))

    def _rescan(self, f: _Folder) -> None:
        started = time.monotonic()
        f.next_rescan = time.monotonic() + (
            self.rescan_seconds if f.mode == "native" else max(self.rescan_seconds, f.info.polling_seconds))
        skipped: dict[str, str] = {}
        try:
            found = scan_tree(f.info.path, f.info.include, f.info.exclude, skipped)
        except OSError as e:
            self._unschedule(f)
            self._set_online(f, False, f"文件夹不存在或无法访问（{e.strerror or e}），恢复后自动继续 "
                                       f"(folder offline or missing; resumes by itself)")
            return
        if not found and len(f.cache) > 0 and f.info.network:
            # An unmounted share often looks like an empty folder: never read that as
            # "every file was deleted" (they would all be copied again on return).
            self._unschedule(f)
            self._set_online(f, False, "共享文件夹为空或未连接，恢复后自动继续 (share empty or not mounted)")
            return
        self.stats.rescans += 1
        floor, f.last_scan = f.last_scan, started
        for rel, (size, mtime) in found.items():
            self._consider(f, rel, size, mtime, floor)
        gone = [rel for rel in f.cache if rel not in found]
        for key in [k for k in self._cands if k[0] == f.info.id and k[1] not in found]:
            self._vanish(f, key[1])
        def forget_gone(s: Session) -> None:
            for i in range(0, len(gone), 500):
                chunk = gone[i:i + 500]
                s.execute(delete(ScanEntry).where(ScanEntry.watched_folder_id == f.info.id,
                                                  ScanEntry.relpath.in_(chunk)))
            # Core statements: bookkeeping, not a change the audit log should list every scan.
            s.execute(update(WatchedFolder).where(WatchedFolder.id == f.info.id).values(last_full_scan=utcnow()))

        self._write(forget_gone)
        for rel in gone:
            del f.cache[rel]
        self._report_skipped(f, skipped, complete=True)
        if not f.online:
            self._set_online(f, True, "")

    def _report_skipped(self, f: _Folder, skipped: dict[str, str], *, complete: bool = False) -> None:
        """Show links and special files in the inbox as skipped, with the reason (a failed
        entry without a stored file: it cannot be accepted, and it is never read). With
        `complete` (a full scan) entries whose link is gone are dropped again."""
        new = {rel: why for rel, why in skipped.items() if f.skipped.get(rel) != why}
        gone = [rel for rel in f.skipped if rel not in skipped] if complete else []
        if not new and not gone:
            return

        def save(s: Session) -> list[int]:
            row = s.get(WatchedFolder, f.info.id)
            ids = []
            for rel, why in new.items():
                src = readable_path(full_path(f.info.path, rel))
                known = s.scalar(select(InboxEntry.id).where(
                    InboxEntry.watched_folder_id == f.info.id, InboxEntry.source_path == src,
                    InboxEntry.from_zip == "", InboxEntry.state == "failed", InboxEntry.reason == why).limit(1))
                if known is not None:   # shown before (an earlier run): nothing new
                    continue
                e = record_failure(s, folder=row, source_path=src, reason=why, attempts=0)
                ids.append(e.id)
            for rel in gone:
                forget_failure(s, folder_id=f.info.id, source_path=readable_path(full_path(f.info.path, rel)))
            return ids

        def listed(s: Session) -> list[InboxItem]:
            return list_inbox(s, state=None, ids=ids)

        ids = self._write(save)
        f.skipped.update(new)
        for rel in gone:
            f.skipped.pop(rel, None)
        self.stats.skipped += len(ids)
        if ids:
            with self.archive.sessions.read() as s:
                items = listed(s)
            self.on_entries(items)

    # -- taking files -----------------------------------------------------------------------
    def _process_due(self) -> None:
        now = time.monotonic()
        due: list[tuple[_Folder, str, _Candidate]] = []
        for (fid, rel), c in list(self._cands.items()):
            if c.due > now:
                continue
            f = self._folders.get(fid)
            if f is None or not f.online:
                continue
            try:
                st = os.lstat(full_path(f.info.path, rel))
            except FileNotFoundError:
                self._vanish(f, rel)
                continue
            except OSError as e:
                self._failed(f, rel, c, f"无法读取文件信息：{e.strerror} (cannot stat: {e.strerror})")
                continue
            if not stat.S_ISREG(st.st_mode):   # replaced by a link or a FIFO meanwhile
                del self._cands[(fid, rel)]
                self._report_skipped(f, {rel: not_regular(st.st_mode, False)})
                continue
            if (st.st_size, st.st_mtime_ns) != (c.size, c.mtime_ns):
                self._consider(f, rel, st.st_size, st.st_mtime_ns)
                continue
            if now - c.since < f.info.settle_seconds:
                c.due = c.since + f.info.settle_seconds
                continue
            due.append((f, rel, c))
            if len(due) >= BATCH_FILES:
                break
        if due:
            self._take(due)

    def _failed(self, f: _Folder, rel: str, c: _Candidate, reason: str) -> None:
        c.attempts += 1
        c.reason = reason
        c.due = time.monotonic() + min(MAX_BACKOFF_S, self.backoff_seconds * 2.0 ** (c.attempts - 1))
        if c.attempts >= self.fail_after:
            self.stats.failures += 1
            def save(s: Session) -> None:
                row = s.get(WatchedFolder, f.info.id)
                record_failure(s, folder=row, source_path=readable_path(full_path(f.info.path, rel)),
                               reason=f"{reason}；第 {c.attempts} 次尝试，将继续重试", attempts=c.attempts,
                               size=c.size, mtime=c.mtime_ns / 1e9)

            self._write(save)

    def _take(self, due: list[tuple[_Folder, str, _Candidate]]) -> None:
        # Phase 1: copy into the store, no database lock held.
        done: list[tuple[_Folder, str, _Candidate, Stored, list[tuple[str, str, Stored]], str]] = []

        def store(item: tuple[_Folder, str, _Candidate]) -> Stored | Exception:
            try:
                # found by walking the share: a file swapped for a link is refused, never read
                return self.archive.files.store(Path(full_path(item[0].info.path, item[1])), follow_links=False)
            except Exception as e:  # noqa: BLE001 - sorted out below, on this thread
                return e

        # copy + sha256 + fsync of several files at once: the fsyncs overlap (the GIL is
        # released while they wait), a burst costs the disk's pace, not the sum of its syncs
        with ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="evidence-desk-store") as ex:
            outcomes = list(ex.map(store, due))
        for (f, rel, c), outcome in zip(due, outcomes, strict=True):
            try:
                if isinstance(outcome, Exception):
                    raise outcome
                stored = outcome
            except SourceChanged:
                c.since = time.monotonic()
                c.due = c.since + f.info.settle_seconds
                continue
            except FileNotFoundError:
                self._vanish(f, rel)
                continue
            except PermissionError as e:
                self._failed(f, rel, c, f"文件被占用或没有读取权限：{e.strerror} (file locked or not readable)")
                continue
            except OSError as e:
                if e.errno in (errno.ENOSPC, errno.EDQUOT):
                    self.on_error("档案库所在磁盘已满，暂停存档 (the archive's disk is full)")
                    c.due = time.monotonic() + 60
                    continue
                self._failed(f, rel, c, f"无法读取：{e.strerror} (cannot read: {e.strerror})")
                continue
            if stored.size != c.size:
                c.since = time.monotonic()
                c.due = c.since + f.info.settle_seconds
                continue
            members: list[tuple[str, str, Stored]] = []
            note = ""
            if rel.lower().endswith(".zip"):
                try:
                    with unpack(stored.path, self._work_dir) as (files, problems):
                        for m in files:
                            members.append((m.name, "", self.archive.files.store(m.path)))
                        note = "；".join(problems)
                except ZipRefused as e:
                    note = f"!{e}"
            elif is_other_archive(rel):
                note = ("!压缩包格式无法自动打开，请解压后放入文件夹 "
                        "(this archive format cannot be opened; please extract it)")
            done.append((f, rel, c, stored, members, note))
        if not done:
            return
        reads = self._read_ahead(done)
        # Phase 2: record everything in one transaction. Should that fail, each file is
        # recorded on its own, so one bad file (a name the database cannot take, a row
        # that breaks a constraint) fails alone and is retried with backoff, and the rest
        # of its batch, its folder and other folders go on.
        try:
            self._record(done, reads)
        except Exception as e:  # noqa: BLE001 - isolated below, reported per file
            if is_disk_full(e) or is_busy(e):
                # a full disk pauses taking; a writer (an ingest) holding the database past
                # the busy timeout is no failure of these files: try them again shortly
                if is_disk_full(e):
                    self.on_error("档案库所在磁盘已满，暂停存档 (the archive's disk is full)")
                for _f, _rel, c, _s, _m, _n in done:
                    c.due = time.monotonic() + (60 if is_disk_full(e) else 1)
                return
            for one in done:
                try:
                    self._record([one], reads)
                except Exception as e1:  # noqa: BLE001
                    self._failed(one[0], one[1], one[2],
                                 f"无法登记：{readable_path(str(e1))[:200]} (could not be recorded)")

    def _read_ahead(self, done: list[tuple[_Folder, str, _Candidate, Stored, list[tuple[str, str, Stored]], str]]
                    ) -> dict[str, ReadResult]:
        """Read the text of the batch's plain files before the write transaction (in the
        reader pool's worker processes, two at a time), so the one writer only writes:
        sha256 -> reading. Content already read, and kinds left to the reading backlog
        (.doc through LibreOffice), are not read here."""
        todo: dict[str, tuple[Path, str]] = {}
        for _f, rel, _c, stored, _m, _n in done:
            if not (rel.lower().endswith(".zip") or is_other_archive(rel)):
                todo.setdefault(stored.sha256, (stored.path, readable_path(rel).rsplit("/", 1)[-1]))
        if not todo:
            return {}
        with self.archive.sessions.read() as s:
            shas = list(todo)
            for i in range(0, len(shas), 500):
                for sha in s.scalars(select(Blob.sha256).join(BlobText, BlobText.blob_id == Blob.id)
                                     .where(Blob.sha256.in_(shas[i:i + 500]))):
                    todo.pop(sha, None)
        jobs = [(sha, path, name) for sha, (path, name) in todo.items() if not deferred(path, name)]
        out: dict[str, ReadResult] = {}
        if not jobs:
            return out
        names = {sha: name for sha, _p, name in jobs}
        for key, r in shared_pool().read_many(jobs):
            sha = str(key)
            if not r.title:
                stem = PurePath(names[sha]).stem.strip() or names[sha]
                r = ReadResult(**{**r.__dict__, "title": stem[:500]})
            out[sha] = r
        return out

    def _record(self, done: list[tuple[_Folder, str, _Candidate, Stored, list[tuple[str, str, Stored]], str]],
                reads: dict[str, ReadResult] | None = None) -> None:
        """Record stored files in one transaction (inbox entries, scan entries): new files
        at new paths with a few multi-row statements (`record_new_files`), the rest (zips,
        revisions, duplicates) one by one with `record_file`."""
        entries: list[int] = []
        reads = reads or {}

        def record(s: Session) -> list[InboxItem]:
            ctx = SuggestContext.load(s)
            fast: set[int] = set()   # indexes into `done` recorded in bulk
            by_folder: dict[int, list[int]] = {}
            for n, (f, raw_rel, _c, _st, _m, _note) in enumerate(done):
                if not (raw_rel.lower().endswith(".zip") or is_other_archive(raw_rel)):
                    by_folder.setdefault(f.info.id, []).append(n)
            for fid, idx in by_folder.items():
                row = s.get(WatchedFolder, fid)
                if row is None:
                    continue
                files = [NewFile(readable_path(done[n][1]), readable_path(full_path(done[n][0].info.path, done[n][1])),
                                 done[n][3], done[n][2].mtime_ns / 1e9, reads.get(done[n][3].sha256)) for n in idx]
                ids, rest = record_new_files(s, row, files, ctx)
                entries.extend(ids)
                self.stats.taken += len(ids)
                left = {id(nf) for nf in rest}
                fast.update(n for n, nf in zip(idx, files, strict=True) if id(nf) not in left)
            blob_of = blob_ids_for(s, [d[3] for n, d in enumerate(done) if n in fast]) if fast else {}
            scans: dict[tuple[int, str], dict[str, Any]] = {}
            for n, (f, raw_rel, c, stored, members, note) in enumerate(done):
                row = s.get(WatchedFolder, f.info.id)
                # names of any bytes are recorded in their readable form (kernel.names)
                rel = readable_path(raw_rel)
                src = readable_path(full_path(f.info.path, raw_rel))
                mtime = c.mtime_ns / 1e9
                blob_id = None
                if rel.lower().endswith(".zip") or is_other_archive(rel):
                    blob_id = blob_for(s, stored).id
                    if note.startswith("!"):
                        record_failure(s, folder=row, source_path=src, reason=note[1:], attempts=1,
                                       size=stored.size, mtime=mtime, blob_id=blob_id)
                        self.stats.failures += 1
                    for inner, _, mst in members:
                        e = record_file(s, folder=row, relpath=f"{rel}/{inner}", source_path=inner,
                                        stored=mst, mtime=mtime, from_zip=src, ctx=ctx)
                        if e is not None:
                            entries.append(e.id)
                            self.stats.taken += 1
                elif n in fast:
                    blob_id = blob_of[stored.sha256]
                else:
                    e = record_file(s, folder=row, relpath=rel, source_path=src, stored=stored,
                                    mtime=mtime, ctx=ctx, result=reads.get(stored.sha256))
                    if e is not None:
                        entries.append(e.id)
                        self.stats.taken += 1
                        blob_id = e.blob_id
                    else:
                        self.stats.unchanged += 1
                        blob_id = blob_for(s, stored).id
                scans[(f.info.id, rel)] = dict(size=c.size, mtime_ns=c.mtime_ns, blob_id=blob_id, seen_at=utcnow())
            s.flush()
            save_scan_entries(s, scans)
            return list_inbox(s, state=None, ids=entries) if entries else []

        items = self._write(record)
        if entries:
            try:  # keep search current; a derived cache, so a failure here loses nothing
                # in steps, each its own transaction: the window's writes get in between
                step = INDEX_STEP
                while (self._write(lambda s: refresh_index(s, max_items=step)) >= step
                       and not self._stop.is_set()):
                    pass
            except Exception as e:  # noqa: BLE001 - a derived cache: reported, nothing lost
                self.on_error(f"搜索索引未更新：{e} (search index not updated)")
        for f, rel, c, _s, _m, _n in done:
            f.cache[rel] = (c.size, c.mtime_ns, None)
            if self._cands.get((f.info.id, rel)) is c:
                del self._cands[(f.info.id, rel)]
        if items:
            self.on_entries(items)
