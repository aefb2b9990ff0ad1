"""Two ingests and a live watcher on the same 2,000 files (issue 18, item 5): the live
watcher takes every file (no later `watch --once` needed), each content is stored once,
each file is one inbox entry and one evidence item, and the archive verifies.

The bound is generous (the suite runs two test processes on a 2-core machine);
benchmarks/hostile_concurrency.py prints the figures (2,000 files, settle 2 s: about 24 s
after the last write on the loaded development machine, the same with or without the two
ingests: the watcher's per-file reading and suggestions set the pace, not the ingests).
"""
from __future__ import annotations

from benchmarks.hostile_concurrency import run


def test_two_ingests_and_a_live_watcher_on_2000_files():
    got = run(2000, settle=1.0)
    assert got["inbox"] == 2000 and got["distinct_sources"] == 2000, got
    assert got["evidence"] == 2000 and got["blobs"] == 2000, got
    assert got["ingest_exit"] == [0, 0], got
    assert got["verify_ok"], got
    assert not got["errors"], got
    assert got["watcher_after_last_write_s"] < 1.0 + 120, got
