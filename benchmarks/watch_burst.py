"""A burst of N files dropped into a watched folder: time until all are in the inbox,
against a baseline of plain copy + sha256 of the same files in this process.

    python benchmarks/watch_burst.py [--files 2000] [--mode native|polling] [--settle 2]
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--mode", default="native", choices=["native", "polling"])
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--size", type=int, default=30_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "src"
        src.mkdir()
        for i in range(a.files):
            (src / f"材料{i:05d}.docx").write_bytes(i.to_bytes(4, "little") * (a.size // 4))
        # baseline: copy + sha256 + fsync of the same files
        base = tmp / "base"
        base.mkdir()
        t = time.monotonic()
        for p in src.iterdir():
            d = base / p.name
            shutil.copyfile(p, d)
            hashlib.sha256(d.read_bytes()).hexdigest()
            with open(d, "rb+") as f:
                import os

                os.fsync(f.fileno())
        baseline = time.monotonic() - t

        archive = Archive.create(tmp / "archive")
        share = tmp / "share"
        share.mkdir()
        with archive.sessions.write() as s:
            add_folder(s, share, settle_seconds=a.settle, polling_seconds=2.0 if a.mode == "polling" else 0)
        svc = WatchService(archive, rescan_seconds=3600)
        svc.start()
        time.sleep(1.0)
        try:
            t0 = time.monotonic()
            cpu0 = time.process_time()
            for p in src.iterdir():
                shutil.copyfile(p, share / p.name)
            dropped = time.monotonic() - t0
            n = 0
            while time.monotonic() - t0 < 300:
                with archive.sessions.read() as s:
                    n = s.scalar(select(func.count()).select_from(InboxEntry))
                if n >= a.files:
                    break
                time.sleep(0.25)
            total = time.monotonic() - t0
            cpu = time.process_time() - cpu0
        finally:
            svc.stop()
            archive.close()
        print(f"{a.mode}: {n}/{a.files} files of {a.size} bytes in the inbox {total:.1f} s after the burst "
              f"began (copying them in took {dropped:.1f} s; settle {a.settle:g} s); process CPU {cpu:.1f} s")
        print(f"baseline copy+sha256+fsync of the same files: {baseline:.1f} s; ratio {total / baseline:.1f}x "
              f"(watcher time includes the settle wait and the database rows)")


if __name__ == "__main__":
    main()
