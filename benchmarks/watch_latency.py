"""Latency from a file's last write to its inbox entry, native events and polling.

    python benchmarks/watch_latency.py [--files 10] [--rounds 2] [--settle 2] [--poll 2]

Writes one file at a time into a watched temporary folder and times from the moment the
file is closed to the moment the watcher reports its inbox entry (the on_entries callback).
The settle time is the floor: a file is taken only after it has been unchanged that long.

Polling is measured in rounds, baseline and subject interleaved (A B A B …): the baseline
counts the settle time from when a poll first saw the change (the behaviour before issue
19 item 4), the subject from the file's own mtime, bounded by the previous poll (the settle
clock, storage.watch.service.WatchService._consider). Reported: p50/p95 of each, the median
of the per-round p95 ratios (subject / baseline) and the load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.core.archive import Archive
from storage.watch.folders import add_folder
from storage.watch.service import WatchService


def run(mode: str, n: int, settle: float, poll: float, *, settle_clock: bool = True) -> list[float]:
    """Latencies (seconds) of `n` files written one at a time into a watched folder."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        archive = Archive.create(root / "archive")
        share = root / "share"
        share.mkdir()
        with archive.sessions.write() as s:
            add_folder(s, share, department="县工信局", settle_seconds=settle,
                       polling_seconds=poll if mode == "polling" else 0)
        seen: dict[str, float] = {}
        ev = threading.Event()

        def on_entries(items) -> None:  # type: ignore[no-untyped-def]
            for i in items:
                seen[i.name] = time.monotonic()
            ev.set()

        svc = WatchService(archive, on_entries=on_entries, rescan_seconds=3600)
        svc.settle_from_mtime = settle_clock
        svc.start()
        time.sleep(1.0)
        lat = []
        try:
            for k in range(n):
                name = f"材料{k:03d}.docx"
                with open(share / name, "wb") as f:
                    f.write(b"x" * 20000)
                t0 = time.monotonic()
                end = t0 + settle + poll + 30
                while name not in seen and time.monotonic() < end:
                    ev.wait(0.05)
                    ev.clear()
                lat.append(seen.get(name, float("nan")) - t0)
                time.sleep((k % 4) * poll / 4)   # spread the writes over the poll cycle
        finally:
            svc.stop()
            archive.close()
        return lat


def pct(lat: list[float], q: float) -> float:
    s = sorted(lat)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--poll", type=float, default=2.0)
    a = ap.parse_args()
    lat = run("native", a.files, a.settle, a.poll)
    print(f"native   settle {a.settle:g} s: n={len(lat)} p50={statistics.median(lat):.2f} s "
          f"p95={pct(lat, 0.95):.2f} s max={max(lat):.2f} s")
    base: list[float] = []
    subj: list[float] = []
    ratios = []
    for _ in range(a.rounds):
        b = run("polling", a.files, a.settle, a.poll, settle_clock=False)
        s = run("polling", a.files, a.settle, a.poll, settle_clock=True)
        base += b
        subj += s
        ratios.append(pct(s, 0.95) / pct(b, 0.95))
    for label, xs in (("baseline (settle from sighting)", base), ("settle clock (from mtime)", subj)):
        print(f"polling  settle {a.settle:g} s, poll {a.poll:g} s, {label}: n={len(xs)} "
              f"p50={statistics.median(xs):.2f} s p95={pct(xs, 0.95):.2f} s max={max(xs):.2f} s")
    print(f"median per-round p95 ratio settle clock / baseline: {statistics.median(ratios):.2f} "
          f"over {a.rounds} rounds; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
