"""A burst of N files dropped into a watched folder: time until all are in the inbox,
against a baseline of plain copy + sha256 + fsync of the same files, in rounds with baseline
and subject interleaved (A B A B …).

    python benchmarks/watch_burst.py [--files 2000] [--rounds 2] [--mode native|polling] [--settle 2]

Per round: the baseline copies the files into a fresh folder with sha256 and fsync; the
subject copies them into a watched folder and waits until every one has its inbox entry.
Reported: the subject's time from the last write to the last inbox entry, that minus the
settle time (the watcher's own work), the baseline, and the median of the per-round ratios
(watcher's own work / baseline) with the load average.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from storage.core.archive import Archive
from storage.models import InboxEntry
from storage.watch.folders import add_folder
from storage.watch.service import WatchService


def baseline(src: Path, dest: Path) -> float:
    dest.mkdir()
    t = time.monotonic()
    for p in sorted(src.iterdir()):
        d = dest / p.name
        shutil.copyfile(p, d)
        hashlib.sha256(d.read_bytes()).hexdigest()
        with open(d, "rb+") as f:
            os.fsync(f.fileno())
    return time.monotonic() - t


def subject(src: Path, tmp: Path, n: int, mode: str, settle: float) -> tuple[float, float, float, int]:
    """(seconds from the first write, from the last write, process CPU, entries)."""
    archive = Archive.create(tmp / "archive")
    share = tmp / "share"
    share.mkdir()
    with archive.sessions.write() as s:
        add_folder(s, share, settle_seconds=settle, polling_seconds=2.0 if mode == "polling" else 0)
    svc = WatchService(archive, rescan_seconds=3600)
    svc.start()
    time.sleep(1.0)
    try:
        t0 = time.monotonic()
        cpu0 = time.process_time()
        for p in sorted(src.iterdir()):
            shutil.copyfile(p, share / p.name)
        last_write = time.monotonic()
        got = 0
        while time.monotonic() - t0 < 300:
            with archive.sessions.read() as s:
                got = s.scalar(select(func.count()).select_from(InboxEntry)) or 0
            if got >= n:
                break
            time.sleep(0.1)
        done = time.monotonic()
        cpu = time.process_time() - cpu0
    finally:
        svc.stop()
        archive.close()
    return done - t0, done - last_write, cpu, got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--mode", default="native", choices=["native", "polling"])
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--size", type=int, default=30_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "src"
        src.mkdir()
        for i in range(a.files):
            (src / f"材料{i:05d}.docx").write_bytes(i.to_bytes(4, "little") * (a.size // 4))
        ratios, afters, bases = [], [], []
        for r in range(a.rounds):
            b = baseline(src, tmp / f"base{r}")
            shutil.rmtree(tmp / f"base{r}")
            run = tmp / f"run{r}"
            run.mkdir()
            total, after, cpu, got = subject(src, run, a.files, a.mode, a.settle)
            shutil.rmtree(run)
            own = max(0.0, after - a.settle)
            ratios.append(own / b)
            afters.append(after)
            bases.append(b)
            print(f"round {r + 1}: {got}/{a.files} in the inbox {total:.1f} s after the burst began, "
                  f"{after:.1f} s after the last write (settle {a.settle:g} s); CPU {cpu:.1f} s; "
                  f"baseline copy+sha256+fsync {b:.1f} s")
        print(f"{a.mode}, {a.files} files of {a.size} bytes: median {statistics.median(afters):.1f} s from the last "
              f"write to the last inbox entry (settle {a.settle:g} s); "
              f"baseline median {statistics.median(bases):.1f} s; "
              f"median per-round ratio (after last write - settle) / baseline = {statistics.median(ratios):.2f}; "
              f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
