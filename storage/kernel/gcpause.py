"""Keeping Python's cyclic garbage collector from stalling the window while a worker thread
builds a large structure (the suggestions' memory of 50,000 filed items).

A full collection walks every tracked object while holding the interpreter lock: with the
memory loaded that took 60–100 ms, and the window's thread waits for all of it. Pausing the
collector while the structure is built, then moving what exists into the permanent
generation (``gc.freeze``), keeps later collections from walking it again. Pauses nest and
may come from several threads: the collector runs again when the last one ends."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
