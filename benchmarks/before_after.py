"""This checkout against an earlier one, interleaved (A B A B …): `status --json` as a whole
process and the documents for 5,000 items.

    git worktree add /tmp/old <commit>   (or: git archive <commit> | tar -x -C /tmp/old)
    .venv/bin/python benchmarks/before_after.py --old /tmp/old --archive /tmp/items50k

The archive is one built by run_all.py (`--keep`). Prints the medians of both and the
median of the per-round ratios new/old, with the load average.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEW = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True, help="a checkout of the earlier commit")
    ap.add_argument("--archive", required=True, help="an archive built by run_all.py --keep")
    ap.add_argument("--status-rounds", type=int, default=9)
    ap.add_argument("--documents-rounds", type=int, default=3)
    args = ap.parse_args()
    cfg = tempfile.mkdtemp(prefix="ed-bench-ba-")
    env = {**os.environ, "EVIDENCE_DESK_CONFIG_DIR": cfg}

    def docs(tree: str) -> float:
        r = subprocess.run([sys.executable, f"{tree}/benchmarks/documents.py", "--evidence", "5000", "--runs", "1"],
                           capture_output=True, text=True, cwd=tree, env={**env, "PYTHONPATH": tree})
        m = re.search(r"evidence items: ([0-9.]+)s", r.stdout)
        assert m, r.stdout + r.stderr
        return float(m.group(1))

    def status(tree: str) -> float:
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "desktop", "status", "--json", "--archive", args.archive],
                           capture_output=True, text=True, cwd=tree, env={**env, "PYTHONPATH": tree})
        assert r.returncode == 0, r.stderr
        return time.perf_counter() - t

    try:
        _compare(args, docs, status)
    finally:
        shutil.rmtree(cfg, ignore_errors=True)


def _compare(args: argparse.Namespace, docs, status) -> None:  # type: ignore[no-untyped-def]
    for name, fn, rounds in (("status --json whole process", status, args.status_rounds),
                             ("documents for 5,000 items", docs, args.documents_rounds)):
        a: list[float] = []
        b: list[float] = []
        ratios, loads = [], []
        for i in range(rounds):
            pair = [(args.old, a), (str(NEW), b)]
            for tree, out in (pair if i % 2 == 0 else pair[::-1]):
                out.append(fn(tree))
            ratios.append(b[-1] / a[-1])
            loads.append(os.getloadavg()[0])
        print(f"{name}: old {statistics.median(a):.3f} s, new {statistics.median(b):.3f} s, median ratio "
              f"new/old {statistics.median(ratios):.2f} over {rounds} rounds, load {statistics.mean(loads):.1f}",
              flush=True)


if __name__ == "__main__":
    main()
