"""Keeping Python's cyclic garbage collector from stalling the window while a worker thread
builds a large structure (the suggestions' memory of 50,000 filed items).

A full collection walks every tracked object while holding the interpreter lock: with the
memory loaded that took 60–100 ms, and the window's thread waits for all of it. Pausing the
collector while the structure is built, then moving what exists into the permanent
generation (``gc.freeze``), keeps later collections from walking it again. Pauses nest and
may come from several threads: the collector runs again when the last one ends."""
from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_frozen_depth = 0
_pinned = False     # a long-lived cache was frozen on purpose: never thaw it again


@contextmanager
def gc_paused(*, freeze_after: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block (reference counting still frees what it can);
    with ``freeze_after``, whatever is alive at the end is frozen so no later collection
    walks it (a long-lived cache). The collector's state before the outermost pause is
    restored when the last pause ends."""
    global _depth, _was_enabled, _pinned
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if freeze_after:
                gc.freeze()
                _pinned = True
            if _depth == 0 and _was_enabled:
                gc.enable()


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Leave the objects alive before the block out of the collector's passes while it runs
    (an ingest's allocations trigger full collections that would walk the modules, the
    metadata and the window's models each time). Thawed when the last such block in the
    process ends, unless a cache was frozen for good meanwhile (``gc_paused(freeze_after=
    True)``): thawing would hand it back to every later collection."""
    global _frozen_depth
    with _lock:
        if _frozen_depth == 0:
            gc.freeze()
        _frozen_depth += 1
    try:
        yield
    finally:
        with _lock:
            _frozen_depth -= 1
            if _frozen_depth == 0 and not _pinned:
                gc.unfreeze()


def without_collection(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` run inside `gc_paused()`: for an import that builds tens of thousands of rows,
    paragraphs and dicts in a few seconds, where the collections its allocations trigger
    (each walking everything alive, the document read included) cost a tenth to a quarter
    of the CPU and collect next to nothing; whatever it leaves in cycles is collected after."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return run
