"""The provincial bundle (folder and zip) against a plain copy of the same files.

    .venv/bin/python benchmarks/bundle.py [--files 2000] [--kb 200] [--runs 1] [--keep DIR]
    .venv/bin/python benchmarks/bundle.py --files 5000 --kb 400      # ~2 GB, issue 7's figure

Builds a new archive in a temporary folder: a framework of 43 leaf indicators, N evidence
items linked round-robin (files written straight into the store, rows by bulk insert); 90 %
of the files are random bytes named .pdf/.docx/.jpg (stored in the zip), 10 % half-random
.txt/.xls (deflated). Then times, in the same process and on the same stored files:

    copy     shutil.copyfile of every stored file into one folder (the floor: sendfile)
    folder   bundle_source + plan_bundle + write_folder (copy with SHA-256 check, names,
             manifest, mtimes, rename into place)
    zip      the same with write_zip (streaming, stored/deflated per format, fsync)

Figures: seconds, MB/s, speed ratio bundle/copy (issue 7 asks for >= 0.7) and the peak
resident memory above the starting point during each phase (sampled every 10 ms from
/proc/self/statm), to show it does not grow with the bundle. The page cache is warm for
all three (dropping it would disturb others on a shared machine): this measures CPU and
overhead, not the disk.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from exporters.bundle import plan_bundle, write_folder, write_zip  # noqa: E402
from storage.archive import Archive  # noqa: E402
from storage.bundle_query import bundle_source  # noqa: E402
from storage.frameworks import FrameworkSpec, IndicatorSpec, add_framework  # noqa: E402
from storage.models import Blob, Evidence, EvidenceFile, EvidenceIndicator, Indicator  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class PeakRSS:
    """Samples resident memory on a thread while the block runs."""

    def __enter__(self) -> "PeakRSS":
        self.start = rss()
        self.peak = self.start
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss())


def build(root: Path, files: int, kb: int) -> tuple[Archive, list[Path]]:
    a = Archive.create(root)
    leaves = [IndicatorSpec(code=f"{i // 12 + 1}.{i // 4 % 3 + 1}.{i % 4 + 1}",
                            title=f"示例指标{i:02d}：落实质量强县创建工作任务情况") for i in range(43)]
    with a.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="基准测试指标体系", indicators=[
            IndicatorSpec(code="1", title="质量发展", children=leaves)]))
        leaf_ids = list(s.scalars(select(Indicator.id).where(Indicator.level == 2).order_by(Indicator.id)))
    rng = random.Random(7)
    paths, blobs, evidence, efiles, links = [], [], [], [], []
    for i in range(files):
        size = int(kb * 1024 * rng.uniform(0.5, 1.5))
        kind = rng.choices([".pdf", ".docx", ".jpg", ".txt", ".xls"], [50, 25, 15, 5, 5])[0]
        if kind in (".txt", ".xls"):
            half = os.urandom(size // 2)
            data = half + bytes(size - len(half))
        else:
            data = os.urandom(size)
        sha = hashlib.sha256(data).hexdigest()
        p = a.files.path_for(sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        paths.append(p)
        title = f"示例县政发〔2023〕{i}号 关于印发质量强县工作实施方案的通知"
        blobs.append({"id": i + 1, "sha256": sha, "size": size})
        evidence.append({"id": i + 1, "title": title, "status": "accepted"})
        efiles.append({"id": i + 1, "evidence_id": i + 1, "blob_id": i + 1,
                       "original_name": title + kind, "source_path": ""})
        links.append({"evidence_id": i + 1, "indicator_id": leaf_ids[i % len(leaf_ids)],
                      "position": i // len(leaf_ids) + 1})
    with a.engine.begin() as c:
        c.execute(insert(Blob), blobs)
        c.execute(insert(Evidence), evidence)
        c.execute(insert(EvidenceFile), efiles)
        c.execute(insert(EvidenceIndicator), links)
    return a, paths


def plain_copy(paths: list[Path], dest: Path) -> None:
    dest.mkdir()
    for i, p in enumerate(paths):
        shutil.copyfile(p, dest / f"{i:05d}")


def bundle(a: Archive, dest: Path, zip_: bool) -> None:
    with a.sessions.read() as s:
        source = bundle_source(s)
    plan = plan_bundle(source)
    writer = write_zip if zip_ else write_folder
    writer(plan, dest, a.files.path_for, export_date=dt.date(2026, 3, 1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--kb", type=int, default=200, help="mean file size in KB (0.5x–1.5x)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temp folder")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bundle-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        a, paths = build(work / "archive", args.files, args.kb)
        total = sum(p.stat().st_size for p in paths)
        print(f"built {len(paths)} files, {total / 1e6:.0f} MB in {time.perf_counter() - t:.1f}s")
        results: dict[str, list[tuple[float, int]]] = {"copy": [], "folder": [], "zip": []}
        for run in range(args.runs):
            for name in ("copy", "folder", "zip"):
                dest = work / f"out-{name}-{run}" if name != "zip" else work / f"out-{run}.zip"
                with PeakRSS() as mem:
                    t = time.perf_counter()
                    if name == "copy":
                        plain_copy(paths, dest)
                    else:
                        bundle(a, dest, name == "zip")
                    secs = time.perf_counter() - t
                results[name].append((secs, mem.peak - mem.start))
                if dest.is_dir():
                    shutil.rmtree(dest)
                else:
                    dest.unlink()
        best = {k: min(v)[0] for k, v in results.items()}
        for name in ("copy", "folder", "zip"):
            secs = best[name]
            grow = max(m for _, m in results[name])
            ratio = best["copy"] / secs
            print(f"{name:7s} {secs:7.2f}s  {total / 1e6 / secs:7.0f} MB/s  speed vs copy {ratio:4.2f}  "
                  f"peak RSS +{grow / 1e6:.1f} MB")
        print(f"process peak RSS {rss() / 1e6:.0f} MB now; files {args.files}, "
              f"{total / 1e6:.0f} MB, runs {args.runs}")
        a.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
