"""The OCR worker: one long-lived process that runs storage.reading.ocr with its own memory
limit (OCR_MEMORY_LIMIT of address space) and a time limit per image or page, so a bomb, a
runaway page or an out-of-memory engine kills the worker, never the application.

Two ways to use it:

- `OcrWorker`: a ready worker. `with OcrWorker() as w: w.ocr_pdf_pages(path, [1, 2, 3])`.
  Pages go to the process one at a time, so page 1 comes back first, `cancel` is asked between
  pages, and a page that dies or overruns raises `OcrFailed` (the worker is then started anew
  for the next call).
- The reader's own pool (storage/reading/pool.py): start the OCR process with
  `init_ocr_process(OCR_MEMORY_LIMIT, OCR_THREADS)` as its first act (a ProcessPoolExecutor
  initializer, or the top of a Process target), BEFORE rapidocr or numpy is imported, then
  call `ocr.ocr_image` / `ocr.ocr_pdf_pages` in it.

The memory limit is RLIMIT_AS, which POSIX systems have; Windows has no rlimit (a Job Object
would be its equivalent), so there the worker runs with the time limit only.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from storage.kernel.errors import BadInput, Cancelled
from storage.reading.ocr import (
    OCR_MEMORY_LIMIT,
    OCR_THREADS,
    PDF_DPI,
    OcrError,
    OcrResult,
    OcrUnavailable,
    engine,
    ocr_image,
    ocr_pdf_pages,
)

#: Seconds one image or one page may take in the worker. A dense A4 page takes 5-10 s on one
#: core of a laptop (benchmarks/ocr.py); the first call also loads the models (~1 s).
PAGE_TIMEOUT = 120.0

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class OcrFailed(OcrError):
    """The OCR worker ran out of memory or time on a file, or died: that file is unreadable."""


def _failed(reason: str) -> OcrFailed:
    if reason == "timeout":
        return OcrFailed(
            "文字识别超时，此文件已跳过",
            "error: OCR took too long on this file; it was skipped",
        )
    return OcrFailed(
        "文字识别时内存不足或进程意外退出，此文件已跳过",
        "error: OCR ran out of memory or its process stopped on this file; it was skipped",
    )


def limit_memory(limit: int) -> None:
    """Limit this process's address space to `limit` bytes (RLIMIT_AS). Nothing on Windows."""
    if sys.platform == "win32":  # no rlimits; the worker's time limit still applies
        return
    import resource
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def init_ocr_process(memory_limit: int = OCR_MEMORY_LIMIT, threads: int = OCR_THREADS) -> None:
    """Prepare a fresh process for OCR: math libraries on `threads` threads (their thread
    pools otherwise reserve address space per core) and the address space limited to
    `memory_limit` bytes. Call it first, before rapidocr or numpy is imported."""
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)
    limit_memory(memory_limit)


def _serve(conn: Connection, memory_limit: int, threads: int) -> None:
    """The worker process's loop: one request in, one answer out, until told to stop."""
    init_ocr_process(memory_limit, threads)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        kind = request[0]
        if kind == "stop":
            return
        try:
            if kind == "warm":
                engine(threads)
                answer: tuple[Any, ...] = ("ok", None)
            elif kind == "image":
                _, path, max_side, frame = request
                answer = ("ok", ocr_image(path, max_side=max_side, threads=threads, frame=frame))
            elif kind == "page":
                _, path, number, dpi = request
                answer = ("ok", ocr_pdf_pages(path, [number], dpi=dpi, threads=threads)[number])
            else:
                answer = ("bug", f"unknown request {kind!r}")
        except OcrUnavailable:
            answer = ("unavailable",)
        except BadInput as err:
            answer = ("bad", err.zh, err.en)
        except MemoryError:
            answer = ("memory",)
        except Exception:  # noqa: BLE001 - a bug or an engine failure: reported, worker lives on
            text = traceback.format_exc()
            answer = ("memory",) if "bad_alloc" in text else ("bug", text)
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


class OcrWorker:
    """A long-lived OCR process (spawned, not forked: the window's threads and Qt stay out)
    with its own memory limit and a time limit per image or page. Its calls wait for the
    process, so call them from a background thread, never the GUI thread. Not thread-safe: one
    caller at a time (the reader's one OCR task). A frozen build must call
    multiprocessing.freeze_support() first thing in its entry point, or the spawned process
    starts the application again."""

    def __init__(
        self,
        *,
        memory_limit: int = OCR_MEMORY_LIMIT,
        threads: int = OCR_THREADS,
        page_timeout: float = PAGE_TIMEOUT,
    ) -> None:
        self.memory_limit = memory_limit
        self.threads = threads
        self.page_timeout = page_timeout
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> OcrWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker process's id, or None when none is running."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._stop(kill=True)
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.memory_limit, self.threads), name="evidence-desk-ocr", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def _stop(self, *, kill: bool) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            if not kill:
                try:
                    conn.send(("stop",))
                except (OSError, ValueError):
                    pass
            conn.close()
        if process is not None:
            process.join(timeout=0 if kill else 5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)

    def close(self) -> None:
        """Stop the worker process (it is started again by the next call)."""
        self._stop(kill=False)

    def _ask(self, request: tuple[Any, ...], timeout: float) -> Any:
        conn = self._start()
        try:
            conn.send(request)
            ready = conn.poll(timeout)
            answer = conn.recv() if ready else None
        except (EOFError, OSError):
            self._stop(kill=True)
            raise _failed("died") from None
        if answer is None:
            self._stop(kill=True)
            raise _failed("timeout")
        status = answer[0]
        if status == "ok":
            return answer[1]
        if status == "unavailable":
            raise OcrUnavailable()
        if status == "bad":
            raise BadInput(answer[1], answer[2])
        self._stop(kill=True)  # after bad_alloc or an unknown failure, start clean next time
        if status == "bug":
            print(answer[1], file=sys.stderr)
        raise _failed("died")

    def warm(self) -> None:
        """Start the process and load the models now (about a second), not at the first page."""
        self._ask(("warm",), self.page_timeout)

    def ocr_image(self, path: str | Path, *, max_side: int | None = None, frame: int = 0) -> OcrResult:
        """ocr.ocr_image in the worker. Raises OcrFailed on memory, time or a crash."""
        result: OcrResult = self._ask(("image", str(path), max_side, frame), self.page_timeout)
        return result

    def ocr_pdf_pages(
        self,
        path: str | Path,
        pages: Sequence[int],
        *,
        dpi: int = PDF_DPI,
        cancel: Callable[[], bool] | None = None,
        on_page: Callable[[int, OcrResult], None] | None = None,
    ) -> dict[int, OcrResult]:
        """ocr.ocr_pdf_pages in the worker, one page per request in the order given (1-based).
        `cancel` is asked before each page (Cancelled); `on_page` gets each page as it is done."""
        results: dict[int, OcrResult] = {}
        for number in pages:
            if cancel is not None and cancel():
                raise Cancelled()
            if number in results:
                continue
            results[number] = self._ask(("page", str(path), number, dpi), self.page_timeout)
            if on_page is not None:
                on_page(number, results[number])
        return results
