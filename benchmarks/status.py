"""`status` on an archive of 50,000 evidence items and 43 level-3 indicators.

    .venv/bin/python benchmarks/status.py [--items 50000] [--runs 15] [--keep DIR]

Builds the archive with bulk inserts (a 4/15/43 tree, 30 departments, every item with a
blob, a file row and one or two indicator links), then reports the median of `status()`
in-process and of the whole command `evidence-desk status --json` (Python start-up
included). Target: median under 0.5 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.catalogue.queries import status
from storage.core.archive import Archive
from storage.models import Blob, Department, Evidence, EvidenceFile, EvidenceIndicator

LEVEL2_PER_LEVEL1 = (3, 4, 4, 4)  # 15 level-2
LEVEL3_PER_LEVEL2 = (3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 3, 3, 4)  # 43 level-3


def big_framework() -> FrameworkSpec:
    names = ["质量发展理念", "质量发展保障", "质量发展基础", "质量发展成效"]
    l3 = iter(LEVEL3_PER_LEVEL2)
    tree = []
    for i, (name, n2) in enumerate(zip(names, LEVEL2_PER_LEVEL1), 1):
        kids = []
        for j in range(1, n2 + 1):
            leaves = [IndicatorSpec(f"{i}.{j}.{k}", f"基准测试指标 {i}.{j}.{k}", 2)
                      for k in range(1, next(l3) + 1)]
            kids.append(IndicatorSpec(f"{i}.{j}", f"基准测试二级指标 {i}.{j}", 2 * len(leaves), children=leaves))
        tree.append(IndicatorSpec(str(i), name, sum(k.max_score for k in kids), children=kids))
    return FrameworkSpec(name="基准测试指标体系", indicators=tree)


def build(root: Path, items: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    archive = Archive.create(root)
    with archive.sessions.write() as s:
        fw = add_framework(s, big_framework())
        leaves = [i.id for i in fw.indicators if i.level == 3]
        assert len(leaves) == 43
        conn = s.connection()
        conn.execute(insert(Department), [
            {"name": f"县单位{i:02d}", "normalized_name": f"县单位{i:02d}", "is_collective": False,
             "contact_person": "", "contact_phone": "", "notes": ""} for i in range(30)])
        now = dt.datetime(2026, 11, 1)
        statuses = ["received"] * 5 + ["accepted"] * 4 + ["returned"]
        step = 5000
        for start in range(0, items, step):
            n = min(step, items - start)
            ids = range(start + 1, start + n + 1)
            conn.execute(insert(Blob), [
                {"id": i, "sha256": f"{i:064x}", "size": rng.randint(10_000, 3_000_000), "stored_at": now}
                for i in ids])
            conn.execute(insert(Evidence), [
                {"id": i, "title": f"佐证材料 {i}", "doc_number": f"沂政发〔2023〕{i}号",
                 "department_id": rng.randint(1, 30), "status": rng.choice(statuses),
                 "created_at": now, "updated_at": now, "version": 1, "notes": "",
                 "issuing_body": ""} for i in ids])
            conn.execute(insert(EvidenceFile), [
                {"evidence_id": i, "blob_id": i, "original_name": f"佐证材料 {i}.pdf",
                 "source_path": "", "revision": 1, "is_current": True, "added_at": now}
                for i in ids])
            links = []
            for i in ids:
                for _pos, ind in enumerate(rng.sample(leaves, rng.choice([1, 1, 2])), 1):
                    links.append({"evidence_id": i, "indicator_id": ind, "position": i})
            conn.execute(insert(EvidenceIndicator), links)
    archive.close()


def _run_cli(checkout: Path, argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "desktop", *argv], cwd=checkout, capture_output=True, text=True,
                       env=env)
    elapsed = time.perf_counter() - t
    assert r.returncode == 0, r.stderr
    return elapsed


def compare(old: Path, root: Path, runs: int) -> None:
    """Whole-process start-up of this checkout against OLD, in alternating rounds (A B A B …),
    so both see the same machine load; prints the medians and the median of per-round ratios."""
    for label, argv in (("--version", ["--version"]), ("status --json", ["status", "--json", "--archive", str(root)])):
        a, b, ratios = [], [], []
        for _ in range(runs):
            ta = _run_cli(old, argv)
            tb = _run_cli(ROOT, argv)
            a.append(ta)
            b.append(tb)
            ratios.append(tb / ta)
        print(f"{label:>14}: before {statistics.median(a) * 1000:.0f} ms, after {statistics.median(b) * 1000:.0f} ms, "
              f"median ratio after/before {statistics.median(ratios):.2f} over {runs} rounds "
              f"(load {os.getloadavg()[0]:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", default=None, help="build the archive here and keep it")
    ap.add_argument("--compare", metavar="OLD_CHECKOUT", default=None,
                    help="also time --version and status --json with the code in OLD_CHECKOUT (a git "
                         "worktree of an earlier commit), interleaved with this one, and print the ratios")
    args = ap.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ed-bench-status-")) / "archive"
    try:
        t0 = time.perf_counter()
        if not (root / "archive.sqlite3").exists():
            build(root, args.items)
        print(f"archive with {args.items} evidence items built in {time.perf_counter() - t0:.1f} s: {root}")

        archive = Archive.open(root)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            with archive.sessions.read() as s:
                rep = status(s, str(root))
            times.append(time.perf_counter() - t)
        archive.close()
        assert rep.evidence_total == args.items and rep.indicators_total == 43
        print(f"status() in-process: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {args.runs} runs")

        cli = []
        for _ in range(max(5, args.runs // 2)):
            t = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "desktop", "status", "--json", "--archive", str(root)],
                               cwd=ROOT, capture_output=True, text=True)
            cli.append(time.perf_counter() - t)
            assert r.returncode == 0, r.stderr
        print(f"`evidence-desk status --json` whole process: median {statistics.median(cli) * 1000:.0f} ms "
              f"over {len(cli)} runs (target < 500 ms)")
        if args.compare:
            compare(Path(args.compare), root, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
