"""Idle cost: watching 20 folders holding 50,000 files that were all taken before.

    python benchmarks/watch_idle.py [--folders 20] [--files 50000] [--idle 600] [--rescan 300]

To keep set-up short the folders' scan records (ScanEntry) are written directly, as if every
file had been taken on an earlier day; the start-up catch-up scan then finds nothing new.
Prints the process CPU time of the start-up scan, of the idle period (which includes the
full rescans every --rescan seconds) as a share of wall time, and of one full rescan.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.core.archive import Archive
from storage.models import ScanEntry
from storage.watch.folders import add_folder, scan_tree
from storage.watch.service import WatchService


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folders", type=int, default=20)
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--idle", type=float, default=600)
    ap.add_argument("--rescan", type=float, default=300)
    a = ap.parse_args()
    per = a.files // a.folders
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = Archive.create(tmp / "archive")
        ids = []
        for d in range(a.folders):
            root = tmp / f"单位{d:02d}"
            for i in range(per):
                sub = root / f"子{i // 250:02d}"
                if i % 250 == 0:
                    sub.mkdir(parents=True)
                (sub / f"材料{i:05d}.docx").write_bytes(b"x")
            with archive.sessions.write() as s:
                info = add_folder(s, root, department=f"单位{d:02d}", polling_seconds=0)
                ids.append(info.id)
                s.add_all(ScanEntry(watched_folder_id=info.id, relpath=r, size=sz, mtime_ns=mt)
                          for r, (sz, mt) in scan_tree(str(root)).items())
        t = time.process_time()
        scan_tree(str(tmp / "单位00"))
        one = (time.process_time() - t) * a.folders
        svc = WatchService(archive, rescan_seconds=a.rescan)
        c0, w0 = time.process_time(), time.monotonic()
        svc.start()
        if not svc.wait_idle(300):
            print("start-up did not settle")
        c1, w1 = time.process_time(), time.monotonic()
        time.sleep(a.idle)
        c2, w2 = time.process_time(), time.monotonic()
        modes = {st.mode for st in svc.folder_statuses()}
        svc.stop()
        archive.close()
    print(f"{a.folders} folders, {per * a.folders} files, modes {sorted(modes)}, rescan every {a.rescan:g} s")
    print(f"start-up (observers + catch-up scan): {c1 - c0:.2f} s CPU in {w1 - w0:.1f} s; taken {svc.stats.taken}")
    print(f"idle {w2 - w1:.0f} s: {c2 - c1:.2f} s CPU = {100 * (c2 - c1) / (w2 - w1):.2f}% "
          f"(rescans during idle: {svc.stats.rescans - a.folders})")
    print(f"one full rescan of all folders (scan_tree only): ~{one:.2f} s CPU")


if __name__ == "__main__":
    main()
