"""storage.reading.pool: hostile files read in long-lived limited workers; the application's
own memory stays small, a worker that hangs or runs out of memory is replaced, never retried."""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pytest
from reading_files import (
    big_text_docx,
    billion_laughs_xlsx,
    far_cell_xlsx,
    red_header_form,
    shared_strings_bomb_xlsx,
    whole_sheet_merge_xlsx,
    zip_bomb_docx,
)

from storage.reading.pool import ReaderPool

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is the Linux limit")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_hostile_files_bounded_parent_memory_small(tmp_path: Path) -> None:
    files = {
        "bomb.docx": zip_bomb_docx(tmp_path / "bomb.docx", megabytes=300),
        "sst.xlsx": shared_strings_bomb_xlsx(tmp_path / "sst.xlsx", megabytes=150),
        "lol.xlsx": billion_laughs_xlsx(tmp_path / "lol.xlsx"),
        "far.xlsx": far_cell_xlsx(tmp_path / "far.xlsx"),
        "merge.xlsx": whole_sheet_merge_xlsx(tmp_path / "merge.xlsx"),
        "good.docx": red_header_form(tmp_path / "good.docx"),
    }
    before = _maxrss_mb()
    results = {}
    timings = {}
    with ReaderPool(2, memory_mb=500, time_limit=30) as pool:
        for name, path in files.items():
            t0 = time.monotonic()
            results[name] = pool.read(path, name_hint=name)
            timings[name] = time.monotonic() - t0
        replaced = pool.replaced
    growth = _maxrss_mb() - before
    assert growth < 100, f"the parent grew by {growth:.0f} MB"
    assert all(t < 30 for t in timings.values()), timings
    assert results["bomb.docx"].reason == "bomb"
    assert results["sst.xlsx"].reason == "bomb"
    assert results["lol.xlsx"].reason == "bomb"
    assert results["far.xlsx"].ok and "指标名称" in results["far.xlsx"].text
    assert results["merge.xlsx"].ok and "指标名称" in results["merge.xlsx"].text
    assert results["good.docx"].ok and "县财政局" in results["good.docx"].text
    assert replaced == 0   # the guards refused the bombs; no worker had to die


def test_worker_over_memory_limit_is_replaced_and_file_marked(tmp_path: Path) -> None:
    big = big_text_docx(tmp_path / "big.docx", paragraphs=400_000)
    small = red_header_form(tmp_path / "small.docx")
    with ReaderPool(1, memory_mb=180, time_limit=60) as pool:
        got = dict(pool.read_many([("big", big, "big.docx"), ("small", small, "small.docx")]))
        assert got["big"].reason in ("memory", "crashed"), got["big"]
        assert got["big"].refusal and "big.docx" in got["big"].refusal
        assert got["small"].ok and "县财政局" in got["small"].text   # the next file is read normally
    with ReaderPool(1, memory_mb=500) as roomy:
        assert roomy.read(big).ok   # the same file reads with the normal limit


def test_hung_worker_is_killed_and_replaced(tmp_path: Path) -> None:
    import os

    fifo_dir = tmp_path / "d"
    fifo_dir.mkdir()
    good = red_header_form(tmp_path / "good.docx")
    with ReaderPool(1, time_limit=2) as pool:
        pool.read(good)   # a warm worker
        first_pid = pool._slots[0].proc.pid
        assert first_pid is not None
        # a worker stopped by a signal stands for a parser stuck in C code
        os.kill(first_pid, 19)   # SIGSTOP
        t0 = time.monotonic()
        r = pool.read(good, name_hint="卡住的文件.docx")
        assert r.reason == "timeout" and "卡住的文件.docx" in r.refusal and time.monotonic() - t0 < 10
        assert pool.replaced == 1 and pool._slots[0].proc.pid != first_pid
        assert pool.read(good).ok


def test_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    import os
    import signal

    good = red_header_form(tmp_path / "good.docx")
    with ReaderPool(1, time_limit=20) as pool:
        pool.read(good)
        pid = pool._slots[0].proc.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        r = pool.read(good)
        # the dead worker is noticed when the job is sent or when its sentinel fires; either
        # way the pool answers and goes on
        assert r.ok or r.reason == "crashed"
        assert pool.read(good).ok
