"""Latency from a file's last write to its inbox entry, native events and polling.

    python benchmarks/watch_latency.py [--files 20] [--settle 2] [--poll 2]

Writes one file at a time into a watched temporary folder and times from the moment the
file is closed to the moment the watcher reports its inbox entry (the on_entries callback).
The settle time is the floor: a file is taken only after it has been unchanged that long.
"""
from __future__ import annotations

import argparse
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


def run(mode: str, n: int, settle: float, poll: float) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = Archive.create(tmp / "archive")
        share = tmp / "share"
        share.mkdir()
        with archive.sessions.write() as s:
            add_folder(s, share, department="县工信局", settle_seconds=settle,
                       polling_seconds=poll if mode == "polling" else 0)
        seen: dict[str, float] = {}
        ev = threading.Event()

        def on_entries(items):
            for i in items:
                seen[i.name] = time.monotonic()
            ev.set()

        svc = WatchService(archive, on_entries=on_entries, rescan_seconds=3600)
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
        finally:
            svc.stop()
            archive.close()
        return lat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--poll", type=float, default=2.0)
    a = ap.parse_args()
    for mode in ("native", "polling"):
        lat = sorted(run(mode, a.files, a.settle, a.poll))
        p50 = statistics.median(lat)
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        extra = f", poll {a.poll:g} s" if mode == "polling" else ""
        print(f"{mode:8s} settle {a.settle:g} s{extra}: n={len(lat)} p50={p50:.2f} s p95={p95:.2f} s "
              f"max={lat[-1]:.2f} s  (p50 above the settle floor: {p50 - a.settle:.2f} s)")


if __name__ == "__main__":
    main()
