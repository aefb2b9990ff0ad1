"""The one task runner: every piece of background work in the window goes through it.

A task is a plain function `fn(ctx)` that must never touch a widget: it gets a
`TaskContext` with `progress(done, total, text)` and `cancelled()` (which fit the storage
progress/cancel protocol as `progress=ctx.progress, cancel=ctx.cancelled`), opens its own
database session, and returns plain read models. Results, errors and progress reach the
GUI thread through a queued Qt signal; the callbacks given to `submit_*` run there.

Threads are Python's (`concurrent.futures`), not QThreadPool: with PySide6 6.12.0 every
task a QThreadPool runs loses a reference to None (QRunnable subclasses and
`QThreadPool.start(callable)` alike), which after enough tasks aborts the interpreter
(none_dealloc). A Python thread emitting a signal is adopted by Qt, and the queued
delivery to the GUI thread is the same.

- Writes go to one writer thread (`submit_write`): SQLite takes one writer at a time and
  two of our own writers would only queue on its lock (or fail with "database is locked"
  after the busy timeout); one thread keeps writes in the order the clerk made them.
- Reads and exports go to a small pool (`submit_read`): they run beside the writer (WAL).
- `synchronous=True` runs each task at once in the calling thread (for the one-shot
  screenshot render and for unit tests of controllers), with the same callbacks.

Signals:
    task_started(Task), task_progress(Task, done, total, text), task_finished(Task)
    (finished is emitted after the task's own callbacks, whether it succeeded, failed or
    was cancelled).
"""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from storage.kernel.errors import Cancelled
from ui.qtfix import emit

PROGRESS_INTERVAL_S = 0.05
WRITER_THREAD = "evidence-desk-writer"
T = TypeVar("T")


class TaskContext:
    """What a running task may use: report progress, ask whether it was cancelled."""

    def __init__(self, task: Task, emit: Callable[[str, Task, Any], None]) -> None:
        self._task = task
        self._emit = emit
        self._last = 0.0

    def progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_INTERVAL_S:
            return  # throttle: a batch of 10,000 small files must not flood the event loop
        self._last = now
        self._emit("progress", self._task, (int(done), int(total), str(text)))

    def cancelled(self) -> bool:
        return self._task.cancel_requested

    def check(self) -> None:
        """Raise `Cancelled` if the user pressed Cancel (for loops of our own)."""
        if self._task.cancel_requested:
            raise Cancelled()


@dataclass(eq=False)
class Task:
    id: int
    label: str
    kind: str  # read | write
    cancellable: bool = True
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    on_cancelled: Callable[[], None] | None = None
    state: str = "queued"  # queued | running | done | failed | cancelled
    result: Any = None
    error: BaseException | None = None
    error_trace: str = ""
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        if self.cancellable:
            self._cancel.set()


