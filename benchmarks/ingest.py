"""Ingest throughput against a baseline of copy + sha256 + fsync of the same files.

    .venv/bin/python benchmarks/ingest.py [--files 5000] [--total-mb 1000] [--workdir DIR]

Generates FILES files of mixed sizes (about TOTAL-MB in all) in a scratch folder, then in
the same process: (1) the baseline, each file copied to a scratch folder while hashed with
sha256 and fsynced; (2) `ingest_paths` into a fresh archive; (3) the baseline again. The
ratio is ingest speed / mean baseline speed (target >= 0.7). Peak memory is the process's
maximum resident set size (target < 250 MB).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--total-mb", type=int, default=1000)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ed-bench-ingest-", dir=args.workdir))
    try:
        src = work / "来文"
        total = make_files(src, args.files, args.total_mb)
        files = sorted(p for p in src.rglob("*") if p.is_file())
        mb = total / 1e6
        print(f"files: {len(files)}, {mb:.0f} MB in {work}")

        b1 = baseline(files, work / "baseline1")
        shutil.rmtree(work / "baseline1")
        archive = Archive.create(work / "archive")
        t0 = time.perf_counter()
        report = ingest_paths(archive, [src])
        t_ingest = time.perf_counter() - t0
        archive.close()
        b2 = baseline(files, work / "baseline2")
        shutil.rmtree(work / "baseline2")

        assert report.count("stored") == len(files), report.as_dict()["stored"]
        b = (b1 + b2) / 2
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"baseline copy+sha256+fsync: {b1:.2f} s and {b2:.2f} s "
              f"({len(files) / b:.0f} files/s, {mb / b:.0f} MB/s)")
        print(f"ingest: {t_ingest:.2f} s ({len(files) / t_ingest:.0f} files/s, {mb / t_ingest:.0f} MB/s)")
        print(f"ratio ingest/baseline speed: {b / t_ingest:.2f} (target >= 0.7)")
        print(f"peak RSS: {peak_mb:.0f} MB (target < 250 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
