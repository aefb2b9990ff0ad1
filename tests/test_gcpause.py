"""The collector pause the watcher's warm-up runs under (storage.kernel.gcpause): nested and
from several threads it restores the collector once, and what the warm-up built is frozen,
so later full collections do not walk it while the window waits (benchmarks/gui_block.py
measures the gap: 197 ms plain, 24 ms paused at 50,000 items)."""
from __future__ import annotations

import gc
import threading
import time

from watch_helpers import add_folder

from storage.kernel import gcpause
from storage.kernel.gcpause import gc_paused
from storage.watch.service import WatchService


def test_pauses_nest_across_threads_and_restore_the_collector_once():
    assert gc.isenabled()
    inner_started = threading.Event()
    outer_may_end = threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with gc_paused():
            inner_started.set()
            outer_may_end.wait(5)
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())

    with gc_paused():
        assert not gc.isenabled()
        t = threading.Thread(target=other)
        t.start()
        inner_started.wait(5)
    # the first pause ended while the other thread's is still on: still paused
    assert not gc.isenabled()
    outer_may_end.set()
    t.join(5)
    assert seen == [False, True]
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with gc_paused(freeze_after=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_an_error_inside_still_restores_the_collector():
    try:
        with gc_paused():
            raise ValueError("x")
    except ValueError:
        pass
    assert gc.isenabled()


def test_the_watchers_warm_up_freezes_what_it_built(archive, tmp_path, monkeypatch):
    add_folder(archive, tmp_path / "工信", "县工信局")
    monkeypatch.setattr(gcpause, "_pinned", False)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    svc = WatchService(archive, observers=False)
    svc.start()  # the worker thread warms up before its first scan
    try:
        deadline = time.monotonic() + 20
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        svc.stop()
    try:
        assert gc.get_freeze_count() > 1000
        assert gc.isenabled() and gcpause._pinned
    finally:
        gc.unfreeze()
