"""A small pool of long-lived worker processes that run `read_file` under limits.

Parsing a hostile file (a zip bomb, an XML entity bomb, a sheet with a far-away cell, a
crafted PDF) must never take the application's memory or hang a watcher, so reading runs
in workers, not in the application:

- a few processes started once ("spawn": safe beside Qt threads, and what Windows does),
  each reading one file at a time, reused for the next (not a process per file);
- memory: on Linux/macOS each worker sets RLIMIT_AS (500 MB by default) on itself before it
  reads anything; LibreOffice started by a worker gets its own limit (storage.kernel.convert).
  On Windows each worker is put in a job object with a per-process memory limit (pywin32's
  win32job: JOB_OBJECT_LIMIT_PROCESS_MEMORY), the equivalent of RLIMIT_AS there;
- time: each file has a time limit; a worker that passes it is killed and replaced;
- a worker that dies (killed by the system, a crash in a C library) is replaced;
- either way the file gets a ReadResult with a refusal and reason "timeout" or "crashed" and
  is not retried: the caller records it as unreadable.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing as mp
import os
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from storage.kernel import fsio
from storage.reading.extract import ReadResult, limit_result, read_file

log = logging.getLogger(__name__)

MEMORY_MB = 500
TIME_LIMIT = 180.0   # per file; above the LibreOffice conversion's own 120 s, which cleans up after itself
WORKERS = 2


def _limit_memory(mb: int) -> None:
    """Bound this process's memory: RLIMIT_AS (POSIX) or a job object (Windows)."""
    if mb <= 0:
        return
    if sys.platform == "win32":  # pragma: no cover - Linux is where we test
        try:
            import win32api
            import win32job

            job = win32job.CreateJobObject(None, "")
            info = win32job.QueryInformationJobObject(job, win32job.JobObjectExtendedLimitInformation)
            info["ProcessMemoryLimit"] = mb * 1024 * 1024
            info["BasicLimitInformation"]["LimitFlags"] |= win32job.JOB_OBJECT_LIMIT_PROCESS_MEMORY
            win32job.SetInformationJobObject(job, win32job.JobObjectExtendedLimitInformation, info)
            win32job.AssignProcessToJobObject(job, win32api.GetCurrentProcess())
        except Exception:
            log.warning("could not put the reader worker in a job object", exc_info=True)
        return
    import resource

    limit = mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _Collect(logging.Handler):
    """Keeps a worker's log lines (INFO and up) to send back with the result: the parent puts
    them in the application's log; nothing goes to the clerk's terminal."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name}: {record.getMessage()}"[:2000])
        except Exception:  # noqa: BLE001 - a log line must never stop reading
            pass


def _quiet_std_streams() -> None:
    """Library output written straight to stdout/stderr (C code included) goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _worker(conn: Connection, memory_mb: int) -> None:
    """A worker's life: set the limit, then read files sent by the pool until told to stop."""
    import warnings

    collect = _Collect()
    root = logging.getLogger()
    root.handlers[:] = [collect]
    root.setLevel(logging.INFO)
    warnings.simplefilter("ignore")
    _quiet_std_streams()
    try:
        _limit_memory(memory_mb)
    except (OSError, ValueError):
        log.warning("could not limit the reader worker's memory", exc_info=True)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        job_id, path, name = job
        try:
            result: object = read_file(path, name_hint=name)
        except MemoryError:
            result = _failed(name, "memory")
        except Exception:
            log.exception("reader worker failed on %s", name)
            result = _failed(name, "crashed")
        lines, collect.lines = collect.lines, []
        try:
            conn.send((job_id, result, lines))
        except MemoryError:
            conn.send((job_id, _failed(name, "memory"), []))


def _failed(name: str, reason: str) -> ReadResult:
    """The result for a file whose reading hit a limit or killed its worker."""
    return limit_result(name, reason)


_INLINE_KINDS = {fsio.TEXT, fsio.IMAGE, fsio.EMPTY, fsio.UNKNOWN, fsio.PASSWORD, fsio.OLD_EXCEL, fsio.OLD_WORD}


def _inline(path: str | os.PathLike[str] | bytes) -> bool:
    """True when the first bytes alone decide the file and reading it needs no parser."""
    try:
        if not stat.S_ISREG(os.stat(os.fsencode(path)).st_mode):
            return True   # a FIFO, device, folder: read_file refuses it without opening it
        with open(os.fsencode(path), "rb", buffering=0) as f:
            head = f.read(8192)
    except OSError:
        return True   # read_file reports it (missing, not a regular file…) without parsing
    kind = fsio.sniff_bytes_head(head)
    if kind is None:
        if head.startswith(fsio.ZIP_MAGICS) or head.startswith(fsio.OLE2_MAGIC):
            return False
        return True   # plain text or unknown bytes: read_file decodes at most MAX_TEXT_BYTES
    return kind.kind in _INLINE_KINDS


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    job: tuple[int, bytes, str] | None = None
    deadline: float = 0.0


