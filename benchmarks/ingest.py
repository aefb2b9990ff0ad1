"""Ingest throughput against a baseline of copy + sha256 + fsync of the same files.

    .venv/bin/python benchmarks/ingest.py [--files 5000] [--total-mb 1000] [--rounds 5] [--workdir DIR]
    .venv/bin/python benchmarks/ingest.py --files 500 --total-mb 100 --profile   # where time goes
    .venv/bin/python benchmarks/ingest.py --compare /tmp/old-checkout   # before / after as well

Generates FILES files of mixed sizes (about TOTAL-MB in all) in a scratch folder, then in
the same process, in rounds (A B A B …, the order swapped every other round so both see the
same machine and the same disk; benchmarks/common.py): the baseline, each file copied to a
scratch folder while hashed with sha256 and fsynced; and `ingest_paths` into a fresh
archive. Every output is removed, synced and left to settle (untimed) before the next run.
Printed: the medians, the median of the per-round speed ratios ingest / baseline (issue 19
asks for >= 0.9), the CPU seconds of each (all threads), the process's peak resident
memory (target < 250 MB) and the load average. With --compare, each round also runs the
ingest of another checkout (in a new process that times only `ingest_paths`), and the median
of the per-round ratios this / that is printed. The three then run in orders that put each
behind each other equally often (`benchmarks.bundle.balanced_orders`: 6 rounds cover them):
on ext4 without a journal, a run right after the deletion of an archive of 5,000 files and
folders pays for it (new inodes skip those freed in the last minute), and a rotation of
three kept each behind the same one every round.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bundle import balanced_orders
from benchmarks.common import interleave, load
from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive


def make_files(folder: Path, n: int, total_mb: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    # mixed sizes: many small scans and documents, fewer large ones
    weights = [rng.choice([1] * 16 + [6] * 3 + [30]) * rng.uniform(0.5, 1.5) for _ in range(n)]
    scale = total_mb * 1_000_000 / sum(weights)
    total = 0
    block = os.urandom(1 << 20)
    for i, w in enumerate(weights):
        size = max(1, int(w * scale))
        sub = folder / f"单位{i % 25:02d}" / f"批次{i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        with open(sub / f"佐证材料〔2023〕{i:05d}号.pdf", "wb") as f:
            f.write(i.to_bytes(8, "little"))  # every file distinct
            left = size - 8
            while left > 0:
                chunk = block[: min(left, len(block))]
                f.write(chunk)
                left -= len(chunk)
        total += size
    return total


def baseline(files: list[Path], dest: Path) -> float:
    dest.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    for i, src in enumerate(files):
        h = hashlib.sha256()
        with open(src, "rb", buffering=0) as fin, open(dest / f"{i}", "wb", buffering=0) as fout:
            while n := fin.readinto(buf):
                h.update(view[:n])
                fout.write(view[:n])
            os.fsync(fout.fileno())
        h.hexdigest()
    return time.perf_counter() - t0


def ingest_once(src: Path, dest: Path, expect: int) -> float:
    """`ingest_paths` of the folder into a new archive at `dest`; the seconds it took."""
    archive = Archive.create(dest)
    try:
        t0 = time.perf_counter()
        report = ingest_paths(archive, [src])
        took = time.perf_counter() - t0
    finally:
        archive.close()
    assert report.count("stored") == expect, report.as_dict()["stored"]
    return took


# `ingest_paths` of another checkout, timed inside its own process.
OTHER = """
import sys, time
from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive
a = Archive.create(sys.argv[2])
t, c = time.perf_counter(), time.process_time()
r = ingest_paths(a, [sys.argv[1]])
print(time.perf_counter() - t, r.count("stored"), time.process_time() - c)
a.close()
"""


def ingest_other(tree: Path, src: Path, dest: Path, expect: int) -> tuple[float, float]:
    """(seconds, CPU seconds of all its threads) of `ingest_paths` alone in that checkout."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    r = subprocess.run([sys.executable, "-c", OTHER, str(src), str(dest)], capture_output=True, text=True,
                       env=env, cwd=tree, check=True, timeout=3600)
    took, stored, cpu = r.stdout.split()
    assert int(stored) == expect, r.stdout
    return float(took), float(cpu)


SETTLE = [1.0]  # seconds after removing a run's output (--settle)


