"""`verify` of an archive of 5,000 files / ~1 GB against a plain sha256 of the same files.

    .venv/bin/python benchmarks/verify.py [--files 5000] [--mb 1024] [--runs 2] [--keep DIR]

Generates random files straight into a new archive's store (with their blob, evidence and
file rows, by bulk insert) in a temporary folder, then times, in the same process and on
the same files: a plain sha256 of every file (the floor: reading and hashing the bytes is
all verify must do) and `verify_archive` (hash check of every file, database integrity
check, orphan and leftover scan). Figures: seconds, MB/s, ratio verify / plain sha256.
The page cache is warm for both (the files were just written; dropping the cache would
disturb everyone else on a shared machine), so this measures CPU and overhead, not disk.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from storage.core.archive import Archive
from storage.core.filestore import hash_file
from storage.durability.verify import verify_archive
from storage.models import Blob, Evidence, EvidenceFile


def build(root: Path, files: int, total_bytes: int) -> tuple[Archive, list[Path]]:
    a = Archive.create(root)
    size = total_bytes // files
    paths, blobs, evidence, efiles = [], [], [], []
    for i in range(files):
        data = os.urandom(size)
        sha = hashlib.sha256(data).hexdigest()
        p = a.files.path_for(sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        paths.append(p)
        blobs.append({"id": i + 1, "sha256": sha, "size": size})
        evidence.append({"id": i + 1, "title": f"佐证材料{i:05d}", "status": "received"})
        efiles.append({"id": i + 1, "evidence_id": i + 1, "blob_id": i + 1,
                       "original_name": f"佐证材料{i:05d}.pdf", "source_path": ""})
    with a.engine.begin() as c:
        c.execute(insert(Blob), blobs)
        c.execute(insert(Evidence), evidence)
        c.execute(insert(EvidenceFile), efiles)
    return a, paths


def plain_sha256(paths: list[Path]) -> int:
    n = 0
    for p in paths:
        n += hash_file(p)[1]
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--keep", metavar="DIR", help="build in DIR and keep it")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-verify-"))
    try:
        t0 = time.perf_counter()
        archive, paths = build(work / "archive", args.files, args.mb * 1024 * 1024)
        built = time.perf_counter() - t0
        total = sum(p.stat().st_size for p in paths)
        print(f"built {len(paths)} files, {total / 1e6:.0f} MB in {built:.1f} s ({work})")
        plain, ver = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            t = time.perf_counter()
            assert plain_sha256(paths) == total
            plain.append(time.perf_counter() - t)
            t = time.perf_counter()
            rep = verify_archive(archive)
            ver.append(time.perf_counter() - t)
            assert rep.ok and rep.files_checked == len(paths), rep.problems[:3]
        archive.close()
        p, v = min(plain), min(ver)
        print(f"plain sha256: best {p:.2f} s ({total / 1e6 / p:.0f} MB/s), runs {[round(x, 2) for x in plain]}")
        print(f"verify:       best {v:.2f} s ({total / 1e6 / v:.0f} MB/s), runs {[round(x, 2) for x in ver]}")
        mean_ratio = statistics.mean(ver) / statistics.mean(plain)
        print(f"ratio verify / plain sha256: {v / p:.2f} (best), {mean_ratio:.2f} (mean)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