class ReaderPool:
    """Long-lived reader processes. `read(path)` for one file, `read_many(items)` to use every
    worker; both are safe to call from several threads (one batch at a time). Use as a context
    manager, or call close()."""

    def __init__(self, workers: int = 2, *, memory_mb: int = MEMORY_MB, time_limit: float = TIME_LIMIT) -> None:
        """`workers` processes at most (started when first needed), each limited to
        `memory_mb` of address space and `time_limit` seconds per file."""
        self.workers = max(1, workers)
        self.memory_mb = memory_mb
        self.time_limit = time_limit
        self._ctx = mp.get_context("spawn")
        self._slots: list[_Slot] = []
        self._lock = threading.Lock()
        self._next = 0
        self.replaced = 0   # workers killed or found dead and replaced (for tests and the log)

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker, args=(child, self.memory_mb), daemon=True,
                                 name="evidence-desk-reader")
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _ensure(self, n: int) -> None:
        while len(self._slots) < min(n, self.workers):
            self._slots.append(self._start())

    def _replace(self, slot: _Slot) -> None:
        self.replaced += 1
        try:
            slot.proc.kill()
        except (OSError, ValueError):
            pass
        slot.proc.join(5)
        slot.conn.close()
        fresh = self._start()
        slot.proc, slot.conn, slot.job = fresh.proc, fresh.conn, None

    def read(self, path: str | os.PathLike[str] | bytes, *, name_hint: str = "") -> ReadResult:
        """Read one file in a worker."""
        for _key, result in self.read_many([(0, path, name_hint)]):
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def read_many(self, items: Iterable[tuple[object, str | os.PathLike[str] | bytes, str]]
                  ) -> Iterator[tuple[object, ReadResult]]:
        """(key, path, name hint) in; (key, ReadResult) out as each finishes, in any order."""
        with self._lock:
            try:
                yield from self._run(list(items))
            finally:
                for slot in self._slots:
                    if slot.job is not None:   # the caller stopped early: drop what is running
                        self._replace(slot)

    def _run(self, pending: list[tuple[object, str | os.PathLike[str] | bytes, str]]
             ) -> Iterator[tuple[object, ReadResult]]:
        if True:
            # Files no parser reads (plain text, images, empty, unknown, a password or an old
            # format told by the first bytes) are answered here: a round trip to a worker costs
            # a few GIL hand-offs per file, which a watched folder of 2,000 notes would feel.
            rest = []
            for item in pending:
                if _inline(item[1]):
                    yield item[0], read_file(item[1], name_hint=item[2] or fsio.display_name(item[1]))
                else:
                    rest.append(item)
            pending = rest
            pending.reverse()
            keys: dict[int, object] = {}
            self._ensure(len(pending))
            while pending or any(s.job for s in self._slots):
                for slot in self._slots:
                    if slot.job is None and pending:
                        key, path, name = pending.pop()
                        self._next += 1
                        bpath = os.fsencode(path)
                        job = (self._next, bpath, name or fsio.display_name(bpath))
                        keys[self._next] = key
                        try:
                            slot.conn.send(job)
                        except (OSError, ValueError):
                            self._replace(slot)
                            slot.conn.send(job)
                        slot.job = job
                        slot.deadline = time.monotonic() + self.time_limit
                busy = [s for s in self._slots if s.job]
                if not busy:
                    continue
                timeout = max(0.0, min(s.deadline for s in busy) - time.monotonic())
                ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout)
                now = time.monotonic()
                for slot in busy:
                    assert slot.job is not None
                    job_id, _p, name = slot.job
                    result: ReadResult | None = None
                    if slot.conn in ready:
                        try:
                            got_id, got, lines = slot.conn.recv()
                            for line in lines:
                                log.info("reader worker: %s", line)
                            if got_id == job_id:
                                result = got
                        except (EOFError, OSError):
                            pass
                        if result is None:
                            log.warning("reader worker died on %s", name)
                            result = _failed(name, "crashed" if slot.proc.exitcode not in (None, 0) else "memory")
                            self._replace(slot)
                    elif slot.proc.sentinel in ready:
                        log.warning("reader worker died on %s (exit %s)", name, slot.proc.exitcode)
                        result = _failed(name, "crashed")
                        self._replace(slot)
                    elif now >= slot.deadline:
                        log.warning("reader worker timed out on %s", name)
                        result = _failed(name, "timeout")
                        self._replace(slot)
                    if result is not None:
                        slot.job = None
                        yield keys.pop(job_id), result

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for slot in self._slots:
                try:
                    slot.conn.send(None)
                except (OSError, ValueError):
                    pass
            for slot in self._slots:
                slot.proc.join(2)
                if slot.proc.is_alive():
                    slot.proc.kill()
                    slot.proc.join(2)
                slot.conn.close()
            self._slots.clear()


_shared: ReaderPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> ReaderPool:
    """The process's one reader pool (two workers, the default limits), started on first use
    and stopped at exit. The watcher, the backlog and preview share it."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ReaderPool(WORKERS)
            atexit.register(_shared.close)
        return _shared