def _settle(path: Path) -> None:
    """Remove a run's output, sync, and give the disk a moment (ext4 with `discard` trims
    deleted blocks at the next journal commit, which would land in the next run; ext4
    without a journal keeps freed inodes out of new files' way for 60 s: --settle 61)."""
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
    time.sleep(SETTLE[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--total-mb", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--profile", action="store_true", help="cProfile one ingest (main thread)")
    ap.add_argument("--compare", type=Path, metavar="TREE", help="also time the ingest of this checkout")
    ap.add_argument("--settle", type=float, default=1.0,
                    help="seconds to wait after removing a run's output (61 on ext4 without a journal)")
    args = ap.parse_args()
    SETTLE[0] = args.settle

    work = Path(tempfile.mkdtemp(prefix="ed-bench-ingest-", dir=args.workdir))
    try:
        src = work / "来文"
        total = make_files(src, args.files, args.total_mb)
        files = sorted(p for p in src.rglob("*") if p.is_file())
        mb = total / 1e6
        os.sync()
        print(f"files: {len(files)}, {mb:.0f} MB in {work}; load {load()}", flush=True)
        if args.profile:
            pr = cProfile.Profile()
            pr.enable()
            ingest_once(src, work / "profiled", len(files))
            pr.disable()
            pstats.Stats(pr).sort_stats("tottime").print_stats(15)
            _settle(work / "profiled")
        n = [0]
        cpu: dict[str, list[float]] = {"baseline": [], "ingest": [], "other": []}

        def cpu_now() -> float:
            ru = resource.getrusage(resource.RUSAGE_SELF)
            return ru.ru_utime + ru.ru_stime

        def base() -> float:
            n[0] += 1
            c = cpu_now()
            took = baseline(files, work / f"copy{n[0]}")
            cpu["baseline"].append(cpu_now() - c)
            print(f"  baseline {took:6.2f} s  cpu {cpu['baseline'][-1]:5.2f} s  load {load()}", flush=True)
            _settle(work / f"copy{n[0]}")
            return took

        def subject() -> float:
            n[0] += 1
            c = cpu_now()
            took = ingest_once(src, work / f"archive{n[0]}", len(files))
            cpu["ingest"].append(cpu_now() - c)
            print(f"  ingest   {took:6.2f} s  cpu {cpu['ingest'][-1]:5.2f} s  load {load()}", flush=True)
            _settle(work / f"archive{n[0]}")
            return took

        def other() -> float:
            n[0] += 1
            assert args.compare is not None
            took, used = ingest_other(args.compare.resolve(), src, work / f"other{n[0]}", len(files))
            cpu["other"].append(used)
            print(f"  other    {took:6.2f} s  cpu {used:5.2f} s  ({args.compare})  load {load()}", flush=True)
            _settle(work / f"other{n[0]}")
            return took

        if args.compare is None:
            ta, tb, ratios, ld = interleave(base, subject, args.rounds)
            to: list[float] = []
        else:  # three in turn, each behind each other equally often (6 rounds for all orders)
            runs: dict[str, list[float]] = {"baseline": [], "ingest": [], "other": []}
            fns = {"baseline": base, "ingest": subject, "other": other}
            loads = []
            orders = balanced_orders(3)
            for r in range(args.rounds):
                names = [list(fns)[i] for i in orders[r % len(orders)]]
                for name in names:
                    runs[name].append(fns[name]())
                loads.append(load())
            ta, tb, to = runs["baseline"], runs["ingest"], runs["other"]
            ratios = [y / x for x, y in zip(ta, tb)]
            ld = round(statistics.mean(loads), 2)
        speed = sorted(1 / r for r in ratios)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        b, i = statistics.median(ta), statistics.median(tb)
        print(f"\n{len(files)} files, {mb:.0f} MB, {args.rounds} rounds (medians), load average {ld}")
        print(f"baseline copy+sha256+fsync: {b:.2f} s ({mb / b:.0f} MB/s), "
              f"CPU {statistics.median(cpu['baseline']):.2f} s")
        print(f"ingest: {i:.2f} s ({len(files) / i:.0f} files/s, {mb / i:.0f} MB/s), "
              f"CPU {statistics.median(cpu['ingest']):.2f} s")
        print(f"speed ingest/baseline, median of per-round ratios: {statistics.median(speed):.2f} "
              f"(rounds: {', '.join(f'{r:.2f}' for r in speed)}; target >= 0.9)")
        if to:
            pair = [x / y for x, y in zip(tb, to)]
            other_speed = [x / y for x, y in zip(ta, to)]
            print(f"ingest of {args.compare}: {statistics.median(to):.2f} s, speed vs baseline "
                  f"{statistics.median(other_speed):.2f}; this / that, median of per-round time ratios: "
                  f"{statistics.median(pair):.2f} (rounds: {', '.join(f'{r:.2f}' for r in pair)})")
        gb = total / 1e9
        print(f"CPU per GB (user+sys, all threads): baseline {statistics.median(cpu['baseline']) / gb:.2f} s, "
              f"ingest {statistics.median(cpu['ingest']) / gb:.2f} s"
              + (f", {args.compare} {statistics.median(cpu['other']) / gb:.2f} s" if to else "")
              + f"; ingest / baseline CPU {statistics.median(cpu['ingest']) / statistics.median(cpu['baseline']):.2f}")
        print(f"peak RSS: {peak_mb:.0f} MB (target < 250 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
