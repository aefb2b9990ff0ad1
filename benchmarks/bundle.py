"""The provincial bundle (folder and zip) against a plain copy of the same files.

    .venv/bin/python benchmarks/bundle.py                      # 5,000 files, ~2 GB, 3 rounds
    .venv/bin/python benchmarks/bundle.py --scale 0.5          # the same 5,000 files in ~1 GB
    .venv/bin/python benchmarks/bundle.py --files 2500         # ~1 GB in half the files
    .venv/bin/python benchmarks/bundle.py --files 300 --rounds 1 --profile   # where time goes
    .venv/bin/python benchmarks/bundle.py --scale 0.5 --compare /tmp/old-checkout   # before / after

Builds a new archive in a temporary folder: a framework of 43 leaf indicators and N evidence
items linked round-robin (files written straight into the store, rows by bulk insert). The
files are shaped like a county's evidence: by count 55 % .pdf, 15 % .jpg, 12 % .docx,
3 % .xlsx (random bytes: already compressed, stored in the zip) and 15 % .doc/.xls/.txt/.wps
(compressible text-like bytes, 30 KB–600 KB, deflated in the zip); the PDFs and the rest
100 KB–2 MB, skewed towards the small end, and one file in 500 a 20–50 MB scan. About
0.4 MB per file on average: 5,000 files ≈ 2 GB.

Then, in the same process and on the same stored files, in rounds (copy, folder, zip in
each round, in orders that put every phase behind every other equally often,
`balanced_orders`; every output deleted, synced and left to settle, untimed, after its
phase):

    copy     the baseline, what a clerk's plain copy does made durable: shutil.copyfile of
             every stored file into a fresh folder (sendfile on Linux), then the same fsync
             pass the folder writer uses (exporters.bundle.fsync_tree: every file, then the
             folder). The time without the fsync pass is printed as well.
    folder   bundle_source + plan_bundle + write_folder (names, manifest, copy on three
             threads hashing the copied bytes against the recorded SHA-256, mtimes, each file
             fsynced as soon as it is written, rename into place)
    zip      the same with write_zip (streaming, stored/deflated per format, SHA-256 of the
             bytes read, the zip written out every 32 MB and fsynced at the end)

With `--compare TREE`, every round also runs the folder and zip writers of another checkout
(its `exporters/bundle.py` loaded beside ours, on the same archive, plan and stored files;
zipfile's CRC-32 put back to zlib's for them), and the median of the per-round time ratios
this / that is printed.

Figures per phase: median seconds and MB/s over the rounds, the median of the per-round
speed ratios bundle/copy (issue 7 asks for >= 0.7), the CPU seconds of the process (all
threads: what the phase costs whatever the load), the peak resident memory above the
starting point during the phase (sampled every 5 ms from /proc/self/statm; it grows with
the number of files, the plan and manifest, about 4 KB a file, not with their bytes: compare
--scale 0.5 with --scale 1) and the load average. The page cache is warm for all three (dropping it
would disturb others on a shared machine): this measures CPU and overhead plus the writes, not
the reads.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import importlib.util
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select

from exporters.bundle import fsync_tree, plan_bundle, write_folder, write_zip
from storage.bundle.sources import bundle_source
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.core.archive import Archive
from storage.models import Blob, Evidence, EvidenceFile, EvidenceIndicator, Indicator

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
KB, MB = 1024, 1024 * 1024
STORED_KINDS = ([".pdf", ".jpg", ".docx", ".xlsx"], [55, 15, 12, 3])
DEFLATED_KINDS = [".doc", ".xls", ".txt", ".wps"]


def balanced_orders(n: int) -> list[list[int]]:
    """Orders of n phases, one per round (a Williams design: n rows for even n, 2n for odd),
    in which every phase follows every other one equally often.

    Why it matters here: on ext4 without a journal (this machine's disk) a new file's inode
    is never one freed in the last 60 s, and the allocator reads past every such inode, so
    a phase that comes right after the deletion of 5,000 files pays for it (measured at
    1 GB, load 4: the folder writer used 3.6-4.5 s of CPU after a zip's deletion, one file,
    and 5.0-5.9 s after a copy's or a folder's, 5,000). A plain rotation keeps each phase
    behind the same one in every round."""
    first = [0]
    lo, hi = 1, n - 1
    while len(first) < n:
        first.append(lo)
        lo += 1
        if len(first) < n:
            first.append(hi)
            hi -= 1
    rows = [[(x + i) % n for x in first] for i in range(n)]
    if n % 2:
        rows += [row[::-1] for row in rows]
    return rows


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class PeakRSS:
    """Samples resident memory on a thread while the block runs."""

    def __enter__(self) -> PeakRSS:
        self.start = rss()
        self.peak = self.start
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss())


def _text_block(rng: random.Random) -> bytes:
    """8 MB of text-like bytes (UTF-16 CJK words and spaces, some zero runs as in .doc/.xls):
    deflates about 3:1 like real office files."""
    words = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(rng.randrange(2, 5)))
             for _ in range(800)]
    parts, n = [], 0
    while n < 8 * MB:
        p = (" ".join(rng.choice(words) for _ in range(40)) + "。\r\n").encode("utf-16-le")
        if rng.random() < 0.05:
            p += bytes(rng.randrange(512, 8192))
        parts.append(p)
        n += len(p)
    return b"".join(parts)


def _sizes_and_kinds(files: int, rng: random.Random, scale: float = 1.0) -> list[tuple[int, str]]:
    out = []
    for i in range(files):
        if rng.random() < 0.15:
            kind = rng.choice(DEFLATED_KINDS)
            size = int(30 * KB * 20 ** rng.random())                 # 30 KB–600 KB
        else:
            kind = rng.choices(*STORED_KINDS)[0]
            if i % 500 == 250:
                size = rng.randrange(20 * MB, 50 * MB)                # a big scan
            else:
                size = int(100 * KB * 20 ** (rng.random() ** 2.2))  # 100 KB–2 MB, mostly small
        out.append((max(1, int(size * scale)), kind))
    return out


def _write(path: Path, size: int, kind: str, rng: random.Random, text: bytes) -> str:
    """Write one stored file in pieces (the build keeps memory flat too); its SHA-256."""
    h = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        left = size
        while left:
            n = min(left, MB)
            if kind in DEFLATED_KINDS:
                start = rng.randrange(0, len(text) - n)
                piece = text[start:start + n]
            else:
                piece = rng.randbytes(n)
            h.update(piece)
            out.write(piece)
            left -= n
    return h.hexdigest()


def build(root: Path, files: int, scale: float = 1.0) -> tuple[Archive, list[Path]]:
    a = Archive.create(root)
    leaves = [IndicatorSpec(code=f"{i // 12 + 1}.{i // 4 % 3 + 1}.{i % 4 + 1}",
                            title=f"示例指标{i:02d}：落实质量强县创建工作任务情况") for i in range(43)]
    with a.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="基准测试指标体系", indicators=[
            IndicatorSpec(code="1", title="质量发展", children=leaves)]))
        leaf_ids = list(s.scalars(select(Indicator.id).where(Indicator.level == 2).order_by(Indicator.id)))
    rng = random.Random(7)
    text = _text_block(rng)
    staging = root / "bench-staging"
    paths, blobs, evidence, efiles, links = [], [], [], [], []
    for i, (size, kind) in enumerate(_sizes_and_kinds(files, rng, scale)):
        tmp = staging / f"{i}"
        sha = _write(tmp, size, kind, rng, text)
        p = a.files.path_for(sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, p)
        os.chmod(p, 0o444)  # as the store keeps them
        paths.append(p)
        title = f"示例县政发〔2023〕{i}号 关于印发质量强县工作实施方案的通知"
        blobs.append({"id": i + 1, "sha256": sha, "size": size})
        evidence.append({"id": i + 1, "title": title, "status": "accepted"})
        efiles.append({"id": i + 1, "evidence_id": i + 1, "blob_id": i + 1,
                       "original_name": title + kind, "source_path": ""})
        links.append({"evidence_id": i + 1, "indicator_id": leaf_ids[i % len(leaf_ids)],
                      "position": i // len(leaf_ids) + 1})
    shutil.rmtree(staging, ignore_errors=True)
    with a.engine.begin() as c:
        c.execute(insert(Blob), blobs)
        c.execute(insert(Evidence), evidence)
        c.execute(insert(EvidenceFile), efiles)
        c.execute(insert(EvidenceIndicator), links)
    os.sync()  # the build's writes are on disk before anything is timed
    return a, paths


def reopen(root: Path) -> tuple[Archive, list[Path]]:
    """An archive `build` made earlier (kept with --keep), and its stored files in build order."""
    a = Archive.open(root, daily_backup=False)
    with a.sessions.read() as s:
        shas = list(s.scalars(select(Blob.sha256).order_by(Blob.id)))
    return a, [Path(a.files.path_for(sha)) for sha in shas]


def plain_copy(paths: list[Path], dest: Path) -> float:
    """The baseline; returns the seconds spent before the fsync pass."""
    t = time.perf_counter()
    dest.mkdir()
    out = []
    for i, p in enumerate(paths):
        target = dest / f"{i:05d}{p.suffix}"
        shutil.copyfile(p, target)
        out.append(target)
    before_sync = time.perf_counter() - t
    fsync_tree(out, [dest])
    return before_sync


def bundle(a: Archive, dest: Path, zip_: bool, other: ModuleType | None = None) -> None:
    """One export; with `other`, by that module's writers (another checkout's)."""
    with a.sessions.read() as s:
        source = bundle_source(s)
    plan = plan_bundle(source)
    if other is not None:
        zipfile.crc32 = zlib.crc32  # type: ignore[attr-defined]  # as that code had it
        writer = other.write_zip if zip_ else other.write_folder
        writer(other.plan_bundle(source), dest, a.files.path_for, export_date=dt.date(2026, 3, 1))
        return
    writer = write_zip if zip_ else write_folder
    writer(plan, dest, a.files.path_for, export_date=dt.date(2026, 3, 1))


def load_other(tree: Path) -> ModuleType:
    """`exporters/bundle.py` of another checkout, as a module of its own beside ours."""
    spec = importlib.util.spec_from_file_location("other_bundle", tree / "exporters" / "bundle.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _remove(dest: Path) -> None:
    if dest.is_dir():
        shutil.rmtree(dest)
    elif dest.exists():
        dest.unlink()


def profile(a: Archive, work: Path) -> None:
    for name in ("folder", "zip"):
        dest = work / ("prof.zip" if name == "zip" else "prof")
        pr = cProfile.Profile()
        t = time.perf_counter()
        pr.enable()
        bundle(a, dest, name == "zip")
        pr.disable()
        print(f"\n== {name}: {time.perf_counter() - t:.2f}s (under cProfile; main thread only)")
        pstats.Stats(pr).sort_stats("tottime").print_stats(10)
        _remove(dest)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every file size (0.5: the same 5,000 files in ~1 GB)")
    ap.add_argument("--only", choices=["folder", "zip"], help="time the copy and one writer")
    ap.add_argument("--profile", action="store_true", help="cProfile one folder and one zip export")
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds to wait after removing a phase's output (61 on ext4 without a "
                         "journal takes the freed inodes out of the next phase's way)")
    ap.add_argument("--compare", type=Path, metavar="TREE",
                    help="also run the folder and zip writers of this checkout in every round")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temp folder; "
                    "an archive an earlier run left there is reused")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bundle-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(work).free
    need = args.files * 0.45 * MB * args.scale * 2.2  # archive + one output, with margin
    if free < need:
        sys.exit(f"not enough free space in {work}: {free / 1e9:.1f} GB, need {need / 1e9:.1f} GB")
    try:
        t = time.perf_counter()
        if args.keep and (work / "archive").is_dir():
            a, paths = reopen(work / "archive")  # built by an earlier run with the same --keep
        else:
            a, paths = build(work / "archive", args.files, args.scale)
        total = sum(p.stat().st_size for p in paths)
        print(f"built {len(paths)} files, {total / 1e6:.0f} MB in {time.perf_counter() - t:.1f}s; "
              f"free space {free / 1e9:.0f} GB; load {os.getloadavg()}")
        if args.profile:
            profile(a, work)
        writers = [args.only] if args.only else ["folder", "zip"]
        other = load_other(args.compare.resolve()) if args.compare else None
        phases = ["copy"] + writers + ([f"{w}@old" for w in writers] if other else [])
        secs: dict[str, list[float]] = {k: [] for k in phases}
        grow: dict[str, list[int]] = {k: [] for k in phases}
        loads: dict[str, list[float]] = {k: [] for k in phases}
        cpu: dict[str, list[float]] = {k: [] for k in phases}
        unsynced: list[float] = []
        orders = balanced_orders(len(phases))
        print(f"phases {', '.join(phases)}: {len(orders)} rounds make every phase follow every other "
              f"equally often (--rounds {args.rounds})")
        for run in range(args.rounds):
            for name in [phases[i] for i in orders[run % len(orders)]]:
                dest = work / (f"out-{name}-{run}.zip" if name.startswith("zip") else f"out-{name}-{run}")
                ru = resource.getrusage(resource.RUSAGE_SELF)
                with PeakRSS() as mem:
                    t = time.perf_counter()
                    if name == "copy":
                        unsynced.append(plain_copy(paths, dest))
                    else:
                        bundle(a, dest, name.startswith("zip"), other if name.endswith("@old") else None)
                    took = time.perf_counter() - t
                ru2 = resource.getrusage(resource.RUSAGE_SELF)
                cpu[name].append(ru2.ru_utime + ru2.ru_stime - ru.ru_utime - ru.ru_stime)
                secs[name].append(took)
                grow[name].append(mem.peak - mem.start)
                loads[name].append(os.getloadavg()[0])
                print(f"  round {run + 1} {name:6s} {took:6.2f}s  cpu {cpu[name][-1]:5.2f}s  "
                      f"load {loads[name][-1]:.2f}", flush=True)
                # every phase starts with the same page cache (archive only). The deletion
                # is synced and given time: ext4 mounted with `discard` trims deleted blocks
                # at the next journal commit, which would otherwise land in the next phase
                _remove(dest)
                os.sync()
                time.sleep(args.settle)
        med = {k: statistics.median(v) for k, v in secs.items()}
        print(f"\n{args.files} files, {total / 1e6:.0f} MB, {args.rounds} rounds (medians); "
              f"copy without its fsync pass {statistics.median(unsynced):.2f}s")
        for name in phases:
            ratios = [c / s for c, s in zip(secs["copy"], secs[name])]
            print(f"{name:10s} {med[name]:7.2f}s  {total / 1e6 / med[name]:6.0f} MB/s  "
                  f"speed vs copy {statistics.median(ratios):4.2f} (rounds: "
                  f"{', '.join(f'{r:.2f}' for r in ratios)})  CPU {statistics.median(cpu[name]):.2f}s  "
                  f"peak RSS +{max(grow[name]) / 1e6:.1f} MB  load {statistics.median(loads[name]):.2f}")
        for w in writers if other else []:
            pair = [x / y for x, y in zip(secs[w], secs[f"{w}@old"])]
            cpu_pair = [x / y for x, y in zip(cpu[w], cpu[f"{w}@old"])]
            print(f"{w} this / {args.compare}, median of per-round time ratios {statistics.median(pair):.2f} "
                  f"(rounds: {', '.join(f'{r:.2f}' for r in pair)}); CPU ratio {statistics.median(cpu_pair):.2f}")
        for name in phases:
            print(f"CPU per GB {name:10s} {statistics.median(cpu[name]) / (total / 1e9):.2f} s "
                  f"(user+sys, all threads)")
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(f"process peak RSS (ru_maxrss, whole run incl. build) {maxrss / 1e6:.0f} MB; "
              f"load average now {os.getloadavg()}")
        a.close()
    finally:
        if not args.keep:
            for p in work.rglob("*"):
                if p.is_file():
                    os.chmod(p, 0o644)  # the stored files are read-only
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