class TaskRunner(QObject):
    task_started = Signal(object)
    task_progress = Signal(object, int, int, str)
    task_finished = Signal(object)

    # Worker -> GUI thread. The runner lives in the GUI thread, so emitting from a worker
    # queues the call; `_deliver` then runs there.
    _event = Signal(str, object, object)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False,
                 readers: int = 2) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._active: dict[int, Task] = {}
        self._closed = False
        self._futures: set[cf.Future] = set()
        # the one writer (see the module docstring), and the readers beside it
        self._writer = cf.ThreadPoolExecutor(1, thread_name_prefix=WRITER_THREAD)
        self._readers = cf.ThreadPoolExecutor(max(1, readers), thread_name_prefix="evidence-desk-read")
        self._event.connect(self._deliver)

    # -- submitting ----------------------------------------------------------------------
    def submit_read(self, fn: Callable[[TaskContext], Any], **kw: Any) -> Task:
        return self._submit("read", fn, **kw)

    def submit_write(self, fn: Callable[[TaskContext], Any], **kw: Any) -> Task:
        return self._submit("write", fn, **kw)

    def write(self, fn: Callable[[], T]) -> T:
        """Run `fn()` on the one writer thread and return its result: how work running
        elsewhere (the folder watcher's thread, an export on the read pool) makes its
        writes without a second writer. Blocks the calling thread; never call it on the
        GUI thread. On the writer thread itself, or when synchronous, runs at once."""
        if self.synchronous or threading.current_thread().name.startswith(WRITER_THREAD):
            return fn()
        if self._closed:
            raise RuntimeError("task runner is shut down")
        return self._writer.submit(fn).result()

    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], *, label: str = "",
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None,
                on_cancelled: Callable[[], None] | None = None,
                cancellable: bool = True) -> Task:
        if self._closed:
            raise RuntimeError("task runner is shut down")
        task = Task(next(self._ids), label, kind, cancellable, on_done, on_error, on_cancelled)
        with self._lock:
            self._active[task.id] = task
        if self.synchronous:
            self._execute(task, fn)
            return task
        pool = self._writer if kind == "write" else self._readers
        future = pool.submit(self._execute, task, fn)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return task

    def _forget(self, future: cf.Future) -> None:
        with self._lock:
            self._futures.discard(future)

    # -- running (worker thread) -----------------------------------------------------------
    def _emit(self, what: str, task: Task, payload: Any) -> None:
        if self.synchronous:
            self._deliver(what, task, payload)
        else:
            emit(self._event, what, task, payload)

    def _execute(self, task: Task, fn: Callable[[TaskContext], Any]) -> None:
        if task.cancel_requested:
            self._emit("cancelled", task, None)
            return
        self._emit("started", task, None)
        ctx = TaskContext(task, self._emit)
        try:
            result = fn(ctx)
        except Cancelled:
            self._emit("cancelled", task, None)
        except BaseException as e:  # noqa: BLE001 - delivered to the GUI thread, never lost
            task.error_trace = traceback.format_exc()
            self._emit("failed", task, e)
        else:
            self._emit("cancelled" if task.cancel_requested and result is None else "done",
                       task, result)

    # -- delivering (GUI thread) -----------------------------------------------------------
    @Slot(str, object, object)
    def _deliver(self, what: str, task: Task, payload: Any) -> None:
        if self._closed and not self.synchronous:
            return  # shut down: the window these callbacks would touch is closing
        if what == "started":
            task.state = "running"
            emit(self.task_started, task)
            return
        if what == "progress":
            emit(self.task_progress, task, *payload)
            return
        with self._lock:
            self._active.pop(task.id, None)
        try:
            if what == "done":
                task.state, task.result = "done", payload
                if task.on_done is not None:
                    task.on_done(payload)
            elif what == "failed":
                task.state, task.error = "failed", payload
                if task.on_error is not None:
                    task.on_error(payload)
                else:
                    raise payload
            elif what == "cancelled":
                task.state = "cancelled"
                if task.on_cancelled is not None:
                    task.on_cancelled()
        finally:
            emit(self.task_finished, task)

    # -- state and shutdown ----------------------------------------------------------------
    def active(self) -> list[Task]:
        with self._lock:
            return list(self._active.values())

    def is_idle(self) -> bool:
        with self._lock:
            return not self._active

    def cancel_all(self) -> None:
        for t in self.active():
            t.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every submitted task has run (their results are still delivered
        later, by the event loop). False on timeout."""
        with self._lock:
            pending = set(self._futures)
        if not pending:
            return True
        _, not_done = cf.wait(pending, timeout=timeout_ms / 1000)
        return not not_done

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel what is running, wait for the threads, refuse new tasks. Results still
        queued for the GUI thread are dropped (their callbacks would touch closed widgets).
        Returns False when a thread did not stop in time."""
        self._closed = True
        self.cancel_all()
        ok = self.wait(timeout_ms)
        self._writer.shutdown(wait=ok, cancel_futures=True)
        self._readers.shutdown(wait=ok, cancel_futures=True)
        with self._lock:
            self._active.clear()
        return ok
