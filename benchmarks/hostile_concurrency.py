"""Two command-line ingests and a live watcher on the same N files (issue 18, item 5):
how long after the last file was written the live watcher has taken every file, and
whether each is in the inbox once and the archive verifies.

    python benchmarks/hostile_concurrency.py [--files 2000] [--settle 2]

Prints: files written, seconds to write, seconds after the last write until the watcher
had all of them, inbox entries, distinct sources, evidence items, stored blobs, verify.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select

from storage.core.archive import Archive
from storage.durability.verify import verify_archive
from storage.models import Blob, Evidence, InboxEntry
from storage.watch.folders import add_folder
from storage.watch.service import WatchService


def run(files: int, settle: float, size: int = 4_000, ingests: int = 2) -> dict:
    """One run; returns the figures (also used by tests/test_hostile_concurrency.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        share = tmp_path / "share"
        share.mkdir()
        archive = Archive.create(tmp_path / "archive")
        with archive.sessions.write() as s:
            add_folder(s, share, department="县工信局", settle_seconds=settle)
        errors: list[str] = []
        svc = WatchService(archive, on_error=errors.append, rescan_seconds=3600.0)
        svc.start()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        t0 = time.monotonic()
        procs = []
        for i in range(files):
            sub = share / f"批次{i // 200:02d}"
            sub.mkdir(exist_ok=True)
            (sub / f"材料{i:05d}.pdf").write_bytes(i.to_bytes(4, "little") * (size // 4))
            if ingests and i in (files // 4, files // 2)[:ingests]:  # ingests start while files arrive
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "desktop", "ingest", "--archive", str(archive.root), str(share)],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        written = time.monotonic()

        def taken() -> int:
            with archive.sessions.read() as s:
                return s.scalar(select(func.count()).select_from(InboxEntry)) or 0

        deadline = written + settle + 120
        while taken() < files and time.monotonic() < deadline:
            time.sleep(0.2)
        all_in = time.monotonic()
        rcs = []
        for p in procs:   # communicate() reads and closes the pipe (an unread pipe can block a child)
            p.communicate(timeout=300)
            rcs.append(p.returncode)
        svc.wait_idle(30)
        svc.stop()
        with archive.sessions.read() as s:
            inbox = s.scalar(select(func.count()).select_from(InboxEntry))
            sources = s.scalar(select(func.count(func.distinct(InboxEntry.source_path))))
            evidence = s.scalar(select(func.count()).select_from(Evidence))
            blobs = s.scalar(select(func.count()).select_from(Blob))
        ok = verify_archive(archive).ok
        archive.close()
        return {
            "files": files, "write_s": round(written - t0, 1),
            "watcher_after_last_write_s": round(all_in - written, 1),
            "inbox": inbox, "distinct_sources": sources, "evidence": evidence, "blobs": blobs,
            "ingest_exit": rcs, "verify_ok": ok, "errors": errors[:5],
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--ingests", type=int, default=2, choices=[0, 1, 2])
    a = ap.parse_args()
    for k, v in run(a.files, a.settle, ingests=a.ingests).items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
